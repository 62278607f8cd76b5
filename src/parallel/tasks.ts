/**
 * What a pool worker can run: the library's long computations under their public names, and the
 * internal pieces the pool splits a call into. Runs inside a worker; no Node built-ins. @internal
 */
import { createProgressClock } from '../core/long-run.js';
import { covariantLyapunovVectors } from '../lyapunov/clv.js';
import { lyapunovSpectrum } from '../lyapunov/spectrum.js';
import { fixedPointAdamRaw, fixedPointLmRaw, createFixedPointWorkspace, findFixedPoints } from '../geometry/fixed-points.js';
import { toDynamicalSystem, type ConstantInput } from '../rnn/to-system.js';
import { exampleSystemFromSpec, type ExampleSystemSpec } from '../lyapunov/systems.js';
import { EXAMPLE_SYSTEM_KEY, MODULE_SYSTEM_KEY, SYSTEM_TASKS } from './protocol.js';
import { systemFromModuleSpec, type ModuleSystemSpec } from './module-system.js';
import { detectLimitCycle } from '../geometry/limit-cycle.js';
import { tsne } from '../geometry/embedding/tsne.js';
import { phate } from '../geometry/embedding/phate.js';
import { phateModelOf } from '../geometry/embedding/phate-transform.js';
import { mPhate, mmPhate } from '../geometry/embedding/multislice.js';
import { train } from '../rnn/train.js';
import { evaluate } from '../rnn/evaluate.js';
import type { AnyRnn } from '../rnn/types.js';
import { SNAPSHOT_MS, withoutFunctions, type PhateTaskResult, type TrainProgressWithParams, type TrainReport } from './protocol.js';
import { nowMs } from '../core/options.js';

type Progress = ((p: unknown) => void) | undefined;
type Task = (args: unknown[], onProgress: Progress) => unknown;

/** `args` with `onProgress` put into the options at `index` (a fresh object; the rest unchanged). */
function withProgress(args: unknown[], index: number, onProgress: Progress): unknown[] {
  if (!onProgress) return args;
  const out = args.slice();
  const o = out[index];
  out[index] = o !== null && typeof o === 'object' ? { ...(o as object), onProgress } : o === undefined ? { onProgress } : o;
  return out;
}

/**
 * The worker's `train`: args [rnn, data, opts, TrainReport]. With `snapshots` the parameters go to
 * the pool after the first batch and then at most every SNAPSHOT_MS (a message per batch cost a
 * small network half its time), with `progress` every batch's TrainProgress; on success and on
 * failure a last message carries the final parameters (the result then holds only the history).
 */
async function trainTask(args: unknown[], onProgress: Progress): Promise<unknown> {
  const net = args[0] as AnyRnn;
  const rep = (args[3] ?? {}) as TrainReport;
  let last = -Infinity;
  const report = onProgress && (rep.progress || rep.snapshots)
    ? (p: unknown) => {
        const t = nowMs();
        const snap = rep.snapshots === true && t - last >= SNAPSHOT_MS;
        if (snap) last = t;
        if (rep.progress || snap) onProgress({ progress: rep.progress ? p : undefined, params: snap ? net.params : undefined } satisfies TrainProgressWithParams);
      }
    : undefined;
  const a = withProgress(args.slice(0, 3), 2, report);
  let history: unknown;
  try {
    history = await train(net, a[1] as Parameters<typeof train>[1], a[2] as Parameters<typeof train>[2]);
  } catch (e) {
    onProgress?.({ progress: undefined, params: net.params } satisfies TrainProgressWithParams);
    throw e;
  }
  // the trained parameters travel once, as this last report (the result carries the history only)
  onProgress?.({ progress: undefined, params: net.params } satisfies TrainProgressWithParams);
  return { history };
}

/** A public function `f` whose options are argument `index`. */
function call(f: (...a: never[]) => unknown, index: number): Task {
  return (args, onProgress) => withoutFunctions((f as (...a: unknown[]) => unknown)(...withProgress(args, index, onProgress)));
}

/** The per-start part of `findFixedPoints`: the raw solver from each start, as the synchronous loop runs it. */
export interface FixedPointStartsJob {
  input: ConstantInput | undefined;
  t: number;
  method: 'lm' | 'adam';
  /** The unit of the tolerances (findFixedPoints' `scale`, as the probe resolved it). */
  unit: number;
  tolerance: number;
  maxIterations: number;
  learningRate: number;
  adamEpsilon: number;
  /** Starts, row-major m×dim. */
  x: Float64Array;
}

function fixedPointStarts(system: unknown, job: FixedPointStartsJob, onProgress: Progress) {
  const sys = toDynamicalSystem(system, { input: job.input }, 'findFixedPoints');
  const dim = sys.dim;
  const X = job.x;
  const m = X.length / dim;
  const q = new Float64Array(m);
  const qScaled = new Float64Array(m);
  const iterations = new Int32Array(m);
  const w = createFixedPointWorkspace(dim);
  const x = new Float64Array(dim);
  const clock = onProgress ? createProgressClock() : undefined;
  const failures: { start: number; iteration: number; reason: string }[] = []; // start: index in this share
  for (let s = 0; s < m; s++) {
    if (clock?.due()) onProgress!({ phase: 'starts', done: s, total: m });
    x.set(X.subarray(s * dim, (s + 1) * dim));
    const res = job.method === 'lm'
      ? fixedPointLmRaw(sys, x, job.t, job.tolerance, job.maxIterations, w, undefined, job.unit)
      : fixedPointAdamRaw(sys, x, job.t, job.tolerance, job.maxIterations, job.learningRate, w, job.adamEpsilon, undefined, job.unit);
    X.set(x, s * dim);
    q[s] = res.q;
    qScaled[s] = res.qScaled;
    iterations[s] = res.iterations;
    if (res.failure !== undefined) failures.push({ start: s, iteration: res.iterations, reason: res.failure });
  }
  onProgress?.({ phase: 'starts', done: m, total: m });
  return { x: X, q, qScaled, iterations, failures };
}

/**
 * `phate`, with the plain-data model its `transform` closes over, in one message (so arrays the
 * result and the model share, such as `embedding` and the coordinates without landmarks, stay
 * shared): the pool rebuilds `transform` from it.
 */
function phateWithModel(args: unknown[], onProgress: Progress): PhateTaskResult {
  const r = (phate as (...a: unknown[]) => ReturnType<typeof phate>)(...withProgress(args, 1, onProgress));
  const model = phateModelOf(r.transform);
  if (!model) throw new Error('pool: phate returned a transform without its model');
  return { result: withoutFunctions(r), model };
}

/**
 * The system a message carries: an example system made again from its spec, a systemFromModule
 * system made again from its module (imported here), else the value itself.
 */
async function revive(v: unknown): Promise<unknown> {
  if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, EXAMPLE_SYSTEM_KEY)) {
    return exampleSystemFromSpec((v as Record<string, ExampleSystemSpec>)[EXAMPLE_SYSTEM_KEY]);
  }
  if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, MODULE_SYSTEM_KEY)) {
    return systemFromModuleSpec((v as Record<string, ModuleSystemSpec>)[MODULE_SYSTEM_KEY]);
  }
  return v;
}

/** Every task a worker runs, by name. */
const TASK_TABLE: Record<string, Task> = {
  lyapunovSpectrum: call(lyapunovSpectrum, 1),
  covariantLyapunovVectors: call(covariantLyapunovVectors, 1),
  findFixedPoints: call(findFixedPoints, 1),
  detectLimitCycle: call(detectLimitCycle, 1),
  tsne: call(tsne, 1),
  phate: (args, onProgress) => phateWithModel(args, onProgress),
  mPhate: call(mPhate, 1),
  mmPhate: call(mmPhate, 1),
  evaluate: call(evaluate, 2),
  // train updates rnn.params in place: the parameters go back over the progress channel
  // (TrainProgressWithParams: snapshots while it runs, with a signal, and the last ones when it stops)
  train: (args, onProgress) => trainTask(args, onProgress),
  'findFixedPoints:starts': (args, onProgress) => fixedPointStarts(args[0], args[1] as FixedPointStartsJob, onProgress),
};

/** {@link TASK_TABLE}, the tasks that take a system first receiving it revived. */
export const TASKS: Record<string, Task> = Object.fromEntries(
  Object.entries(TASK_TABLE).map(([name, task]) => [
    name,
    SYSTEM_TASKS.has(name) ? (async (args, onProgress) => task([await revive(args[0]), ...args.slice(1)], onProgress)) as Task : task,
  ]),
);
