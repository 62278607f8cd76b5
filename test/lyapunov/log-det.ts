// Exact mean log|det J_t| of RNN maps from their weights, apart from any QR: the identity Σλ = mean
// log|det J| that the spectrum tests check.
//   vanilla tanh, h' = tanh(W h + U x + b):  log|det J| = Σ_i log sech²(a_i) + log|det W|
//   LSTM on [h; c] (gate order i, f, g, o):   log|det J| = Σ_m (log f_m + log|βo_m|) + log|det W_o|,
//     βo = tanh(c')·o·(1 − o)  (subtract γ times the c rows from the h rows)
//   GRU (gate order r, z, n): no product form; J built by hand and log|det J| by an LU of its
//     equilibrated rows (gruMeanLogDet)

/** log|det| of the row-major n×n block of `a` at `off`, by LU with partial pivoting. */
export function logAbsDet(a: ArrayLike<number>, n: number, off = 0): number {
  const m = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => Number(a[off + i * n + j])));
  let s = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    s += Math.log(Math.abs(m[c][c]));
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let j = c; j < n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return s;
}

/** log σ(a) without cancellation. */
const logSigmoid = (a: number) => (a >= 0 ? -Math.log1p(Math.exp(-a)) : a - Math.log1p(Math.exp(a)));
/** log sech²(a) = log 4 − 2|a| − 2 log(1 + e^{−2|a|}), without overflow. */
const logSech2 = (a: number) => Math.log(4) - 2 * Math.abs(a) - 2 * Math.log1p(Math.exp(-2 * Math.abs(a)));

/** Weights as plain arrays: W (H×H), U (H×I), b (H), row-major. */
export interface VanillaWeights {
  w: ArrayLike<number>;
  u: ArrayLike<number>;
  b: ArrayLike<number>;
}

/**
 * Mean of log|det J_t| of a vanilla tanh RNN over steps start..end−1 on the inputs x (T×I
 * row-major): along `states` (row t the state h_t, e.g. the library's own trajectory, which a
 * chaotic network needs: a recurrence summed in another order leaves it), or from zeros.
 */
export function vanillaMeanLogDet(H: number, I: number, p: VanillaWeights, x: ArrayLike<number>, start: number, end: number, states?: Float64Array): number {
  const ldW = logAbsDet(p.w, H);
  let h = new Float64Array(H);
  let s = 0;
  for (let t = 0; t < end; t++) {
    const a = new Float64Array(H);
    for (let m = 0; m < H; m++) {
      let v = p.b[m];
      for (let j = 0; j < I; j++) v += p.u[m * I + j] * x[t * I + j];
      for (let l = 0; l < H; l++) v += p.w[m * H + l] * h[l];
      a[m] = v;
    }
    if (t >= start) {
      s += ldW;
      for (let m = 0; m < H; m++) s += logSech2(a[m]);
    }
    h = states === undefined ? a.map(Math.tanh) : states.slice((t + 1) * H, (t + 2) * H);
  }
  return s / (end - start);
}

/** LSTM weights as PyTorch holds them: wIn (4H×I), wRec (4H×H), bIn and bRec (4H), gate order i, f, g, o. */
export interface LstmWeights {
  wIn: ArrayLike<number>;
  wRec: ArrayLike<number>;
  bIn: ArrayLike<number>;
  bRec: ArrayLike<number>;
}

/** Mean of log|det J_t| of an LSTM on [h; c] over steps start..end−1 on the inputs x (T×I row-major), along `states` (row t = [h_t; c_t]) or from zeros. */
export function lstmMeanLogDet(H: number, I: number, p: LstmWeights, x: ArrayLike<number>, start: number, end: number, states?: Float64Array): number {
  const ldWo = logAbsDet(p.wRec, H, 3 * H * H);
  let h = new Float64Array(H), c = new Float64Array(H);
  let s = 0;
  for (let t = 0; t < end; t++) {
    const hn = new Float64Array(H), cn = new Float64Array(H);
    for (let m = 0; m < H; m++) {
      const pre = [0, 1, 2, 3].map((g) => {
        let v = p.bIn[g * H + m] + p.bRec[g * H + m];
        for (let j = 0; j < I; j++) v += p.wIn[(g * H + m) * I + j] * x[t * I + j];
        for (let l = 0; l < H; l++) v += p.wRec[(g * H + m) * H + l] * h[l];
        return v;
      });
      const sig = (a: number) => 1 / (1 + Math.exp(-a));
      cn[m] = sig(pre[1]) * c[m] + sig(pre[0]) * Math.tanh(pre[2]);
      hn[m] = sig(pre[3]) * Math.tanh(cn[m]);
      if (t >= start) s += logSigmoid(pre[1]) + Math.log(Math.abs(Math.tanh(cn[m]))) + logSigmoid(pre[3]) + logSigmoid(-pre[3]);
    }
    if (t >= start) s += ldWo;
    if (states === undefined) [h, c] = [hn, cn];
    else [h, c] = [states.slice((t + 1) * 2 * H, (t + 1) * 2 * H + H), states.slice((t + 1) * 2 * H + H, (t + 2) * 2 * H)];
  }
  return s / (end - start);
}

/** GRU weights as PyTorch holds them: wIn (3H×I), wRec (3H×H), bIn and bRec (3H), gate order r, z, n. */
export type GruWeights = LstmWeights;

const sigmoidOf = (a: number) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)));
/** σ'(a) and tanh'(a) from the pre-activation (no cancellation at saturation). */
const sigmoidPrimeOf = (a: number) => {
  const e = Math.exp(-Math.abs(a));
  return e / ((1 + e) * (1 + e));
};
const tanhPrimeOf = (a: number) => {
  const e = Math.exp(-2 * Math.abs(a));
  return (4 * e) / ((1 + e) * (1 + e));
};

/**
 * Mean of log|det J_t| of a GRU over steps start..end−1 on the inputs x (T×I row-major), along
 * `states` (row t = h_t) or from zeros. PyTorch's equations: r = σ(a_r), z = σ(a_z),
 * n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn)), h' = (1 − z)⊙n + z⊙h, so
 * ∂h'_m/∂h_l = z_m·δ_ml + (h_m − n_m)·σ'(a_z)·W_hz[m,l] + σ(−a_z)·tanh'(a_n)·(r_m·W_hn[m,l] + gh_n·σ'(a_r)·W_hr[m,l]);
 * its rows scaled by powers of two to max |J_ml| in [1, 2) (a saturated unit's row is graded) and
 * log|det| by LU with partial pivoting. Checked against central differences of the library's step.
 */
export function gruMeanLogDet(H: number, I: number, p: GruWeights, x: ArrayLike<number>, start: number, end: number, states?: Float64Array): number {
  let h = new Float64Array(H);
  const J = new Float64Array(H * H);
  let s = 0;
  for (let t = 0; t < end; t++) {
    if (states !== undefined) h = states.slice(t * H, (t + 1) * H);
    const hn = new Float64Array(H);
    for (let m = 0; m < H; m++) {
      const [ar, az, xn] = [0, 1, 2].map((g) => {
        let v = Number(p.bIn[g * H + m]);
        for (let j = 0; j < I; j++) v += Number(p.wIn[(g * H + m) * I + j]) * Number(x[t * I + j]);
        if (g === 2) return v;
        v += Number(p.bRec[g * H + m]);
        for (let l = 0; l < H; l++) v += Number(p.wRec[(g * H + m) * H + l]) * h[l];
        return v;
      });
      let ghn = Number(p.bRec[2 * H + m]);
      for (let l = 0; l < H; l++) ghn += Number(p.wRec[(2 * H + m) * H + l]) * h[l];
      const r = sigmoidOf(ar), z = sigmoidOf(az), an = xn + r * ghn, n = Math.tanh(an);
      hn[m] = (1 - z) * n + z * h[m];
      if (t < start) continue;
      const cz = (h[m] - n) * sigmoidPrimeOf(az), cn = sigmoidOf(-az) * tanhPrimeOf(an), cr = cn * ghn * sigmoidPrimeOf(ar);
      let big = 0;
      for (let l = 0; l < H; l++) {
        const v = cz * Number(p.wRec[(H + m) * H + l]) + cn * r * Number(p.wRec[(2 * H + m) * H + l]) + cr * Number(p.wRec[m * H + l]) + (l === m ? z : 0);
        J[m * H + l] = v;
        big = Math.max(big, Math.abs(v));
      }
      const e = big > 0 ? Math.floor(Math.log2(big)) : 0;
      for (let l = 0; l < H; l++) J[m * H + l] *= 2 ** -e; // exact (|e| < 1000 here)
      s += e * Math.LN2;
    }
    if (t >= start) s += logAbsDet(J, H);
    h = hn;
  }
  return s / (end - start);
}

/** The states x_0 … x_T of `sys` from zeros (row t = x_t), as the library steps them. */
export function trajectory(sys: { dim: number; step(x: Float64Array, t: number, out: Float64Array): void }, T: number): Float64Array {
  const n = sys.dim;
  const out = new Float64Array((T + 1) * n);
  for (let t = 0; t < T; t++) sys.step(out.subarray(t * n, (t + 1) * n), t, out.subarray((t + 1) * n, (t + 2) * n));
  return out;
}
