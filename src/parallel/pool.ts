/**
 * The worker pool, independent of the platform: a transport (worker_threads in Node, Web Workers in
 * browsers) spawns workers; this file schedules tasks on them, splits the long calls, merges the
 * parts exactly as the synchronous functions assemble them, aggregates progress, and cancels by
 * terminating and respawning the workers of an aborted call. No Node built-ins and no DOM types.
 */
import type { AbortSignalLike } from '../core/errors.js';
import { checkCallback, checkSignal, ownOptions } from '../core/long-run.js';
import { checkOptionKeys, readChoice, type KnownOptions } from '../core/options.js';
import { checkSeedOrRng } from '../core/seed-or-rng.js';
import { FIXED_POINT_KEYS } from '../geometry/option-keys.js';
import { SPECTRUM_KEYS } from '../lyapunov/option-keys.js';
import { checkPoolKeys, MAP_KEYS, readBackends, withArityChecks } from './pool-options.js';
import type { DynamicalSystem } from '../core/system.js';
import type { Tensor } from '../core/tensor.js';
import { candidateStarts, fixedPointSummary, startsSpread } from '../geometry/fixed-point-summary.js';
import type { FixedPointFailure, FixedPointOptions, FixedPointResult } from '../geometry/fixed-points.js';
import type { MMPhateResult, MPhateResult, MultisliceInput, MultisliceOptions } from '../geometry/embedding/multislice.js';
import { refuseStateRecording } from '../geometry/embedding/multislice-input.js';
import type { PhateEmbedding, PhateOptions } from '../geometry/embedding/phate.js';
import { checkPhateModel, createPhateTransform } from '../geometry/embedding/phate-transform.js';
import type { TsneOptions, TsneResult } from '../geometry/embedding/tsne.js';
import type { PointsInput } from '../geometry/points.js';
import { aggregate } from '../lyapunov/aggregate.js';
import type { LyapunovBatchOptions, LyapunovProgress, LyapunovSpectrumOptions } from '../lyapunov/spectrum.js';
import type { LyapunovBatchResult, LyapunovResult } from '../lyapunov/types.js';
import type { SequenceData } from '../rnn/evaluate.js';
import { checkRnnForSystem } from '../rnn/system.js';
import type { TrainHistory, TrainOptions, TrainProgress } from '../rnn/train.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';
import { assertNoFunctions, PUBLIC_TASKS, SYSTEM_TASKS, type PhateTaskResult } from './protocol.js';
import { sendableSystem } from './module-system.js';
import type { FixedPointStartsJob } from './tasks.js';
import { isObject, splitSpectrum } from './split-spectrum.js';
import { trainPart, type TrainPart } from './train-part.js';
import { MAX_WORKERS, runParts, Scheduler, type EventSignal, type Part, type SpawnWorker } from './scheduler.js';

export type { SpawnWorker, WorkerHandle } from './scheduler.js';


/**
 * What the system-taking calls accept: an Rnn (plain data), an example system of rnn-lyap/lyapunov,
 * or a system made by `systemFromModule` (any other object with methods is refused: functions
 * cannot cross threads).
 */
export type PoolSystem = Rnn | DynamicalSystem;

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** Number of worker threads (default: the cores available minus one, at least 1; at most 256). */
  workers?: number;
  /**
   * Where the worker script is (browsers: a URL of the bundled `worker.js`; Node: a file URL or
   * path of `worker-node.js`). Default: the script shipped next to the pool's own module.
   */
  workerUrl?: string | { readonly href: string };
  /**
   * Which backend a worker runs where the calling thread left a kernel family on `'auto'`
   * (backends the calling thread forced with `setBackend` cross in both cases).
   * - `'caller'` (the default): what the calling thread's `'auto'` resolved to, so that pooled
   *   results equal the synchronous calls bit for bit. On a page whose Content-Security-Policy blocks
   *   WebAssembly only there (sent with the page, not the worker script), the workers then run the
   *   JS kernels too.
   * - `'workers'`: each worker resolves its own `'auto'` (WebAssembly where it may compile it), for
   *   speed. Pooled results may then differ from the synchronous calls of a thread that resolved
   *   otherwise: in the last bits for the float64 kernels (another order of summation), by float32
   *   rounding where the worker's `'auto'` takes float32 work (the float32 frame products of
   *   `productPrecision: 'auto'`, the `'wasm-f32'` recurrence kernel of training); see
   *   docs/parallel.md, "Same results, bit for bit".
   *
   * @example
   * ```ts no-run
   * import { createPool } from 'rnn-lyap/parallel';
   * // a page served with script-src 'self' (no 'wasm-unsafe-eval'): its own kernels are JS, the workers' WebAssembly
   * const pool = createPool({ workers: 4, backends: 'workers' });
   * ```
   */
  backends?: 'caller' | 'workers';
}

/** `onProgress` and `signal` of the pool's `map`. */
export interface MapOptions {
  /** Aborts every call of the sweep (queued ones never start; running ones are stopped). */
  signal?: AbortSignalLike;
  /** After every finished call, and with each call's own progress: `{ phase: 'map', done, total, index, progress? }`. */
  onProgress?: (p: MapProgress) => void;
}

/** Progress of `pool.map`: calls finished (`done`) of `total`, and the progress of call `index`. */
export interface MapProgress {
  phase: 'map';
  done: number;
  total: number;
  index: number;
  /** The call's own progress report, when this report relays one. */
  progress?: unknown;
}

/** Progress of `pool.findFixedPoints`: starts done over every worker, then the merge. */
export interface PoolFixedPointProgress {
  phase: string;
  done: number;
  total: number;
}

/**
 * What `pool.phate` returns: the synchronous result, `transform` included (see `Pool.phate`).
 * @deprecated An alias of `PhateEmbedding`, kept for code written when the pooled result had no `transform`.
 */
export type PooledPhateEmbedding = PhateEmbedding;

/** The functions `pool.map` runs, with their arguments and results. */
export interface PoolTasks {
  lyapunovSpectrum: { args: [PoolSystem, LyapunovSpectrumOptions?]; result: LyapunovResult | LyapunovBatchResult };
  covariantLyapunovVectors: { args: [PoolSystem, Record<string, unknown>?]; result: Record<string, unknown> };
  findFixedPoints: { args: [PoolSystem, FixedPointOptions]; result: FixedPointResult };
  detectLimitCycle: { args: [PoolSystem, Record<string, unknown>?]; result: Record<string, unknown> };
  tsne: { args: [PointsInput, TsneOptions?]; result: TsneResult };
  phate: { args: [PointsInput, PhateOptions?]; result: PhateEmbedding };
  mPhate: { args: [MultisliceInput, MultisliceOptions?]; result: MPhateResult };
  mmPhate: { args: [MultisliceInput, MultisliceOptions?]; result: MMPhateResult };
  evaluate: { args: [Rnn, SequenceData, Record<string, unknown>?]; result: Record<string, unknown> };
  train: { args: [Rnn, SequenceData, TrainOptions?]; result: TrainHistory };
}

/**
 * A pool of worker threads running the library's long computations off the calling thread. Every
 * method takes the synchronous function's arguments and options and resolves to the same result,
 * bit for bit; `signal` cancels at once (the call rejects as the synchronous one would, and the
 * workers it used are replaced), `onProgress` reports over all workers. Functions cannot cross
 * threads: a function-valued option (`rng`, `onEpoch`, a schedule function) is a TypeError — pass a
 * seed. Systems must be an `Rnn` (plain data) or one of the example systems of rnn-lyap/lyapunov as
 * its factory made it (henonMap, logisticMap, linearMap, lorenz63, lorenz96: the worker makes it
 * again from the factory's arguments), not a `DynamicalSystem` object with methods of its own.
 *
 * @example
 * ```ts
 * const pool = createPool({ workers: 2 });
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 60_000); // a timer can stop it: this thread stays free
 * const spectrum = await pool.lyapunovSpectrum(rnn, { inputs, k: 10, signal: stop.signal }); // [B,T,I] split
 * const fps = await pool.findFixedPoints(rnn, { states, nStarts: 1024, noise: 0.01, seed: 1 });
 * const history = await pool.train(rnn, data, { epochs: 10, seed: 1, onProgress: (p) => console.log(p.done, p.total) });
 * const sweep = await pool.map('lyapunovSpectrum', gains.map((g) => [initRnn({ ...spec, gain: g }), { inputs }]));
 * await pool.close();
 * ```
 */
export interface Pool {
  /** Number of workers. */
  readonly size: number;
  /** {@link lyapunovSpectrum} in the pool; the sequences of `inputs` [B,T,I] are split across the workers. */
  lyapunovSpectrum(rnn: Rnn, opts: LyapunovBatchOptions): Promise<LyapunovBatchResult>;
  lyapunovSpectrum(system: PoolSystem, opts?: LyapunovSpectrumOptions): Promise<LyapunovResult>;
  /** {@link findFixedPoints} in the pool; the starts are split across the workers, then merged as the synchronous call merges them. */
  findFixedPoints(system: PoolSystem, opts: FixedPointOptions): Promise<FixedPointResult>;
  /**
   * {@link train} on a worker; `rnn.params` are updated in place when it resolves. When training fails
   * they hold its last update, as the synchronous `train` leaves them (unchanged when it fails before
   * the first batch); when it is aborted, the last snapshot the worker sent (it sends one after the
   * first batch and then at most every 20 ms of training).
   */
  train(rnn: Rnn, data: SequenceData, opts?: TrainOptions): Promise<TrainHistory>;
  /** {@link tsne} on a worker. */
  tsne(X: PointsInput, opts?: TsneOptions): Promise<TsneResult>;
  /**
   * {@link phate} on a worker, `transform` included: the worker sends the plain-data model the
   * synchronous `transform` closes over (the fitted points in kernel space, n×d after PCA; the
   * fitted or landmark coordinates; the landmark of each point; the PCA mean and axes) and this
   * thread rebuilds the same `transform` from it, so `transform(Y)` runs here, synchronously, and
   * gives what the synchronous result's gives, bit for bit (errors included). The model costs about
   * 8·n·d + 4·n + 8·(d + 1)·inputDim bytes (plus the coordinates, which the embedding shares
   * without landmarks), copied by structured clone with the result: 16 MB for n = 20 000 points
   * reduced to d = 100, and kept alive as long as the result is.
   */
  phate(X: PointsInput, opts?: PhateOptions): Promise<PhateEmbedding>;
  /** {@link mPhate} on a worker. */
  mPhate(X: MultisliceInput, opts?: MultisliceOptions): Promise<MPhateResult>;
  /** {@link mmPhate} on a worker. */
  mmPhate(X: MultisliceInput, opts?: MultisliceOptions): Promise<MMPhateResult>;
  /**
   * Runs `name(...args)` for every entry of `argsList` across the workers (a sweep), resolving to the
   * results in order. The calls' own options must not hold `signal` or `onProgress`: pass them here.
   */
  map<N extends keyof PoolTasks>(name: N, argsList: readonly PoolTasks[N]['args'][], opts?: MapOptions): Promise<PoolTasks[N]['result'][]>;
  /** Stops every worker; pending calls reject; later calls reject. */
  close(): Promise<void>;
}


/** The options to send: own properties without `signal` and `onProgress` (handled on this thread). */
function sendable(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(opts)) if (k !== 'signal' && k !== 'onProgress') out[k] = opts[k];
  return out;
}

/** Validates the options every pooled call shares; returns them with the signal and callback. */
function readCall(options: unknown, name: string, what: string, keys?: KnownOptions) {
  const opts = ownOptions<{ signal?: unknown; onProgress?: unknown }>(options, name) as Record<string, unknown>;
  if (keys !== undefined) checkOptionKeys(opts, keys, name);
  const signal = checkSignal(opts.signal, name);
  const onProgress = checkCallback<(p: unknown) => void>(opts.onProgress, `${name}: onProgress`);
  // before the function check: its "a seed instead of an rng" would tell a caller who gave both to give a seed
  checkSeedOrRng(opts, `pool.${what}`, '; a pooled call takes seed only: an rng is a function, and functions cannot cross to a worker thread');
  assertNoFunctions(opts, 'opts', `pool.${what}`, ['onProgress', 'signal']);
  if (signal !== undefined && typeof (signal as EventSignal).addEventListener !== 'function') {
    throw new TypeError(`pool.${what}: signal must be an AbortSignal with addEventListener (the pool listens for the abort), got an object without it`);
  }
  return { opts, signal, onProgress, send: sendable(opts) };
}

/** The pool over `spawn`; `size` workers. Called by the platform entries' `createPool`. @internal */
export function createPoolWith(spawn: SpawnWorker, size: number, backends: 'caller' | 'workers' = 'caller'): Pool {
  const sched = new Scheduler(spawn, size, backends === 'caller');
  const single = <R>(what: string, args: unknown[], optIndex: number, post?: (v: unknown) => R) => {
    const { signal, onProgress, send } = readCall(args[optIndex], what, what);
    const a = args.slice();
    a[optIndex] = send;
    return runParts(sched, what, signal, [{ task: what, args: a, onProgress }], ([v]) => (post ? post(v) : (v as R)));
  };
  // every method is async: a bad argument rejects the promise, never throws synchronously
  const guard = async <R>(f: () => Promise<R>): Promise<R> => f();

  const pool: Pool = {
    get size() {
      return sched.size;
    },

    lyapunovSpectrum(rnn: PoolSystem, options?: LyapunovSpectrumOptions) {
      return guard(async () => {
        const name = 'lyapunovSpectrum';
        const { signal, onProgress, send } = readCall(options, name, name, SPECTRUM_KEYS);
        const sys = sendableSystem(rnn, name);
        const split = splitSpectrum(rnn, send, sched.size);
        if (!split) return runParts(sched, name, signal, [{ task: name, args: [sys, send], onProgress: onProgress as (p: unknown) => void }], ([v]) => v);
        const B = (send.inputs as Tensor).shape[0];
        const done = new Float64Array(split.length);
        const offsets = split.map((o) => (o.inputs as Tensor).shape[0]).map((_, j, a) => a.slice(0, j).reduce((s, c) => s + c, 0));
        const parts: Part[] = split.map((o, j) => ({
          task: name,
          args: [sys, o],
          onProgress: onProgress
            ? (raw: unknown) => {
                const p = raw as LyapunovProgress;
                done[j] = p.done;
                let sum = 0;
                for (let q = 0; q < done.length; q++) sum += done[q];
                onProgress({ ...p, done: sum, total: p.totalSteps * B, sequence: offsets[j] + p.sequence, sequences: B });
              }
            : undefined,
        }));
        return runParts(sched, name, signal, parts, (results) => aggregate((results as LyapunovBatchResult[]).flatMap((r) => r.perSequence), checkRnnForSystem(rnn, name)[0]));
      }) as Promise<LyapunovBatchResult>;
    },

    findFixedPoints(rnn: PoolSystem, options: FixedPointOptions) {
      return guard(() => pooledFixedPoints(sched, rnn, options));
    },

    train(rnn: Rnn, data: SequenceData, options?: TrainOptions) {
      return guard(async () => {
        const name = 'train';
        const { signal, onProgress, send } = readCall(options, name, name);
        assertNoFunctions(rnn, 'rnn', 'pool.train');
        assertNoFunctions(data, 'data', 'pool.train');
        const t = trainPart(rnn, [rnn, data, send], onProgress as (p: unknown) => void, signal);
        return runParts(sched, name, signal, [t.part], ([v]) => t.adopt(v)).catch((e: unknown) => {
          t.adoptLatest();
          throw e;
        });
      });
    },

    tsne: (X, opts) => guard(() => single<TsneResult>('tsne', [X, opts], 1)),
    phate: (X, opts) => guard(() => single<PhateEmbedding>('phate', [X, opts], 1, adoptPhate)),
    // the mark of an rnnForward recording does not cross to a worker: refused here, as mPhate does
    mPhate: (X, opts) => guard(() => (refuseStateRecording(X, 'mPhate', '[slices, units, features]'), single<MPhateResult>('mPhate', [X, opts], 1))),
    mmPhate: (X, opts) => guard(() => (refuseStateRecording(X, 'mmPhate', '[epochs, timeSteps, units, samples]'), single<MMPhateResult>('mmPhate', [X, opts], 1))),

    map(name, argsList, options) {
      return guard(async () => {
        readChoice(name, PUBLIC_TASKS, undefined, 'pool.map: name');
        if (!Array.isArray(argsList)) throw new TypeError(`pool.map: argsList must be an array of argument lists, got ${argsList === null ? 'null' : typeof argsList}`);
        const { signal, onProgress } = readCall(options, 'pool.map', 'map', MAP_KEYS);
        const total = argsList.length;
        let finished = 0;
        const trains: TrainPart[] = [];
        const parts: Part[] = argsList.map((args, index) => {
          if (!Array.isArray(args)) throw new TypeError(`pool.map: argsList[${index}] must be an array of arguments, got ${args === null ? 'null' : typeof args}`);
          for (let a = 0; a < args.length; a++) {
            const v = args[a];
            if (isObject(v) && (Object.prototype.hasOwnProperty.call(v, 'signal') || Object.prototype.hasOwnProperty.call(v, 'onProgress'))) {
              throw new TypeError(`pool.map: argsList[${index}][${a}] holds 'signal' or 'onProgress': pass them in pool.map's own options, for the whole sweep`);
            }
          }
          const sent = SYSTEM_TASKS.has(name) && args.length > 0 ? [sendableSystem(args[0], 'map'), ...args.slice(1)] : args;
          assertNoFunctions(sent, `argsList[${index}]`, 'pool.map');
          const report = onProgress ? (p: unknown) => onProgress({ phase: 'map', done: finished, total, index, progress: p }) : undefined;
          if (name === 'train') return (trains[index] = trainPart(args[0] as Rnn, sent as unknown[], report, signal)).part;
          return { task: name, args: sent as unknown[], onProgress: report };
        });
        const res = runParts(sched, 'pool.map', signal, parts, (results) =>
          name === 'train' ? results.map((v, i) => trains[i].adopt(v))
            : name === 'phate' ? results.map(adoptPhate) : results,
        (index) => {
          finished++;
          onProgress?.({ phase: 'map', done: finished, total, index });
        });
        // an aborted or failed sweep of train leaves each network at the last update that reached here
        return (name === 'train' ? res.catch((e: unknown) => { for (const t of trains) t.adoptLatest(); throw e; }) : res) as Promise<never>;
      }) as never;
    },

    close: () => sched.close(),

  };
  return withArityChecks(pool);
}

/**
 * The worker's `phate` result with its `transform` rebuilt on this thread from the model the worker
 * sent, through the constructor the synchronous `phate` uses (one implementation for both).
 */
function adoptPhate(v: unknown): PhateEmbedding {
  const { result, model } = v as PhateTaskResult;
  return { ...result, transform: createPhateTransform(checkPhateModel(model, 'pool.phate')) };
}

/**
 * `findFixedPoints` in three steps: (1) one worker builds and checks the starts exactly as the
 * synchronous call does (it runs zero iterations) and reports their unit (`scale`), (2) the starts
 * are split across the workers and each runs the raw solver on its share in that unit, (3) one
 * worker merges the final states, in that unit again: outliers (relative
 * to the starts' centroid) are removed here as the synchronous call removes them, and the rest go
 * through `findFixedPoints` with zero iterations, which recomputes the same q, then sorts,
 * deduplicates and classifies them as it always does.
 */
async function pooledFixedPoints(sched: Scheduler, rnn: PoolSystem, options: FixedPointOptions): Promise<FixedPointResult> {
  const name = 'findFixedPoints';
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`findFixedPoints: opts must be an object of options with 'inits' or 'states', got ${options === null ? 'null' : typeof options}`);
  }
  const { signal, onProgress, send } = readCall(options, name, name, FIXED_POINT_KEYS);
  const sys = sendableSystem(rnn, name);
  const o = send as Partial<FixedPointOptions> & Record<string, unknown>;
  const validIter = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1e9);
  if (!validIter(o.maxIterations)) {
    // the synchronous checks throw before any iteration: let the worker say which
    return runParts(sched, name, signal, [{ task: name, args: [sys, send] }], ([v]) => v as FixedPointResult);
  }
  // (1) the starts, checked by the synchronous code path
  const probe = (await runParts(sched, name, signal, [{ task: name, args: [sys, { ...send, maxIterations: 0 }] }], ([v]) => v)) as FixedPointResult;
  const X0 = probe.starts.x;
  const m = probe.starts.q.length;
  const dim = X0.length / m;
  const method = o.method ?? 'lm';
  const unit = probe.scale; // the starts' (or the option's) unit: the merge below must not take it from the found points
  const job = {
    input: o.input, t: o.t ?? 0, method, unit, tolerance: o.tolerance ?? 1e-12,
    maxIterations: o.maxIterations ?? (method === 'lm' ? 200 : 10000),
    learningRate: o.learningRate ?? 0.1, adamEpsilon: o.adamEpsilon ?? 1e-2,
  };
  // (2) the starts across the workers
  const n = Math.min(sched.size, m);
  const done = new Float64Array(n);
  const bounds = Array.from({ length: n + 1 }, (_, j) => Math.floor((j * m) / n));
  const parts: Part[] = [];
  for (let j = 0; j < n; j++) {
    const x = X0.slice(bounds[j] * dim, bounds[j + 1] * dim);
    parts.push({
      task: 'findFixedPoints:starts',
      args: [sys, { ...job, x } satisfies FixedPointStartsJob],
      onProgress: onProgress
        ? (raw: unknown) => {
            done[j] = (raw as { done: number }).done;
            let s = 0;
            for (let q = 0; q < n; q++) s += done[q];
            onProgress({ phase: 'starts', done: s, total: m });
          }
        : undefined,
    });
  }
  const chunks = (await runParts(sched, name, signal, parts, (r) => r)) as { x: Float64Array; q: Float64Array; qScaled: Float64Array; iterations: Int32Array; failures: FixedPointFailure[] }[];
  const X = new Float64Array(m * dim);
  const q = new Float64Array(m);
  const qScaled = new Float64Array(m);
  const iterations = new Int32Array(m);
  const converged = new Uint8Array(m);
  const failures: FixedPointFailure[] = [];
  chunks.forEach((c, j) => {
    X.set(c.x, bounds[j] * dim);
    q.set(c.q, bounds[j]);
    qScaled.set(c.qScaled, bounds[j]);
    iterations.set(c.iterations, bounds[j]);
    for (const f of c.failures) failures.push({ ...f, start: bounds[j] + f.start }); // the shares in start order
  });
  for (let s = 0; s < m; s++) if (qScaled[s] < job.tolerance) converged[s] = 1;
  // (3) outliers relative to the starts, by the synchronous call's own selection
  const { starts: keep, outliers } = candidateStarts(X, qScaled, converged, dim, startsSpread(X0, m, dim, unit), o.outlierDistanceScale ?? 10, o.keepSlowPoints);
  let points: FixedPointResult['points'] = [];
  if (keep.length > 0) {
    const inits = new Float64Array(keep.length * dim);
    keep.forEach((s, r) => inits.set(X.subarray(s * dim, (s + 1) * dim), r * dim));
    const merge: Record<string, unknown> = { ...send, inits, maxIterations: 0, outlierDistanceScale: Infinity, scale: unit };
    for (const k of ['states', 'nStarts', 'noise', 'seed']) delete merge[k];
    const r = (await runParts(sched, name, signal, [{
      task: name,
      args: [sys, merge],
      onProgress: onProgress ? (p: unknown) => {
        const pp = p as { phase?: string };
        if (pp.phase !== 'starts') onProgress(p);
      } : undefined,
    }], ([v]) => v)) as FixedPointResult;
    points = r.points;
  }
  return fixedPointSummary(points, method, unit, { x: X, q, iterations, converged }, outliers, failures);
}

/** Checks {@link PoolOptions}; returns them with the defaults (`fallback`: the default count). @internal */
export function readWorkers(opts: PoolOptions | undefined, fallback: number): Required<Pick<PoolOptions, 'workers' | 'backends'>> & Pick<PoolOptions, 'workerUrl'> {
  const o = ownOptions<PoolOptions>(opts, 'createPool') as PoolOptions;
  checkPoolKeys(o);
  const workers = o.workers ?? Math.max(1, Math.min(MAX_WORKERS, fallback));
  if (typeof workers !== 'number') throw new TypeError(`createPool: workers must be an integer, got ${typeof workers}`);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new RangeError(`createPool: workers must be an integer in [1, ${MAX_WORKERS}], got ${workers}`);
  }
  const url = o.workerUrl;
  if (url !== undefined && typeof url !== 'string' && !(isObject(url) && typeof (url as { href?: unknown }).href === 'string')) {
    throw new TypeError(`createPool: workerUrl must be a string or a URL, got ${typeof url}`);
  }
  return { workers, workerUrl: url, backends: readBackends(o.backends) };
}
