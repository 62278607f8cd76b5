// Non-finite numbers in the CLI's JSON: −∞ (an exact zero of the Jacobian), +∞ and NaN are the
// strings "-Infinity", "Infinity", "NaN", not one indistinguishable null; old files with null still merge.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJson } from '../../cli/common.js';
import { initRnn, lyapunovSpectrum, saveRnn, type Rnn } from '../../src/index.js';
import { cli, tempDir } from './helpers.js';

/** A ReLU network whose unit 0 is dead: no input, no recurrence into it, bias −10 (always off). */
function deadUnitModel(dir: string): Rnn {
  const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, activation: 'relu', gain: 0.9, seed: 3 }) as Rnn;
  for (let j = 0; j < 4; j++) rnn.params.wRec.data[j] = 0;
  for (let j = 0; j < 2; j++) rnn.params.wIn.data[j] = 0;
  rnn.params.b.data[0] = -10;
  writeFileSync(join(dir, 'dead.json'), saveRnn(rnn));
  return rnn;
}

describe('non-finite numbers in --json', () => {
  it('a dead ReLU unit gives the exponent "-Infinity"; the rest are the library\'s numbers, byte for byte', async () => {
    const dir = tempDir();
    const rnn = deadUnitModel(dir);
    const r = await cli(['spectrum', 'dead.json', '--steps', '300', '--warmup', '20', '--json'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const want = lyapunovSpectrum(rnn, { steps: 300, warmup: 20, seed: 0 });
    expect(want.exponents[3]).toBe(-Infinity);
    expect(r.stdout).toContain(`"exponents":[${Array.from(want.exponents.subarray(0, 3)).join(',')},"-Infinity"]`);
    const j = JSON.parse(r.stdout);
    expect(j.exponents.map(Number)).toEqual(Array.from(want.exponents));
  });
  it('a Kaplan–Yorke dimension the top k do not determine is "NaN" (not the null of an absent value)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.json'), saveRnn(initRnn({ inputSize: 2, hiddenSize: 20, outputSize: 2, gain: 4, seed: 1 })));
    const j = JSON.parse((await cli(['spectrum', 'm.json', '--steps', '500', '--k', '1', '--json'], { cwd: dir })).stdout);
    expect(j.exponents[0]).toBeGreaterThan(0);
    expect([j.kaplanYorkeDimension, j.entropy]).toEqual(['NaN', 'NaN']);
  });
  it('toJson: finite numbers as JSON.stringify writes them; NaN, ±Infinity spelled out, in typed and plain arrays', () => {
    const v = { a: 0.1 + 0.2, b: -0, c: 1e-320, d: new Float64Array([1 / 3, -Infinity, NaN, Infinity]), e: [NaN, 2], f: null };
    expect(toJson(v)).toBe('{"a":0.30000000000000004,"b":0,"c":1e-320,"d":[0.3333333333333333,"-Infinity","NaN","Infinity"],"e":["NaN",2],"f":null}');
  });
});

describe('merge and resume read records of both spellings', () => {
  const SPEC = {
    task: 'flip-flop', taskOptions: { bits: 2, steps: 24, pFlip: 0.1 }, train: { size: 32, seed: 1 }, test: { size: 3, seed: 2 },
    grid: { learningRate: [1e6, 0.01] }, fixed: { hiddenSize: 4, epochs: 2, batchSize: 16, seed: 1, clipNorm: null, optimizer: 'sgd' },
    spectrum: { k: 3, warmup: 4, frameWarmup: 4 },
  };
  it('a record with null where the new one says "Infinity" is a duplicate, not a conflict; the spelled-out one is kept', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
    expect((await cli(['sweep', 'spec.json', '--out', 'new.jsonl', '--quiet'], { cwd: dir })).code).toBe(0);
    const fresh = readFileSync(join(dir, 'new.jsonl'), 'utf8');
    const [first, second] = fresh.trim().split('\n');
    expect(JSON.parse(first).final.loss).toBe('Infinity'); // learning rate 1e6: an infinite held-out loss
    // the same records as the CLI wrote them before: every non-finite number null
    const old = fresh.replace(/"(NaN|-?Infinity)"/g, 'null');
    expect(old).not.toBe(fresh);
    writeFileSync(join(dir, 'old.jsonl'), old);
    const alone = await cli(['merge', 'old.jsonl', '--out', 'a.jsonl', '--spec', 'spec.json'], { cwd: dir });
    expect(alone.code).toBe(0);
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(old);
    const both = await cli(['merge', 'old.jsonl', 'new.jsonl', '--out', 'b.jsonl'], { cwd: dir });
    expect([both.code, both.stderr]).toEqual([0, 'rnn-lyap merge: 2 of 2 configurations written to b.jsonl (2 duplicate lines dropped)\n']);
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe(fresh);
    // an old first record against a new second one: each kept as it is
    writeFileSync(join(dir, 'mixed.jsonl'), `${old.split('\n')[0]}\n${second}\n`);
    const mixed = await cli(['merge', 'mixed.jsonl', 'new.jsonl', '--out', 'c.jsonl'], { cwd: dir });
    expect(mixed.code).toBe(0);
    expect(readFileSync(join(dir, 'c.jsonl'), 'utf8')).toBe(fresh);
    // a real difference is still a conflict
    writeFileSync(join(dir, 'other.jsonl'), old.replace(/"epoch":2,"loss":/, '"epoch":2,"loss":1,"x":'));
    expect((await cli(['merge', 'other.jsonl', 'new.jsonl', '--out', 'd.jsonl'], { cwd: dir })).code).toBe(1);
    // resume over an old file: its configurations are done
    const resumed = await cli(['sweep', 'spec.json', '--out', 'old.jsonl'], { cwd: dir });
    expect(resumed.stderr).toContain('2 already in old.jsonl, 0 to run');
    expect(readFileSync(join(dir, 'old.jsonl'), 'utf8')).toBe(old);
  });
});
