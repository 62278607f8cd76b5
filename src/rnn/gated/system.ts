/**
 * A GRU or an LSTM as a DynamicalSystem, on its full state: h (dim H) for a GRU, [h; c] (dim 2H)
 * for an LSTM, with the exact Jacobian of the one-step map and a `jacobianTimes` fast path that
 * multiplies by wRec once (one gemm of [G·H, H] by the frame) and never forms J. With the float64
 * WebAssembly kernels, the recurrent term W_hh·h is their gemv (the same bits as the JS loop) and the
 * column-major product forms the h-columns of J in wasm memory from the gate blocks (rows scaled by
 * the gate coefficients, ⅓ (GRU) or ½ (LSTM) of the flops of multiplying by every block), then
 * multiplies once. Float64 throughout; the weights are copied once.
 */
import { gemmRaw } from '../../core/gemm.js';
import { wasmGatedProduct, wasmGemvResident, wasmKernels } from '../../core/wasm64/kernels-wasm.js';
import type { Tensor } from '../../core/tensor.js';
import type { TensorInput } from '../../core/input.js';
import { readDrive, type ConstantInput } from '../drive.js';
import { createGateInput } from './gate-input.js';
import type { GatedRnn } from '../types.js';
import { sigmoid } from './kernels.js';
import { sech2GivenTanh, sigmoidDerivative } from '../../autodiff/activation-kernels.js';
import { assertGatedParams } from './validate.js';
import { zeroSet, type ZeroSet } from '../../core/zero-set.js';
import { zeroColumnUnits } from '../zero-columns.js';

/** Inputs of the adapter, as `rnnSystem` takes them. */
export interface GatedSystemInputs {
  inputs?: TensorInput;
  input?: ConstantInput;
}

/** The adapted system (the fields of `RnnSystem` plus the cell). */
export interface GatedSystem {
  readonly dim: number;
  readonly length: number | undefined;
  readonly inputSize: number;
  readonly activation: 'tanh';
  readonly cell: 'gru' | 'lstm';
  /** Driven by `inputs`: the zero state [h; c] = 0 the analyses start from (absent when autonomous). */
  readonly initialState?: Float64Array;
  step(x: Float64Array, t: number, out: Float64Array): void;
  jacobian(x: Float64Array, t: number, out: Float64Array): void;
  jacobianTimes(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
  jacobianTimesColMajor(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
}

/** Adapts a GRU or an LSTM (called by `rnnSystem`). @internal */
export function gatedSystem(rnn: GatedRnn, opts: GatedSystemInputs | null | undefined, name: string): GatedSystem {
  const { I, H, G } = assertGatedParams(rnn.params, rnn.cell, `${name}: rnn.params`);
  const lstm = rnn.cell === 'lstm';
  const dim = lstm ? 2 * H : H;
  const GH = G * H;
  const w = Float64Array.from(rnn.params.wRec.data);
  const bRec = Float64Array.from(rnn.params.bRec.data);
  const inputs = readDrive(opts, I, name); // undefined or null: autonomous under zero input (the options rule)
  const drive = createGateInput(rnn, I, GH, inputs, name);
  // per-state cache: gate values and the coefficients of the Jacobian's rows
  const gh = new Float64Array(GH);
  const next = new Float64Array(dim);
  // LSTM: αi, αf, αg (∂c'/∂a), βo (∂h'/∂a_o), f (∂c'/∂c), γ (∂h'/∂c'); GRU: the weights of W_r, W_z, W_n rows and the diagonal z
  const coef = new Float64Array(lstm ? 6 * H : 4 * H);
  // the coefficients of J's rows on the gate blocks, per row block, for wasmGatedProduct: GRU [αr, αz, αn]
  // with diagonal z; LSTM h rows [γαi, γαf, γαg, βo], c rows [αi, αf, αg]
  const cRows = coef.subarray(0, 3 * H);
  const rowCoef = lstm ? new Float64Array(4 * H) : cRows;
  const zDiag = coef.subarray(3 * H, 4 * H);
  const cacheX = new Float64Array(dim);
  let cacheT = NaN;

  function evaluate(x: Float64Array, t: number): void {
    const gx = drive(t);
    const ex = wasmKernels(dim);
    if (ex !== undefined) {
      // the same sums in the same order (one row per SIMD lane): the bits of the gemm below
      wasmGemvResident(ex, GH, H, w, x, gh);
      for (let i = 0; i < GH; i++) gh[i] += bRec[i];
    } else {
      gh.set(bRec);
      gemmRaw(false, false, GH, 1, H, 1, w, H, x, 1, 1, gh, 1);
    }
    if (lstm) {
      lstmGates(H, gx, gh, x, next, coef);
      for (let m = 0; m < H; m++) {
        const gm = coef[5 * H + m];
        rowCoef[m] = gm * coef[m];
        rowCoef[H + m] = gm * coef[H + m];
        rowCoef[2 * H + m] = gm * coef[2 * H + m];
        rowCoef[3 * H + m] = coef[3 * H + m];
      }
    } else gruGates(H, gx, gh, x, next, coef);
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
  let zeroCols: ZeroSet | undefined; // wRec's zero columns (the h-columns of J), found on first use
  // an LSTM unit whose output gate has no recurrent weights (a zero row of W_ho): its h row of J is
  // exactly γ times its c row at every state, so J loses a rank that no zero row or column of J
  // shows; the factor M has that row zero, so such a network is taken as factors at every step and
  // the rank bound sees it (one QR of J·Q gave the lost exponent as rounding, ≈ −37, not −∞)
  let oZeroRow: boolean | undefined;
  let prod = new Float64Array(0);
  function product(k: number): Float64Array {
    if (prod.length < k * GH) prod = new Float64Array(k * GH);
    return prod;
  }

  return {
    dim,
    length: inputs.length,
    inputSize: I,
    activation: 'tanh',
    cell: rnn.cell,
    // driven by a sequence: the conventional zero start, as the vanilla adapter (autonomous: a random one)
    ...(inputs.seq !== undefined ? { initialState: new Float64Array(dim) } : {}),
    step(x, t, out) {
      checkState(x, 'step');
      evaluate(x, t);
      out.set(next);
    },
    jacobian(x, t, out) {
      checkState(x, 'jacobian');
      ensure(x, t);
      gatedJacobian(lstm, H, dim, w, coef, out);
    },
    jacobianTimes(x, t, q, k, out) {
      checkState(x, 'jacobianTimes');
      ensure(x, t);
      const p = product(k);
      gemmRaw(false, false, GH, k, H, 1, w, H, q, k, 0, p, k); // P [GH,k] = wRec·Q_h (Q_h = first H rows of Q)
      combine(lstm, H, coef, k, p, k, 1, q, k, 1, out);
    },
    // an LSTM step whose forget or output gate saturates: J = L·M·D (lstmFactors), each factor
    // resolved by a QR where J·Q is not (lyapunov/frame-step.ts, "Factored steps")
    ...(lstm
      ? {
          jacobianFactorCount(x: Float64Array, t: number): number {
            checkState(x, 'jacobianFactorCount');
            ensure(x, t);
            return lstmGraded(H, coef) || (oZeroRow ??= hasZeroRow(w, 3 * H, H)) ? 3 : 0;
          },
          jacobianFactors(x: Float64Array, t: number, out: readonly Float64Array[]): void {
            checkState(x, 'jacobianFactors');
            ensure(x, t);
            lstmFactors(H, w, coef, out[0], out[1], out[2]);
          },
          // the h-columns of J whose wRec column is zero in every gate (a unit that feeds no other):
          // zero whatever the state, which a product J·Q cannot show (lyapunov/frame-step.ts ZeroColumnsSystem)
          jacobianZeroColumns(x: Float64Array): ZeroSet {
            checkState(x, 'jacobianZeroColumns');
            return (zeroCols ??= zeroColumnsOf(w, GH, H, dim));
          },
        }
      : {}),
    jacobianTimesColMajor(x, t, q, k, out) {
      checkState(x, 'jacobianTimesColMajor');
      ensure(x, t);
      const ex = wasmKernels(dim);
      if (ex !== undefined) {
        if (!lstm) wasmGatedProduct(ex, H, w, GH * H, 3, rowCoef, 0, rowCoef, zDiag, q, dim, k, out);
        else {
          wasmGatedProduct(ex, H, w, GH * H, 4, rowCoef, 3, cRows, undefined, q, dim, k, out);
          lstmCellColumns(H, coef, q, k, out);
        }
        return;
      }
      const p = product(k);
      gemmRaw(false, true, k, GH, H, 1, q, dim, w, H, 0, p, GH); // Pᵀ [k,GH] = Q_hᵀ·wRecᵀ
      combine(lstm, H, coef, k, p, 1, GH, q, 1, dim, out);
    },
  };
}

/** True when one of the rows from..from+H of the row-major `w` (H columns) is all zeros. */
function hasZeroRow(w: Float64Array, from: number, H: number): boolean {
  for (let r = from; r < from + H; r++) {
    let zero = true;
    for (let c = 0; c < H && zero; c++) if (w[r * H + c] !== 0) zero = false;
    if (zero) return true;
  }
  return false;
}

/** The zero columns of the row-major rows×cols `w` (zeroColumnUnits), as a set of indices among `dim`. */
function zeroColumnsOf(w: Float64Array, rows: number, cols: number, dim: number): ZeroSet {
  const out = zeroSet(dim);
  for (const l of zeroColumnUnits(rows, cols, w)) out.idx[out.count++] = l;
  return out;
}

/**
 * One LSTM step from the gate pre-activations gx + gh: next = [h'; c'] and the Jacobian coefficients.
 * The derivatives σ'(a) and tanh'(a) come from the pre-activations (e/(1+e)², 4e/(1+e)²): σ(1 − σ)
 * and 1 − tanh² cancel for a saturated gate, and βo, a row scale of J, lost its digits as 1 − o did
 * (relative error ε/(1 − o): 2e-3 in log|det J| at a pulse).
 */
function lstmGates(H: number, gx: Float64Array, gh: Float64Array, x: Float64Array, next: Float64Array, coef: Float64Array): void {
  for (let m = 0; m < H; m++) {
    const a = gx[m] + gh[m], bf = gx[H + m] + gh[H + m], cg = gx[2 * H + m] + gh[2 * H + m], d = gx[3 * H + m] + gh[3 * H + m];
    const i = sigmoid(a), f = sigmoid(bf), g = Math.tanh(cg), o = sigmoid(d);
    const c = f * x[H + m] + i * g;
    const tc = Math.tanh(c);
    next[m] = o * tc;
    next[H + m] = c;
    coef[m] = g * sigmoidDerivative(a); // αi: ∂c'/∂a_i
    coef[H + m] = x[H + m] * sigmoidDerivative(bf); // αf
    coef[2 * H + m] = i * sech2GivenTanh(cg, g); // αg
    coef[3 * H + m] = tc * sigmoidDerivative(d); // βo: ∂h'/∂a_o
    coef[4 * H + m] = f; // ∂c'/∂c
    coef[5 * H + m] = o * sech2GivenTanh(c, tc); // γ: ∂h'/∂c'
  }
}

/** One GRU step from the gate pre-activations gx + gh: next = h' and the Jacobian coefficients. */
function gruGates(H: number, gx: Float64Array, gh: Float64Array, x: Float64Array, next: Float64Array, coef: Float64Array): void {
  for (let m = 0; m < H; m++) {
    const ar = gx[m] + gh[m], az = gx[H + m] + gh[H + m];
    const r = sigmoid(ar), z = sigmoid(az);
    const hn = gh[2 * H + m];
    const an = gx[2 * H + m] + r * hn;
    const n = Math.tanh(an);
    next[m] = (1 - z) * n + z * x[m];
    // the derivatives from the pre-activations, as the LSTM's (no cancellation at saturation)
    const dn = sigmoid(-az) * sech2GivenTanh(an, n);
    coef[m] = dn * hn * sigmoidDerivative(ar); // row weight of W_r
    coef[H + m] = (x[m] - n) * sigmoidDerivative(az); // of W_z
    coef[2 * H + m] = dn * r; // of W_n
    coef[3 * H + m] = z; // diagonal
  }
}

/** out (dim×dim, row-major) = the Jacobian of the one-step map from the cached coefficients. */
function gatedJacobian(lstm: boolean, H: number, dim: number, w: Float64Array, coef: Float64Array, out: Float64Array): void {
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
}

/**
 * The spread past which an LSTM step is taken as factors: a forget gate f < 2⁻²⁰ scales its c-column
 * of J by f (J·Q with a dense Q then keeps its direction only to ε/f), and an output gate's βo < 2⁻²⁰
 * leaves the h row nearly γ times the c row (its own part, βo·W_o, lost below ε/βo of it). @internal
 */
export const LSTM_GRADED = 2 ** -20;

/**
 * The product f·|βo| of one unit past which its step is taken as factors too: the unit's 2×2 block
 * of J has the determinant f·βo, which one product J·Q resolves only to ≈ ε/(f·|βo|) (f = 1.2e-6
 * with βo = 3.6e-6, neither below LSTM_GRADED, put a 3-unit LSTM's log|det J| of the step 1.6e-4
 * off). 2⁻³⁰ keeps that error below ≈ 1e-6 of the step's log|det J| while leaving most steps of a
 * strongly driven LSTM unfactored (2⁻²⁰ here factored 1009 of 1200 steps of a 64-unit LSTM driven
 * by N(0, 10²) inputs, at twice the cost, for errors of 1e-11). @internal
 */
export const LSTM_GRADED_PAIR = 2 ** -30;

/**
 * The rule for one unit, shared by this adapter and the differentiable exponents
 * (src/lyapunov/grad/lstm-factors.ts): its forget gate f or output-gate slope |βo| below
 * LSTM_GRADED, or their product below LSTM_GRADED_PAIR. @internal
 */
export function lstmUnitGraded(f: number, absBetaO: number): boolean {
  return f < LSTM_GRADED || absBetaO < LSTM_GRADED || f * absBetaO < LSTM_GRADED_PAIR;
}

/** True when some unit is graded (lstmUnitGraded; from the cached coefficients [αi, αf, αg, βo, f, γ]). */
function lstmGraded(H: number, coef: Float64Array): boolean {
  for (let m = 0; m < H; m++) {
    if (lstmUnitGraded(coef[4 * H + m], Math.abs(coef[3 * H + m]))) return true;
  }
  return false;
}

/**
 * An LSTM's Jacobian as J = L·M·D (row-major 2H×2H each): D = diag(1, f) (the c-columns' scales),
 * M = [[diag(βo)·W_o, 0], [∂c'/∂h, I]] (rows scaled by βo, which row sorting resolves), and the
 * well-conditioned L = [[I, diag(γ)], [0, I]] (the h rows' γ·(c rows)): L·M·D has the h rows
 * βo·W_o + γ·∂c'/∂h and γ·f, the c rows ∂c'/∂h and f, as gatedJacobian. det J = Π f·Π βo·det W_o.
 */
function lstmFactors(H: number, w: Float64Array, coef: Float64Array, d: Float64Array, m: Float64Array, l: Float64Array): void {
  const dim = 2 * H;
  d.fill(0, 0, dim * dim);
  m.fill(0, 0, dim * dim);
  l.fill(0, 0, dim * dim);
  for (let u = 0; u < H; u++) {
    const ai = coef[u], af = coef[H + u], ag = coef[2 * H + u], bo = coef[3 * H + u];
    d[u * dim + u] = 1;
    d[(H + u) * dim + H + u] = coef[4 * H + u];
    const rh = u * dim, rc = (H + u) * dim;
    for (let c = 0; c < H; c++) {
      m[rh + c] = bo * w[(3 * H + u) * H + c];
      m[rc + c] = ai * w[u * H + c] + af * w[(H + u) * H + c] + ag * w[(2 * H + u) * H + c];
    }
    m[rc + H + u] = 1;
    l[rh + u] = 1;
    l[rh + H + u] = coef[5 * H + u];
    l[rc + H + u] = 1;
  }
}

/** out (column-major 2H×k) += the c-columns' part of an LSTM's J·Q: γ⊙f⊙Q_c on the h rows, f⊙Q_c on the c rows. */
function lstmCellColumns(H: number, coef: Float64Array, q: Float64Array, k: number, out: Float64Array): void {
  const dim = 2 * H;
  for (let j = 0; j < k; j++) {
    const o = j * dim;
    for (let m = 0; m < H; m++) {
      const f = coef[4 * H + m], qc = q[o + H + m];
      out[o + m] += coef[5 * H + m] * f * qc;
      out[o + H + m] += f * qc;
    }
  }
}

/** out = J·Q from P = wRec·Q_h: P(row, j) at p[row·pr + j·pc], Q and out (unit, j) at [unit·qr + j·qc]. */
function combine(
  lstm: boolean, H: number, coef: Float64Array, k: number, p: Float64Array, pr: number, pc: number,
  q: Float64Array, qr: number, qc: number, out: Float64Array,
): void {
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
