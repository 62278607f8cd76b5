/**
 * Sequential MNIST: a digit read as a sequence (one row per step, or one pixel per step, optionally
 * in a fixed random order), with the row modifications of Horoi, Geadah, Wolf & Lajoie (2020):
 * cut, hidden and extended.
 */
import { checkExclusive, checkOptionKeys, readOptions } from '../core/options.js';
import { MODIFICATION_KEYS, SEQUENTIAL_MNIST_KEYS } from './option-keys.js';
import { formatShape } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { resolveRng } from '../core/rng.js';

/** How a digit becomes a sequence. */
export type SequentialMnistVariant = 'rows' | 'pixels' | 'permuted';

/**
 * A modification of the sequence, counted in image rows (n in [0, rows]):
 * - `cut`: only the first n rows; the sequence is shorter (n rows).
 * - `hidden`: the first n rows shown, the remaining rows blanked (zeros); the length is unchanged.
 * - `extended`: the whole digit followed by n blank rows; the sequence is longer (rows + n).
 */
export interface SequenceModification {
  kind: 'cut' | 'hidden' | 'extended';
  n: number;
}

/** Options of {@link sequentialMnist}. */
export interface SequentialMnistOptions {
  /** `'rows'` (default): one row per step (28 steps × 28 inputs); `'pixels'`: one pixel per step (784 × 1); `'permuted'`: one pixel per step in a fixed random order. */
  variant?: SequentialMnistVariant;
  /** Row modification (cut / hidden / extended), see {@link SequenceModification}. */
  modification?: SequenceModification;
  /** Seed of the permutation for `'permuted'` (default 0): the same seed gives the same permutation. */
  seed?: number | string;
  /** A uniform generator for the permutation, instead of `seed` (both together are a TypeError). */
  rng?: () => number;
  /**
   * An explicit permutation for `'permuted'`: `permutation[t]` is the flat pixel index read at step t.
   * A RangeError with any other variant, or together with `seed` or `rng` (either would go unused).
   */
  permutation?: ArrayLike<number>;
  /** Index of the first example taken (default 0). */
  offset?: number;
  /** At most this many examples from `offset` on (default: all that remain). */
  limit?: number;
}

/** The sequences and their labels. */
export interface SequentialMnistData {
  /** Inputs `[N, T, I]`, pixel values scaled to [0, 1]. */
  x: Tensor;
  /** Class labels, length N. */
  labels: Int32Array;
  /** For `'permuted'`: the permutation used (`permutation[t]` = flat pixel index read at step t). */
  permutation?: Int32Array;
}

type Images = { readonly shape: readonly number[]; readonly data: ArrayLike<number> };
type Labels = { readonly shape: readonly number[]; readonly data: ArrayLike<number> } | ArrayLike<number>;

function isNumericArray(a: unknown): a is ArrayLike<number> {
  return Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView));
}

/**
 * Turns MNIST images and labels (as returned by {@link readIdx}) into sequences for an RNN:
 * `x` of shape `[N, T, I]` with pixels scaled to [0, 1] (byte values — a `Uint8Array`, a Node `Buffer`
 * or a `Uint8ClampedArray` — divided by 255; any other data taken as they are) and `labels` as an
 * `Int32Array`.
 *
 * Variants: `'rows'` (default) reads one row per step (T = 28, I = 28); `'pixels'` one pixel per step
 * in row-major order (T = 784, I = 1); `'permuted'` one pixel per step in the order of a fixed random
 * permutation drawn from `seed` (the same seed gives the same permutation, so train and test sets
 * agree) or given as `permutation`.
 *
 * Modifications (Horoi et al. 2020) count image rows, 0 ≤ n ≤ 28: `cut` keeps the first n rows
 * (length n), `hidden` shows the first n rows and blanks the rest (length 28), `extended` appends n
 * blank rows (length 28 + n). In the pixel variants one row is 28 steps, and the modification applies
 * to the sequence as read (for `'permuted'`: to the permuted sequence).
 *
 * Images may be `[N, R, C]` of any size (MNIST: R = C = 28); n is then checked against R.
 *
 * @example
 * ```ts
 * const images = readIdx(trainImageBytes), labels = readIdx(trainLabelBytes);
 * const train = sequentialMnist(images, labels);                                  // x: [60000, 28, 28]
 * const cut10 = sequentialMnist(images, labels, { modification: { kind: 'cut', n: 10 }, limit: 1000 });
 * cut10.x.shape; // [1000, 10, 28]
 * ```
 */
export function sequentialMnist(images: Images, labels: Labels, options: SequentialMnistOptions = {}): SequentialMnistData {
  const name = 'sequentialMnist';
  if (images === null || typeof images !== 'object' || !Array.isArray(images.shape) || !isNumericArray(images.data)) {
    throw new TypeError(`${name}: images: expected { shape: [N, 28, 28], data: Uint8Array } as returned by readIdx`);
  }
  const opts = readOptions(options, name);
  checkOptionKeys(opts, SEQUENTIAL_MNIST_KEYS, name);
  const shape = images.shape;
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`${name}: images: expected shape [N, 28, 28] (rank 3), got ${formatShape(shape)}`);
  }
  const [N, R, C] = shape;
  if (images.data.length !== N * R * C) {
    throw new RangeError(`${name}: images: shape ${formatShape(shape)} holds ${N * R * C} values but data has length ${images.data.length}`);
  }

  // labels
  let lab: ArrayLike<number>;
  if (isNumericArray(labels)) {
    lab = labels;
  } else if (labels !== null && typeof labels === 'object' && isNumericArray((labels as { data: unknown }).data)) {
    const ls = (labels as { shape: unknown }).shape;
    lab = (labels as { data: ArrayLike<number> }).data;
    if (!Array.isArray(ls) || ls.length !== 1 || ls[0] !== lab.length) {
      throw new RangeError(`${name}: labels: expected shape [N], got ${Array.isArray(ls) ? formatShape(ls) : String(ls)}`);
    }
  } else {
    throw new TypeError(`${name}: labels: expected { shape: [N], data } as returned by readIdx, or an array of integers`);
  }
  if (lab.length !== N) {
    throw new RangeError(`${name}: labels: expected ${N} labels (one per image), got ${lab.length}`);
  }

  // subset
  const rng = resolveRng(opts, 0, name); // checks seed and rng whatever the variant
  const offset = opts.offset === undefined ? 0 : opts.offset;
  if (typeof offset !== 'number') throw new TypeError(`${name}: opts.offset: expected an integer, got ${typeof offset}`);
  if (!Number.isInteger(offset) || offset < 0 || offset > N) {
    throw new RangeError(`${name}: opts.offset: expected an integer in [0, ${N}], got ${String(offset)}`);
  }
  const limit = opts.limit === undefined ? N - offset : opts.limit;
  if (typeof limit !== 'number') throw new TypeError(`${name}: opts.limit: expected a non-negative integer, got ${typeof limit}`);
  if (!(Number.isInteger(limit) || limit === Infinity) || limit < 0) {
    throw new RangeError(`${name}: opts.limit: expected a non-negative integer, got ${String(limit)}`);
  }
  const count = Math.min(limit, N - offset);

  // variant
  const variant = opts.variant ?? 'rows';
  if (variant !== 'rows' && variant !== 'pixels' && variant !== 'permuted') {
    throw new RangeError(`${name}: opts.variant: expected 'rows', 'pixels' or 'permuted', got ${String(variant)}`);
  }
  const P = R * C;
  const inputSize = variant === 'rows' ? C : 1;
  const stepsPerRow = variant === 'rows' ? 1 : C;

  // modification → shownSteps (steps carrying image data) and T (total length)
  const { shownSteps, T } = sequenceLayout(opts.modification, R, stepsPerRow, name);

  // permutation
  let perm: Int32Array | undefined;
  if (opts.permutation !== undefined && variant !== 'permuted') {
    throw new RangeError(`${name}: opts.permutation is read only with variant 'permuted' (got variant '${variant}'); pass { variant: 'permuted', permutation }`);
  }
  if (variant === 'permuted') {
    if (opts.permutation !== undefined) {
      // an explicit permutation would make a seed or rng unused: refuse the pair rather than drop one
      checkExclusive(opts, 'permutation', 'seed', name, { hint: 'a permutation fixes the order, a seed draws one' });
      checkExclusive(opts, 'permutation', 'rng', name, { hint: 'a permutation fixes the order, an rng draws one' });
      perm = checkPermutation(opts.permutation, P, `${name}: opts.permutation`);
    } else {
      perm = randomPermutation(P, rng);
    }
  }

  // labels copy (checked)
  const outLabels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = lab[offset + i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new RangeError(`${name}: labels: expected non-negative integers, found ${String(v)} at index ${offset + i}`);
    }
    outLabels[i] = v;
  }

  const stepSize = T * inputSize;
  const data = new Float32Array(count * stepSize);
  const src = images.data;
  const shown = shownSteps * inputSize;
  // byte pixels (readIdx's ubyte, a Node Buffer, a canvas's Uint8ClampedArray) are scaled, others taken as they are
  const bytes = src instanceof Uint8Array || src instanceof Uint8ClampedArray;
  if (bytes) {
    // ubyte pixels: v / 255 through a 256-entry table (the same float32 values as dividing)
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = v / 255;
    for (let i = 0; i < count; i++) {
      const s0 = (offset + i) * P, d0 = i * stepSize;
      if (perm === undefined) for (let j = 0; j < shown; j++) data[d0 + j] = lut[src[s0 + j]];
      else for (let j = 0; j < shown; j++) data[d0 + j] = lut[src[s0 + perm[j]]];
      // the rest stays zero (hidden / extended blank rows)
    }
  } else {
    for (let i = 0; i < count; i++) {
      const s0 = (offset + i) * P, d0 = i * stepSize;
      if (perm === undefined) for (let j = 0; j < shown; j++) data[d0 + j] = src[s0 + j];
      else for (let j = 0; j < shown; j++) data[d0 + j] = src[s0 + perm[j]];
    }
  }
  if (!bytes) {
    // float data may hold NaN or Infinity: report it (ubyte data cannot)
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v !== v || v === Infinity || v === -Infinity) {
        const ex = Math.floor(i / stepSize);
        throw new RangeError(`${name}: images: expected finite pixel values, found ${v} in image ${offset + ex}`);
      }
    }
  }
  const result: SequentialMnistData = { x: { shape: [count, T, inputSize], data }, labels: outLabels };
  if (perm !== undefined) result.permutation = perm;
  return result;
}

/** Steps carrying image data and the total length T of a sequence under `modification` (checked). */
function sequenceLayout(mod: SequenceModification | undefined, R: number, stepsPerRow: number, name: string): { shownSteps: number; T: number } {
  const fullSteps = R * stepsPerRow;
  if (mod === undefined) return { shownSteps: fullSteps, T: fullSteps };
  if (mod === null || typeof mod !== 'object') throw new TypeError(`${name}: opts.modification: expected { kind, n }, got ${mod === null ? 'null' : typeof mod}`);
  // own properties only, as every options object (an inherited kind or n is not read)
  const m = readOptions(mod, name, 'opts.modification');
  checkOptionKeys(m, MODIFICATION_KEYS, name, 'opts.modification');
  if (m.kind !== 'cut' && m.kind !== 'hidden' && m.kind !== 'extended') {
    throw new RangeError(`${name}: opts.modification.kind: expected 'cut', 'hidden' or 'extended', got ${String(m.kind)}`);
  }
  if (typeof m.n !== 'number' || !Number.isInteger(m.n) || m.n < 0 || m.n > R) {
    throw new RangeError(`${name}: opts.modification.n: expected an integer in [0, ${R}] (rows), got ${String(m.n)}`);
  }
  const steps = m.n * stepsPerRow;
  if (m.kind === 'cut') return { shownSteps: steps, T: steps };
  if (m.kind === 'hidden') return { shownSteps: steps, T: fullSteps };
  return { shownSteps: fullSteps, T: fullSteps + steps };
}

function checkPermutation(p: ArrayLike<number>, n: number, name: string): Int32Array {
  if (!isNumericArray(p)) throw new TypeError(`${name}: expected an array of integers`);
  if (p.length !== n) throw new RangeError(`${name}: expected a permutation of length ${n}, got length ${p.length}`);
  const seen = new Uint8Array(n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = p[i];
    if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) {
      throw new RangeError(`${name}: expected a permutation of 0..${n - 1}, found ${String(v)} at index ${i}${seen[v] ? ' (repeated)' : ''}`);
    }
    seen[v] = 1;
    out[i] = v;
  }
  return out;
}

/** Fisher–Yates shuffle of 0..n−1. */
function randomPermutation(n: number, rng: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
