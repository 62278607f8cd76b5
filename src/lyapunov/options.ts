/**
 * Option reading for the Lyapunov entry points: the shared long-run helpers of core
 * (src/core/long-run.ts) and the readers of this folder: state vectors and an RNN run's h0.
 */
import { assertTensor, formatShape } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';

export { checkCallback, checkMemory, checkSignal, createProgressClock, MAX_BYTES, MAX_STEPS, ownOptions, type ProgressClock } from '../core/long-run.js';

/** Reads x0-like state vectors: a Float64Array, Float32Array or number[] of length n, finite. */
export function readState(v: unknown, n: number, what: string): Float64Array {
  if (!(v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v))) {
    throw new TypeError(`${what} must be a Float64Array or number[] of length ${n}, got ${v === null ? 'null' : typeof v}`);
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

/** h0 as [H] (shared) or [B,H] (per sequence), flat float64; undefined for zeros. */
export function readH0(v: unknown, b: number, h: number, name: string): Float64Array | undefined {
  if (v === undefined) return undefined;
  if (v !== null && typeof v === 'object' && 'shape' in v && 'data' in v) {
    const t = { shape: (v as Tensor).shape, data: (v as Tensor).data };
    assertTensor(t, `${name}: h0`);
    const s = t.shape;
    const ok = (s.length === 1 && s[0] === h) || (s.length === 2 && s[1] === h && (s[0] === b || s[0] === 1));
    if (!ok) throw new RangeError(`${name}: h0 must be [H] or [B,H] with H = ${h}, B = ${b}, got ${formatShape(s)}`);
    return readState(t.data, t.data.length, `${name}: h0`);
  }
  if (!(v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v))) {
    throw new TypeError(`${name}: h0 must be a Tensor [H] or [B,H], a Float64Array or number[], got ${v === null ? 'null' : typeof v}`);
  }
  const len = (v as ArrayLike<number>).length;
  if (len !== h && len !== b * h) throw new RangeError(`${name}: h0 must have H = ${h} or B·H = ${b * h} entries, got ${len}`);
  return readState(v, len, `${name}: h0`);
}
