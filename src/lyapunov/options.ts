/**
 * Option reading for the Lyapunov entry points: the shared long-run helpers of core
 * (src/core/long-run.ts) and the readers of this folder: state vectors and an RNN run's h0.
 */
import { firstNonFinite, formatShape } from '../core/errors.js';
import { toTensor } from '../core/input.js';
import { kindOf } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';

export { HENON_KEYS, LOGISTIC_KEYS, LORENZ63_KEYS, LORENZ96_KEYS, SPECTRUM_KEYS } from './option-keys.js';
export { checkExclusive } from '../core/options.js';
export { checkCallback, checkMemory, checkSignal, createProgressClock, MAX_BYTES, MAX_STEPS, ownOptions, type ProgressClock } from '../core/long-run.js';

/** Reads x0-like state vectors: a Float64Array, Float32Array or number[] of length n, finite. */
export function readState(v: unknown, n: number, what: string): Float64Array {
  if (!(v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v))) {
    throw new TypeError(`${what} must be a Float64Array or number[] of length ${n}, got ${kindOf(v)}`);
  }
  const len = v.length;
  if (len !== n) throw new RangeError(`${what} must have length dim = ${n}, got ${len}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (v as ArrayLike<unknown>)[i];
    if (typeof x !== 'number') throw new TypeError(`${what}[${i}] must be a number, got ${typeof x}`);
    if (!Number.isFinite(x)) throw new RangeError(`${what} has ${x} at index ${i}`);
    out[i] = x;
  }
  return out;
}

/**
 * h0 as [W] (shared) or [B,W] (per sequence), flat float64 of the state's width `dim`; undefined for
 * zeros. W = dim, or for an LSTM (`hidden` = H, dim = 2H) also H: h alone, c starting at 0, as
 * `rnnForward` and `train` take it. Flat arrays hold the full state (length dim or B·dim; an LSTM's h
 * alone only as length H, since B·H = 2H would be ambiguous at B = 2). A shaped form (a Tensor,
 * `{ shape, data }` with any numeric data, an ndarray view, nested rows) is read as core's toTensor
 * reads it. `arg` names it in messages (e.g. "lyapunovSpectrum: h0").
 */
export function readH0(v: unknown, b: number, dim: number, arg: string, hidden = dim): Float64Array | undefined {
  if (v === undefined) return undefined;
  const lstm = hidden !== dim;
  const shapes = lstm ? `[H], [B,H] (h, with c = 0), [2H] or [B,2H] ([h; c]) with H = ${hidden}` : `[H] or [B,H] with H = ${dim}`;
  const rows = nestedRows(v);
  if (rows !== undefined || (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !Array.isArray(v) && 'data' in v)) {
    // a Tensor, { shape, data } with any numeric data, an ndarray view or nested rows, read as
    // toTensor reads them (a view through its strides); float64 values (Float64Array or number[]
    // data, nested numbers) stay float64, as a flat Float64Array does; each property is read once
    const o = v as { shape?: unknown; data?: unknown; stride?: unknown; offset?: unknown };
    const data = rows === undefined ? o.data : undefined;
    const stride = rows === undefined ? o.stride : undefined;
    const t = toTensor(rows ?? (stride === undefined ? { shape: o.shape, data } : { shape: o.shape, data, stride, offset: o.offset }), arg);
    const s = t.shape;
    const w = s[s.length - 1];
    const ok = (w === dim || w === hidden) && (s.length === 1 || (s.length === 2 && (s[0] === b || s[0] === 1)));
    if (!ok) throw new RangeError(`${arg} must be ${shapes}, B = ${b}, got ${formatShape(s)}`);
    const n = s.length === 1 ? 1 : s[0];
    const exact = rows !== undefined ? flatRows(rows) : stride === undefined && (data instanceof Float64Array || Array.isArray(data)) ? data : t.data;
    const flat = readState(exact, t.data.length, arg);
    return w === dim ? flat : widen(flat, n, hidden, dim);
  }
  if (!(v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v))) {
    throw new TypeError(`${arg} must be a Tensor ${lstm ? '[H], [B,H], [2H] or [B,2H]' : '[H] or [B,H]'}, a Float64Array or number[], got ${v === null ? 'null' : typeof v}`);
  }
  const len = (v as ArrayLike<number>).length;
  if (lstm && len === hidden) return widen(readState(v, len, arg), 1, hidden, dim);
  if (len !== dim && len !== b * dim) {
    const what = lstm ? `2H = ${dim} or B·2H = ${b * dim} entries (the LSTM state [h; c] with H = ${hidden}; h alone as a Tensor [B,H] or a flat [H])` : `H = ${dim} or B·H = ${b * dim} entries`;
    throw new RangeError(`${arg} must have ${what}, got ${len}`);
  }
  return readState(v, len, arg);
}

/** `v` as nested rows (an array of arrays or typed arrays), else undefined. */
function nestedRows(v: unknown): readonly ArrayLike<number>[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const first: unknown = v[0];
  return Array.isArray(first) || ArrayBuffer.isView(first) ? (v as ArrayLike<number>[]) : undefined;
}

/** Nested rows (checked rectangular by toTensor) flattened without rounding. */
function flatRows(rows: readonly ArrayLike<number>[]): Float64Array {
  const d = rows[0].length;
  const out = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) for (let j = 0; j < d; j++) out[r * d + j] = rows[r][j];
  return out;
}

/** Rows of h alone (width H) as full LSTM states [h; 0] (width 2H). */
function widen(h: Float64Array, rows: number, hidden: number, dim: number): Float64Array {
  const out = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) out.set(h.subarray(r * hidden, (r + 1) * hidden), r * dim);
  return out;
}

/**
 * The input steps a driven system can take (its `length`, as `rnnSystem` sets it), or undefined for
 * a free-running one: the spectrum's defaults then count the steps the inputs allow, as for an RNN
 * given `inputs`.
 */
export function drivenLength(system: object): number | undefined {
  const len = (system as { length?: unknown }).length;
  return Number.isSafeInteger(len) && (len as number) >= 1 ? (len as number) : undefined;
}

/**
 * Reads an RNN run's `inputs` once (float64 data and nested arrays → float32, as rnnForward takes
 * them) as `[B,T,I]` or `[T,I]`, with I = `ni` when the network is known, finite. @internal
 */
export function readInputs(raw: unknown, name: string, ni?: number): { inputs: Tensor; b: number; t: number; i: number } {
  if (raw === null || typeof raw !== 'object') throw new TypeError(`${name}: inputs must be a Tensor [B,T,I] or [T,I], got ${raw === null ? 'null' : typeof raw}`);
  // each property read once; an ndarray view keeps its strides (dropping them read the raw buffer in its storage order)
  const o = raw as { shape?: unknown; data?: unknown; stride?: unknown; offset?: unknown };
  const stride = Array.isArray(raw) || ArrayBuffer.isView(raw) ? undefined : o.stride;
  const inputs: Tensor = toTensor('data' in raw ? (stride === undefined ? { shape: o.shape, data: o.data } : { shape: o.shape, data: o.data, stride, offset: o.offset }) : raw, `${name}: inputs`);
  const s = inputs.shape.slice();
  if ((s.length !== 2 && s.length !== 3) || (ni !== undefined && s[s.length - 1] !== ni)) {
    throw new RangeError(`${name}: inputs must be [B,T,I] or [T,I]${ni !== undefined ? ` with I = ${ni} (the RNN's input size)` : ''}, got ${formatShape(s)}`);
  }
  const [b, t, i] = s.length === 2 ? [1, s[0], s[1]] : s;
  if (b < 1) throw new RangeError(`${name}: inputs must hold at least one sequence, got ${formatShape(s)}`);
  // the whole tensor's index (each sequence's own check would count from its start)
  const bad = firstNonFinite(inputs.data);
  if (bad >= 0) throw new RangeError(`${name}: inputs has ${inputs.data[bad]} at flat index ${bad}`);
  return { inputs, b, t, i };
}
