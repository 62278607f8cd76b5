/**
 * The training loop: minibatches, shuffled by a seeded generator, through the fused loss and BPTT,
 * gradient clipping, a learning-rate schedule and an optimizer, updating `rnn.params` in place.
 */
import { assertInteger, assertNumber, throwIfAborted, type AbortSignalLike } from '../core/errors.js';
import { checkOptionKeys, readOptions, type ReadOptions } from '../core/options.js';
import { TRAIN_KEYS } from './option-keys.js';
import { resolveRng } from '../core/rng.js';
import type { Tensor } from '../core/tensor.js';
import { checkData, evaluateChecked, type SequenceData } from './evaluate.js';
import { lossDifferentiator, orderedParams, type CheckedBatch, type LossStats, type RnnLossKind } from './loss.js';
import { clipGradNorm, createOptimizer, gradNorm, optimizerStep, type OptimizerSpec, type OptimizerState } from './optim.js';
import { startState } from './train-state.js';
import { checkSchedule, lrAt, type LrSchedule } from './schedule.js';
import type { AnyRnn as Rnn } from './types.js';
import { assertRnn } from './validate.js';
import { isThenable, mergeEpochExtra } from './epoch-extra.js';

/** One epoch of training, as recorded in the history. */
export interface EpochRecord {
  /** Completed epochs (1 after the first). */
  epoch: number;
  /** Mean training loss over the epoch's batches (weighted by batch size), before each update. */
  loss: number;
  /** Fraction of training sequences classified correctly during the epoch (cross-entropy). */
  trainAccuracy?: number;
  /** Loss on `validation` after the epoch. */
  valLoss?: number;
  /** Accuracy on `validation` after the epoch (cross-entropy). */
  valAccuracy?: number;
  /** Wall time of the epoch's training steps (validation and callbacks excluded). */
  timeMs: number;
  /** Learning rate of the epoch's last step. */
  learningRate?: number;
  /** Mean global gradient norm over the epoch, before clipping. */
  gradNorm?: number;
  /** Optimizer steps completed so far. */
  steps?: number;
  /** Fields returned by `onEpoch` are merged in. */
  [extra: string]: unknown;
}

/** The result of {@link train}. */
export interface TrainHistory {
  /** One record per epoch. */
  epochs: EpochRecord[];
  /** Optimizer steps completed. */
  steps: number;
  /** The optimizer's final state (pass it as `optimizerState` to continue training). */
  optimizer: OptimizerState;
  /** The pre-training phases of the regularizers that have one (`preSteps` > 0), in order. */
  preTraining?: PreTrainingRecord[];
}

/** One regularizer's pre-training phase (optimizer steps on its term alone, before the first epoch). */
export interface PreTrainingRecord {
  /** The regularizer's name. */
  name: string;
  /** Steps taken. */
  steps: number;
  /** The term's value at each step, before the update. */
  losses: number[];
  /** Wall time of the phase. */
  timeMs: number;
}

/**
 * An extra term of the training loss computed outside the rnn layer, such as gradient flossing
 * (`flossingRegularizer` of `rnn-lyap/lyapunov`, or the `flossing` option of the main entry's
 * `train`). `train` calls `addGrad` on each batch after the loss gradient is computed and before
 * clipping, and, when `preSteps` > 0, first runs a phase of `preSteps` optimizer steps on this term
 * alone (its own fresh optimizer of the same kind; batches taken in data order, cycling; the
 * shuffling generator is not touched). A run that resumes an earlier history skips the phase.
 *
 * @example
 * ```ts
 * // an L2 penalty on wRec as a regularizer: λ/2·‖wRec‖²
 * const l2: TrainRegularizer = {
 *   name: 'l2',
 *   addGrad(rnn, _x, _step, grads) {
 *     const w = rnn.params.wRec.data, g = grads.wRec.data;
 *     let v = 0;
 *     for (let i = 0; i < w.length; i++) { g[i] += 1e-3 * w[i]; v += 5e-4 * w[i] * w[i]; }
 *     return v;
 *   },
 * };
 * ```
 */
export interface TrainRegularizer {
  /** Name used in messages, in `history.preTraining` and as `<name>Loss` in the epoch records. */
  readonly name: string;
  /** Optimizer steps on this term alone before the first epoch (default 0). */
  readonly preSteps?: number;
  /** Learning rate of the pre-training phase (default the training learning rate). */
  readonly preLearningRate?: number;
  /** Whether the term is added during training (default true). */
  readonly during?: boolean;
  /** Called once before any update; throws if the network is not supported. */
  check?(rnn: Rnn): void;
  /**
   * Adds the gradient of the term on the batch inputs `x` `[B,T,I]` to `grads` (keyed like
   * `rnn.params`) and returns its value, or undefined when it skips this step. `step` counts the
   * optimizer steps of this phase from 0. `h0` is the batch's initial states when the data set has
   * them (its `h0`: `[B,W]` for the batch's sequences, or the shared `[W]`); a term that runs the
   * network must start the sequences from it.
   */
  addGrad(rnn: Rnn, x: Tensor, step: number, grads: Record<string, Tensor>, phase: 'pre' | 'train', h0?: Tensor): number | undefined;
}

/** What `onProgress` receives after every batch (`done`/`total` count batches over the whole run). */
export interface TrainProgress {
  /** 'train'. */
  phase?: string;
  /** Batches done in this run. */
  done: number;
  /** Batches in this run (epochs × batches per epoch). */
  total: number;
  /** The epoch in progress (1-based). */
  epoch: number;
  /** Batches done in this epoch (1-based). */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** This batch's loss. */
  loss: number;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Sequences per step (default 128; the last batch of an epoch may be smaller). */
  batchSize?: number;
  /** 'adam' (default), 'sgd', or a spec with hyperparameters. */
  optimizer?: OptimizerSpec;
  /** Base learning rate (default the optimizer's `lr`); with an optimizer spec that gives `lr` too, the two must agree (RangeError otherwise). */
  learningRate?: number;
  /** Learning-rate schedule (default constant). */
  lrSchedule?: LrSchedule;
  /** Clip the global gradient norm to this value before each update. */
  clipNorm?: number;
  /** Default: 'cross-entropy' when the data have labels, else 'mse'. */
  loss?: RnnLossKind;
  /** Seed of the shuffling (default 0). */
  seed?: number | string;
  /** Uniform generator in [0,1) for the shuffling, instead of `seed`. */
  rng?: () => number;
  /** Shuffle each epoch (default true). */
  shuffle?: boolean;
  /** Held-out data evaluated after every epoch. */
  validation?: SequenceData;
  /** Batch size of the validation pass (default 256). */
  validationBatchSize?: number;
  /**
   * Called after each epoch (awaited when it returns a Promise); the fields of a returned (or
   * resolved) plain object are merged into the record. Returning undefined or null adds nothing;
   * another kind (a number, an array, …) is a TypeError, and a field that would replace one of the
   * record's own (`loss`, `epoch`, `valAccuracy`, …) a RangeError: either stops training there.
   */
  onEpoch?: (record: EpochRecord, rnn: Rnn) => void | Record<string, unknown> | Promise<void | Record<string, unknown>>;
  /** Called after every batch. */
  onProgress?: (p: TrainProgress) => void;
  /** Stops training between batches; the promise rejects with the signal's reason. */
  signal?: AbortSignalLike;
  /**
   * Continue from this optimizer state (from a previous history) instead of a fresh one. An `optimizer`
   * given beside it (or beside `resume`) must name the same type and hyperparameters (RangeError
   * otherwise); its `lr` sets the base rate, as `learningRate` does.
   */
  optimizerState?: OptimizerState;
  /**
   * Continue a run: the history (or its JSON, parsed) returned by an earlier `train` on this network.
   * Epochs are numbered on from it, its optimizer state and step count are continued, the schedule
   * runs over `resume.epochs.length + epochs` epochs, and with a `seed` the shuffling continues
   * where it stopped (the earlier epochs' shuffles are replayed), so the result equals an
   * uninterrupted run bit for bit. With an `rng` function, pass a generator in the state the first
   * run started from. A schedule over the run's length (cosine) is planned by each call over its
   * own total, so for bit-equality use a per-epoch schedule (constant, step) or plan the first run
   * with the full epoch count and stop it by `signal`.
   */
  resume?: TrainHistory | { epochs: unknown[]; steps: number; optimizer: unknown };
  /** Yield to the event loop at least this often, in ms (default 50). */
  yieldEveryMs?: number;
  /**
   * Extra loss terms, each adding its gradient on every batch (and optionally a pre-training phase);
   * gradient flossing is one (`flossingRegularizer` in `rnn-lyap/lyapunov`).
   */
  regularizers?: readonly TrainRegularizer[];
}


type Timers = {
  setImmediate?: (cb: () => void) => unknown;
  setTimeout?: (cb: () => void, ms: number) => unknown;
  performance?: { now(): number };
};

function now(): number {
  const p = (globalThis as Timers).performance;
  return p !== undefined ? p.now() : Date.now();
}

function yieldToEventLoop(): Promise<void> {
  const g = globalThis as Timers;
  return new Promise((resolve) => {
    if (typeof g.setImmediate === 'function') g.setImmediate(resolve);
    else if (typeof g.setTimeout === 'function') g.setTimeout(resolve, 0);
    else resolve();
  });
}

/** Reusable gather buffers for batches of one size. */
interface BatchBuffers {
  batch: CheckedBatch;
  labels: Int32Array | null;
}

function makeBuffers(n: number, T: number, I: number, O: number, kind: RnnLossKind, h0: Tensor | undefined): BatchBuffers {
  const batch: CheckedBatch = { x: { shape: [n, T, I], data: new Float32Array(n * T * I) } };
  let labels: Int32Array | null = null;
  if (kind === 'cross-entropy') batch.labels = labels = new Int32Array(n);
  else batch.targets = { shape: [n, T, O], data: new Float32Array(n * T * O) };
  // a shared h0 [W] is used as it is; per-sequence h0 [N,W] rows are gathered with their sequences
  if (h0 !== undefined) batch.h0 = h0.shape.length === 1 ? h0 : { shape: [n, h0.shape[1]], data: new Float32Array(n * h0.shape[1]) };
  return { batch, labels };
}

function gather(data: CheckedBatch, perm: Int32Array, start: number, buf: BatchBuffers): void {
  const n = buf.batch.x.shape[0];
  const [, T, I] = data.x.shape;
  const rowX = T * I, xs = data.x.data, xd = buf.batch.x.data;
  for (let k = 0; k < n; k++) {
    const src = perm[start + k] * rowX, dst = k * rowX;
    for (let j = 0; j < rowX; j++) xd[dst + j] = xs[src + j];
  }
  if (data.h0 !== undefined && data.h0.shape.length === 2) {
    const W = data.h0.shape[1], hs = data.h0.data, hd = buf.batch.h0!.data;
    for (let k = 0; k < n; k++) hd.set(hs.subarray(perm[start + k] * W, (perm[start + k] + 1) * W), k * W);
  }
  if (buf.labels !== null) {
    const l = data.labels!;
    for (let k = 0; k < n; k++) buf.labels[k] = l[perm[start + k]];
  } else {
    const t = data.targets!, rowT = T * t.shape[2], ts = t.data, td = buf.batch.targets!.data;
    for (let k = 0; k < n; k++) {
      const src = perm[start + k] * rowT, dst = k * rowT;
      for (let j = 0; j < rowT; j++) td[dst + j] = ts[src + j];
    }
  }
}

/** One Fisher–Yates pass over `perm` (N − 1 draws). */
function shuffleInPlace(perm: Int32Array, rng: () => number): void {
  for (let i = perm.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
}

/**
 * Trains the RNN in place on `data` (`{ x [N,T,I], labels }` for classification from the last step,
 * or `{ x, targets [N,T,O] }` for mse at every step) and resolves to the per-epoch history. All
 * inputs are validated before the first update (shapes, label range, NaN in the data), so a bad call
 * leaves the parameters unchanged; a loss or gradient that becomes non-finite stops training with a
 * RangeError before that update is applied. The data is validated once, not per batch: batches are
 * read from it as it is, so values a callback writes into it between epochs are not checked again
 * (a NaN among them stops training as a non-finite loss, before that batch's update). Shuffling is seeded, so a seed reproduces a run bit for
 * bit. Between batches the loop yields to the event loop about every `yieldEveryMs`, so `signal`
 * and progress displays work; on abort the promise rejects and the parameters hold the last update.
 *
 * @example
 * ```ts
 * const rnn = initRnn({ inputSize: 28, hiddenSize: 200, outputSize: 10, seed: 1 });
 * const history = await train(rnn, { x, labels }, {
 *   epochs: 30, batchSize: 128, optimizer: 'adam', learningRate: 1e-3, clipNorm: 1, seed: 1,
 *   validation: { x: testX, labels: testLabels },
 *   onEpoch: (r) => console.log(r.epoch, r.loss, r.valAccuracy),
 * });
 * ```
 */
/** Refuses unknown options, `flossing` with its own message (it is the main entry's option). */
function checkTrainKeys(opts: object): void {
  if ((opts as { flossing?: unknown }).flossing !== undefined) {
    throw new TypeError("train: the flossing option belongs to the main entry's train (import { train } from 'rnn-lyap'); with 'rnn-lyap/rnn' pass regularizers: [flossingRegularizer(opts)] from 'rnn-lyap/lyapunov'");
  }
  checkOptionKeys(opts, TRAIN_KEYS, 'train');
  // learningRate and an optimizer spec's lr name one rate: both, when they differ, would drop one
  const o = opts as { learningRate?: unknown; optimizer?: unknown };
  const spec = o.optimizer;
  if (o.learningRate === undefined || spec === null || typeof spec !== 'object' || !Object.prototype.hasOwnProperty.call(spec, 'lr')) return;
  const lr = (spec as { lr?: unknown }).lr;
  if (lr !== undefined && !Object.is(lr, o.learningRate)) {
    throw new RangeError(`train: give either opts.learningRate or opts.optimizer.lr, not both (got learningRate = ${String(o.learningRate)} and optimizer.lr = ${String(lr)}; they name the same base learning rate)`);
  }
}

export async function train(rnn: Rnn, data: SequenceData, options: TrainOptions = {}): Promise<TrainHistory> {
  const s = assertRnn(rnn, 'train: rnn');
  const opts = readOptions(options, 'train');
  const { kind, B: N, T, data: checked } = checkData(rnn, data, s, opts.loss, 'train: data');
  const epochs = opts.epochs === undefined ? 1 : opts.epochs;
  assertInteger(epochs, 'train: epochs', 0);
  if (epochs > 2 ** 31 - 1) throw new RangeError(`train: epochs: expected at most 2^31 - 1, got ${epochs}`);
  const batchSize = opts.batchSize === undefined ? 128 : opts.batchSize;
  assertInteger(batchSize, 'train: batchSize', 1);
  if (batchSize > 2 ** 31 - 1) throw new RangeError(`train: batchSize: expected at most 2^31 - 1, got ${batchSize}`);
  if (opts.clipNorm !== undefined) {
    assertNumber(opts.clipNorm, 'train: clipNorm', 0);
    if (!(opts.clipNorm > 0)) throw new RangeError(`train: clipNorm must be > 0, got ${opts.clipNorm}`);
  }
  if (opts.learningRate !== undefined) assertNumber(opts.learningRate, 'train: learningRate', 0);
  const yieldMs = opts.yieldEveryMs ?? 50;
  assertNumber(yieldMs, 'train: yieldEveryMs', 0);
  const valBatch = opts.validationBatchSize ?? 256;
  assertInteger(valBatch, 'train: validationBatchSize', 1);
  let valKind: RnnLossKind | undefined;
  let validation: CheckedBatch | undefined;
  if (opts.validation !== undefined) ({ kind: valKind, data: validation } = checkData(rnn, opts.validation, s, kind, 'train: opts.validation'));
  for (const k of ['onEpoch', 'onProgress'] as const) {
    if (opts[k] !== undefined && typeof opts[k] !== 'function') throw new TypeError(`train: ${k} must be a function, got ${typeof opts[k]}`);
  }
  checkTrainKeys(opts);
  checkSchedule(opts.lrSchedule, 'train', 'lrSchedule');
  const regs = checkRegularizers(opts.regularizers, rnn);
  const params = orderedParams(rnn.params);
  const start = startState(opts, params as unknown as Record<string, Tensor>);
  const { state, baseLr } = start;
  const previous = start.previous as EpochRecord[];
  const epochsDone = previous.length;
  const rng = resolveRng(opts, 0, 'train');
  throwIfAborted(opts.signal, 'train');
  const history0: PreTrainingRecord[] = [];
  state.lr = baseLr;

  const { I, O } = s;
  if (opts.resume === undefined) {
    for (const reg of regs) {
      if (!(reg.preSteps! > 0)) continue;
      history0.push(await preTrain(rnn, checked, reg, opts, baseLr, batchSize, T, I, O, kind));
    }
  }
  const diff = lossDifferentiator(rnn);
  const keys = Object.keys(params) as (keyof typeof params)[];
  const gradsOut: Tensor[] = keys.map((k) => ({ shape: [...params[k].shape], data: new Float32Array(params[k].data.length) }));
  const grads: Record<string, Tensor> = Object.fromEntries(keys.map((k, i) => [k, gradsOut[i]]));
  const bs = Math.min(batchSize, Math.max(N, 1));
  const batches = Math.ceil(N / bs);
  const h0 = checked.h0;
  const full = makeBuffers(bs, T, I, O, kind, h0);
  const rest = N % bs === 0 ? full : makeBuffers(N % bs, T, I, O, kind, h0);
  const perm = new Int32Array(N);
  for (let i = 0; i < N; i++) perm[i] = i;
  const shuffle = opts.shuffle ?? true;
  // resuming: replay the earlier epochs' shuffles, so the permutation and the generator continue
  if (shuffle) for (let e = 0; e < epochsDone; e++) shuffleInPlace(perm, rng);
  const stats: LossStats = { correct: 0 };
  const history: TrainHistory = { epochs: previous, steps: state.step, optimizer: state };
  if (history0.length > 0) history.preTraining = history0;
  const regSums = new Float64Array(regs.length), regCounts = new Int32Array(regs.length);
  const src: CheckedBatch = checked;
  const stepsAtStart = state.step - epochsDone * batches;
  const allEpochs = epochsDone + epochs;
  let lastYield = now();

  for (let e = epochsDone; e < allEpochs; e++) {
    if (shuffle) shuffleInPlace(perm, rng);
    const t0 = now();
    let lossSum = 0, correct = 0, normSum = 0, lr = baseLr;
    regSums.fill(0);
    regCounts.fill(0);
    for (let bi = 0; bi < batches; bi++) {
      throwIfAborted(opts.signal, 'train');
      const start = bi * bs;
      const buf = start + bs <= N ? full : rest;
      gather(src, perm, start, buf);
      const n = buf.batch.x.shape[0];
      const done = state.step - stepsAtStart;
      lr = lrAt(opts.lrSchedule, { epoch: e, step: done, baseLr, epochs: allEpochs, stepsPerEpoch: batches, totalSteps: allEpochs * batches }, 'train', 'lrSchedule');
      stats.correct = 0;
      const { value } = diff.call(params, [buf.batch, rnn.activation, kind, stats], gradsOut);
      for (let r = 0; r < regs.length; r++) {
        if (regs[r].during === false) continue;
        const v = regs[r].addGrad(rnn, buf.batch.x, done, grads, 'train', buf.batch.h0);
        if (v !== undefined) { regSums[r] += v; regCounts[r]++; }
      }
      // one pass over the gradients: clipGradNorm returns the norm before clipping (the same sum as
      // gradNorm's) and leaves non-finite gradients as they are; nothing is updated before the check
      const g = grads as unknown as Record<string, Tensor>;
      const norm = opts.clipNorm !== undefined ? clipGradNorm(g, opts.clipNorm) : gradNorm(g);
      if (!Number.isFinite(value) || !Number.isFinite(norm)) {
        throw new RangeError(
          `train: the ${Number.isFinite(value) ? 'gradient' : 'loss'} became non-finite (loss ${value}, gradient norm ${norm}) at epoch ${e + 1}, batch ${bi + 1}; the parameters hold the values before this step, unchanged (try a smaller learningRate or set clipNorm)`,
        );
      }
      optimizerStep(state, params as unknown as Record<string, Tensor>, grads as unknown as Record<string, Tensor>, lr);
      lossSum += value * n;
      correct += stats.correct;
      normSum += norm;
      opts.onProgress?.({ phase: 'train', done: (e - epochsDone) * batches + bi + 1, total: epochs * batches, epoch: e + 1, batch: bi + 1, batches, loss: value });
      if (now() - lastYield >= yieldMs) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
    const record: EpochRecord = {
      epoch: e + 1,
      loss: N > 0 ? lossSum / N : NaN,
      timeMs: now() - t0,
      learningRate: lr,
      gradNorm: batches > 0 ? normSum / batches : NaN,
      steps: state.step,
    };
    for (let r = 0; r < regs.length; r++) if (regCounts[r] > 0) record[`${regs[r].name}Loss`] = regSums[r] / regCounts[r];
    if (kind === 'cross-entropy') record.trainAccuracy = N > 0 ? correct / N : NaN;
    if (validation !== undefined) {
      const v = evaluateChecked(rnn, validation, valKind!, valBatch);
      record.valLoss = v.loss;
      if (v.accuracy !== undefined) record.valAccuracy = v.accuracy;
    }
    if (opts.onEpoch !== undefined) {
      const own = Object.keys(record);
      const ret: unknown = opts.onEpoch(record, rnn);
      mergeEpochExtra(record, await ret, isThenable(ret), own);
    }
    history.epochs.push(record);
    history.steps = state.step;
    await yieldToEventLoop();
    lastYield = now();
  }
  return history;
}

function checkRegularizers(v: unknown, rnn: Rnn): TrainRegularizer[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TypeError(`train: regularizers must be an array of { name, addGrad }, got ${v === null ? 'null' : typeof v}`);
  const out: TrainRegularizer[] = [];
  v.forEach((r: unknown, i: number) => {
    const reg = r as TrainRegularizer;
    if (reg === null || typeof reg !== 'object' || typeof reg.addGrad !== 'function' || typeof reg.name !== 'string') {
      throw new TypeError(`train: regularizers[${i}] must be an object { name: string, addGrad: function }`);
    }
    if (reg.preSteps !== undefined) assertInteger(reg.preSteps, `train: regularizers[${i}].preSteps`, 0);
    if (reg.preLearningRate !== undefined) assertNumber(reg.preLearningRate, `train: regularizers[${i}].preLearningRate`, 0);
    if (reg.during !== undefined && typeof reg.during !== 'boolean') throw new TypeError(`train: regularizers[${i}].during must be a boolean, got ${typeof reg.during}`);
    reg.check?.(rnn);
    out.push(reg);
  });
  return out;
}

/** The pre-training phase of one regularizer: `preSteps` optimizer steps on its term alone. */
async function preTrain(
  rnn: Rnn, data: CheckedBatch, reg: TrainRegularizer, opts: ReadOptions<TrainOptions>, baseLr: number,
  batchSize: number, T: number, I: number, O: number, kind: RnnLossKind,
): Promise<PreTrainingRecord> {
  const t0 = now();
  const params = orderedParams(rnn.params) as unknown as Record<string, Tensor>;
  const keys = Object.keys(params);
  const grads: Record<string, Tensor> = Object.fromEntries(keys.map((k) => [k, { shape: [...params[k].shape], data: new Float32Array(params[k].data.length) }]));
  const state = createOptimizer(opts.optimizer ?? 'adam', params);
  const lr = reg.preLearningRate ?? baseLr;
  const N = data.x.shape[0];
  const bs = Math.min(batchSize, Math.max(N, 1));
  const batches = Math.ceil(N / bs);
  const full = makeBuffers(bs, T, I, O, kind, data.h0);
  const rest = N % bs === 0 ? full : makeBuffers(N % bs, T, I, O, kind, data.h0);
  const perm = new Int32Array(N);
  for (let i = 0; i < N; i++) perm[i] = i;
  const losses: number[] = [];
  let lastYield = now();
  for (let step = 0; step < reg.preSteps!; step++) {
    throwIfAborted(opts.signal, 'train');
    const start = (step % batches) * bs;
    const buf = start + bs <= N ? full : rest;
    gather(data, perm, start, buf);
    for (const k of keys) grads[k].data.fill(0);
    const v = reg.addGrad(rnn, buf.batch.x, step, grads, 'pre', buf.batch.h0);
    const norm = gradNorm(grads);
    if (v !== undefined && !Number.isFinite(v)) throw new RangeError(`train: regularizer '${reg.name}' became non-finite (${v}) at pre-training step ${step + 1}; the parameters hold the values before this step`);
    if (!Number.isFinite(norm)) throw new RangeError(`train: the gradient of regularizer '${reg.name}' became non-finite at pre-training step ${step + 1}; the parameters hold the values before this step`);
    if (v !== undefined) losses.push(v);
    if (opts.clipNorm !== undefined) clipGradNorm(grads, opts.clipNorm);
    optimizerStep(state, params, grads, lr);
    opts.onProgress?.({ phase: `pre-training:${reg.name}`, done: step + 1, total: reg.preSteps!, epoch: 0, batch: step + 1, batches: reg.preSteps!, loss: v ?? NaN });
    if (now() - lastYield >= (opts.yieldEveryMs ?? 50)) {
      await yieldToEventLoop();
      lastYield = now();
    }
  }
  return { name: reg.name, steps: reg.preSteps!, losses, timeMs: now() - t0 };
}
