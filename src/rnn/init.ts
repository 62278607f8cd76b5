/**
 * Initial parameters of a vanilla RNN.
 */
import { assertActivation } from '../autodiff/rnn-op.js';
import { assertInteger, assertNumber } from '../core/errors.js';
import { householderFormQColMajor, householderQrColMajor, fixQrSignsColMajor } from '../core/linalg/householder.js';
import { checkTypedAllocation } from '../core/alloc.js';
import { checkOptionKeys, readOptions } from '../core/options.js';
import { INIT_RNN_KEYS } from './option-keys.js';
import { gaussian, resolveRng } from '../core/rng.js';
import type { Tensor } from '../core/tensor.js';
import type { Activation, GatedRnn, Rnn, RnnCell } from './types.js';
import { initGated } from './gated/init.js';
import { beyondFloat32Error } from '../core/float32-range.js';

/** How the recurrent weights are drawn. */
export type RnnInit = 'normal' | 'orthogonal' | 'identity' | 'pytorch';

/** Options of {@link initRnn}. */
export interface InitRnnOptions {
  /** I, the width of each input step. */
  inputSize: number;
  /** H, the number of hidden units. */
  hiddenSize: number;
  /** O, the number of readout units. */
  outputSize: number;
  /** The cell (default 'rnn'); 'gru' and 'lstm' draw PyTorch's default init (or 'orthogonal' wRec blocks). */
  cell?: RnnCell;
  /** φ (default 'tanh'). */
  activation?: Activation;
  /**
   * Recurrent weights (default 'normal'):
   * - 'normal': wRec_ij ~ N(0, gain²/H), so `gain` is the chaos parameter g of random networks
   *   (for tanh, g > 1 gives chaotic autonomous dynamics for large H);
   * - 'orthogonal': gain × a Haar-random orthogonal matrix (QR of a Gaussian matrix, signs fixed so
   *   that R has a positive diagonal);
   * - 'identity': gain × I (the IRNN of Le, Jaitly & Hinton 2015, usually with relu);
   * - 'pytorch': PyTorch's nn.RNN + nn.Linear defaults, every weight and bias U(−1/√H, 1/√H), with
   *   b = b_ih + b_hh (the sum of two such draws, as PyTorch adds both biases); `gain` scales wRec
   *   (1 reproduces PyTorch's distribution).
   *
   * For 'normal', 'orthogonal' and 'identity' the input weights are wIn_ij ~ N(0, 1/I) (unit
   * variance per unit for unit-variance inputs), the readout wOut_ij ~ N(0, 1/H), and both biases 0.
   */
  init?: RnnInit;
  /** Scale of the recurrent weights (default 1; a gain that puts a weight beyond float32's range is a RangeError). */
  gain?: number;
  /** Seed of the draws (default 0). */
  seed?: number | string;
  /** A uniform generator in [0,1) to use instead of `seed`. */
  rng?: () => number;
}

const INITS: readonly string[] = ['normal', 'orthogonal', 'identity', 'pytorch'];

/** A tensor of `fill(i)`; with `gain`, an entry beyond float32's range (gain × a draw) is a RangeError, not a silent Infinity. */
function tensorOf(shape: number[], fill: (i: number) => number, gain?: number): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = fill(i);
    data[i] = v;
    if (gain !== undefined && !Number.isFinite(data[i])) throw beyondFloat32Error(`initRnn: gain ${gain} makes wRec[${i}]`, v);
  }
  return { shape, data };
}

/** Haar-random orthogonal n×n matrix, row-major float64. */
function orthogonal(n: number, rng: () => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = gaussian(rng, 'initRnn'); // column-major: any order of i.i.d. draws
  const tau = new Float64Array(n);
  const q = new Float64Array(n * n);
  householderQrColMajor(n, n, a, tau);
  householderFormQColMajor(n, n, a, tau, q);
  fixQrSignsColMajor(n, n, a, q);
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[i * n + j] = q[j * n + i];
  return out;
}

/**
 * Creates an RNN `{ activation, params }` with h_t = φ(wIn·x_t + wRec·h_{t−1} + b) and readout
 * y_t = wOut·h_t + bOut. Draws are made in the order wIn, wRec, b, wOut, bOut from one generator, so a
 * seed reproduces the network bit for bit.
 *
 * @example
 * ```ts
 * // a chaotic random network (g = 1.5) for sequential MNIST
 * const rnn = initRnn({ inputSize: 28, hiddenSize: 200, outputSize: 10, gain: 1.5, seed: 1 });
 * // PyTorch's default initialization
 * const torchLike = initRnn({ inputSize: 28, hiddenSize: 200, outputSize: 10, init: 'pytorch', seed: 1 });
 * ```
 */
export function initRnn(opts: InitRnnOptions & { cell?: 'rnn' }): Rnn;
export function initRnn(opts: InitRnnOptions & { cell: 'gru' | 'lstm' }): GatedRnn;
export function initRnn(opts: InitRnnOptions): Rnn | GatedRnn;
export function initRnn(options: InitRnnOptions): Rnn | GatedRnn {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`initRnn: opts: expected options { inputSize, hiddenSize, outputSize }, got ${options === null ? 'null' : typeof options}`);
  }
  const opts = readOptions(options, 'initRnn');
  checkOptionKeys(opts, INIT_RNN_KEYS, 'initRnn');
  const { inputSize: I, hiddenSize: H, outputSize: O } = opts;
  assertInteger(I, 'initRnn: inputSize', 1);
  assertInteger(H, 'initRnn: hiddenSize', 1);
  assertInteger(O, 'initRnn: outputSize', 1);
  const activation = opts.activation === undefined ? 'tanh' : opts.activation;
  assertActivation(activation, 'initRnn: activation');
  const init = opts.init === undefined ? 'normal' : opts.init;
  if (typeof init !== 'string' || !INITS.includes(init)) {
    throw new (typeof init === 'string' ? RangeError : TypeError)(`initRnn: init must be 'normal', 'orthogonal', 'identity' or 'pytorch', got '${String(init)}'`);
  }
  const gain = opts.gain ?? 1;
  assertNumber(gain, 'initRnn: gain', 0);
  checkTypedAllocation(H * H, init === 'orthogonal' ? 8 : 4, 'initRnn: hiddenSize', `the ${init === 'orthogonal' ? 'float64 orthogonal-init work matrix' : 'recurrent weight matrix'} ${H}×${H}`);
  checkTypedAllocation(H * I, 4, 'initRnn: inputSize', `wIn ${H}×${I}`);
  checkTypedAllocation(O * H, 4, 'initRnn: outputSize', `wOut ${O}×${H}`);
  const rng = resolveRng(opts, 0, 'initRnn');
  const cell = opts.cell ?? 'rnn';
  if (cell !== 'rnn' && cell !== 'gru' && cell !== 'lstm') throw new RangeError(`initRnn: cell must be 'rnn', 'gru' or 'lstm', got '${String(cell)}'`);
  if (cell !== 'rnn') {
    if (init !== 'pytorch' && init !== 'orthogonal' && opts.init !== undefined) throw new RangeError(`initRnn: a ${cell.toUpperCase()} takes init 'pytorch' (default) or 'orthogonal', got '${init}'`);
    if (activation !== 'tanh') throw new RangeError(`initRnn: a ${cell.toUpperCase()} uses 'tanh', got activation '${activation}'`);
    return initGated(cell, I, H, O, gain, opts.init === 'orthogonal' ? orthogonal : null, rng);
  }
  if (init === 'pytorch') {
    const k = 1 / Math.sqrt(H);
    const u = () => (2 * rng() - 1) * k;
    const wIn = tensorOf([H, I], u);
    const wRec = tensorOf([H, H], () => gain * u(), gain);
    const bIh = Array.from({ length: H }, u);
    const bHh = Array.from({ length: H }, u);
    const b = tensorOf([H], (i) => bIh[i] + bHh[i]);
    const wOut = tensorOf([O, H], u);
    const bOut = tensorOf([O], u);
    return { activation, params: { wIn, wRec, b, wOut, bOut } };
  }
  const sIn = 1 / Math.sqrt(I);
  const wIn = tensorOf([H, I], () => sIn * gaussian(rng, 'initRnn'));
  let wRec: Tensor;
  if (init === 'normal') {
    const s = gain / Math.sqrt(H);
    wRec = tensorOf([H, H], () => s * gaussian(rng, 'initRnn'), gain);
  } else if (init === 'orthogonal') {
    const q = orthogonal(H, rng);
    wRec = tensorOf([H, H], (i) => gain * q[i], gain);
  } else {
    wRec = tensorOf([H, H], (i) => (i % (H + 1) === 0 ? gain : 0), gain);
  }
  const b = tensorOf([H], () => 0);
  const sOut = 1 / Math.sqrt(H);
  const wOut = tensorOf([O, H], () => sOut * gaussian(rng, 'initRnn'));
  const bOut = tensorOf([O], () => 0);
  return { activation, params: { wIn, wRec, b, wOut, bOut } };
}
