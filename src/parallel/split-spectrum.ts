/**
 * How the pool splits a driven spectrum (`inputs` [B,T,I], and `h0` shared or per sequence) over its
 * workers, by sequences; anything unusual runs whole, so that the worker throws exactly the
 * synchronous error. @internal
 */
import { firstNonFinite } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { drivenCounts } from '../lyapunov/spectrum.js';

/** A non-null object (the pool's own kind check). @internal */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

/** A typed array's product of dims check, and finiteness (so a split never changes an error message). */
function finiteData(data: unknown, size: number): boolean {
  if (!(data instanceof Float32Array || data instanceof Float64Array) || data.length !== size) return false;
  return firstNonFinite(data) < 0;
}

function isTensorLike(v: unknown): v is Tensor {
  return isObject(v) && Array.isArray(v.shape) && (v.shape as unknown[]).every((d) => Number.isInteger(d) && (d as number) >= 0);
}

/** Whether T steps leave steps to count under the call's warm-ups (`drivenCounts` does not throw). */
function lengthFits(t: number, send: Record<string, unknown>): boolean {
  try {
    drivenCounts(t, send, 'lyapunovSpectrum');
    return true;
  } catch {
    return false;
  }
}

/**
 * How to split a driven spectrum over `parts` workers, or undefined to run it whole (anything
 * unusual: the worker then throws exactly the synchronous error).
 */
export function splitSpectrum(rnn: unknown, send: Record<string, unknown>, parts: number): Record<string, unknown>[] | undefined {
  const inputs = send.inputs;
  if (parts < 2 || !isTensorLike(inputs) || inputs.shape.length !== 3) return undefined;
  // an ndarray view runs whole: slicing its buffer would drop the strides
  if ((inputs as { stride?: unknown }).stride !== undefined) return undefined;
  const [b, t, i] = inputs.shape as number[];
  if (b < 2 || t < 1 || i < 1) return undefined;
  if (!finiteData(inputs.data, b * t * i)) return undefined;
  // a run length the warm-ups refuse runs whole: its error then reads the whole batch, [B,T,I] and
  // the time-first hint when B > T, not a worker's share of it
  if (!lengthFits(t, send)) return undefined;
  const params = isObject(rnn) && isObject(rnn.params) ? rnn.params : undefined;
  const wIn = params?.wIn;
  const wRec = params?.wRec;
  if (!isTensorLike(wIn) || wIn.shape[1] !== i || !isTensorLike(wRec)) return undefined;
  // the state's width: H (wRec [H,H], or a GRU's [3H,H]), or an LSTM's 2H = [h; c] (h0 may also give h alone)
  const H = wRec.shape[1];
  const lstm = (rnn as { cell?: unknown }).cell === 'lstm';
  const h = lstm ? 2 * H : H;
  if (!Number.isInteger(H) || H < 1) return undefined;
  const width = (w: unknown) => w === h || (lstm && w === H);
  // h0: undefined, shared ([W], [1,W], length W) or one row per sequence ([B,W], length B·dim)
  const h0 = send.h0;
  let perRow: ((lo: number, hi: number) => unknown) | undefined;
  if (h0 !== undefined) {
    if (isTensorLike(h0) && 'data' in h0) {
      if ((h0 as { stride?: unknown }).stride !== undefined) return undefined;
      const s = h0.shape;
      const w = s[s.length - 1];
      if (!finiteData(h0.data, s.reduce((a, c) => a * c, 1))) return undefined;
      if ((s.length === 1 && width(w)) || (s.length === 2 && s[0] === 1 && width(w))) perRow = undefined;
      else if (s.length === 2 && s[0] === b && width(w)) {
        const d = h0.data as Float32Array | Float64Array;
        perRow = (lo, hi) => ({ shape: [hi - lo, w], data: d.slice(lo * w, hi * w) });
      } else return undefined;
    } else if (h0 instanceof Float64Array || h0 instanceof Float32Array) {
      if (!finiteData(h0, h0.length)) return undefined;
      if (h0.length === b * h) perRow = (lo, hi) => h0.slice(lo * h, hi * h);
      else if (!width(h0.length)) return undefined;
    } else return undefined;
  }
  const n = Math.min(parts, b);
  const out: Record<string, unknown>[] = [];
  const data = inputs.data as Float32Array;
  for (let j = 0; j < n; j++) {
    const lo = Math.floor((j * b) / n);
    const hi = Math.floor(((j + 1) * b) / n);
    const o: Record<string, unknown> = { ...send, inputs: { shape: [hi - lo, t, i], data: data.slice(lo * t * i, hi * t * i) } };
    if (perRow) o.h0 = perRow(lo, hi);
    out.push(o);
  }
  return out;
}
