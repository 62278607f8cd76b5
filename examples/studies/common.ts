/**
 * Shared plumbing of the three study scripts (examples/studies/*.ts): command-line options, MNIST
 * loading (through examples/mnist.ts), progress lines, a JSON checkpoint so an interrupted full run
 * resumes where it stopped, and small statistics (mean ± spread, Spearman's ρ, kNN accuracy).
 * Node-only, like every example.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sequentialMnist, type SequentialMnistData } from '../../src/data/index.js';
import { knn } from '../../src/geometry/index.js';
import type { Tensor } from '../../src/core/index.js';
import { loadMnist, type MnistSplit } from '../mnist.js';

/** Options every study takes: `--quick`, `--out DIR`, `--fresh` (ignore the checkpoint). */
export interface StudyCli {
  quick: boolean;
  out: string;
  fresh: boolean;
}

/** Parses `[--quick] [--out DIR] [--fresh]`; unknown flags are refused with the usage line. */
export function parseStudyArgs(argv: readonly string[], name: string): StudyCli {
  const usage = `usage: npx tsx examples/studies/${name}.ts [--quick] [--out DIR] [--fresh]`;
  const cli: StudyCli = { quick: false, out: 'examples/out/studies', fresh: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') cli.quick = true;
    else if (a === '--fresh') cli.fresh = true;
    else if (a === '--out') {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--out: missing directory\n${usage}`);
      cli.out = v;
    } else if (a === '--help' || a === '-h') {
      console.log(usage);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${usage}`);
  }
  return cli;
}

let cachedMnist: { train: MnistSplit; test: MnistSplit } | undefined;

/** The MNIST splits, read once per process. */
export function mnist(): { train: MnistSplit; test: MnistSplit } {
  cachedMnist ??= { train: loadMnist('train'), test: loadMnist('test') };
  return cachedMnist;
}

/** Sequential MNIST by rows from the train or test split: `limit` digits from `offset`. */
export function smnist(split: 'train' | 'test', limit: number, offset = 0, modification?: { kind: 'cut' | 'hidden' | 'extended'; n: number }): SequentialMnistData {
  const s = mnist()[split];
  return sequentialMnist(s.images, s.labels, { limit, offset, ...(modification ? { modification } : {}) });
}

/** A [B,T,I] tensor made of `per` consecutive sequences of `x` concatenated in time (B = ⌊N/per⌋). */
export function concatSequences(x: Tensor, per: number): Tensor {
  const [N, T, I] = x.shape as [number, number, number];
  const B = Math.floor(N / per);
  const out = new Float32Array(B * per * T * I);
  out.set(x.data.subarray(0, B * per * T * I));
  return { shape: [B, per * T, I], data: out };
}

/** Appends `blank` zero steps to every sequence of `x` [B,T,I]. */
export function padBlank(x: Tensor, blank: number): Tensor {
  const [B, T, I] = x.shape as [number, number, number];
  const T2 = T + blank;
  const out = new Float32Array(B * T2 * I);
  for (let b = 0; b < B; b++) out.set(x.data.subarray(b * T * I, (b + 1) * T * I), b * T2 * I);
  return { shape: [B, T2, I], data: out };
}

/** Progress lines prefixed by the study name and the elapsed time. */
export function createLog(name: string): { log: (msg: string) => void; elapsed: () => number } {
  const t0 = performance.now();
  const elapsed = (): number => (performance.now() - t0) / 1000;
  return {
    log: (msg) => {
      const s = elapsed();
      const stamp = s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`;
      console.log(`[${name} ${stamp}] ${msg}`);
    },
    elapsed,
  };
}

/**
 * A JSON checkpoint of finished work units (one network, one grid point), keyed by name. Stored in
 * DIR/NAME.checkpoint.json with the settings it was made with: a run with other settings, or with
 * `fresh`, starts over.
 */
export interface Checkpoint {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

export function openCheckpoint(dir: string, name: string, settings: unknown, fresh: boolean): Checkpoint {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.checkpoint.json`);
  const tag = JSON.stringify(settings);
  let units: Record<string, unknown> = {};
  if (!fresh && existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { settings: string; units: Record<string, unknown> };
    if (saved.settings === tag) units = saved.units;
  }
  return {
    get: <T>(key: string) => units[key] as T | undefined,
    set: (key, value) => {
      units[key] = value;
      writeFileSync(path, JSON.stringify({ settings: tag, units }));
    },
  };
}

/** Writes DIR/NAME.json (numbers rounded to 6 significant digits to keep the files readable). */
export function writeResult(dir: string, name: string, result: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, `${name}.json`);
  const round = (_k: string, v: unknown): unknown =>
    typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v;
  writeFileSync(path, JSON.stringify(result, round, 1) + '\n');
  return path;
}

/** Mean and sample standard deviation of finite values (NaN when there are none). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std };
}

/** Ranks with ties given their average rank (1-based). */
export function ranks(values: readonly number[]): number[] {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k][1]] = avg;
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation (Pearson correlation of the average ranks); NaN if either is constant. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`spearman: x has ${x.length} values, y has ${y.length}`);
  const rx = ranks(x);
  const ry = ranks(y);
  const mx = meanStd(rx).mean;
  const my = meanStd(ry).mean;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/**
 * Leave-one-out k-nearest-neighbour accuracy: the fraction of points whose label is the majority
 * label of their k nearest other points (a tie goes to the label that reached the top count first,
 * scanning from the nearest neighbour).
 */
export function knnAccuracy(points: Float64Array | Float32Array, dim: number, labels: ArrayLike<number>, k = 10): number {
  const n = points.length / dim;
  const { indices } = knn(points, k, { dim });
  let correct = 0;
  const votes = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    votes.clear();
    let best = labels[indices[i * k]], bestCount = 0;
    for (let j = 0; j < k; j++) {
      const l = labels[indices[i * k + j]];
      const c = (votes.get(l) ?? 0) + 1;
      votes.set(l, c);
      if (c > bestCount) { best = l; bestCount = c; }
    }
    if (best === labels[i]) correct++;
  }
  return correct / n;
}

/** Rows t of a [B,T,H] state tensor: the B points at time step t, as a B×H Float64Array. */
export function statesAt(states: Tensor, t: number): Float64Array {
  const [B, T, H] = states.shape as [number, number, number];
  const out = new Float64Array(B * H);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) out[b * H + h] = states.data[(b * T + t) * H + h];
  return out;
}
