/**
 * Metric MDS by stochastic gradient descent on the pair stresses (Zheng, Pawar & Goodman 2018,
 * "Graph drawing by stochastic gradient descent"), as the s_gd2 package's `mds_direct` that PHATE
 * uses by default: every pair (i, j) with weight w_ij = 1 is visited once per epoch in a shuffled
 * order and both points move by μ(‖y_i − y_j‖ − d_ij)/2 along their difference, μ = min(η·w, 1),
 * over 30 step sizes η decaying exponentially from 1/min w to 0.01/max w.
 *
 * The shuffle is the Fisher–Yates of s_gd2 driven by the Mersenne Twister MT19937 with randomkit's
 * seeding and bounded-integer rejection rule, so the same seed reproduces s_gd2's visiting order.
 */

/** MT19937 as randomkit (numpy's legacy generator) seeds and draws it. */
export class Mt19937 {
  private readonly key = new Uint32Array(624);
  private pos = 624;

  constructor(seed: number) {
    let s = seed >>> 0;
    for (let p = 0; p < 624; p++) {
      this.key[p] = s;
      // (1812433253 · (s ^ (s >>> 30)) + p + 1) mod 2³², with the product split to stay exact
      const x = (s ^ (s >>> 30)) >>> 0;
      const hi = ((x >>> 16) * 1812433253) >>> 0;
      const lo = ((x & 0xffff) * 1812433253) >>> 0;
      s = (((hi << 16) >>> 0) + lo + p + 1) >>> 0;
    }
  }

  /** Next 32-bit output (tempered). */
  next(): number {
    const k = this.key;
    if (this.pos === 624) {
      let i = 0;
      for (; i < 624 - 397; i++) {
        const y = (k[i] & 0x80000000) | (k[i + 1] & 0x7fffffff);
        k[i] = k[i + 397] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; i < 623; i++) {
        const y = (k[i] & 0x80000000) | (k[i + 1] & 0x7fffffff);
        k[i] = k[i - 227] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (k[623] & 0x80000000) | (k[0] & 0x7fffffff);
      k[623] = k[396] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.pos = 0;
    }
    let y = k[this.pos++];
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform integer in [0, max] by masking and rejection (randomkit's `rk_interval`). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1; mask |= mask >>> 2; mask |= mask >>> 4; mask |= mask >>> 8; mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.next() & mask) >>> 0; while (v > max);
    return v;
  }
}

/**
 * Unchecked: SGD metric MDS of the m×m distance matrix D into 2-D, starting from Y (row-major m×2,
 * updated in place), with unit weights and s_gd2's default schedule (`tMax` = 30 step sizes, ε = 0.01).
 * `onEpoch` is called after each step size (for progress and abort checks).
 */
export function sgdMdsRaw(
  D: Float64Array, m: number, Y: Float64Array, seed: number, tMax = 30, eps = 0.01,
  onEpoch?: (epoch: number) => void,
): void {
  const nPairs = (m * (m - 1)) / 2;
  // terms in s_gd2's order (i < j, row by row), shuffled in place each epoch
  const ti = new Int32Array(nPairs), tj = new Int32Array(nPairs), td = new Float64Array(nPairs);
  let p = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) { ti[p] = i; tj[p] = j; td[p++] = D[i * m + j]; }
  const rng = new Mt19937(seed);
  // unit weights: η_max = 1, η_min = ε
  const lambda = Math.log(1 / eps) / (tMax - 1);
  for (let e = 0; e < tMax; e++) {
    const eta = Math.exp(-lambda * e);
    for (let i = nPairs - 1; i >= 1; i--) {
      const j = rng.interval(i);
      let t = ti[i]; ti[i] = ti[j]; ti[j] = t;
      t = tj[i]; tj[i] = tj[j]; tj[j] = t;
      const s = td[i]; td[i] = td[j]; td[j] = s;
    }
    const mu = eta > 1 ? 1 : eta;
    for (let q = 0; q < nPairs; q++) {
      const i = ti[q] * 2, j = tj[q] * 2;
      const dx = Y[i] - Y[j], dy = Y[i + 1] - Y[j + 1];
      const mag = Math.sqrt(dx * dx + dy * dy);
      const r = (mu * (mag - td[q])) / (2 * mag);
      const rx = r * dx, ry = r * dy;
      Y[i] -= rx; Y[i + 1] -= ry;
      Y[j] += rx; Y[j + 1] += ry;
    }
    if (onEpoch) onEpoch(e + 1);
  }
}
