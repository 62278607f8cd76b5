import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeSweepData, sampleIndices } from '../../cli/sweep-data.js';
import { checkSpec } from '../../cli/sweep-spec.js';
import { sequentialMnist, writeIdx } from '../../src/index.js';
import { cli, tempDir } from './helpers.js';

// synthetic "digits": image i of class c = i mod 10 has row 2c bright and noise elsewhere, so that
// the labels are learnable from the rows and every class is present
function digits(N: number, seed: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(N * 784), labels = new Uint8Array(N);
  let s = seed;
  for (let i = 0; i < N; i++) {
    labels[i] = i % 10;
    for (let p = 0; p < 784; p++) {
      s = (s * 16807) % 2147483647;
      images[i * 784 + p] = Math.floor(row(p) === 2 * labels[i] ? 200 + (s % 56) : s % 40);
    }
  }
  return { images, labels };
}
const row = (p: number) => Math.floor(p / 28);

function setup(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  const tr = digits(120, 3), te = digits(30, 5);
  // the training images gzipped (as MNIST is often shipped), the rest raw
  writeFileSync(join(dir, 'data', 'train-images.gz'), gzipSync(writeIdx({ shape: [120, 28, 28], data: tr.images })));
  writeFileSync(join(dir, 'data', 'train-labels'), writeIdx({ shape: [120], data: tr.labels }));
  writeFileSync(join(dir, 'data', 'test-images'), writeIdx({ shape: [30, 28, 28], data: te.images }));
  writeFileSync(join(dir, 'data', 'test-labels'), writeIdx({ shape: [30], data: te.labels }));
  return dir;
}

const SPEC = {
  task: 'sequential-mnist',
  taskOptions: { images: 'data/train-images.gz', labels: 'data/train-labels', testImages: 'data/test-images', testLabels: 'data/test-labels' },
  train: { size: 100, seed: 1 },
  test: { size: 20, seed: 2 },
  grid: { hiddenSize: [8, 12], learningRate: [0.02] },
  fixed: { epochs: 2, batchSize: 20, seed: 3 },
  spectrum: { k: 2, warmup: 2, frameWarmup: 2 },
};

describe('rnn-lyap sweep on sequential MNIST (IDX files, .gz allowed)', () => {
  it('samples train.size distinct examples with train.seed, the same on every call', () => {
    const a = sampleIndices(120, 100, 1);
    expect(new Set(a).size).toBe(100);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(120);
    expect(Array.from(sampleIndices(120, 100, 1))).toEqual(Array.from(a));
    expect(Array.from(sampleIndices(120, 100, 2))).not.toEqual(Array.from(a));
  });

  it('the training set is sequentialMnist of the sampled images and labels, files read relative to the spec', () => {
    const dir = setup();
    const data = makeSweepData(checkSpec(SPEC), 'train', dir);
    const tr = digits(120, 3), pick = sampleIndices(120, 100, 1);
    const images = new Uint8Array(100 * 784), labels = new Int32Array(100);
    pick.forEach((i, s) => { images.set(tr.images.subarray(i * 784, (i + 1) * 784), s * 784); labels[s] = tr.labels[i]; });
    const want = sequentialMnist({ shape: [100, 28, 28], data: images }, labels);
    expect(data.x.shape).toEqual([100, 28, 28]);
    expect(Array.from(data.x.data)).toEqual(Array.from(want.x.data));
    expect(Array.from(data.labels!)).toEqual(Array.from(labels));
    expect(data.outputSize).toBe(10);
    // permuted: train and test read the pixels in the same order (permutationSeed)
    const perm = checkSpec({ ...SPEC, taskOptions: { ...SPEC.taskOptions, variant: 'permuted', permutationSeed: 4 } });
    const p = makeSweepData(perm, 'train', dir), q = makeSweepData(perm, 'test', dir);
    expect(p.x.shape).toEqual([100, 784, 1]);
    const ref = sequentialMnist({ shape: [100, 28, 28], data: images }, labels, { variant: 'permuted', seed: 4 });
    expect(Array.from(p.x.data)).toEqual(Array.from(ref.x.data));
    expect(q.x.shape).toEqual([20, 784, 1]);
  });

  it('2 shards merged equal the unsharded sweep byte for byte; records carry accuracy and no r2', async () => {
    const dir = setup();
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
    expect(await cli(['sweep', 'spec.json', '--out', 'all.jsonl', '--quiet'], { cwd: dir })).toEqual({ code: 0, stdout: '', stderr: '' });
    for (const i of [0, 1]) expect((await cli(['sweep', 'spec.json', '--out', 'p{shard}.jsonl', '--shard', `${i}/2`, '--quiet'], { cwd: dir })).code).toBe(0);
    expect((await cli(['merge', 'p0.jsonl', 'p1.jsonl', '--out', 'm.jsonl'], { cwd: dir })).code).toBe(0);
    const all = readFileSync(join(dir, 'all.jsonl'));
    expect(readFileSync(join(dir, 'm.jsonl')).equals(all)).toBe(true);
    const recs = all.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(recs.map((r) => r.key)).toEqual(['hiddenSize=8,learningRate=0.02', 'hiddenSize=12,learningRate=0.02']);
    for (const r of recs) {
      expect(r.task).toBe('sequential-mnist');
      expect(r.epochs.length).toBe(3);
      for (const e of r.epochs) {
        expect(e.r2).toBeNull();
        expect(e.accuracy * 20).toBeCloseTo(Math.round(e.accuracy * 20), 9); // k right of the 20 held-out
        expect(e.exponents.length).toBe(2);
      }
      expect(r.final.loss).toBeLessThan(r.epochs[0].valLoss); // trained
    }
  });

  it('the files and options are checked', async () => {
    const dir = setup();
    const run = async (spec: object) => {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(spec));
      return cli(['sweep', 'bad.json', '--out', 'x.jsonl', '--quiet'], { cwd: dir });
    };
    const { testLabels: _, ...noTest } = SPEC.taskOptions;
    expect((await run({ ...SPEC, taskOptions: noTest })).stderr).toMatch(/taskOptions\.testLabels must name an IDX file/);
    expect((await run({ ...SPEC, taskOptions: { ...SPEC.taskOptions, steps: 3 } })).stderr).toMatch(/taskOptions\.steps is not an option of sequential-mnist/);
    expect((await run({ ...SPEC, taskOptions: { ...SPEC.taskOptions, images: 'data/nope' } })).stderr).toMatch(/taskOptions\.images: cannot read '.*nope': no such file/);
    expect((await run({ ...SPEC, taskOptions: { ...SPEC.taskOptions, labels: 'data/test-labels' } })).stderr).toMatch(/expected 120 labels/);
    expect((await run({ ...SPEC, train: { size: 121, seed: 1 } })).stderr).toMatch(/'train\.size' = 121 exceeds the 120 examples/);
    expect((await run({ ...SPEC, taskOptions: { ...SPEC.taskOptions, modification: { kind: 'cut', n: 40 } } })).stderr).toMatch(/spec: taskOptions: .*40/);
  });
});
