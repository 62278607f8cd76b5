// Edge cases of the command line found by trying to get wrong answers out of it: seeds, values that
// start with '-', non-finite inputs, output paths, sweeps with a failing configuration, merges of nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initRnn, randn, saveRnn } from '../../src/index.js';
import { cli, saveNpy, tempDir } from './helpers.js';

function model(dir: string): string {
  writeFileSync(join(dir, 'm.json'), saveRnn(initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 2, seed: 1 })));
  return 'm.json';
}

const SPEC = {
  task: 'flip-flop',
  taskOptions: { bits: 2, steps: 24, pFlip: 0.1 },
  train: { size: 32, seed: 1 },
  test: { size: 3, seed: 2 },
  grid: { learningRate: [1e6, 0.01], hiddenSize: [4, 6] },
  fixed: { epochs: 2, batchSize: 16, seed: 1, clipNorm: null, optimizer: 'sgd' },
  spectrum: { k: 3, warmup: 4, frameWarmup: 4 },
};

function specDir(spec: object = SPEC): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  return dir;
}

describe('rnn-lyap spectrum: seeds and option values', () => {
  it('an integer seed is a number however written with digits; a non-integer number is refused, a word is a word', async () => {
    const dir = tempDir();
    const m = model(dir);
    const run = (seed: string) => cli(['spectrum', m, '--steps', '50', '--k', '1', '--json', `--seed=${seed}`], { cwd: dir });
    expect((await run('007')).stdout).toBe((await run('7')).stdout);
    expect((await run('run-a')).code).toBe(0);
    // words that merely start with a digit were hashed as words before c96f2cc and still are
    for (const w of ['2024-run', '1st', '3b', 'Infinity']) {
      const r = await run(w);
      expect([r.code, r.stderr], `'${w}'`).toEqual([0, '']);
      expect(r.stdout).not.toBe((await run('0')).stdout);
    }
    for (const s of ['1.0', '+1', ' 1', '1e0', '', '99999999999999999999', '1e999', '0x10', '.5', '-1.5']) {
      const r = await run(s);
      expect(r.code, `'${s}'`).toBe(2);
      expect(r.stderr).toMatch(/^rnn-lyap spectrum: --seed must be an integer/);
    }
  });
  it("a value that starts with '-' says to write --flag=-value", async () => {
    const dir = tempDir();
    const r = await cli(['spectrum', model(dir), '--input', '-1,0,0'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("write --input=-");
    expect((await cli(['spectrum', model(dir), '--input=-1,0,0', '--steps', '20', '--k', '1'], { cwd: dir })).code).toBe(0);
  });
});

describe('rnn-lyap: inputs that cannot drive the network', () => {
  it('a NaN is located in the file as stored (batch first or time first), for both commands', async () => {
    const dir = tempDir();
    const m = model(dir);
    const x = randn([4, 20, 3], { seed: 1 });
    x.data[(1 * 20 + 10) * 3 + 2] = NaN; // [b=1, t=10, i=2]
    saveNpy(dir, 'x.npy', x);
    for (const c of ['spectrum', 'fixed-points']) {
      const r = await cli([c, m, '--inputs', 'x.npy'], { cwd: dir });
      expect([r.code, r.stderr]).toEqual([1, `rnn-lyap ${c}: --inputs x.npy: holds NaN at [1,10,2] ([b,t,i]) of [4,20,3]; the network is driven by finite inputs only\n`]);
    }
    const tf = await cli(['spectrum', m, '--inputs', 'x.npy', '--time-first'], { cwd: dir });
    expect(tf.stderr).toContain('holds NaN at [1,10,2] ([t,b,i]) of [4,20,3]');
  });
  it('an array without time steps says so (fixed-points said "states holds no points")', async () => {
    const dir = tempDir();
    saveNpy(dir, 'x.npy', { shape: [4, 0, 3], data: new Float32Array(0) });
    for (const c of ['spectrum', 'fixed-points']) {
      const r = await cli([c, model(dir), '--inputs', 'x.npy'], { cwd: dir });
      expect([r.code, r.stderr]).toEqual([1, `rnn-lyap ${c}: --inputs x.npy: [4,0,3] holds no time steps (T = 0 in [B,T,I])\n`]);
    }
  });
});

describe('rnn-lyap sweep and merge: output paths, failing configurations', () => {
  it('an --out that cannot be written is refused before any training', async () => {
    const dir = specDir();
    mkdirSync(join(dir, 'results'));
    const missing = await cli(['sweep', 'spec.json', '--out', 'nodir/part.jsonl'], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([1, "rnn-lyap sweep: cannot write --out 'nodir/part.jsonl': the folder 'nodir' does not exist: create it first (mkdir -p nodir)\n"]);
    const isDir = await cli(['sweep', 'spec.json', '--out', 'results'], { cwd: dir });
    expect([isDir.code, isDir.stderr]).toEqual([1, "rnn-lyap sweep: cannot write --out 'results': 'results' is a directory: give a file name (e.g. results/results.jsonl)\n"]);
    writeFileSync(join(dir, 'a.jsonl'), '');
    const merged = await cli(['merge', 'a.jsonl', '--out', 'results', '--spec', 'spec.json'], { cwd: dir });
    expect([merged.code, merged.stderr]).toEqual([1, "rnn-lyap merge: cannot write --out 'results': 'results' is a directory: give a file name (e.g. results/results.jsonl)\n"]);
    const noInput = await cli(['merge', 'none.jsonl', '--out', 'all.jsonl'], { cwd: dir });
    expect(noInput.stderr).toBe("rnn-lyap merge: cannot read 'none.jsonl': no such file\n");
  });
  it('a diverging configuration does not stop the others; the failures are listed, exit 1', async () => {
    const dir = specDir();
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl'], { cwd: dir });
    expect(r.code).toBe(1);
    const recs = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // learning rate 1e6: #1 diverges (train throws), #0 trains to an infinite held-out loss ("Infinity");
    // the two at 0.01 run after them either way
    expect(recs.map((x) => x.index)).toEqual([0, 2, 3]);
    expect(recs[0].final.loss).toBe('Infinity');
    expect(r.stderr).toContain('[1/4] #0 learningRate=1000000,hiddenSize=4: val loss Infinity');
    expect(r.stderr).toMatch(/\nrnn-lyap sweep: 1 of 4 configurations failed and is not in out\.jsonl .*configuration 1 \(learningRate=1000000,hiddenSize=6\): the loss became non-finite/);
    expect(r.stderr).not.toContain('train: ');
  });
  it('a sweep whose every configuration fails leaves no empty --out behind (the up-front check created it)', async () => {
    const dir = specDir({ ...SPEC, grid: { learningRate: [1e6], hiddenSize: [6] } });
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
  });
  it('spectrum.k above some configuration\'s state dimension is a spec error before any training', async () => {
    const dir = specDir({ ...SPEC, grid: { hiddenSize: [6, 2] }, fixed: { epochs: 1 } });
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([1, 'rnn-lyap sweep: spec: spectrum.k = 3 exceeds the state dimension 2 of the configurations with cell "rnn", hiddenSize 2: lower spectrum.k to at most 2, or leave it out (all exponents)\n']);
    expect((await cli(['sweep', 'spec.json', '--out', 'o.jsonl', '--quiet'], { cwd: specDir({ ...SPEC, grid: { hiddenSize: [2] }, fixed: { cell: 'lstm', epochs: 0 } }) })).code).toBe(0);
  });
  it('--shard with --shards is a contradiction; merging no records without --spec is not complete', async () => {
    const dir = specDir();
    const both = await cli(['sweep', 'spec.json', '--out', 'o.jsonl', '--shard', '1/3', '--shards', '5'], { cwd: dir });
    expect(both.code).toBe(2);
    writeFileSync(join(dir, 'a.jsonl'), '');
    const m = await cli(['merge', 'a.jsonl', '--out', 'all.jsonl'], { cwd: dir });
    expect(m.code).toBe(3);
    expect(m.stderr).toContain('pass --spec SPEC.json');
  });
});
