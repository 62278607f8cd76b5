/**
 * The RNN as a {@link DynamicalSystem}: h' = φ(wRec·h + wIn·x_t + b), with its exact Jacobian
 * diag(φ'(a))·wRec evaluated at the pre-activation a of the same step. Imports only core, so the
 * Lyapunov and geometry folders can use it.
 */
import { assertTensor, firstNonFinite, formatShape } from '../core/errors.js';
import type { DynamicalSystem } from '../core/system.js';
import type { Tensor } from '../core/tensor.js';
import type { Activation, AnyRnn, Rnn } from './types.js';
import { gatedSystem } from './gated/system.js';
import { assertGatedParams, isGated } from './gated/validate.js';
// the float64 SIMD product kernel (a leaf module: it imports nothing but its loader and bytes)
import { wasmGemvResident, wasmKernels, wasmMatMulDiag } from '../core/wasm64/kernels-wasm.js';
import { diagMatMulColMajorRaw } from '../core/linalg/colmajor.js';

/** Options of {@link rnnSystem}. */
export interface RnnSystemOptions {
  /** Input sequence `[1,T,I]` or `[T,I]`: step t reads x_t (t in [0, T)). */
  inputs?: Tensor;
  /** Constant input (length I) for an autonomous system; default zeros. */
  input?: Float64Array | readonly number[];
}

/** An RNN adapted to {@link DynamicalSystem} (dim = H). */
export interface RnnSystem extends DynamicalSystem {
  /** Number of time steps the input sequence allows, or undefined for an autonomous system. */
  readonly length: number | undefined;
  /** Input width I. */
  readonly inputSize: number;
  /** Activation φ. */
  readonly activation: Activation;
  /**
   * Driven by `inputs`: the conventional h0 = 0 (zeros) that the analyses start from unless told
   * otherwise. Absent for an autonomous system, whose analyses start from a seeded random state
   * (see {@link randomInitialState}): h = 0 is an exact fixed point of a bias-free network.
   */
  readonly initialState?: Float64Array;
  /**
   * Column-major variant of `jacobianTimes`: q and out are column-major dim×k (column j at
   * `q[j*dim ..]`). The Lyapunov estimator keeps its frame that way and uses this to skip two
   * transposes per step.
   */
  jacobianTimesColMajor(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
}

const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'identity'];

/**
 * The default start of an autonomous run when no `x0` is given and the system declares no
 * `initialState`: x_i = 0.1·z_i with z_i standard normal (Box–Muller from `rng`, one pair of uniforms
 * per coordinate). A random start, because a fixed point at the origin (any bias-free RNN with zero
 * input) would otherwise be measured instead of the attractor. Shared by the spectra, finite-time
 * exponents and the limit-cycle detector. @internal
 */
export function randomInitialState(n: number, rng: () => number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // u = 0 (allowed by [0, 1)) counts as 1, a zero draw, as core's gaussian does: no redraw loop
    // (callers pass an rng from resolveRng, which already refuses values outside [0, 1))
    const u = rng() || 1;
    x[i] = 0.1 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  }
  return x;
}

/** Validates an Rnn's activation and parameter shapes; returns [dim, I] (dim = 2H for an LSTM). @internal */
export function checkRnnForSystem(rnn: unknown, name: string): [number, number] {
  if (rnn === null || typeof rnn !== 'object') {
    throw new TypeError(`${name}: expected an Rnn { activation, params }, got ${rnn === null ? 'null' : typeof rnn}`);
  }
  if (isGated(rnn)) {
    const { H, I } = assertGatedParams(rnn.params, rnn.cell, `${name}: rnn.params`);
    return [rnn.cell === 'lstm' ? 2 * H : H, I];
  }
  const r = rnn as Partial<Rnn>;
  if (!ACTIVATIONS.includes(r.activation as Activation)) {
    throw new RangeError(`${name}: rnn.activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(r.activation)}`);
  }
  const p = r.params;
  if (p === null || typeof p !== 'object') throw new TypeError(`${name}: rnn.params must be an object { wIn, wRec, b, ... }`);
  assertTensor(p.wRec, `${name}: rnn.params.wRec`);
  assertTensor(p.wIn, `${name}: rnn.params.wIn`);
  assertTensor(p.b, `${name}: rnn.params.b`);
  const ws = p.wRec.shape;
  if (ws.length !== 2 || ws[0] !== ws[1] || ws[0] < 1) {
    throw new RangeError(`${name}: rnn.params.wRec must be [H,H], got ${formatShape(ws)}`);
  }
  const h = ws[0];
  const is = p.wIn.shape;
  if (is.length !== 2 || is[0] !== h) {
    throw new RangeError(`${name}: rnn.params.wIn must be [H,I] with H = ${h}, got ${formatShape(is)}`);
  }
  if (p.b.shape.length !== 1 || p.b.shape[0] !== h) {
    throw new RangeError(`${name}: rnn.params.b must be [H] with H = ${h}, got ${formatShape(p.b.shape)}`);
  }
  for (const [key, t] of [['wRec', p.wRec], ['wIn', p.wIn], ['b', p.b]] as const) {
    const bad = firstNonFinite(t.data);
    if (bad >= 0) throw new RangeError(`${name}: rnn.params.${key} has ${t.data[bad]} at flat index ${bad}`);
  }
  return [h, is[1]];
}

/**
 * Adapts an RNN to a {@link DynamicalSystem} with dim = H: `step` computes
 * h' = φ(wRec·h + wIn·x_t + b) and `jacobian` the exact ∂h'/∂h = diag(φ'(a))·wRec at the same
 * pre-activation a, with φ' computed from a without cancellation (1/cosh²(a) for tanh, so a saturated
 * unit gives a true 0, and a −Infinity exponent rather than NaN). `jacobianTimes` forms
 * diag(φ'(a))·(wRec·Q) without forming J. Arithmetic is float64; the weights are copied once.
 *
 * A GRU (`cell: 'gru'`) is adapted on h and an LSTM on its full state [h; c] (dim 2H), each with the
 * exact Jacobian of PyTorch's one-step map (see docs/pytorch.md).
 *
 * Driven by `inputs` (`[1,T,I]` or `[T,I]`) step t reads x_t; otherwise the input is the constant
 * `input` (default zeros) and the system is autonomous.
 *
 * @example
 * ```ts
 * const sys = rnnSystem(rnn, { inputs: x });   // x: [1,T,I]
 * const h1 = new Float64Array(sys.dim);
 * sys.step(new Float64Array(sys.dim), 0, h1);
 * ```
 */
export function rnnSystem(rnn: AnyRnn, opts: RnnSystemOptions = {}): RnnSystem {
  const name = 'rnnSystem';
  if (isGated(rnn)) return gatedSystem(rnn, opts, name);
  const [n, ni] = checkRnnForSystem(rnn, name);
  if (opts !== null && opts !== undefined && typeof opts !== 'object') throw new TypeError(`${name}: opts: options must be an object, got ${typeof opts}`);
  // own properties only, each read once
  const own = (key: 'inputs' | 'input'): unknown =>
    opts !== null && opts !== undefined && Object.prototype.hasOwnProperty.call(opts, key) ? opts[key] : undefined;
  const inputs = own('inputs');
  const input = own('input');
  if (inputs !== undefined && input !== undefined) {
    throw new RangeError(`${name}: give either inputs (a sequence) or input (a constant), not both`);
  }
  const w = Float64Array.from(rnn.params.wRec.data);
  const u = Float64Array.from(rnn.params.wIn.data);
  const bias = Float64Array.from(rnn.params.b.data);
  const act = rnn.activation;

  let seq: Float32Array | undefined;
  let length: number | undefined;
  const drive = new Float64Array(n); // wIn·x_t + b for the time in driveT
  let driveT = NaN;
  if (inputs !== undefined) {
    if (inputs === null || typeof inputs !== 'object') throw new TypeError(`${name}: inputs must be a Tensor [1,T,I] or [T,I], got ${inputs === null ? 'null' : typeof inputs}`);
    const x = { shape: (inputs as Tensor).shape, data: (inputs as Tensor).data }; // read once
    assertTensor(x, `${name}: inputs`);
    const s = x.shape.slice();
    const ok = (s.length === 3 && s[0] === 1) || s.length === 2;
    if (!ok || s[s.length - 1] !== ni) {
      throw new RangeError(`${name}: inputs must be [1,T,I] or [T,I] with I = ${ni} (the RNN's input size), got ${formatShape(s)}`);
    }
    length = s[s.length - 2];
    if (length < 1) throw new RangeError(`${name}: inputs must hold at least one time step, got ${formatShape(s)}`);
    const bad = firstNonFinite(x.data);
    if (bad >= 0) throw new RangeError(`${name}: inputs has ${x.data[bad]} at flat index ${bad}`);
    seq = x.data;
  } else {
    let c: ArrayLike<number> = new Float64Array(ni);
    if (input !== undefined) {
      if (!(input instanceof Float64Array || input instanceof Float32Array || Array.isArray(input))) {
        throw new TypeError(`${name}: input must be a Float64Array or number[] of length I = ${ni}`);
      }
      c = Float64Array.from(input as ArrayLike<number>); // read once
      if (c.length !== ni) throw new RangeError(`${name}: input must have length I = ${ni}, got ${c.length}`);
      const bad = firstNonFinite(c);
      if (bad >= 0) throw new RangeError(`${name}: input has ${c[bad]} at index ${bad}`);
    }
    for (let i = 0; i < n; i++) {
      let s = bias[i];
      for (let j = 0; j < ni; j++) s += u[i * ni + j] * c[j];
      drive[i] = s;
    }
  }

  function driveAt(t: number): Float64Array {
    if (seq === undefined) return drive;
    if (t === driveT) return drive;
    if (!Number.isInteger(t) || t < 0 || t >= (length as number)) {
      throw new RangeError(`${name}: time step t must be an integer in [0, ${length}) for an input sequence of length ${length}, got ${t}`);
    }
    const o = t * ni;
    for (let i = 0; i < n; i++) {
      let s = bias[i];
      const r = i * ni;
      for (let j = 0; j < ni; j++) s += u[r + j] * seq[o + j];
      drive[i] = s;
    }
    driveT = t;
    return drive;
  }

  // cache of φ'(a) for the last (x, t) seen, so step + jacobianTimes at one state costs one W·h
  const cacheX = new Float64Array(n);
  const deriv = new Float64Array(n);
  const pre = new Float64Array(n);
  let cacheT = NaN;

  function preactivation(x: Float64Array, t: number): void {
    const c = driveAt(t);
    const ex = wasmKernels(n);
    if (ex !== undefined) {
      // the same sums in the same order (one row per SIMD lane): bit-identical to jsWTimes
      wasmGemvResident(ex, n, w, x, pre);
      for (let j = 0; j < n; j++) pre[j] += c[j];
    } else {
      jsWTimes(x, c);
    }
    if (act === 'tanh') {
      for (let j = 0; j < n; j++) {
        const ch = Math.cosh(pre[j]);
        deriv[j] = 1 / (ch * ch);
      }
    } else if (act === 'relu') {
      for (let j = 0; j < n; j++) deriv[j] = pre[j] > 0 ? 1 : 0;
    } else {
      deriv.fill(1);
    }
    cacheX.set(x);
    cacheT = t;
  }

  /** pre ← wRec·x + c, two rows at a time, each sum in order l = 0, 1, …. */
  function jsWTimes(x: Float64Array, c: Float64Array): void {
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const r0 = i * n;
      const r1 = r0 + n;
      let s0 = 0, s1 = 0;
      for (let l = 0; l < n; l++) {
        const v = x[l];
        s0 += w[r0 + l] * v;
        s1 += w[r1 + l] * v;
      }
      pre[i] = s0 + c[i];
      pre[i + 1] = s1 + c[i + 1];
    }
    for (; i < n; i++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += w[i * n + l] * x[l];
      pre[i] = s + c[i];
    }
  }

  function ensure(x: Float64Array, t: number): void {
    if (t === cacheT) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (x[i] !== cacheX[i]) {
          same = false;
          break;
        }
      }
      if (same) return;
    }
    preactivation(x, t);
  }

  function checkState(x: Float64Array, what: string): void {
    if (!(x instanceof Float64Array) || x.length !== n) {
      throw new RangeError(`${name}.${what}: expected a Float64Array state of length H = ${n}, got ${x instanceof Float64Array ? `length ${x.length}` : typeof x}`);
    }
  }

  return {
    dim: n,
    length,
    inputSize: ni,
    activation: act,
    ...(seq !== undefined ? { initialState: new Float64Array(n) } : {}),
    step(x: Float64Array, t: number, out: Float64Array): void {
      checkState(x, 'step');
      preactivation(x, t);
      if (act === 'tanh') for (let i = 0; i < n; i++) out[i] = Math.tanh(pre[i]);
      else if (act === 'relu') for (let i = 0; i < n; i++) out[i] = pre[i] > 0 ? pre[i] : 0;
      else out.set(pre);
    },
    jacobian(x: Float64Array, t: number, out: Float64Array): void {
      checkState(x, 'jacobian');
      ensure(x, t);
      for (let i = 0; i < n; i++) {
        const d = deriv[i];
        const r = i * n;
        for (let l = 0; l < n; l++) out[r + l] = d * w[r + l];
      }
    },
    jacobianTimes(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void {
      checkState(x, 'jacobianTimes');
      ensure(x, t);
      diagTimesMatMulRowMajor(n, k, deriv, w, q, out);
    },
    jacobianTimesColMajor(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void {
      checkState(x, 'jacobianTimesColMajor');
      ensure(x, t);
      const ex = wasmKernels(n);
      if (ex !== undefined) wasmMatMulDiag(ex, n, k, w, true, q, out, deriv); // w stays resident
      else diagMatMulColMajorRaw(n, k, deriv, w, q, out);
    },
  };
}


/**
 * out (row-major n×k) = diag(d)·A·Q for A row-major n×n, Q row-major n×k; blocked 4 rows × 2
 * columns in registers. `out` must not alias `q`.
 */
function diagTimesMatMulRowMajor(n: number, k: number, d: Float64Array, a: Float64Array, q: Float64Array, out: Float64Array): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const d0 = d[i], d1 = d[i + 1], d2 = d[i + 2], d3 = d[i + 3];
    let j = 0;
    for (; j + 1 < k; j += 2) {
      let s00 = 0, s10 = 0, s20 = 0, s30 = 0, s01 = 0, s11 = 0, s21 = 0, s31 = 0;
      for (let l = 0, ql = j; l < n; l++, ql += k) {
        const x0 = q[ql];
        const x1 = q[ql + 1];
        const w0 = a[r0 + l];
        const w1 = a[r1 + l];
        const w2 = a[r2 + l];
        const w3 = a[r3 + l];
        s00 += w0 * x0;
        s10 += w1 * x0;
        s20 += w2 * x0;
        s30 += w3 * x0;
        s01 += w0 * x1;
        s11 += w1 * x1;
        s21 += w2 * x1;
        s31 += w3 * x1;
      }
      const o = i * k + j;
      out[o] = d0 * s00;
      out[o + 1] = d0 * s01;
      out[o + k] = d1 * s10;
      out[o + k + 1] = d1 * s11;
      out[o + 2 * k] = d2 * s20;
      out[o + 2 * k + 1] = d2 * s21;
      out[o + 3 * k] = d3 * s30;
      out[o + 3 * k + 1] = d3 * s31;
    }
    for (; j < k; j++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let l = 0, ql = j; l < n; l++, ql += k) {
        const x = q[ql];
        s0 += a[r0 + l] * x;
        s1 += a[r1 + l] * x;
        s2 += a[r2 + l] * x;
        s3 += a[r3 + l] * x;
      }
      const o = i * k + j;
      out[o] = d0 * s0;
      out[o + k] = d1 * s1;
      out[o + 2 * k] = d2 * s2;
      out[o + 3 * k] = d3 * s3;
    }
  }
  for (; i < n; i++) {
    const r0 = i * n;
    const d0 = d[i];
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0, ql = j; l < n; l++, ql += k) s += a[r0 + l] * q[ql];
      out[i * k + j] = d0 * s;
    }
  }
}
