/**
 * The data a sweep trains and scores on: the synthetic tasks (flip-flop, delayed recall; MSE on every
 * step) or sequential MNIST read from IDX files (cross-entropy on the last step), and the scores of a
 * network on the held-out set.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  createRng, delayedRecallTask, evaluate, flipFlopTask, readIdx, rnnForward, sequentialMnist,
  type AnyRnn, type IdxArray, type SequentialMnistOptions, type Tensor,
} from '../src/index.js';
import { CliError } from './common.js';
import type { SweepSpec } from './sweep-spec.js';

/** A training or held-out set: regression targets on every step, or class labels. */
export interface SweepData {
  x: Tensor;
  targets?: Tensor;
  labels?: Int32Array;
  /** The readout's width: the targets' channels, or the number of classes. */
  outputSize: number;
}

/** Reads an IDX file, gunzipping it when it is gzipped (the MNIST files are often shipped as .gz). */
export function readIdxFile(path: string, what: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`spec: taskOptions.${what}: cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : (err as Error).message.split('\n')[0]}`);
  }
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(gunzipSync(bytes));
    return readIdx(bytes);
  } catch (err) {
    throw new CliError(`spec: taskOptions.${what}: '${path}': ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * `size` distinct example indices out of N, drawn with `seed` (a partial Fisher–Yates shuffle on the
 * library's generator, so the same seed draws the same examples on every machine).
 */
export function sampleIndices(N: number, size: number, seed: number): Int32Array {
  const idx = new Int32Array(N);
  for (let i = 0; i < N; i++) idx[i] = i;
  const rng = createRng(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng() * (N - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, size);
}

function mnistSet(spec: SweepSpec, which: 'train' | 'test', specDir: string): SweepData {
  const o = spec.taskOptions;
  const [imgKey, labKey] = which === 'train' ? ['images', 'labels'] : ['testImages', 'testLabels'];
  const images = readIdxFile(resolve(specDir, o[imgKey] as string), imgKey);
  const labels = readIdxFile(resolve(specDir, o[labKey] as string), labKey);
  if (images.shape.length !== 3) throw new CliError(`spec: taskOptions.${imgKey}: expected images [N, rows, columns], got an IDX array of shape [${images.shape.join(', ')}]`);
  const [N, R, C] = images.shape;
  if (labels.shape.length !== 1 || labels.shape[0] !== N) throw new CliError(`spec: taskOptions.${labKey}: expected ${N} labels (one per image of ${imgKey}), got shape [${labels.shape.join(', ')}]`);
  const { size, seed } = spec[which];
  if (size > N) throw new CliError(`spec: '${which}.size' = ${size} exceeds the ${N} examples of taskOptions.${imgKey}`);
  const pick = sampleIndices(N, size, seed);
  const px = R * C;
  const sub = new (images.data.constructor as new (n: number) => typeof images.data)(size * px);
  const lab = new Int32Array(size);
  let classes = 0;
  for (let i = 0; i < N; i++) classes = Math.max(classes, Number(labels.data[i]) + 1);
  for (let s = 0; s < size; s++) {
    const i = pick[s];
    for (let p = 0; p < px; p++) sub[s * px + p] = images.data[i * px + p];
    lab[s] = Number(labels.data[i]);
  }
  const opts: SequentialMnistOptions = {};
  if (o.variant !== undefined) opts.variant = o.variant as SequentialMnistOptions['variant'];
  if (o.modification !== undefined) opts.modification = o.modification as SequentialMnistOptions['modification'];
  opts.seed = (o.permutationSeed as number | undefined) ?? 0; // the same permutation for both sets
  const d = sequentialMnist({ shape: [size, R, C], data: sub }, lab, opts);
  return { x: d.x, labels: d.labels, outputSize: Math.max(classes, 2) };
}

/** The spec's training or held-out set (`specDir`: where relative file names in taskOptions start). */
export function makeSweepData(spec: SweepSpec, which: 'train' | 'test', specDir: string): SweepData {
  try {
    if (spec.task === 'sequential-mnist') return mnistSet(spec, which, specDir);
    const { size, seed } = spec[which];
    const opts = { ...spec.taskOptions, batch: size, seed };
    const t = spec.task === 'flip-flop' ? flipFlopTask(opts) : delayedRecallTask(opts);
    return { x: t.x, targets: t.targets, outputSize: t.targets.shape[2] };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`spec: taskOptions: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Held-out scores: validation loss; accuracy (sequential MNIST: classes right at the last step;
 * flip-flop: share of (sequence, step, channel) with a nonzero target whose output has its sign;
 * delayed recall: null); r2 of the outputs on the targets (null for classification).
 */
export function sweepScores(rnn: AnyRnn, data: SweepData, task: SweepSpec['task']): { valLoss: number; accuracy: number | null; r2: number | null } {
  if (data.labels !== undefined) {
    const val = evaluate(rnn, { x: data.x, labels: data.labels });
    return { valLoss: val.loss, accuracy: val.accuracy ?? null, r2: null };
  }
  const targets = data.targets as Tensor;
  const valLoss = evaluate(rnn, { x: data.x, targets }).loss;
  const y = rnnForward(rnn, data.x).outputs.data, t = targets.data;
  let right = 0, counted = 0, sse = 0, mean = 0;
  for (let i = 0; i < t.length; i++) mean += t[i];
  mean /= t.length;
  let sst = 0;
  for (let i = 0; i < t.length; i++) {
    sse += (y[i] - t[i]) ** 2;
    sst += (t[i] - mean) ** 2;
    if (t[i] !== 0) {
      counted++;
      if (Math.sign(y[i]) === Math.sign(t[i])) right++;
    }
  }
  return { valLoss, accuracy: task === 'flip-flop' ? (counted > 0 ? right / counted : null) : null, r2: sst > 0 ? 1 - sse / sst : NaN };
}
