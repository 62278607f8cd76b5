/**
 * A GRU or an LSTM as a DynamicalSystem, on its full state: h (dim H) for a GRU, [h; c] (dim 2H)
 * for an LSTM, with the exact Jacobian of the one-step map and a `jacobianTimes` fast path that
 * multiplies by wRec once (one gemm of [G·H, H] by the frame) and never forms J. Float64 throughout;
 * the weights are copied once.
 */
import { assertTensor, firstNonFinite, formatShape } from '../../core/errors.js';
import { gemmRaw } from '../../core/gemm.js';
import type { Tensor } from '../../core/tensor.js';
import type { GatedRnn } from '../types.js';
import { sigmoid } from './kernels.js';
import { assertGatedParams } from './validate.js';

/** Inputs of the adapter, as `rnnSystem` takes them. */
export interface GatedSystemInputs {
  inputs?: Tensor;
  input?: Float64Array | readonly number[];
}

/** The adapted system (the fields of `RnnSystem` plus the cell). */
export interface GatedSystem {
  readonly dim: number;
  readonly length: number | undefined;
  readonly inputSize: number;
  readonly activation: 'tanh';
  readonly cell: 'gru' | 'lstm';
  step(x: Float64Array, t: number, out: Float64Array): void;
  jacobian(x: Float64Array, t: number, out: Float64Array): void;
  jacobianTimes(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
  jacobianTimesColMajor(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
}

/** Reads the drive (sequence or constant input) after the vanilla adapter's rules. */
function readDrive(name: string, I: number, opts: GatedSystemInputs): { seq?: Float32Array; length?: number; constant: Float64Array } {
  if (opts.inputs !== undefined && opts.input !== undefined) throw new RangeError(`${name}: give either inputs (a sequence) or input (a constant), not both`);
  const constant = new Float64Array(I);
  if (opts.inputs !== undefined) {
    const x = opts.inputs;
    assertTensor(x, `${name}: inputs`);
    const s = x.shape;
    const ok = (s.length === 3 && s[0] === 1) || s.length === 2;
    if (!ok || s[s.length - 1] !== I) throw new RangeError(`${name}: inputs must be [1,T,I] or [T,I] with I = ${I} (the RNN's input size), got ${formatShape(s)}`);
    const length = s[s.length - 2];
    if (length < 1) throw new RangeError(`${name}: inputs must hold at least one time step, got ${formatShape(s)}`);
    const bad = firstNonFinite(x.data);
    if (bad >= 0) throw new RangeError(`${name}: inputs has ${x.data[bad]} at flat index ${bad}`);
    return { seq: x.data, length, constant };
  }
  if (opts.input !== undefined) {
    const c = opts.input;
    if (!(c instanceof Float64Array || c instanceof Float32Array || Array.isArray(c))) throw new TypeError(`${name}: input must be a Float64Array or number[] of length I = ${I}`);
    if (c.length !== I) throw new RangeError(`${name}: input must have length I = ${I}, got ${c.length}`);
    const bad = firstNonFinite(c);
    if (bad >= 0) throw new RangeError(`${name}: input has ${c[bad]} at index ${bad}`);
    constant.set(c);
  }
  return { constant };
}

/** Adapts a GRU or an LSTM (called by `rnnSystem`). @internal */
export function gatedSystem(rnn: GatedRnn, opts: GatedSystemInputs, name: string): GatedSystem {
  const { I, H, G } = assertGatedParams(rnn.params, rnn.cell, `${name}: rnn.params`);
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${name}: options must be an object, got ${typeof opts}`);
  const lstm = rnn.cell === 'lstm';
  const dim = lstm ? 2 * H : H;
  const GH = G * H;
  const w = Float64Array.from(rnn.params.wRec.data);
  const u = Float64Array.from(rnn.params.wIn.data);
  const bIn = Float64Array.from(rnn.params.bIn.data);
  const bRec = Float64Array.from(rnn.params.bRec.data);
  const { seq, length, constant } = readDrive(name, I, opts);
  const gx = new Float64Array(GH); // W_ih·x_t + b_ih at time gxT
  let gxT = NaN;
  const xin = new Float64Array(I);
  function drive(t: number): void {
    if (seq === undefined) {
      if (gxT === 0) return;
      xin.set(constant);
    } else {
      if (t === gxT) return;
      if (!Number.isInteger(t) || t < 0 || t >= (length as number)) {
        throw new RangeError(`${name}: time step t must be an integer in [0, ${length}) for an input sequence of length ${length}, got ${t}`);
      }
      for (let i = 0; i < I; i++) xin[i] = seq[t * I + i];
    }
    gx.set(bIn);
    gemmRaw(false, false, GH, 1, I, 1, u, I, xin, 1, 1, gx, 1);
    gxT = seq === undefined ? 0 : t;
  }
  // per-state cache: gate values and the coefficients of the Jacobian's rows
  const gh = new Float64Array(GH);
  const next = new Float64Array(dim);
  // LSTM: αi, αf, αg (∂c'/∂a), βo (∂h'/∂a_o), f (∂c'/∂c), γ (∂h'/∂c'); GRU: the weights of W_r, W_z, W_n rows and the diagonal z
  const coef = new Float64Array(lstm ? 6 * H : 4 * H);
  const cacheX = new Float64Array(dim);
  let cacheT = NaN;

  function evaluate(x: Float64Array, t: number): void {
    drive(t);
    gh.set(bRec);
    gemmRaw(false, false, GH, 1, H, 1, w, H, x, 1, 1, gh, 1);
    if (lstm) {
      for (let m = 0; m < H; m++) {
        const a = gx[m] + gh[m], bf = gx[H + m] + gh[H + m], cg = gx[2 * H + m] + gh[2 * H + m], d = gx[3 * H + m] + gh[3 * H + m];
        const i = sigmoid(a), f = sigmoid(bf), g = Math.tanh(cg), o = sigmoid(d);
        const c = f * x[H + m] + i * g;
        const tc = Math.tanh(c);
        next[m] = o * tc;
        next[H + m] = c;
        coef[m] = g * i * (1 - i); // αi: ∂c'/∂a_i
        coef[H + m] = x[H + m] * f * (1 - f); // αf
        coef[2 * H + m] = i * (1 - g * g); // αg
        coef[3 * H + m] = tc * o * (1 - o); // βo: ∂h'/∂a_o
        coef[4 * H + m] = f; // ∂c'/∂c
        coef[5 * H + m] = o * (1 - tc * tc); // γ: ∂h'/∂c'
      }
    } else {
      for (let m = 0; m < H; m++) {
        const r = sigmoid(gx[m] + gh[m]), z = sigmoid(gx[H + m] + gh[H + m]);
        const hn = gh[2 * H + m];
        const n = Math.tanh(gx[2 * H + m] + r * hn);
        next[m] = (1 - z) * n + z * x[m];
        const dn = (1 - z) * (1 - n * n);
        coef[m] = dn * hn * r * (1 - r); // row weight of W_r
        coef[H + m] = (x[m] - n) * z * (1 - z); // of W_z
        coef[2 * H + m] = dn * r; // of W_n
        coef[3 * H + m] = z; // diagonal
      }
    }
    cacheX.set(x);
    cacheT = t;
  }
  function ensure(x: Float64Array, t: number): void {
    if (t === cacheT) {
      let same = true;
      for (let i = 0; i < dim; i++) if (x[i] !== cacheX[i]) { same = false; break; }
      if (same) return;
    }
    evaluate(x, t);
  }
  function checkState(x: Float64Array, what: string): void {
    if (!(x instanceof Float64Array) || x.length !== dim) {
      throw new RangeError(`${name}.${what}: expected a Float64Array state of length ${lstm ? `2H = ${dim} ([h; c])` : `H = ${dim}`}, got ${x instanceof Float64Array ? `length ${x.length}` : typeof x}`);
    }
  }
  let prod = new Float64Array(0);
  function product(k: number): Float64Array {
    if (prod.length < k * GH) prod = new Float64Array(k * GH);
    return prod;
  }

  /** out = J·Q from P = wRec·Q_h: P(row, j) at p[row·pr + j·pc], Q and out (unit, j) at [unit·qr + j·qc]. */
  function combine(k: number, p: Float64Array, pr: number, pc: number, q: Float64Array, qr: number, qc: number, out: Float64Array): void {
    for (let j = 0; j < k; j++) {
      const pj = j * pc, qj = j * qc;
      if (lstm) {
        for (let m = 0; m < H; m++) {
          const oc = coef[m] * p[m * pr + pj] + coef[H + m] * p[(H + m) * pr + pj] + coef[2 * H + m] * p[(2 * H + m) * pr + pj]
            + coef[4 * H + m] * q[(H + m) * qr + qj];
          out[m * qr + qj] = coef[3 * H + m] * p[(3 * H + m) * pr + pj] + coef[5 * H + m] * oc;
          out[(H + m) * qr + qj] = oc;
        }
      } else {
        for (let m = 0; m < H; m++) {
          out[m * qr + qj] = coef[3 * H + m] * q[m * qr + qj] + coef[m] * p[m * pr + pj] + coef[H + m] * p[(H + m) * pr + pj]
            + coef[2 * H + m] * p[(2 * H + m) * pr + pj];
        }
      }
    }
  }

  return {
    dim,
    length,
    inputSize: I,
    activation: 'tanh',
    cell: rnn.cell,
    ...(seq !== undefined ? { initialState: new Float64Array(dim) } : {}), // driven runs start at h0 = 0, as documented
    step(x, t, out) {
      checkState(x, 'step');
      evaluate(x, t);
      out.set(next);
    },
    jacobian(x, t, out) {
      checkState(x, 'jacobian');
      ensure(x, t);
      out.fill(0, 0, dim * dim);
      for (let m = 0; m < H; m++) {
        const rh = m * dim;
        if (lstm) {
          const rc = (H + m) * dim, ai = coef[m], af = coef[H + m], ag = coef[2 * H + m], bo = coef[3 * H + m], f = coef[4 * H + m], gm = coef[5 * H + m];
          for (let l = 0; l < H; l++) {
            const jc = ai * w[m * H + l] + af * w[(H + m) * H + l] + ag * w[(2 * H + m) * H + l];
            out[rc + l] = jc;
            out[rh + l] = bo * w[(3 * H + m) * H + l] + gm * jc;
          }
          out[rc + H + m] = f;
          out[rh + H + m] = gm * f;
        } else {
          const ar = coef[m], az = coef[H + m], an = coef[2 * H + m];
          for (let l = 0; l < H; l++) out[rh + l] = ar * w[m * H + l] + az * w[(H + m) * H + l] + an * w[(2 * H + m) * H + l];
          out[rh + m] += coef[3 * H + m];
        }
      }
    },
    jacobianTimes(x, t, q, k, out) {
      checkState(x, 'jacobianTimes');
      ensure(x, t);
      const p = product(k);
      gemmRaw(false, false, GH, k, H, 1, w, H, q, k, 0, p, k); // P [GH,k] = wRec·Q_h (Q_h = first H rows of Q)
      combine(k, p, k, 1, q, k, 1, out);
    },
    jacobianTimesColMajor(x, t, q, k, out) {
      checkState(x, 'jacobianTimesColMajor');
      ensure(x, t);
      const p = product(k);
      gemmRaw(false, true, k, GH, H, 1, q, dim, w, H, 0, p, GH); // Pᵀ [k,GH] = Q_hᵀ·wRecᵀ
      combine(k, p, 1, GH, q, 1, dim, out);
    },
  };
}
