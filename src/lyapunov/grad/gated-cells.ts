/**
 * GRU and LSTM cells (PyTorch's equations and gate order) as differentiable cells for the exponent
 * gradients: the one-step map, its tangent map Z = J·Q (J the Jacobian of the full state: h for a
 * GRU, [h; c] for an LSTM) and the reverse mode of both. Each step is written as value–tangent
 * pairs through its elementary operations (the products W·h, W·q_h, sigmoids, tanh, products), and
 * the reverse mode goes back through the same operations, so second derivatives appear only as
 * σ'' and tanh'' of the pre-activations. Parameters in the order wIn, wRec, bIn, bRec. @internal
 */
import type { DifferentiableCell } from './vanilla-cell.js';
import { zeroSet } from '../../core/zero-set.js';
import { zeroColumnUnits } from '../../rnn/zero-columns.js';
import { matTimesColMajor, tangentProductBackward } from './mat.js';
import { createLstmFactors, gateSlopeBar } from './lstm-factors.js';

const sigmoid = (a: number): number => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)));
/** σ'(a) = e/(1+e)², e = exp(−|a|): not σ(1 − σ), which cancels to 0 (or to a few digits) at a saturated gate. */
const sigmoidPrime = (a: number): number => {
  const e = Math.exp(a < 0 ? a : -a);
  return e / ((1 + e) * (1 + e));
};
/** tanh'(a) given t = tanh(a): 1 − t² for |a| < 0.5, else 4e/(1+e)², e = exp(−2|a|) (1 − t² cancels: 0 past |a| ≈ 19). */
const tanhPrime = (a: number, t: number): number => {
  const ax = a < 0 ? -a : a;
  if (ax < 0.5) return 1 - t * t;
  const e = Math.exp(-2 * ax);
  return (4 * e) / ((1 + e) * (1 + e));
};

/** W_ih·x + b_ih (gx) and W_hh·h + b_hh (gh), each G·H. */
function preactivations(GH: number, H: number, I: number, u: Float64Array, w: Float64Array, bi: Float64Array, bh: Float64Array, h: Float64Array, x: Float64Array, gx: Float64Array, gh: Float64Array): void {
  for (let r = 0; r < GH; r++) {
    let s = bi[r];
    for (let l = 0; l < I; l++) s += u[r * I + l] * x[l];
    gx[r] = s;
    let t = bh[r];
    for (let l = 0; l < H; l++) t += w[r * H + l] * h[l];
    gh[r] = t;
  }
}

/** Adds the adjoints of gx = U·x + b_ih and gh = W·h + b_hh: Ū += ḡx·xᵀ, b̄_ih += ḡx, W̄ += ḡh·hᵀ, b̄_hh += ḡh, h̄ += Wᵀ·ḡh. */
function preactivationsBackward(GH: number, H: number, I: number, w: Float64Array, h: Float64Array, x: Float64Array, gxBar: Float64Array, ghBar: Float64Array, grads: Float64Array[], hBar: Float64Array): void {
  const [gu, gw, gbi, gbh] = grads;
  for (let r = 0; r < GH; r++) {
    const a = gxBar[r], c = ghBar[r];
    gbi[r] += a;
    gbh[r] += c;
    if (a !== 0) for (let l = 0; l < I; l++) gu[r * I + l] += a * x[l];
    if (c !== 0) {
      for (let l = 0; l < H; l++) {
        gw[r * H + l] += c * h[l];
        hBar[l] += w[r * H + l] * c;
      }
    }
  }
}

/** The LSTM over float64 copies u [4H,I], w [4H,H], bIn, bRec [4H]; state [h; c] (2H). @internal */
export function lstmCell(H: number, I: number, u: Float64Array, w: Float64Array, bIn: Float64Array, bRec: Float64Array): DifferentiableCell {
  const GH = 4 * H, n = 2 * H;
  const gx = new Float64Array(GH), gh = new Float64Array(GH);
  const p = new Float64Array(GH);
  const vBar = new Float64Array(GH), ghBar = new Float64Array(GH), pBar = new Float64Array(GH);
  const tcBar = new Float64Array(H);
  // cache: i, f, g, o (4H), tanh(c') (H), and from the pre-activations σ'(a_i), σ'(a_f), tanh'(a_g),
  // σ'(a_o), tanh'(c') (5H): i(1 − i), …, 1 − tanh²(c') cancel at a saturated gate or cell (as the
  // GRU's; the adapter's Jacobian, rnn/gated/system.ts, takes them the same way)
  const buffers = { vBar, tcBar, p, pBar };
  // the h-columns of J whose wRec column is zero in every gate, as a set among the 2H columns
  const dead = zeroSet(2 * H);
  for (const l of zeroColumnUnits(GH, H, w)) dead.idx[dead.count++] = l;
  /** The reverse pass of a step starts from zero adjoints of the gate values, tanh(c') and the state. */
  const begin = (sBar: Float64Array): void => {
    vBar.fill(0);
    tcBar.fill(0);
    sBar.fill(0);
  };
  /** Adjoints through z = J·q: into the gate values' and tanh(c')'s adjoints, sBar (old c), W̄ and qBar (overwritten). */
  const tangentBar = (s: Float64Array, cache: Float64Array, q: Float64Array, k: number, zBar: Float64Array, qBar: Float64Array, gw: Float64Array, sBar: Float64Array): void => {
    qBar.fill(0, 0, n * k);
    for (let j = 0; j < k; j++) {
      const qj = q.subarray(j * n, (j + 1) * n);
      const qjBar = qBar.subarray(j * n, (j + 1) * n);
      matTimesColMajor(GH, H, 1, w, qj, p);
      for (let m = 0; m < H; m++) {
        const i = cache[m], f = cache[H + m], g = cache[2 * H + m], o = cache[3 * H + m], tc = cache[4 * H + m];
        const si = cache[5 * H + m], sf = cache[6 * H + m], sg = cache[7 * H + m], so = cache[8 * H + m], st = cache[9 * H + m];
        const di = si * p[m], df = sf * p[H + m], dg = sg * p[2 * H + m], dO = so * p[3 * H + m];
        const c = s[H + m];
        const dc = df * c + f * qj[H + m] + di * g + i * dg;
        const Dh = zBar[j * n + m], Dc = zBar[j * n + H + m];
        // dh = dO·tc + o·st·dc
        const dOBar = Dh * tc;
        tcBar[m] += Dh * dO - 2 * Dh * o * dc * tc;
        vBar[3 * H + m] += Dh * st * dc;
        const dcBar = Dc + Dh * o * st;
        // dc = df·c + f·q_c + di·g + i·dg
        const dfBar = dcBar * c;
        sBar[H + m] += dcBar * df;
        vBar[H + m] += dcBar * qj[H + m];
        qjBar[H + m] += dcBar * f;
        const diBar = dcBar * g;
        vBar[2 * H + m] += dcBar * di;
        vBar[m] += dcBar * dg;
        const dgBar = dcBar * i;
        // dx = σ'(a)·P: the value adjoints get the σ'' terms, P̄ = σ'·d̄x
        gateSlopeBar(H, m, cache, p, vBar, pBar, diBar, dfBar, dgBar, dOBar);
      }
      tangentProductBackward(GH, H, w, qj, pBar, gw, qjBar);
    }
  };
  /** The step's own map h' = o·tanh(c'), c' = f·c + i·g, with the accumulated adjoints, down to the pre-activations and parameters. */
  const finish = (s: Float64Array, x: Float64Array, cache: Float64Array, nextBar: Float64Array, sBar: Float64Array, grads: Float64Array[]): void => {
    for (let m = 0; m < H; m++) {
      const i = cache[m], f = cache[H + m], g = cache[2 * H + m], o = cache[3 * H + m], tc = cache[4 * H + m];
      // h' = o·tc, tc = tanh(c'), c' = f·c + i·g
      vBar[3 * H + m] += nextBar[m] * tc;
      const tb = tcBar[m] + nextBar[m] * o;
      const cb = nextBar[H + m] + tb * cache[9 * H + m];
      vBar[H + m] += cb * s[H + m];
      sBar[H + m] += cb * f;
      vBar[m] += cb * g;
      vBar[2 * H + m] += cb * i;
      // gate values → pre-activations
      const ai = vBar[m] * cache[5 * H + m], af = vBar[H + m] * cache[6 * H + m], ag = vBar[2 * H + m] * cache[7 * H + m], ao = vBar[3 * H + m] * cache[8 * H + m];
      ghBar[m] = ai; ghBar[H + m] = af; ghBar[2 * H + m] = ag; ghBar[3 * H + m] = ao;
    }
    preactivationsBackward(GH, H, I, w, s, x, ghBar, ghBar, grads, sBar);
  };
  return {
    dim: n,
    inputSize: I,
    cacheSize: 10 * H,
    params: [u, w, bIn, bRec],
    step(s, x, out, cache) {
      preactivations(GH, H, I, u, w, bIn, bRec, s, x, gx, gh);
      for (let m = 0; m < H; m++) {
        const ai = gx[m] + gh[m], af = gx[H + m] + gh[H + m], ag = gx[2 * H + m] + gh[2 * H + m], ao = gx[3 * H + m] + gh[3 * H + m];
        const i = sigmoid(ai), f = sigmoid(af), g = Math.tanh(ag), o = sigmoid(ao);
        const c = f * s[H + m] + i * g, tc = Math.tanh(c);
        cache[m] = i; cache[H + m] = f; cache[2 * H + m] = g; cache[3 * H + m] = o; cache[4 * H + m] = tc;
        cache[5 * H + m] = sigmoidPrime(ai); cache[6 * H + m] = sigmoidPrime(af); cache[7 * H + m] = tanhPrime(ag, g);
        cache[8 * H + m] = sigmoidPrime(ao); cache[9 * H + m] = tanhPrime(c, tc);
        out[m] = o * tc;
        out[H + m] = c;
      }
    },
    tangent(s, cache, q, k, z) {
      for (let j = 0; j < k; j++) {
        const qj = q.subarray(j * n, (j + 1) * n);
        matTimesColMajor(GH, H, 1, w, qj, p);
        for (let m = 0; m < H; m++) {
          const i = cache[m], f = cache[H + m], g = cache[2 * H + m], o = cache[3 * H + m], tc = cache[4 * H + m];
          const di = cache[5 * H + m] * p[m], df = cache[6 * H + m] * p[H + m], dg = cache[7 * H + m] * p[2 * H + m], dO = cache[8 * H + m] * p[3 * H + m];
          const dc = df * s[H + m] + f * qj[H + m] + di * g + i * dg;
          z[j * n + m] = dO * tc + o * cache[9 * H + m] * dc;
          z[j * n + H + m] = dc;
        }
      }
    },
    backward(s, x, cache, q, k, nextBar, zBar, sBar, qBar, grads) {
      begin(sBar);
      if (zBar !== null && q !== null && qBar !== null) tangentBar(s, cache, q, k, zBar, qBar, grads[1], sBar);
      finish(s, x, cache, nextBar, sBar, grads);
    },
    factors: createLstmFactors(H, w, buffers, begin, finish),
    // the h-columns of J whose wRec column is zero in every gate: zero whatever the state (as the adapter's jacobianZeroColumns)
    ...(dead.count > 0 ? { zeroColumns: { set: () => dead, why: 'feed no gate' } } : {}),
  };
}

/** The GRU over float64 copies u [3H,I], w [3H,H], bIn, bRec [3H]; state h (H). @internal */
export function gruCell(H: number, I: number, u: Float64Array, w: Float64Array, bIn: Float64Array, bRec: Float64Array): DifferentiableCell {
  const GH = 3 * H, n = H;
  const gx = new Float64Array(GH), gh = new Float64Array(GH);
  const p = new Float64Array(GH);
  const gxBar = new Float64Array(GH), ghBar = new Float64Array(GH), pBar = new Float64Array(GH);
  const vBar = new Float64Array(3 * H); // r̄, z̄, n̄
  const ghnBar = new Float64Array(H);
  // cache: r, z, n (3H), gh_n = (W_hn·h + b_hn) (H), and from the pre-activations σ'(a_r), σ'(a_z),
  // tanh'(a_n), 1 − z = σ(−a_z) (4H): r(1 − r), z(1 − z), 1 − n² and 1 − z cancel at a saturated gate
  // (the adapter's Jacobian, rnn/gated/system.ts, takes them the same way)
  return {
    dim: n,
    inputSize: I,
    cacheSize: 8 * H,
    params: [u, w, bIn, bRec],
    step(h, x, out, cache) {
      preactivations(GH, H, I, u, w, bIn, bRec, h, x, gx, gh);
      for (let m = 0; m < H; m++) {
        const ar = gx[m] + gh[m], az = gx[H + m] + gh[H + m];
        const r = sigmoid(ar), z = sigmoid(az);
        const an = gx[2 * H + m] + r * gh[2 * H + m];
        const nn = Math.tanh(an);
        cache[m] = r; cache[H + m] = z; cache[2 * H + m] = nn; cache[3 * H + m] = gh[2 * H + m];
        cache[4 * H + m] = sigmoidPrime(ar); cache[5 * H + m] = sigmoidPrime(az); cache[6 * H + m] = tanhPrime(an, nn); cache[7 * H + m] = sigmoid(-az);
        out[m] = (1 - z) * nn + z * h[m];
      }
    },
    tangent(h, cache, q, k, zo) {
      for (let j = 0; j < k; j++) {
        const qj = q.subarray(j * n, (j + 1) * n);
        matTimesColMajor(GH, H, 1, w, qj, p);
        for (let m = 0; m < H; m++) {
          const r = cache[m], z = cache[H + m], nn = cache[2 * H + m], ghn = cache[3 * H + m];
          const dr = cache[4 * H + m] * p[m], dz = cache[5 * H + m] * p[H + m];
          const dn = cache[6 * H + m] * (dr * ghn + r * p[2 * H + m]);
          zo[j * n + m] = dz * (h[m] - nn) + cache[7 * H + m] * dn + z * qj[m];
        }
      }
    },
    backward(h, x, cache, q, k, nextBar, zBar, hBar, qBar, grads) {
      const gw = grads[1];
      vBar.fill(0);
      ghnBar.fill(0);
      hBar.fill(0);
      if (zBar !== null && q !== null && qBar !== null) {
        qBar.fill(0, 0, n * k);
        for (let j = 0; j < k; j++) {
          const qj = q.subarray(j * n, (j + 1) * n);
          const qjBar = qBar.subarray(j * n, (j + 1) * n);
          matTimesColMajor(GH, H, 1, w, qj, p);
          for (let m = 0; m < H; m++) {
            const r = cache[m], z = cache[H + m], nn = cache[2 * H + m], ghn = cache[3 * H + m];
            const sr = cache[4 * H + m], sz = cache[5 * H + m], sn = cache[6 * H + m], omz = cache[7 * H + m];
            const dr = sr * p[m], dz = sz * p[H + m];
            const dA = dr * ghn + r * p[2 * H + m];
            const dn = sn * dA;
            const D = zBar[j * n + m];
            // dh' = dz·(h − n) + (1 − z)·dn + z·q
            const dzBar = D * (h[m] - nn);
            hBar[m] += D * dz;
            vBar[2 * H + m] += -D * dz;
            vBar[H + m] += -D * dn + D * qj[m];
            const dnBar = D * omz;
            qjBar[m] += D * z;
            // dn = sn·dA
            vBar[2 * H + m] += dnBar * (-2 * nn) * dA;
            const dABar = dnBar * sn;
            // dA = dr·ghn + r·P_n
            const drBar = dABar * ghn;
            ghnBar[m] += dABar * dr;
            vBar[m] += dABar * p[2 * H + m];
            pBar[2 * H + m] = dABar * r;
            vBar[m] += drBar * (1 - 2 * r) * p[m];
            pBar[m] = drBar * sr;
            vBar[H + m] += dzBar * (1 - 2 * z) * p[H + m];
            pBar[H + m] = dzBar * sz;
          }
          tangentProductBackward(GH, H, w, qj, pBar, gw, qjBar);
        }
      }
      for (let m = 0; m < H; m++) {
        const r = cache[m], z = cache[H + m], nn = cache[2 * H + m], ghn = cache[3 * H + m];
        const hb = nextBar[m];
        // h' = (1 − z)·n + z·h
        vBar[H + m] += hb * (h[m] - nn);
        vBar[2 * H + m] += hb * cache[7 * H + m];
        hBar[m] += hb * z;
        // n = tanh(A), A = gx_n + r·gh_n
        const aBar = vBar[2 * H + m] * cache[6 * H + m];
        gxBar[2 * H + m] = aBar;
        vBar[m] += aBar * ghn;
        ghBar[2 * H + m] = ghnBar[m] + aBar * r;
        const ar = vBar[m] * cache[4 * H + m], az = vBar[H + m] * cache[5 * H + m];
        gxBar[m] = ar; ghBar[m] = ar;
        gxBar[H + m] = az; ghBar[H + m] = az;
      }
      preactivationsBackward(GH, H, I, w, h, x, gxBar, ghBar, grads, hBar);
    },
  };
}
