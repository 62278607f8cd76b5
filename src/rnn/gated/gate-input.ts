/**
 * The input term of a gated cell's gates, W_ih·x_t + b_ih [G·H], as a function of t for the
 * adapter in ./system.ts. A constant input's term is computed once. A sequence's terms are computed
 * a chunk of {@link CHUNK} steps at a time by one gemm (X_chunk·W_ihᵀ, on the float64 backend the
 * rest of the system uses), then + b_ih; the spectrum asks for t in order, so each term is computed
 * once. Every entry is the same sum in the same order as the one-step product it replaces (gemvRaw's:
 * Σ_l u[i,l]·x_l from l = 0 up, then + b_ih[i]: the gemm kernels sum each entry in that order), so
 * the bits are unchanged (test/rnn/gated/gate-input.test.ts, up to I = 784).
 * @internal
 */
import { gemmRaw } from '../../core/gemm.js';
import type { Drive } from '../drive.js';
import type { GatedRnn } from '../types.js';

/** Steps per chunk (a chunk of G·H = 600 terms per step is 300 KB). */
export const CHUNK = 64;

/** The term W_ih·x_t + b_ih for step t (a view valid until the next call). @internal */
export function createGateInput(rnn: GatedRnn, I: number, GH: number, d: Drive, name: string): (t: number) => Float64Array {
  const u = Float64Array.from(rnn.params.wIn.data);
  const bIn = Float64Array.from(rnn.params.bIn.data);
  const { seq, length, constant } = d;
  if (seq === undefined) {
    const gx = Float64Array.from(bIn);
    gemmRaw(false, false, GH, 1, I, 1, u, I, Float64Array.from(constant), 1, 1, gx, 1);
    return () => gx;
  }
  const T = length as number;
  const C = Math.min(CHUNK, T);
  const buf = new Float64Array(C * GH);
  const xs = new Float64Array(C * I);
  const views = Array.from({ length: C }, (_, c) => buf.subarray(c * GH, (c + 1) * GH));
  let t0 = -1; // first step of the chunk in buf
  return (t: number): Float64Array => {
    const c = t - t0;
    if (t0 >= 0 && c >= 0 && c < C && Number.isInteger(c)) return views[c];
    if (!Number.isInteger(t) || t < 0 || t >= T) {
      throw new RangeError(`${name}: time step t must be an integer in [0, ${T}) for an input sequence of length ${T}, got ${t}`);
    }
    t0 = t - (t % C);
    projectSteps(u, bIn, seq, I, GH, t0, Math.min(C, T - t0), buf, xs);
    return views[t - t0];
  };
}

/** out[c·GH + i] = (Σ_l u[i·I + l]·x[(t0 + c)·I + l], l = 0, 1, …) + b[i] for c < steps (one gemm; xs: scratch). */
export function projectSteps(
  u: Float64Array, b: Float64Array, x: Float32Array, I: number, GH: number, t0: number, steps: number, out: Float64Array, xs: Float64Array,
): void {
  for (let e = 0; e < steps * I; e++) xs[e] = x[t0 * I + e];
  gemmRaw(false, true, steps, GH, I, 1, xs, I, u, I, 0, out, GH);
  for (let c = 0; c < steps; c++) {
    const o = c * GH;
    for (let i = 0; i < GH; i++) out[o + i] += b[i];
  }
}
