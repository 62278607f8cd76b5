/**
 * The LSTM's Jacobian as three factors for the differentiable exponents, J = L·M·D (the factoring
 * of rnn/gated/system.ts, which `lyapunovSpectrum` uses at the same steps):
 *   D = diag(1, f)                                  (the c-columns scaled by the forget gates),
 *   M = [[diag(βo)·W_o, 0], [∂c'/∂h, I]]            (βo = σ'(a_o)·tanh(c'), the h rows' own part),
 *   L = [[I, diag(γ)], [0, I]]                      (γ = o·tanh'(c'), the h rows' share of the c rows).
 * One product J·Q with a dense frame keeps a direction scaled by a forget gate f only to ε/f, and
 * the h rows' own part βo·W_o only to ε/βo; with a QR after each factor (rows sorted, ../row-order.ts)
 * both are resolved. Each factor's reverse mode adds into the cell's adjoints of the gate values
 * (i, f, g, o in `vBar`) and of tanh(c') (`tcBar`), which the cell's `finish` takes down to the
 * pre-activations, as for the unfactored step. @internal
 */
import { lstmUnitGraded } from '../../rnn/gated/system.js';
import { matTimesColMajor, tangentProductBackward } from './mat.js';
import type { CellFactors } from './vanilla-cell.js';

/**
 * The reverse of the gate slopes' products d_x = σ'(a_x)·P_x (tanh' for g) of unit m, shared by the
 * unfactored tangent and factor M: the σ'' terms go into the gate values' adjoints (σ'' = σ'·(1 − 2σ),
 * tanh'' = −2·tanh·tanh'), and P̄_x = σ'(a_x)·d̄_x. @internal
 */
export function gateSlopeBar(
  H: number, m: number, cache: Float64Array, p: Float64Array, vBar: Float64Array, pBar: Float64Array,
  diBar: number, dfBar: number, dgBar: number, dOBar: number,
): void {
  const i = cache[m], f = cache[H + m], g = cache[2 * H + m], o = cache[3 * H + m];
  vBar[m] += diBar * (1 - 2 * i) * p[m];
  vBar[H + m] += dfBar * (1 - 2 * f) * p[H + m];
  vBar[3 * H + m] += dOBar * (1 - 2 * o) * p[3 * H + m];
  vBar[2 * H + m] += dgBar * (-2 * g) * p[2 * H + m];
  pBar[m] = diBar * cache[5 * H + m]; pBar[H + m] = dfBar * cache[6 * H + m];
  pBar[2 * H + m] = dgBar * cache[7 * H + m]; pBar[3 * H + m] = dOBar * cache[8 * H + m];
}

/** The cell's buffers the factors share: gate-value and tanh(c') adjoints, W·q_h and its adjoint. */
export interface LstmAdjoints {
  vBar: Float64Array;
  tcBar: Float64Array;
  p: Float64Array;
  pBar: Float64Array;
}

/**
 * The factors of the LSTM cell over w [4H,H] (cache layout of gated-cells.ts: i, f, g, o, tanh(c'),
 * σ'(a_i), σ'(a_f), tanh'(a_g), σ'(a_o), tanh'(c'), H each). @internal
 */
export function createLstmFactors(
  H: number, w: Float64Array, b: LstmAdjoints,
  begin: (hBar: Float64Array) => void,
  finish: (h: Float64Array, x: Float64Array, cache: Float64Array, hNextBar: Float64Array, hBar: Float64Array, grads: Float64Array[]) => void,
): CellFactors {
  const GH = 4 * H, n = 2 * H;
  const { vBar, tcBar, p, pBar } = b;
  return {
    count: 3,
    graded(cache) {
      // the adapter's rule, unit by unit (βo = σ'(a_o)·tanh(c'))
      for (let m = 0; m < H; m++) if (lstmUnitGraded(cache[H + m], Math.abs(cache[8 * H + m] * cache[4 * H + m]))) return true;
      return false;
    },
    apply(fi, h, cache, q, k, z) {
      for (let j = 0; j < k; j++) {
        const o = j * n;
        if (fi === 0) {
          for (let m = 0; m < H; m++) {
            z[o + m] = q[o + m];
            z[o + H + m] = cache[H + m] * q[o + H + m];
          }
        } else if (fi === 1) {
          matTimesColMajor(GH, H, 1, w, q.subarray(o, o + n), p);
          for (let m = 0; m < H; m++) {
            const i = cache[m], g = cache[2 * H + m], tc = cache[4 * H + m];
            z[o + m] = cache[8 * H + m] * p[3 * H + m] * tc;
            z[o + H + m] = cache[6 * H + m] * p[H + m] * h[H + m] + q[o + H + m] + cache[5 * H + m] * p[m] * g + i * cache[7 * H + m] * p[2 * H + m];
          }
        } else {
          for (let m = 0; m < H; m++) {
            z[o + m] = q[o + m] + cache[3 * H + m] * cache[9 * H + m] * q[o + H + m];
            z[o + H + m] = q[o + H + m];
          }
        }
      }
    },
    begin,
    applyBar(fi, h, cache, q, k, zBar, qBar, grads, hBar) {
      for (let j = 0; j < k; j++) {
        const o = j * n;
        if (fi === 0) {
          // z_h = q_h, z_c = f·q_c
          for (let m = 0; m < H; m++) {
            qBar[o + m] = zBar[o + m];
            qBar[o + H + m] = cache[H + m] * zBar[o + H + m];
            vBar[H + m] += zBar[o + H + m] * q[o + H + m];
          }
        } else if (fi === 1) {
          // z_h = σ'(a_o)·P_o·tanh(c'), z_c = σ'(a_f)·P_f·c + q_c + σ'(a_i)·P_i·g + i·tanh'(a_g)·P_g, P = W·q_h
          const qj = q.subarray(o, o + n), qjBar = qBar.subarray(o, o + n);
          matTimesColMajor(GH, H, 1, w, qj, p);
          for (let m = 0; m < H; m++) {
            const i = cache[m], f = cache[H + m], g = cache[2 * H + m], oo = cache[3 * H + m], tc = cache[4 * H + m];
            const si = cache[5 * H + m], sf = cache[6 * H + m], sg = cache[7 * H + m], so = cache[8 * H + m];
            const di = si * p[m], df = sf * p[H + m], dg = sg * p[2 * H + m], dO = so * p[3 * H + m];
            const Dh = zBar[o + m], Dc = zBar[o + H + m];
            const dOBar = Dh * tc;
            tcBar[m] += Dh * dO;
            const dfBar = Dc * h[H + m];
            hBar[H + m] += Dc * df;
            qjBar[m] = 0;
            qjBar[H + m] = Dc;
            const diBar = Dc * g;
            vBar[2 * H + m] += Dc * di;
            vBar[m] += Dc * dg;
            const dgBar = Dc * i;
            gateSlopeBar(H, m, cache, p, vBar, pBar, diBar, dfBar, dgBar, dOBar);
          }
          tangentProductBackward(GH, H, w, qj, pBar, grads[1], qjBar);
        } else {
          // z_h = q_h + γ·q_c, z_c = q_c, γ = o·tanh'(c') (tanh' = 1 − tanh²: its adjoint −2·tanh(c'))
          for (let m = 0; m < H; m++) {
            const oo = cache[3 * H + m], tc = cache[4 * H + m], st = cache[9 * H + m];
            const Dh = zBar[o + m];
            qBar[o + m] = Dh;
            qBar[o + H + m] = zBar[o + H + m] + oo * st * Dh;
            const gBar = Dh * q[o + H + m];
            vBar[3 * H + m] += gBar * st;
            tcBar[m] -= 2 * gBar * oo * tc;
          }
        }
      }
    },
    finish,
  };
}
