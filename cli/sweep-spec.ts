/**
 * Sweep specifications: a grid of configurations (the cartesian product of the spec's lists), each
 * with a stable key, and the shard a configuration belongs to.
 */
import { CliError, EXIT } from './common.js';

/** What a configuration sets (in the grid, as lists, or in `fixed`). */
export interface Config {
  cell: 'rnn' | 'gru' | 'lstm';
  activation: 'tanh' | 'relu' | 'identity';
  hiddenSize: number;
  init: 'normal' | 'orthogonal' | 'identity' | 'pytorch';
  gain: number;
  seed: number;
  learningRate: number;
  optimizer: 'adam' | 'sgd';
  batchSize: number;
  epochs: number;
  clipNorm: number | null;
}

/** Defaults; `init` defaults by cell: 'normal' for a vanilla RNN, 'pytorch' for a GRU or an LSTM. */
export const DEFAULTS: Omit<Config, 'init'> = {
  cell: 'rnn', activation: 'tanh', hiddenSize: 32, gain: 1, seed: 0,
  learningRate: 1e-3, optimizer: 'adam', batchSize: 32, epochs: 5, clipNorm: 1,
};

export const TASKS = ['flip-flop', 'delayed-recall', 'sequential-mnist'] as const;

/** sequential-mnist's taskOptions: the four IDX files (relative to the spec's folder) and the sequence's form. */
const MNIST_OPTIONS = ['images', 'labels', 'testImages', 'testLabels', 'variant', 'modification', 'permutationSeed'];

function checkMnistOptions(o: Record<string, unknown>): void {
  for (const k of Object.keys(o)) if (!MNIST_OPTIONS.includes(k)) throw bad(`taskOptions.${k} is not an option of sequential-mnist (options: ${MNIST_OPTIONS.join(', ')})`);
  for (const k of MNIST_OPTIONS.slice(0, 4)) {
    if (typeof o[k] !== 'string' || o[k] === '') throw bad(`taskOptions.${k} must name an IDX file (relative to the spec's folder; .gz allowed), got ${JSON.stringify(o[k])}`);
  }
  if (o.variant !== undefined && !['rows', 'pixels', 'permuted'].includes(o.variant as string)) throw bad(`taskOptions.variant must be 'rows', 'pixels' or 'permuted', got ${JSON.stringify(o.variant)}`);
  if (o.permutationSeed !== undefined && !(Number.isSafeInteger(o.permutationSeed) && (o.permutationSeed as number) >= 0)) throw bad(`taskOptions.permutationSeed must be a non-negative integer, got ${JSON.stringify(o.permutationSeed)}`);
}
export type TaskName = (typeof TASKS)[number];

/** A checked spec. */
export interface SweepSpec {
  task: TaskName;
  taskOptions: Record<string, unknown>;
  train: { size: number; seed: number };
  test: { size: number; seed: number };
  grid: [keyof Config, (string | number | null)[]][];
  fixed: Partial<Config>;
  spectrum: { k?: number; warmup?: number; frameWarmup?: number };
  /** FNV-1a hash of the canonical spec: records of another spec are refused. */
  hash: string;
}

const KINDS: Record<keyof Config, (v: unknown) => boolean> = {
  cell: (v) => v === 'rnn' || v === 'gru' || v === 'lstm',
  activation: (v) => v === 'tanh' || v === 'relu' || v === 'identity',
  hiddenSize: (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 4096,
  init: (v) => v === 'normal' || v === 'orthogonal' || v === 'identity' || v === 'pytorch',
  gain: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  seed: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  learningRate: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
  optimizer: (v) => v === 'adam' || v === 'sgd',
  batchSize: (v) => Number.isSafeInteger(v) && (v as number) >= 1,
  epochs: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 100000,
  clipNorm: (v) => v === null || (typeof v === 'number' && Number.isFinite(v) && v > 0),
};

/** Canonical JSON: object keys sorted, so the hash does not depend on how the file was written. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const bad = (msg: string): CliError => new CliError(`spec: ${msg}`, EXIT.error);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sizeSeed(v: unknown, what: string, size: number): { size: number; seed: number } {
  if (v === undefined) return { size, seed: what === 'train' ? 1 : 2 };
  if (!isObject(v)) throw bad(`'${what}' must be an object { size, seed }`);
  const out = { size: v.size ?? size, seed: v.seed ?? (what === 'train' ? 1 : 2) };
  if (!Number.isSafeInteger(out.size) || (out.size as number) < 1) throw bad(`'${what}.size' must be a positive integer, got ${JSON.stringify(v.size)}`);
  if (!Number.isSafeInteger(out.seed) || (out.seed as number) < 0) throw bad(`'${what}.seed' must be a non-negative integer, got ${JSON.stringify(v.seed)}`);
  for (const k of Object.keys(v)) if (k !== 'size' && k !== 'seed') throw bad(`'${what}' has an unknown field '${k}' (fields: size, seed)`);
  return out as { size: number; seed: number };
}

/**
 * A GRU's or an LSTM's activations are fixed (σ gates, tanh candidate): an `activation` other than
 * 'tanh' that some configuration would pair with a gated cell is refused (it was recorded and ignored).
 */
function checkActivationCells(grid: SweepSpec['grid'], fixed: Partial<Config>): void {
  const values = (k: 'cell' | 'activation'): unknown[] => (k in fixed ? [fixed[k]] : (grid.find(([g]) => g === k)?.[1] ?? [DEFAULTS[k]]));
  const gated = values('cell').filter((c) => c !== 'rnn');
  const other = values('activation').filter((a) => a !== 'tanh');
  if (gated.length > 0 && other.length > 0) {
    throw bad(`activation ${JSON.stringify(other[0])} would pair with cell ${JSON.stringify(gated[0])}: 'activation' applies to cell 'rnn' only (a GRU or an LSTM has σ gates and a tanh candidate); sweep the gated cells in a spec of their own`);
  }
}

/**
 * spectrum.k against the smallest state dimension of the grid (hiddenSize, 2·hiddenSize for an
 * LSTM): refused now, not when the sweep reaches that configuration.
 */
function checkSpectrumK(grid: SweepSpec['grid'], fixed: Partial<Config>, k: unknown): void {
  if (typeof k !== 'number') return;
  const values = (f: 'cell' | 'hiddenSize'): unknown[] => (f in fixed ? [fixed[f]] : (grid.find(([g]) => g === f)?.[1] ?? [DEFAULTS[f]]));
  for (const cell of values('cell')) {
    for (const h of values('hiddenSize') as number[]) {
      const dim = cell === 'lstm' ? 2 * h : h;
      if (k > dim) {
        throw bad(`spectrum.k = ${k} exceeds the state dimension ${dim} of the configurations with cell ${JSON.stringify(cell)}, hiddenSize ${h}${cell === 'lstm' ? ' (an LSTM\'s state is [h; c], 2·hiddenSize)' : ''}: lower spectrum.k to at most ${dim}, or leave it out (all exponents)`);
      }
    }
  }
}

/** Checks a parsed spec file. */
export function checkSpec(doc: unknown): SweepSpec {
  if (!isObject(doc)) throw bad('must be a JSON object');
  const known = ['task', 'taskOptions', 'train', 'test', 'grid', 'fixed', 'spectrum', 'description'];
  for (const k of Object.keys(doc)) if (!known.includes(k)) throw bad(`unknown field '${k}' (fields: ${known.join(', ')})`);
  const task = doc.task;
  if (!TASKS.includes(task as TaskName)) throw bad(`'task' must be one of ${TASKS.join(', ')}, got ${JSON.stringify(task)}`);
  const taskOptions = doc.taskOptions ?? {};
  if (!isObject(taskOptions)) throw bad("'taskOptions' must be an object");
  for (const k of ['batch', 'seed', 'rng']) if (k in taskOptions) throw bad(`'taskOptions.${k}' is set by 'train' / 'test' ({ size, seed })`);
  if (task === 'sequential-mnist') checkMnistOptions(taskOptions);
  if (!isObject(doc.grid)) throw bad("'grid' must be an object of lists, e.g. { \"gain\": [0.5, 1.5], \"seed\": [1, 2] }");
  const grid: SweepSpec['grid'] = [];
  for (const [k, list] of Object.entries(doc.grid)) {
    if (!(k in KINDS)) throw bad(`grid key '${k}' is not a configuration field (fields: ${Object.keys(KINDS).join(', ')})`);
    if (!Array.isArray(list) || list.length === 0) throw bad(`grid.${k} must be a non-empty list`);
    const seen = new Set<string>();
    for (const v of list) {
      if (!KINDS[k as keyof Config](v)) throw bad(`grid.${k} holds an invalid value ${JSON.stringify(v)}`);
      const s = JSON.stringify(v);
      if (seen.has(s)) throw bad(`grid.${k} lists ${s} twice`);
      seen.add(s);
    }
    grid.push([k as keyof Config, list as (string | number | null)[]]);
  }
  const fixed = doc.fixed ?? {};
  if (!isObject(fixed)) throw bad("'fixed' must be an object");
  for (const [k, v] of Object.entries(fixed)) {
    if (!(k in KINDS)) throw bad(`fixed.${k} is not a configuration field (fields: ${Object.keys(KINDS).join(', ')})`);
    if (k in (doc.grid as object)) throw bad(`'${k}' is both in grid and in fixed`);
    if (!KINDS[k as keyof Config](v)) throw bad(`fixed.${k} has an invalid value ${JSON.stringify(v)}`);
  }
  checkActivationCells(grid, fixed as Partial<Config>);
  const spectrum = doc.spectrum ?? {};
  if (!isObject(spectrum)) throw bad("'spectrum' must be an object { k?, warmup?, frameWarmup? }");
  for (const [k, v] of Object.entries(spectrum)) {
    if (!['k', 'warmup', 'frameWarmup'].includes(k)) throw bad(`spectrum.${k} is not an option (options: k, warmup, frameWarmup)`);
    if (!Number.isSafeInteger(v) || (v as number) < (k === 'k' ? 1 : 0)) throw bad(`spectrum.${k} must be an integer >= ${k === 'k' ? 1 : 0}, got ${JSON.stringify(v)}`);
  }
  checkSpectrumK(grid, fixed as Partial<Config>, (spectrum as Record<string, unknown>).k);
  const train = sizeSeed(doc.train, 'train', 256);
  const test = sizeSeed(doc.test, 'test', 32);
  const hash = fnv1a(canonical({ task, taskOptions, train, test, grid, fixed, spectrum }));
  return { task: task as TaskName, taskOptions, train, test, grid, fixed: fixed as Partial<Config>, spectrum, hash };
}

/** Number of configurations of the grid. */
export function gridSize(spec: SweepSpec): number {
  return spec.grid.reduce((n, [, list]) => n * list.length, 1);
}

/** Configuration `index` of the grid (the first grid key varies slowest) and its stable key. */
export function configAt(spec: SweepSpec, index: number): { config: Config; key: string } {
  const config = { ...DEFAULTS, ...spec.fixed } as Config;
  const parts: string[] = [];
  let rest = index;
  const radices = spec.grid.map(([, l]) => l.length);
  const picks = new Array<number>(radices.length);
  for (let g = radices.length - 1; g >= 0; g--) {
    picks[g] = rest % radices[g];
    rest = Math.floor(rest / radices[g]);
  }
  spec.grid.forEach(([k, list], g) => {
    (config as unknown as Record<string, unknown>)[k] = list[picks[g]];
    parts.push(`${k}=${String(list[picks[g]])}`);
  });
  if ((config as Partial<Config>).init === undefined) config.init = config.cell === 'rnn' ? 'normal' : 'pytorch';
  return { config, key: parts.join(',') || 'default' };
}

/** The shard this process runs: from --shard i/n, or the scheduler's array variables. */
export function resolveShard(flag: string | undefined, shards: string | undefined, env: Record<string, string | undefined>): { index: number; count: number; from: string } {
  const int = (s: string | undefined, what: string, min: number): number => {
    const n = Number(s);
    if (s === undefined || !/^\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min) throw new CliError(`${what} must be an integer >= ${min}, got '${s}'`, EXIT.usage);
    return n;
  };
  if (flag !== undefined) {
    if (shards !== undefined) throw new CliError(`--shard ${flag} already gives the count; --shards N is for a scheduler's index variable: give one of them`, EXIT.usage);
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    if (!m) throw new CliError(`--shard must be i/n with 0 <= i < n (e.g. 0/4), got '${flag}'`, EXIT.usage);
    const index = Number(m[1]), count = Number(m[2]);
    if (count < 1 || index >= count) throw new CliError(`--shard must be i/n with 0 <= i < n, got '${flag}'`, EXIT.usage);
    return { index, count, from: '--shard' };
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = int(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID', 0);
    const count = shards !== undefined ? int(shards, '--shards', 1) : int(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT', 1);
    const min = env.SLURM_ARRAY_TASK_MIN !== undefined ? int(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN', 0) : 0;
    const index = id - min;
    if (index < 0 || index >= count) throw new CliError(`SLURM_ARRAY_TASK_ID ${id} (minus SLURM_ARRAY_TASK_MIN ${min}) is not below the shard count ${count}: use a contiguous --array=0-${count - 1}`, EXIT.usage);
    return { index, count, from: 'SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT' };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = int(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX', 0);
    const raw = shards ?? env.RNN_LYAP_SHARDS;
    if (raw === undefined) throw new CliError('JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but the shard count is not: pass --shards N or set RNN_LYAP_SHARDS to the Job\'s completions', EXIT.usage);
    const count = int(raw, shards !== undefined ? '--shards' : 'RNN_LYAP_SHARDS', 1);
    if (index >= count) throw new CliError(`JOB_COMPLETION_INDEX ${index} is not below the shard count ${count}`, EXIT.usage);
    return { index, count, from: 'JOB_COMPLETION_INDEX' };
  }
  if (shards !== undefined) throw new CliError('--shards N gives the count for a scheduler index (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX); without one, use --shard i/n', EXIT.usage);
  return { index: 0, count: 1, from: 'unsharded' };
}
