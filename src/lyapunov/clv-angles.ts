/**
 * Angles between covariant Lyapunov vectors, or between the subspaces they span, per time step.
 */
import { assertInteger } from '../core/errors.js';
import { svdRaw } from '../core/linalg/svd.js';
import { createQrWork, qrStep } from './grad/qr-step.js';
import { checkOptionKeys } from '../core/options.js';
import { CLV_ANGLE_KEYS } from './option-keys.js';

/** Options of {@link clvAngles}: either `unstable` or `pair`. */
export interface ClvAngleOptions {
  /** Angle between span(v_1..v_j) and span(v_{j+1}..v_k) (the smallest principal angle), 1 ≤ j < k. */
  unstable?: number;
  /** Angle between two vectors [i, j] (0-based), in [0, π/2] (the sign of a CLV is arbitrary). */
  pair?: readonly [number, number];
}

/**
 * The angle (radians, in [0, π/2]) per window step between two CLVs (`pair`) or between the span of
 * the first j CLVs and the span of the others (`unstable: j`, the smallest principal angle: near 0
 * where the splitting is close to tangency, i.e. hyperbolicity is weak).
 *
 * @example
 * ```ts
 * import { covariantLyapunovVectors, clvAngles, lorenz63 } from 'rnn-lyap/lyapunov';
 * const r = covariantLyapunovVectors(lorenz63(), { steps: 2000 });
 * const theta = clvAngles(r, { unstable: 1 }); // Float64Array(2000)
 * ```
 */
export function clvAngles(result: { vectors: { shape: readonly number[]; data: Float64Array } }, opts: ClvAngleOptions): Float64Array {
  const name = 'clvAngles';
  if (result === null || typeof result !== 'object' || result.vectors === undefined || !(result.vectors.data instanceof Float64Array)) {
    throw new TypeError(`${name}: expected a covariantLyapunovVectors result { vectors }`);
  }
  const [T, n, k] = result.vectors.shape;
  const d = result.vectors.data;
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${name}: opts must be an object of options`);
  checkOptionKeys(opts, CLV_ANGLE_KEYS, name);
  const has = (key: string) => Object.prototype.hasOwnProperty.call(opts, key);
  const out = new Float64Array(T);
  if (has('pair') && opts.pair !== undefined) {
    if (has('unstable') && opts.unstable !== undefined) throw new RangeError(`${name}: give either pair or unstable, not both`);
    const pair: unknown = opts.pair;
    if (!Array.isArray(pair)) throw new TypeError(`${name}: pair must be an array [i, j] of two vector indices (0-based, below k = ${k}), got ${pair === null ? 'null' : typeof pair}`);
    if (pair.length !== 2) throw new RangeError(`${name}: pair must hold two vector indices [i, j], got ${pair.length}`);
    const [i, j] = pair as [number, number];
    assertInteger(i, `${name}: pair[0]`, 0, k - 1);
    assertInteger(j, `${name}: pair[1]`, 0, k - 1);
    const u = new Float64Array(n), w = new Float64Array(n);
    for (let t = 0; t < T; t++) {
      for (let r = 0; r < n; r++) {
        u[r] = d[(t * n + r) * k + i];
        w[r] = d[(t * n + r) * k + j];
      }
      out[t] = vectorAngle(u, w, n);
    }
    return out;
  }
  const j = opts.unstable;
  if (j === undefined) throw new TypeError(`${name}: give unstable: j (the span of the first j vectors against the others) or pair: [i, j] (two vectors)`);
  if (k < 2) throw new RangeError(`${name}: unstable splits the vectors in two, and this result has k = ${k}: compute at least 2 vectors`);
  assertInteger(j, `${name}: unstable`, 1, k - 1);
  const a = new Float64Array(n * j), b = new Float64Array(n * (k - j));
  const qa = new Float64Array(n * j), qb = new Float64Array(n * (k - j));
  const wa = createQrWork(n, j), wb = createQrWork(n, k - j);
  const ra = new Float64Array(j * j), rb = new Float64Array((k - j) * (k - j));
  const m = k - j;
  const g = new Float64Array(j * m), sv = new Float64Array(Math.max(j, m));
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < k; c++) {
      for (let r = 0; r < n; r++) {
        const v = d[(t * n + r) * k + c];
        if (c < j) a[c * n + r] = v;
        else b[(c - j) * n + r] = v;
      }
    }
    qrStep(wa, a, qa, ra);
    qrStep(wb, b, qb, rb);
    // g = QaᵀQb: its singular values are the cosines of the principal angles
    for (let p = 0; p < j; p++) for (let q = 0; q < m; q++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += qa[p * n + r] * qb[q * n + r];
      g[p * m + q] = s;
    }
    if (j === 1 || m === 1) {
      // a vector against a subspace: atan2 of the norms of its parts outside and inside it, which
      // resolves any angle (acos of the cosine returned 0 below ≈ 1e-8 rad)
      out[t] = j === 1 ? lineAngle(qa, qb, g, n, m) : lineAngle(qb, qa, g, n, j);
      continue;
    }
    out[t] = subspaceAngle(qa, qb, g, j, m, n, sv);
  }
  return out;
}

/**
 * The smallest principal angle between span(qa) (n×j) and span(qb) (n×m), orthonormal columns,
 * j, m ≥ 2, given g = qaᵀ·qb (j×m, row-major) and scratch `sv` for the singular values:
 * atan2(σ_min(S), σ_max(g)) with S = qs − ql·(qlᵀ·qs) the part of the smaller basis qs outside
 * the larger one's span, whose singular values are the sines of the principal angles (Knyazev and
 * Argentati, SIAM J. Sci. Comput. 23 (2002) 2008–2040). Both come from a backward-stable SVD
 * with absolute errors ≈ ε, so the angle is resolved to ≈ ε rad at every size, where the cosines
 * alone (1 − θ²/2) lose every angle below √ε ≈ 1e-8 rad.
 */
function subspaceAngle(qa: Float64Array, qb: Float64Array, g: Float64Array, j: number, m: number, n: number, sv: Float64Array): number {
  for (let i = 0; i < j * m; i++) if (!Number.isFinite(g[i])) return NaN; // reported, as the other cases do
  svdRaw(j, m, g, sv, null, null);
  const cos = sv[0];
  // the smaller basis qs (p columns) against the larger ql: S (n×p, row-major for svdRaw)
  const small = m <= j;
  const qs = small ? qb : qa, ql = small ? qa : qb;
  const p = small ? m : j, l = small ? j : m;
  const s = new Float64Array(n * p);
  for (let c = 0; c < p; c++) {
    for (let r = 0; r < n; r++) {
      let v = qs[c * n + r];
      // (qlᵀqs)[i][c] is g[i][c] when qs = qb, g[c][i] when qs = qa
      for (let i = 0; i < l; i++) v -= ql[i * n + r] * (small ? g[i * m + c] : g[c * m + i]);
      s[r * p + c] = v;
    }
  }
  svdRaw(n, p, s, sv, null, null);
  return Math.atan2(sv[p - 1], cos);
}

/**
 * The angle in [0, π/2] between the lines of u and w (length n; any scale, sign ignored), by Kahan's
 * 2·atan2(‖û − ŵ‖, ‖û + ŵ‖) on the unit vectors turned to the same side: accurate for every angle,
 * where acos of the cosine loses its digits below ≈ 1e-4 rad and reads 0 below ≈ 1e-8.
 */
function vectorAngle(u: Float64Array, w: Float64Array, n: number): number {
  let nu = 0, nw = 0, dot = 0;
  for (let r = 0; r < n; r++) {
    nu += u[r] * u[r];
    nw += w[r] * w[r];
    dot += u[r] * w[r];
  }
  const su = 1 / Math.sqrt(nu), sw = (dot < 0 ? -1 : 1) / Math.sqrt(nw);
  let dm = 0, dp = 0;
  for (let r = 0; r < n; r++) {
    const a = u[r] * su, b = w[r] * sw;
    dm += (a - b) * (a - b);
    dp += (a + b) * (a + b);
  }
  return 2 * Math.atan2(Math.sqrt(dm), Math.sqrt(dp));
}

/**
 * The angle between the unit vector in `q1` (n×1) and the span of the orthonormal columns of `q2`
 * (n×m), given c = q2ᵀ·q1 in `c` (m entries): atan2(‖q1 − q2·c‖, ‖c‖).
 */
function lineAngle(q1: Float64Array, q2: Float64Array, c: Float64Array, n: number, m: number): number {
  let out = 0, inside = 0;
  for (let q = 0; q < m; q++) inside += c[q] * c[q];
  for (let r = 0; r < n; r++) {
    let v = q1[r];
    for (let q = 0; q < m; q++) v -= q2[q * n + r] * c[q];
    out += v * v;
  }
  return Math.atan2(Math.sqrt(out), Math.sqrt(inside));
}
