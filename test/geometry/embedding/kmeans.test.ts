import { describe, expect, it } from 'vitest';
import { miniBatchKmeansRaw, nearestCentres } from '../../../src/geometry/embedding/kmeans.js';
import { createRng } from '../../../src/core/rng.js';

/** G well-separated Gaussian blobs in f dimensions, m points each; returns points and true blob. */
function blobs(G: number, m: number, f: number, seed: number): { F: Float64Array; truth: Int32Array } {
  const rng = createRng(seed);
  const F = new Float64Array(G * m * f), truth = new Int32Array(G * m);
  for (let g = 0; g < G; g++) {
    const c = Float64Array.from({ length: f }, () => 20 * rng.normal());
    for (let i = 0; i < m; i++) {
      truth[g * m + i] = g;
      for (let p = 0; p < f; p++) F[(g * m + i) * f + p] = c[p]! + rng.normal();
    }
  }
  return { F, truth };
}

describe('miniBatchKmeansRaw (scikit-learn MiniBatchKMeans as graphtools runs it)', () => {
  it('recovers well-separated blobs exactly, with small batches and with one batch of everything', () => {
    const G = 6, m = 200, f = 5;
    const { F, truth } = blobs(G, m, f, 1);
    for (const batchSize of [128, 10000]) {
      const r = miniBatchKmeansRaw(F, G * m, f, G, createRng(2), { batchSize });
      expect(r.groups).toBe(G);
      // one label per blob and one blob per label
      const map = new Map<number, number>();
      for (let i = 0; i < G * m; i++) {
        const prev = map.get(truth[i]!);
        if (prev === undefined) map.set(truth[i]!, r.labels[i]!);
        else expect(r.labels[i]).toBe(prev);
      }
      expect(new Set(map.values()).size).toBe(G);
      // early stopping well before ⌊100·N/B⌋ steps
      expect(r.steps).toBeLessThan(Math.floor((100 * G * m) / Math.min(batchSize, G * m)));
    }
  });

  it('renumbers the groups 0..groups−1 with every group used', () => {
    const N = 300, f = 3;
    const rng = createRng(4);
    const F = Float64Array.from({ length: N * f }, () => rng.normal());
    const r = miniBatchKmeansRaw(F, N, f, 40, createRng(5), { batchSize: 64 });
    expect(r.groups).toBeLessThanOrEqual(40);
    const used = new Set(r.labels);
    expect(used.size).toBe(r.groups);
    for (let g = 0; g < r.groups; g++) expect(used.has(g)).toBe(true);
  });

  it('nearestCentres agrees with a direct scan', () => {
    const rng = createRng(7);
    const N = 500, L = 37, f = 9;
    const F = Float64Array.from({ length: N * f }, () => rng.normal());
    const C = Float64Array.from({ length: L * f }, () => rng.normal());
    const sq = (A: Float64Array, r: number) => { let s = 0; for (let p = 0; p < f; p++) s += A[r * f + p]! ** 2; return s; };
    const fn = Float64Array.from({ length: N }, (_, i) => sq(F, i));
    const cn = Float64Array.from({ length: L }, (_, c) => sq(C, c));
    const rows = Int32Array.from({ length: N }, (_, i) => i);
    const lab = new Int32Array(N), d2 = new Float64Array(N);
    nearestCentres(F, fn, f, rows, N, C, cn, L, lab, d2);
    for (let i = 0; i < N; i++) {
      let best = Infinity, a = -1;
      for (let c = 0; c < L; c++) {
        let s = 0;
        for (let p = 0; p < f; p++) s += (F[i * f + p]! - C[c * f + p]!) ** 2;
        if (s < best) { best = s; a = c; }
      }
      expect(lab[i]).toBe(a);
      expect(d2[i]).toBeCloseTo(best, 9);
    }
  });

  it('nearestCentres screened in float32 (f ≥ 16) gives the float64 answer exactly, near-ties and exact ties included', () => {
    const rng = createRng(8);
    const N = 700, L = 301, f = 40;
    const F = Float64Array.from({ length: N * f }, () => 3 + rng.normal());
    const C = new Float64Array(L * f);
    for (let c = 0; c < L; c++) {
      if (c >= 200 && c < 250) {
        // near-twins of centres 0..49 (1e-9 apart: below float32's resolution) and exact twins (250..)
        for (let p = 0; p < f; p++) C[c * f + p] = C[(c - 200) * f + p]! * (1 + 1e-9 * rng.normal());
      } else if (c >= 250) {
        C.set(C.subarray((c - 250) * f, (c - 249) * f), c * f);
      } else {
        // half the centres are data points, so distances reach 0 and the nearest is often tight
        const src = c % 2 === 0 ? Math.floor(rng() * N) : -1;
        for (let p = 0; p < f; p++) C[c * f + p] = src >= 0 ? F[src * f + p]! : 3 + rng.normal();
      }
    }
    const sq = (A: Float64Array, r: number) => { let s = 0; for (let p = 0; p < f; p++) s += A[r * f + p]! ** 2; return s; };
    const fn = Float64Array.from({ length: N }, (_, i) => sq(F, i));
    const cn = Float64Array.from({ length: L }, (_, c) => sq(C, c));
    const rows = Int32Array.from({ length: N }, (_, i) => (i * 7) % N);
    const lab = new Int32Array(N), d2 = new Float64Array(N);
    nearestCentres(F, fn, f, rows, N, C, cn, L, lab, d2);
    for (let r = 0; r < N; r++) {
      const i = rows[r]!;
      let best = Infinity, a = -1;
      for (let c = 0; c < L; c++) {
        let s = 0;
        for (let p = 0; p < f; p++) { const t = F[i * f + p]! - C[c * f + p]!; s += t * t; }
        if (s < best) { best = s; a = c; }
      }
      expect(lab[r]).toBe(a);
      expect(d2[r]).toBe(best);
    }
  });
});
