/**
 * Option reading for the Lyapunov entry points: the shared long-run helpers of core
 * (src/core/long-run.ts) and the state-vector reader of this folder.
 */
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
