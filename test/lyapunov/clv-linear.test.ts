import { describe, expect, it } from 'vitest';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { linearMap } from '../../src/lyapunov/systems.js';

// exact references built in float64 from known eigenvectors: A = S·diag(d)·S⁻¹, whose eigenvectors
// are the columns of S (no eigen-solver involved)
const matmul = (a: number[][], b: number[][]) => a.map((r) => b[0].map((_, j) => r.reduce((s, v, l) => s + v * b[l][j], 0)));
/** The inverse of a small well-conditioned matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d;
    for (let r = 0; r < n; r++) if (r !== c) { const f = a[r][c]; for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j]; }
  }
  return a.map((r) => r.slice(n));
}
const absCos = (u: number[], v: number[]) => {
  let d = 0, nu = 0, nv = 0;
  for (let i = 0; i < u.length; i++) { d += u[i] * v[i]; nu += u[i] * u[i]; nv += v[i] * v[i]; }
  return Math.abs(d) / Math.sqrt(nu * nv);
};
const vec = (r: { vectors: { shape: [number, number, number]; data: Float64Array } }, t: number, i: number) => {
  const [, n, k] = r.vectors.shape;
  return Array.from({ length: n }, (_, a) => r.vectors.data[(t * n + a) * k + i]);
};

describe('covariantLyapunovVectors on linear maps (exact identities)', () => {
  // a dense non-normal S (not triangular, so the Gram–Schmidt frame is not the eigenbasis) and
  // eigenvalues of distinct moduli, two of them negative
  const S = [[1, 0.4, -0.7, 0.2, 0.5], [0.3, 1, 0.6, -0.4, 0.1], [-0.5, 0.2, 1, 0.8, -0.3], [0.6, -0.9, 0.1, 1, 0.4], [0.2, 0.5, -0.6, 0.3, 1]];
  const d = [1.7, -1.2, 0.9, 0.5, -0.2];
  const A = matmul(matmul(S, d.map((v, i) => d.map((_, j) => (i === j ? v : 0)))), invert(S));
  const eig = (i: number) => S.map((row) => row[i]);

  for (const k of [5, 3, 1]) {
    it(`a dense A = S·diag(d)·S⁻¹, k = ${k}: every CLV is its eigenvector at every step, growth ln|d_i| exactly, unit columns`, () => {
      const r = covariantLyapunovVectors(linearMap(A), { k, steps: 100, warmup: 0, frameWarmup: 200, backwardWarmup: 200, seed: 2 });
      let worst = 0, norm = 0;
      for (let t = 0; t < r.steps; t++) for (let i = 0; i < k; i++) {
        const v = vec(r, t, i);
        worst = Math.max(worst, 1 - absCos(v, eig(i)));
        norm = Math.max(norm, Math.abs(Math.hypot(...v) - 1));
      }
      expect(worst).toBeLessThan(1e-14);
      expect(norm).toBeLessThan(1e-15);
      for (let i = 0; i < k; i++) {
        expect(Math.abs(r.clvExponents[i] - Math.log(Math.abs(d[i])))).toBeLessThan(1e-13);
        expect(Math.abs(r.exponents[i] - Math.log(Math.abs(d[i])))).toBeLessThan(1e-13);
      }
    });
  }

  it('a periodically switched map (A0, A1): the CLVs at even steps are the eigenvectors of A1·A0, at odd steps those of A0·A1', () => {
    // A0 = C·S⁻¹ and A1 = S·D·C⁻¹: the period from an even step is A1·A0 = S·D·S⁻¹ (eigenvectors S),
    // from an odd step A0·A1 = C·D·C⁻¹ (eigenvectors C); exponents ln|D_ii| / 2 per step
    const Sm = S.slice(0, 4).map((r) => r.slice(0, 4));
    const C = [[1, -0.3, 0.5, 0.2], [0.4, 1, -0.2, 0.6], [-0.6, 0.1, 1, 0.3], [0.2, 0.7, -0.4, 1]];
    const D = [[2.5, 0, 0, 0], [0, -1.5, 0, 0], [0, 0, 0.8, 0], [0, 0, 0, 0.3]];
    const A0 = matmul(C, invert(Sm));
    const A1 = matmul(matmul(Sm, D), invert(C));
    const r = covariantLyapunovVectors(linearMap([A0, A1]), { steps: 40, warmup: 0, frameWarmup: 200, backwardWarmup: 200, seed: 1 });
    let worst = 0;
    for (let t = 0; t < r.steps; t++) for (let i = 0; i < 4; i++) {
      const ref = (t % 2 === 0 ? Sm : C).map((row) => row[i]);
      worst = Math.max(worst, 1 - absCos(vec(r, t, i), ref));
    }
    expect(worst).toBeLessThan(1e-14);
    for (let i = 0; i < 4; i++) expect(Math.abs(r.clvExponents[i] - Math.log(Math.abs(D[i][i])) / 2)).toBeLessThan(1e-13);
  });
});
