import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec, configAt, gridSize, resolveShard } from '../../cli/sweep-spec.js';
import { cli, tempDir } from './helpers.js';

// a small grid: 2 gains × 2 learning rates × 2 sizes... kept to 8 short configurations
const SPEC = {
  task: 'flip-flop',
  taskOptions: { bits: 2, steps: 24, pFlip: 0.1 },
  train: { size: 32, seed: 1 },
  test: { size: 3, seed: 2 },
  grid: { gain: [0.5, 1.5], learningRate: [0.01, 0.003], hiddenSize: [4, 6] },
  fixed: { epochs: 2, batchSize: 16, seed: 7 },
  spectrum: { k: 3, warmup: 4, frameWarmup: 4 },
};

function setup(spec: object = SPEC): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  return dir;
}

const lines = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('rnn-lyap sweep and merge', () => {
  it('2 shards merged are byte-identical to the unsharded sweep', async () => {
    const dir = setup();
    const all = await cli(['sweep', 'spec.json', '--out', 'all.jsonl', '--quiet'], { cwd: dir });
    expect(all).toEqual({ code: 0, stdout: '', stderr: '' });
    for (const i of [0, 1]) expect((await cli(['sweep', 'spec.json', '--out', 'part-{shard}.jsonl', '--shard', `${i}/2`, '--quiet'], { cwd: dir })).code).toBe(0);
    const m = await cli(['merge', 'part-1.jsonl', 'part-0.jsonl', '--out', 'merged.jsonl'], { cwd: dir });
    expect(m.code).toBe(0);
    expect(m.stderr).toBe('rnn-lyap merge: 8 of 8 configurations written to merged.jsonl\n');
    const a = readFileSync(join(dir, 'all.jsonl'));
    expect(a.length).toBeGreaterThan(1000);
    expect(readFileSync(join(dir, 'merged.jsonl')).equals(a)).toBe(true);
    // records: grid order, stable keys, a spectrum before training and after each epoch
    const recs = lines(dir, 'all.jsonl');
    expect(recs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(recs[0].key).toBe('gain=0.5,learningRate=0.01,hiddenSize=4');
    expect(recs[7].key).toBe('gain=1.5,learningRate=0.003,hiddenSize=6');
    expect(lines(dir, 'part-1.jsonl').map((r) => r.index)).toEqual([1, 3, 5, 7]);
    for (const r of recs) {
      expect(r.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([0, 1, 2]);
      for (const e of r.epochs) expect(e.exponents).toHaveLength(3);
      expect(r.final.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.final.accuracy).toBeLessThanOrEqual(1);
      expect(r.config.hiddenSize).toBe(r.key.endsWith('4') ? 4 : 6);
      expect(JSON.stringify(r)).not.toMatch(/timeMs|time/);
      // final.loss is the last epoch's held-out loss, not its training loss (the help and docs say so)
      expect(r.final.loss).toBe(r.epochs[2].valLoss);
      expect(r.final.loss).not.toBe(r.epochs[2].loss);
    }
    // duplicated input lines are deduplicated
    const dup = await cli(['merge', 'all.jsonl', 'part-0.jsonl', '--out', 'dup.jsonl'], { cwd: dir });
    expect(dup.code).toBe(0);
    expect(readFileSync(join(dir, 'dup.jsonl')).equals(a)).toBe(true);
  });
  it('the help and docs/sweeps.md say that final.loss is the held-out loss', async () => {
    expect((await cli(['sweep', '--help'])).stdout).toMatch(/final\.loss is the HELD-OUT loss \(that epoch's valLoss\), not the training loss/);
    expect(readFileSync(new URL('../../docs/sweeps.md', import.meta.url), 'utf8')).toMatch(/\*\*`final\.loss` is the held-out loss\*\* \(the\s+last `epochs\[…\]\.valLoss`/);
  });
  it('resumes: done configurations are skipped, a torn last line is dropped and rerun', async () => {
    const dir = setup();
    await cli(['sweep', 'spec.json', '--out', 'all.jsonl', '--quiet'], { cwd: dir });
    const full = readFileSync(join(dir, 'all.jsonl'));
    const text = full.toString('utf8');
    const cut = text.split('\n').slice(0, 5).join('\n').length + 1 + 40; // 5 whole lines and 40 bytes of the 6th
    writeFileSync(join(dir, 'part.jsonl'), full.subarray(0, cut));
    const r = await cli(['sweep', 'spec.json', '--out', 'part.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dropped a torn last line \(40 bytes/);
    expect(r.stderr).toMatch(/8 configurations; shard 0\/1 \(unsharded\) has 8, 5 already in part\.jsonl, 3 to run/);
    expect(readFileSync(join(dir, 'part.jsonl')).equals(full)).toBe(true);
    const again = await cli(['sweep', 'spec.json', '--out', 'part.jsonl'], { cwd: dir });
    expect(again.stderr).toMatch(/8 already in part\.jsonl, 0 to run/);
  });
  it('merge reports missing configurations (exit 3) and conflicts (exit 1, nothing written)', async () => {
    const dir = setup();
    await cli(['sweep', 'spec.json', '--out', 's0.jsonl', '--shard', '0/2', '--quiet'], { cwd: dir });
    const miss = await cli(['merge', 's0.jsonl', '--out', 'm.jsonl', '--spec', 'spec.json'], { cwd: dir });
    expect(miss.code).toBe(3);
    expect(miss.stderr).toMatch(/4 missing: gain=0\.5,learningRate=0\.01,hiddenSize=6 gain=0\.5,learningRate=0\.003,hiddenSize=6 /);
    expect(lines(dir, 'm.jsonl')).toHaveLength(4);
    const noSpec = await cli(['merge', 's0.jsonl', '--out', 'm.jsonl'], { cwd: dir });
    expect(noSpec.stderr).toMatch(/4 missing: #1 #3 #5 #7/);
    const recs = readFileSync(join(dir, 's0.jsonl'), 'utf8').split('\n');
    writeFileSync(join(dir, 'bad.jsonl'), recs[0].replace('"loss":', '"loss":1e9,"x":') + '\n');
    const conflict = await cli(['merge', 's0.jsonl', 'bad.jsonl', '--out', 'c.jsonl'], { cwd: dir });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^rnn-lyap merge: 1 conflicting configuration, nothing written: 'gain=0\.5,learningRate=0\.01,hiddenSize=4' \(index 0\) differs between s0\.jsonl and bad\.jsonl\n$/);
    // results of another spec are refused, by sweep and by merge
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...SPEC, fixed: { ...SPEC.fixed, epochs: 1 } }));
    const other = await cli(['sweep', 'other.json', '--out', 's0.jsonl'], { cwd: dir });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/s0\.jsonl holds results of another spec/);
  });
  it('shards from --shard, Slurm array variables, or a Kubernetes Indexed Job', () => {
    expect(resolveShard('1/3', undefined, {})).toMatchObject({ index: 1, count: 3 });
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '3' })).toMatchObject({ index: 2, count: 4 });
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toMatchObject({ index: 2, count: 4 });
    expect(resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '3', RNN_LYAP_SHARDS: '5' })).toMatchObject({ index: 3, count: 5 });
    expect(resolveShard(undefined, '6', { JOB_COMPLETION_INDEX: '3', RNN_LYAP_SHARDS: '5' })).toMatchObject({ index: 3, count: 6 });
    expect(resolveShard('0/2', undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' })).toMatchObject({ index: 0, count: 2 });
    expect(resolveShard(undefined, undefined, {})).toMatchObject({ index: 0, count: 1 });
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(/pass --shards N or set RNN_LYAP_SHARDS/);
    expect(() => resolveShard('2/2', undefined, {})).toThrow(/0 <= i < n/);
    expect(() => resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(/not below the shard count 4/);
  });
  it('a Slurm array task runs its shard without --shard', async () => {
    const dir = setup({ ...SPEC, grid: { gain: [0.5, 1.5], seed: [1, 2, 3] }, fixed: { epochs: 1, batchSize: 16, hiddenSize: 4 } });
    const r = await cli(['sweep', 'spec.json', '--out', 'r-{shard}.jsonl'], { cwd: dir, env: { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/shard 1\/4 \(SLURM_ARRAY_TASK_ID\/SLURM_ARRAY_TASK_COUNT\) has 2/);
    expect(lines(dir, 'r-1.jsonl').map((x) => x.key)).toEqual(['gain=0.5,seed=2', 'gain=1.5,seed=3']);
  });
  it('the spec is checked field by field', () => {
    const s = checkSpec(SPEC);
    expect(gridSize(s)).toBe(8);
    expect(configAt(s, 5)).toMatchObject({ key: 'gain=1.5,learningRate=0.01,hiddenSize=6', config: { gain: 1.5, learningRate: 0.01, hiddenSize: 6, epochs: 2, seed: 7, cell: 'rnn' } });
    expect(checkSpec(Object.fromEntries(Object.entries(SPEC).reverse())).hash).toBe(s.hash); // key order does not matter
    const bad = (patch: object) => () => checkSpec({ ...SPEC, ...patch });
    expect(bad({ task: 'mnist' })).toThrow(/'task' must be one of flip-flop, delayed-recall/);
    expect(bad({ grid: { gian: [1] } })).toThrow(/grid key 'gian' is not a configuration field/);
    expect(bad({ grid: { gain: [] } })).toThrow(/grid\.gain must be a non-empty list/);
    expect(bad({ grid: { gain: [1, 1] } })).toThrow(/grid\.gain lists 1 twice/);
    expect(bad({ grid: { cell: ['rnn', 'cnn'] } })).toThrow(/grid\.cell holds an invalid value "cnn"/);
    expect(bad({ fixed: { gain: 2 } })).toThrow(/'gain' is both in grid and in fixed/);
    expect(bad({ taskOptions: { batch: 3 } })).toThrow(/taskOptions\.batch' is set by 'train' \/ 'test'/);
    expect(bad({ extra: 1 })).toThrow(/unknown field 'extra'/);
    // an activation other than tanh with a gated cell was recorded and ignored
    expect(bad({ grid: { gain: [1] }, fixed: { cell: 'gru', activation: 'relu' } })).toThrow(/activation "relu" would pair with cell "gru": 'activation' applies to cell 'rnn' only/);
    expect(bad({ grid: { cell: ['rnn', 'lstm'], activation: ['tanh', 'relu'] } })).toThrow(/activation "relu" would pair with cell "lstm"/);
    expect(checkSpec({ ...SPEC, grid: { cell: ['rnn', 'gru'] }, fixed: { activation: 'tanh' } }).grid).toHaveLength(1);
    expect(checkSpec({ ...SPEC, grid: { activation: ['tanh', 'relu'] } }).grid).toHaveLength(1); // cell 'rnn' by default
  });
  it('gated cells in the grid', async () => {
    const dir = setup({ ...SPEC, grid: { cell: ['gru', 'lstm'] }, fixed: { epochs: 1, batchSize: 16, hiddenSize: 3 } });
    expect((await cli(['sweep', 'spec.json', '--out', 'g.jsonl', '--quiet'], { cwd: dir })).code).toBe(0);
    const recs = lines(dir, 'g.jsonl');
    expect(recs.map((r) => r.key)).toEqual(['cell=gru', 'cell=lstm']);
    expect(recs[1].epochs[1].exponents).toHaveLength(3); // k = 3 of the LSTM's 6
  });
});
