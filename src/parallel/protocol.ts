/**
 * The messages between the pool and its workers, and what may cross: plain data (structured clone),
 * never functions. Errors cross as `{ name, message, stack }` and are rebuilt as the same class.
 * No Node built-ins and no DOM types. @internal
 */
import type { PhateEmbedding } from '../geometry/embedding/phate.js';
import type { PhateModel } from '../geometry/embedding/phate-transform.js';

/** Main thread → worker: run `task` with `args`; `progress` asks for progress messages. */
export interface RunMessage {
  type: 'run';
  id: number;
  task: string;
  args: unknown[];
  progress: boolean;
  /**
   * The float64 kernels' backend choice on the calling thread when the call was made
   * (`setBackend('float64', …)`), which the worker adopts so that a pooled call computes what the
   * synchronous call would.
   */
  float64?: string;
  /**
   * The kernels whose backend the calling thread forced (`setBackend('rnnRecurrence', 'js')`, …),
   * adopted likewise (the others run on the worker's `'auto'`).
   */
  kernels?: Record<string, string>;
  /**
   * What the calling thread's choices resolved to (`backend('float64')`, `backend(name)` of every
   * registered kernel): a worker whose own `'auto'` resolves otherwise (WebAssembly blocked on the
   * page but not in the worker) follows them, or fails saying why. Absent from a pool created with
   * `backends: 'workers'`: the worker then resolves its own `'auto'`.
   */
  resolved?: { float64: string; kernels: Record<string, string> };
}

/** A thrown value as it crosses threads. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** Worker → main thread. */
export type WorkerMessage =
  | { type: 'progress'; id: number; progress: unknown }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: SerializedError };

/** A thrown value as `{ name, message, stack }`. */
export function serializeError(e: unknown): SerializedError {
  if (e !== null && typeof e === 'object' && typeof (e as Error).message === 'string') {
    const err = e as Error;
    return { name: typeof err.name === 'string' ? err.name : 'Error', message: err.message, stack: typeof err.stack === 'string' ? err.stack : undefined };
  }
  return { name: 'Error', message: String(e) };
}

const CLASSES: Record<string, new (message: string) => Error> = {
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  Error,
};

/** The error of a worker, rebuilt on this thread as the same class with the same message and name. */
export function deserializeError(s: SerializedError): Error {
  const C = Object.prototype.hasOwnProperty.call(CLASSES, s.name) ? CLASSES[s.name] : Error;
  const err = new C(s.message);
  if (err.name !== s.name) err.name = s.name;
  if (s.stack) err.stack = `${err.name}: ${err.message}\n    (in a pool worker)\n${s.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

function isPlainContainer(v: object): boolean {
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return false;
  return Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;
}

/**
 * Throws a TypeError naming the first function found in `value` (own enumerable properties, depth
 * first, at most `depth` levels), e.g. `pool.train: options.rng is a function`. Functions cannot cross
 * to a worker thread; seeds can. Keys in `allowed` (at the top level) are skipped.
 */
export function assertNoFunctions(value: unknown, path: string, name: string, allowed: readonly string[] = [], depth = 4): void {
  const visit = (v: unknown, p: string, d: number, top: boolean): void => {
    if (typeof v === 'function') {
      throw new TypeError(
        `${name}: ${p} is a function, and functions cannot cross to a worker thread; pass plain data instead (a seed instead of an rng, a schedule object instead of a function), or call the synchronous function`,
      );
    }
    if (v === null || typeof v !== 'object' || d <= 0 || !isPlainContainer(v)) return;
    for (const key of Object.keys(v)) {
      if (top && allowed.includes(key)) continue;
      visit((v as Record<string, unknown>)[key], Array.isArray(v) ? `${p}[${key}]` : `${p}.${key}`, d - 1, false);
    }
  };
  visit(value, path, depth, true);
}

/**
 * What the worker's `phate` task sends back: the result without `transform`, and the plain-data
 * model (typed arrays and numbers) the pool rebuilds `transform` from on its own thread.
 */
export interface PhateTaskResult {
  result: Omit<PhateEmbedding, 'transform'>;
  model: PhateModel;
}

/**
 * A progress message of the worker's `train` task: the batch's TrainProgress (when asked for) and/or
 * the network's parameters at that point (the pool keeps the latest, for a call that is aborted or
 * fails).
 */
export interface TrainProgressWithParams {
  progress: unknown;
  params: unknown;
}

/** What the worker's `train` reports (its fourth argument): every batch's progress, parameter snapshots. */
export interface TrainReport {
  progress: boolean;
  snapshots: boolean;
}

/** Least time between two parameter snapshots of a pooled `train` with a signal, in ms. */
export const SNAPSHOT_MS = 20;

/** `value` without its own function-valued properties (functions cannot cross threads). */
export function withoutFunctions<T>(value: T): T {
  if (value === null || typeof value !== 'object' || !isPlainContainer(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (typeof (value as Record<string, unknown>)[key] === 'function') {
      out ??= { ...(value as Record<string, unknown>) };
      delete out[key];
    }
  }
  return (out ?? value) as T;
}

/** The public names `pool.map` accepts (each a task of the worker). */
export const PUBLIC_TASKS = [
  'lyapunovSpectrum', 'covariantLyapunovVectors', 'findFixedPoints', 'detectLimitCycle', 'tsne', 'phate', 'mPhate', 'mmPhate', 'evaluate', 'train',
] as const;

/** The key under which an example system's spec crosses to a worker in place of the system. */
export const EXAMPLE_SYSTEM_KEY = '__rnnLyapExampleSystem';

/** The key under which a system made by systemFromModule crosses, as its module, export and arguments. */
export const MODULE_SYSTEM_KEY = '__rnnLyapModuleSystem';

/** The tasks whose first argument is a system (an Rnn or an example system). */
export const SYSTEM_TASKS: ReadonlySet<string> = new Set(['lyapunovSpectrum', 'covariantLyapunovVectors', 'findFixedPoints', 'detectLimitCycle', 'findFixedPoints:starts']);
