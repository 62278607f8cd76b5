/**
 * M-PHATE (Gigante, Charles, Krishnaswamy & Mishne 2019, "Visualizing the PHATE of neural
 * networks") and multiway multislice PHATE (Xie, Kohler Voinov, Mudrik, Mishne & Charles 2024).
 *
 * Nodes are (slice, unit) pairs. Following the reference code (scottgigante/m-phate,
 * m_phate/kernel.py, `_multislice_kernel`, and m_phate/utils.py `normalize`):
 * - each unit's activation vector within a slice is z-scored over its features;
 * - within each slice, the units are joined by the α-decay kNN kernel of PHATE (defaults k = 2,
 *   α = 5, as `intraslice_knn` and `decay`);
 * - across slices only the same unit is linked, by a Gaussian kernel exp(−(d/ε)²) of the distance
 *   between its vectors in the two slices, with ONE fixed bandwidth ε for all units: for each unit,
 *   the median over slices of the distance to its `interslice_knn`-th nearest slice (default 25),
 *   then the mean of these medians over units (`knn_dist` then `np.mean(bandwidths)` in
 *   `_multislice_kernel`);
 * - PHATE on the joint graph, with M-PHATE's defaults: γ = 0 (square-root potential), 4000
 *   landmarks, SMACOF metric MDS.
 * MM-PHATE (reference code JianchengXie/mm-phate, train_model.py) reshapes the recorded
 * [epochs, time steps, units, samples] tensor to [epochs·time steps, units, samples] and runs M-PHATE
 * on it: slices are the (epoch, time step) pairs.
 */
import { formatShape, type FloatArray } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { diffusionEmbedding } from './diffusion.js';
import { alphaDecayKernelRaw } from './kernel.js';
import { MULTISLICE_KEYS } from './option-keys.js';
import { readChoice } from '../../core/options.js';
import { intOption, numOption, ownOptions } from './options.js';
import { resolveDiffusionOptions, toPhateResult, type DiffusionOptions, type PhateResult } from './phate.js';
import type { Csr } from './sparse.js';
import { pca } from '../pca.js';
import { firstRowUnlikeFirst, scaleByPowerOfTwo } from '../points.js';
import { refuseStateRecording } from './multislice-input.js';

/** A tensor given as a library Tensor or as `{ shape, data }` with float64 or float32 data. */
export type MultisliceInput = Tensor | { readonly shape: readonly number[]; readonly data: FloatArray };

/** Options of {@link mPhate} and {@link mmPhate}. */
export interface MultisliceOptions extends DiffusionOptions {
  /** Neighbours for the within-slice α-decay kernel (default 2). */
  intrasliceKnn?: number;
  /** Neighbour (among the other slices) used for the interslice bandwidth (default 25). */
  intersliceKnn?: number;
  /** α of the within-slice kernel (default 5). */
  decay?: number;
  /** z-score each (slice, unit) vector over its features (default true). */
  normalize?: boolean;
  /**
   * Principal components the (slice, unit) vectors are reduced to, all slices together, after the
   * z-scoring and before the kernels, when nPca < features and nPca < slices·units (default 100, as
   * M-PHATE's `n_pca`); 0 never reduces.
   */
  nPca?: number;
  /** Interslice affinities below this are not stored (default 1e-4, graphtools' threshold). */
  thresh?: number;
  /**
   * Which slice pairs link a unit to itself: `'all'` (default, the published construction and the
   * reference code's) or, an option of ours that neither paper has,
   * `'adjacent'`: only consecutive slices (for mmPhate: consecutive time steps within an epoch and
   * the same time step in consecutive epochs), a sparser variant for very long recordings.
   */
  intersliceLinks?: 'all' | 'adjacent';
}

/** Result of {@link mPhate}: coordinates of every (slice, unit) node, slice-major. */
export interface MPhateResult extends PhateResult {
  /** Slice of each node (node = slice·units + unit). */
  readonly slice: Int32Array;
  /** Unit of each node. */
  readonly unit: Int32Array;
  /** The interslice Gaussian bandwidth ε that was used. */
  readonly intersliceBandwidth: number;
}

/** Result of {@link mmPhate}: coordinates of every (epoch, time, unit) node, in that order. */
export interface MMPhateResult extends PhateResult {
  readonly epoch: Int32Array;
  readonly time: Int32Array;
  readonly unit: Int32Array;
  readonly intersliceBandwidth: number;
}

function readTensor(X: unknown, name: string, rank: number, dims: string): { data: FloatArray; shape: number[] } {
  if (X === null || typeof X !== 'object' || !Array.isArray((X as Tensor).shape)) {
    throw new TypeError(`${name}: expected a Tensor ${dims} (or { shape, data }), got ${X === null ? 'null' : typeof X}`);
  }
  const { shape, data } = X as { shape: number[]; data: unknown };
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new TypeError(`${name}: expected Float32Array or Float64Array data`);
  }
  if (shape.length !== rank) throw new RangeError(`${name}: expected a rank-${rank} tensor ${dims}, got shape ${formatShape(shape)}`);
  let size = 1;
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 1) throw new RangeError(`${name}: dimensions must be positive integers, got ${formatShape(shape)}`);
    size *= s;
  }
  if (size !== data.length) throw new RangeError(`${name}: shape ${formatShape(shape)} holds ${size} elements but data has length ${data.length}`);
  for (let e = 0; e < data.length; e++) {
    const v = data[e];
    if (v !== v || v === Infinity || v === -Infinity) {
      const idx: number[] = [];
      let r = e;
      for (let k = rank - 1; k >= 0; k--) { idx.unshift(r % shape[k]); r = Math.floor(r / shape[k]); }
      throw new RangeError(`${name}: expected finite values, found ${v} at ${formatShape(idx)}`);
    }
  }
  return { data, shape: shape.slice() };
}

interface MultisliceKernel {
  kernel: Csr;
  bandwidth: number;
}

/**
 * Unchecked: the multislice kernel of S slices × U units with F features (row-major data[s][u][f],
 * already normalized). `linked(s, s2)` says which slice pairs carry interslice links.
 */
function multisliceKernel(
  x: Float64Array, S: number, U: number, F: number, kIntra: number, decay: number, kInter: number,
  thresh: number, linked: ((a: number, b: number) => boolean) | null, check: () => void,
): MultisliceKernel {
  const N = S * U;
  // within-slice α-decay kernels (U×U each, sparse)
  const intra: Csr[] = [];
  for (let s = 0; s < S; s++) {
    intra.push(alphaDecayKernelRaw(x.subarray(s * U * F, (s + 1) * U * F), U, F, kIntra, decay, 1e-4).kernel);
  }
  check();
  // interslice distances of one unit (S×S), recomputed in each pass to keep memory at O(S²)
  const k = Math.min(kInter, S - 1);
  const dist = new Float64Array(S * S);
  const unitDistances = (u: number): void => {
    for (let a = 0; a < S; a++) {
      const ao = (a * U + u) * F;
      dist[a * S + a] = 0;
      for (let b = a + 1; b < S; b++) {
        const bo = (b * U + u) * F;
        let s2 = 0;
        for (let f = 0; f < F; f++) { const t = x[ao + f] - x[bo + f]; s2 += t * t; }
        const d = Math.sqrt(s2);
        dist[a * S + b] = d;
        dist[b * S + a] = d;
      }
    }
  };
  const row = new Float64Array(S);
  const kth = new Float64Array(S);
  let bwSum = 0;
  for (let u = 0; u < U; u++) {
    unitDistances(u);
    for (let a = 0; a < S; a++) {
      row.set(dist.subarray(a * S, (a + 1) * S));
      row.sort(); // row[0] = 0 is the slice itself
      kth[a] = row[k];
    }
    kth.sort();
    bwSum += S % 2 === 1 ? kth[(S - 1) / 2] : 0.5 * (kth[S / 2 - 1] + kth[S / 2]);
    check();
  }
  let bandwidth = bwSum / U;
  if (!(bandwidth > 0)) bandwidth = 2.220446049250313e-16;
  const inv = 1 / bandwidth;
  const keep = (a: number, b: number): number => {
    if (a === b || (linked && !linked(a, b))) return 0;
    const q = dist[a * S + b] * inv;
    const val = Math.exp(-q * q);
    return val >= thresh ? val : 0;
  };
  // row lengths, then CSR filled in place (no coordinate lists: the interslice part can hold
  // S²·U entries)
  const indptr = new Int32Array(N + 1);
  for (let s = 0; s < S; s++) {
    const K = intra[s];
    for (let i = 0; i < U; i++) indptr[s * U + i + 1] = K.indptr[i + 1] - K.indptr[i];
  }
  for (let u = 0; u < U; u++) {
    unitDistances(u);
    for (let a = 0; a < S; a++) {
      let c = 0;
      for (let b = 0; b < S; b++) if (keep(a, b) > 0) c++;
      indptr[a * U + u + 1] += c;
    }
    check();
  }
  for (let r = 0; r < N; r++) indptr[r + 1] += indptr[r];
  const nnz = indptr[N];
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const fill = indptr.slice(0, N);
  for (let s = 0; s < S; s++) {
    const K = intra[s];
    for (let i = 0; i < U; i++) {
      const r = s * U + i;
      for (let e = K.indptr[i]; e < K.indptr[i + 1]; e++) {
        const p = fill[r]++;
        indices[p] = s * U + K.indices[e];
        values[p] = K.values[e];
      }
    }
  }
  for (let u = 0; u < U; u++) {
    unitDistances(u);
    for (let a = 0; a < S; a++) {
      const r = a * U + u;
      for (let b = 0; b < S; b++) {
        const val = keep(a, b);
        if (val > 0) {
          const p = fill[r]++;
          indices[p] = b * U + u;
          values[p] = val;
        }
      }
    }
    check();
  }
  return { kernel: { rows: N, cols: N, indptr, indices, values }, bandwidth };
}

function zscore(x: Float64Array, groups: number, F: number): void {
  for (let g = 0; g < groups; g++) {
    const o = g * F;
    // z-scores are scale-free: an exact power-of-two rescaling of the group keeps their bits and
    // keeps Σ(x − m)² from overflowing (all zeros at 1e160) or underflowing (unscaled at 1e-160)
    scaleByPowerOfTwo(x.subarray(o, o + F));
    let m = 0;
    for (let f = 0; f < F; f++) m += x[o + f];
    m /= F;
    let s = 0;
    for (let f = 0; f < F; f++) { const t = x[o + f] - m; s += t * t; }
    const sd = Math.sqrt(s / F);
    const inv = sd > 0 ? 1 / sd : 1;
    for (let f = 0; f < F; f++) x[o + f] = (x[o + f] - m) * inv;
  }
}

function runMultislice(
  x: Float64Array, S: number, U: number, F: number, opts: MultisliceOptions, name: string,
  adjacency: (a: number, b: number) => boolean,
): { result: PhateResult; bandwidth: number } {
  const kIntra = intOption(opts.intrasliceKnn, 2, `${name}: intrasliceKnn`, 1);
  if (U < kIntra + 1) {
    throw new RangeError(`${name}: intrasliceKnn = ${kIntra} needs at least ${kIntra + 1} units per slice, got ${U}`);
  }
  const kInter = intOption(opts.intersliceKnn, 25, `${name}: intersliceKnn`, 1, 1e9);
  const decay = numOption(opts.decay, 5, `${name}: decay`, Number.MIN_VALUE);
  const thresh = numOption(opts.thresh, 1e-4, `${name}: thresh`, 0, 0.5);
  const links = readChoice(opts.intersliceLinks, ['all', 'adjacent'] as const, 'all', `${name}: intersliceLinks`);
  if (opts.normalize !== undefined && typeof opts.normalize !== 'boolean') {
    throw new TypeError(`${name}: normalize must be a boolean`);
  }
  if (S < 2) throw new RangeError(`${name}: need at least 2 slices, got ${S}`);
  const core = resolveDiffusionOptions(opts, name, S * U, { gamma: 0, landmarks: 4000 });
  const nPca = intOption(opts.nPca, 100, `${name}: nPca`, 0);
  if (opts.normalize !== false) zscore(x, S * U, F);
  // equal vectors leave only the graph's slice structure to embed (it came back as if measured)
  if (firstRowUnlikeFirst(x, S * U, F) < 0) {
    const after = opts.normalize !== false ? ' after z-scoring (a constant vector z-scores to zeros)' : '';
    throw new RangeError(`${name}: X: every (slice, unit) vector equals node 0's${after}, so there is nothing to embed`);
  }
  if (nPca > 0 && nPca < F && nPca < S * U) {
    // as m_phate.kernel.multislice_kernel: one PCA of every (slice, unit) vector (graphtools' Data)
    core.progress('pca', 0, 1);
    x = pca(x, { dim: F, components: nPca }).transform(x);
    F = nPca;
    core.progress('pca', 1, 1);
    core.check();
  }
  core.progress('kernel', 0, 1);
  // the kernels use distance ratios only: an exact power-of-two rescaling keeps their bits and keeps
  // the interslice distances from overflowing (1e160) or underflowing (1e-160); ε is scaled back
  const scale = scaleByPowerOfTwo(x);
  const { kernel, bandwidth } = multisliceKernel(
    x, S, U, F, kIntra, decay, kInter, thresh, links === 'all' ? null : adjacency, core.check,
  );
  core.progress('kernel', 1, 1);
  const emb = diffusionEmbedding(kernel, core);
  return { result: toPhateResult(emb, S * U, core.components), bandwidth: bandwidth * scale };
}

/**
 * M-PHATE: embeds every (slice, unit) node of a [slices, units, features] tensor (e.g. hidden units'
 * activations on a fixed set of inputs, recorded at successive training epochs).
 *
 * **Layout:** each unit is a point and its activations over the samples are its features. That is
 * not how `rnnForward` records states (`[B,T,H]`, batch-first): pass such a recording through
 * {@link multisliceFromStates} (→ `[T,H,B]`, slices = time steps). `rnnForward`'s own arrays are
 * refused here with a RangeError saying so; a copy of them cannot be told apart.
 *
 * @param X - Tensor `[slices, units, features]` (or `{ shape, data }` with Float64Array data).
 * @returns coordinates of node `s·units + u` with its `slice` and `unit` indices.
 * @example
 * ```ts
 * // activations[e][u][i]: unit u's response to input i after epoch e
 * const res = mPhate({ shape: [epochs, units, inputs], data }, { seed: 0 });
 * // colour res.embedding by res.slice to see units move through training
 * ```
 */
export function mPhate(X: MultisliceInput, options: MultisliceOptions = {}): MPhateResult {
  const name = 'mPhate';
  const opts = ownOptions(options, name, MULTISLICE_KEYS);
  refuseStateRecording(X, name, '[slices, units, features]');
  const T = readTensor(X, `${name}: X`, 3, '[slices, units, features]');
  const [S, U, F] = T.shape as [number, number, number];
  const x = Float64Array.from(T.data);
  const { result, bandwidth } = runMultislice(x, S, U, F, opts, name, (a, b) => Math.abs(a - b) === 1);
  const slice = new Int32Array(S * U), unit = new Int32Array(S * U);
  for (let s = 0; s < S; s++) for (let u = 0; u < U; u++) { slice[s * U + u] = s; unit[s * U + u] = u; }
  return { ...result, slice, unit, intersliceBandwidth: bandwidth };
}

/**
 * Multiway multislice PHATE: embeds every (epoch, time step, unit) node of a
 * [epochs, timeSteps, units, samples] recording of an RNN's hidden units (unit activations on a
 * fixed set of input samples, at each time step, after each training epoch). Slices are the
 * (epoch, time step) pairs, as in the reference code.
 *
 * **Layout:** units before samples, unlike `rnnForward`'s batch-first `[B,T,H]` states: build `X`
 * from per-epoch recordings with {@link multisliceFromStates} (`[E,T,H,B]`).
 *
 * @param X - Tensor `[epochs, timeSteps, units, samples]` (or `{ shape, data }`).
 * @returns coordinates of node `(e·timeSteps + t)·units + u` with `epoch`, `time` and `unit`
 *   indices for colouring.
 * @example
 * ```ts
 * const res = mmPhate({ shape: [20, 28, 64, 100], data }, { seed: 0 });
 * // res.embedding[2*i], res.embedding[2*i+1]; colour by res.epoch[i] or res.time[i]
 * ```
 */
export function mmPhate(X: MultisliceInput, options: MultisliceOptions = {}): MMPhateResult {
  const name = 'mmPhate';
  const opts = ownOptions(options, name, MULTISLICE_KEYS);
  refuseStateRecording(X, name, '[epochs, timeSteps, units, samples]');
  const T = readTensor(X, `${name}: X`, 4, '[epochs, timeSteps, units, samples]');
  const [E, Ts, U, F] = T.shape as [number, number, number, number];
  const x = Float64Array.from(T.data);
  const S = E * Ts;
  // 'adjacent': (e, t)–(e, t±1) and (e, t)–(e±1, t)
  const adjacency = (a: number, b: number): boolean => {
    const ea = Math.floor(a / Ts), ta = a % Ts, eb = Math.floor(b / Ts), tb = b % Ts;
    return (ea === eb && Math.abs(ta - tb) === 1) || (ta === tb && Math.abs(ea - eb) === 1);
  };
  const { result, bandwidth } = runMultislice(x, S, U, F, opts, name, adjacency);
  const N = S * U;
  const epoch = new Int32Array(N), time = new Int32Array(N), unit = new Int32Array(N);
  for (let e = 0; e < E; e++) for (let t = 0; t < Ts; t++) for (let u = 0; u < U; u++) {
    const i = (e * Ts + t) * U + u;
    epoch[i] = e; time[i] = t; unit[i] = u;
  }
  return { ...result, epoch, time, unit, intersliceBandwidth: bandwidth };
}
