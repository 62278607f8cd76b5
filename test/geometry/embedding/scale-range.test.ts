/**
 * Embeddings and scores at the ends of the double range (the point-cloud routines of
 * test/geometry/scale-range.test.ts, continued). t-SNE and PHATE-family embeddings, the α-decay
 * kernel's values and the neighbourhood scores do not depend on the data's scale; classical MDS
 * coordinates and the interslice bandwidth scale with it. States multiplied by 2^k must give the
 * same bits (every routine rescales a copy by an exact power of two before squaring), and by
 * 10^±200 the same values up to rounding. Before the rescaling, squares of 1e160 overflowed (NaN,
 * refusals from the eigensolver, all-zero z-scores) and squares of 1e-160 underflowed (one flat
 * kernel, ties); PHATE's absolute floor on σ_k refused any cloud below ~1e-16, and t-SNE's β search
 * gave another embedding beyond 2^±40.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tsne } from '../../../src/geometry/embedding/tsne.js';
import { phate, phateKernel } from '../../../src/geometry/embedding/phate.js';
import { mPhate, mmPhate } from '../../../src/geometry/embedding/multislice.js';
import { neighborhoodPreservation, trustworthiness } from '../../../src/geometry/embedding/quality.js';
import { demap } from '../../../src/geometry/embedding/demap.js';
import { classicalMds } from '../../../src/geometry/embedding/classical-mds.js';
import { gaussianCloud } from '../helpers.js';

const EPS = 2 ** -52;
const n = 60;
const d = 5;
const base = gaussianCloud(n, d, 3);
for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) base[i * d + p]! *= 1 + p; // anisotropic, max |x| ≈ 15
const scaled = (x: Float64Array, s: number) => x.map((v) => v * s);
const bits = (a: ArrayLike<number>) => Array.from(a);
/** max |a − b| / max |b|: how far two embeddings are, relative to their size. */
const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0, big = 0;
  for (let i = 0; i < b.length; i++) { m = Math.max(m, Math.abs(a[i]! - b[i]!)); big = Math.max(big, Math.abs(b[i]!)); }
  return m / big;
};
// 2^±600 keeps every entry of base (|x| from ~1e-3 to ~15) a normal double
const POWERS = [-600, -300, -45, 45, 300, 600];
const DECIMAL = [1e-200, 1e200];

describe('tsne at any scale of the points', () => {
  const opts = { dim: d, seed: 1, iterations: 120, perplexity: 10 } as const;
  const runs = [
    ['exact, pca init', { ...opts, method: 'exact' }],
    ['exact, random init', { ...opts, method: 'exact', init: 'random' }],
    ['barnes-hut', { ...opts, method: 'barnes-hut' }],
  ] as const;
  for (const [label, o] of runs) {
    const ref = tsne(base, o);
    it(`${label}: × 2^k gives the same bits (k = ${POWERS.join(', ')})`, () => {
      for (const e of POWERS) {
        const r = tsne(scaled(base, 2 ** e), o);
        expect(bits(r.embedding)).toEqual(bits(ref.embedding));
        expect(r.kl).toBe(ref.kl);
      }
    });
  }

  it('× 2^k for any k in [−600, 600] (fast-check): the same bits', () => {
    const o = { ...opts, iterations: 60, method: 'exact' } as const;
    const ref = tsne(base, o).embedding;
    fc.assert(fc.property(fc.integer({ min: -600, max: 600 }), (e) => {
      expect(bits(tsne(scaled(base, 2 ** e), o).embedding)).toEqual(bits(ref));
    }), { numRuns: 8 });
  });

  it('× 1e±200: finite, and separated clusters stay separated (the descent is chaotic: one ulp moves the embedding by O(1))', () => {
    // 3 clusters 40 apart, spread 1: at scale 1 each point's nearest embedded neighbour is in its cluster
    const m = 45, c = gaussianCloud(m, 3, 7);
    for (let i = 0; i < m; i++) c[i * 3 + (i % 3)]! += 40;
    const sameClusterNeighbour = (Y: Float64Array): number => {
      let ok = 0;
      for (let i = 0; i < m; i++) {
        let best = Infinity, bj = -1;
        for (let j = 0; j < m; j++) {
          if (j === i) continue;
          const t = (Y[2 * i]! - Y[2 * j]!) ** 2 + (Y[2 * i + 1]! - Y[2 * j + 1]!) ** 2;
          if (t < best) { best = t; bj = j; }
        }
        if (bj % 3 === i % 3) ok++;
      }
      return ok / m;
    };
    const o = { dim: 3, seed: 2, iterations: 1000, perplexity: 5, method: 'exact' } as const;
    expect(sameClusterNeighbour(tsne(c, o).embedding)).toBe(1);
    for (const s of DECIMAL) {
      const Y = tsne(scaled(c, s), o).embedding; // 1e200 threw (NaN in the PCA init), 1e-200 embedded a flat P
      expect(Y.every(Number.isFinite)).toBe(true);
      expect(sameClusterNeighbour(Y)).toBe(1);
    }
  });
});

describe('phate and its kernel at any scale of the points', () => {
  const o = { dim: d, seed: 1, knn: 5 } as const;
  const ref = phate(base, o);
  const fresh = base.subarray(0, 10 * d).map((v) => v * 1.01 + 0.01);
  const placed = ref.transform(fresh);
  const K0 = phateKernel(base, { dim: d });
  const refPca = phate(base, { ...o, nPca: 3 });

  it('× 2^k: the same embedding, transform and kernel values, bit for bit', () => {
    for (const e of POWERS) {
      const r = phate(scaled(base, 2 ** e), o); // 2^-45 already refused: σ_k fell below an absolute 2.2e-16
      expect(bits(r.embedding)).toEqual(bits(ref.embedding));
      expect(r.t).toBe(ref.t);
      const Y = scaled(fresh, 2 ** e);
      const given = Y.slice();
      expect(bits(r.transform(Y))).toEqual(bits(placed));
      expect(bits(Y)).toEqual(bits(given)); // rescaled on transform's own copy, never the caller's
      const K = phateKernel(scaled(base, 2 ** e), { dim: d });
      expect(bits(K.indices)).toEqual(bits(K0.indices));
      expect(bits(K.values)).toEqual(bits(K0.values));
      const rp = phate(scaled(base, 2 ** e), { ...o, nPca: 3 });
      expect(bits(rp.embedding)).toEqual(bits(refPca.embedding));
      rp.transform(Y); // through the PCA projection
      expect(bits(Y)).toEqual(bits(given));
    }
  });

  it('× 1e±200: the same values up to rounding', () => {
    // rounding the points moves each ratio d/σ_k by a few ε, a kernel value exp(−(d/σ)^α) by
    // α·(d/σ)^α·4ε ≤ 40·ln(1e4)·4ε ≈ 3e-13 relative; the diffusion and MDS stages here keep that
    // size (measured ≤ 3e-15 on the embedding)
    const tol = 40 * Math.log(1e4) * 4 * EPS;
    for (const s of DECIMAL) {
      const r = phate(scaled(base, s), o);
      expect(r.t).toBe(ref.t);
      expect(relDiff(r.embedding, ref.embedding)).toBeLessThanOrEqual(tol);
      expect(relDiff(r.transform(scaled(fresh, s)), placed)).toBeLessThanOrEqual(tol);
      const K = phateKernel(scaled(base, s), { dim: d });
      expect(bits(K.indices)).toEqual(bits(K0.indices));
      K.values.forEach((v, e) => expect(Math.abs(v - K0.values[e]!)).toBeLessThanOrEqual(tol * K0.values[e]!));
    }
  });
});

describe('mPhate and mmPhate at any scale of the recording', () => {
  const S = 4, U = 10, F = 8;
  const rec = gaussianCloud(S * U, F, 9);
  const run = (x: Float64Array, normalize: boolean, nPca = 100) => ({
    m: mPhate({ shape: [S, U, F], data: x }, { seed: 1, normalize, nPca }),
    mm: mmPhate({ shape: [2, 2, U, F], data: x }, { seed: 1, normalize, nPca }),
  });
  for (const normalize of [true, false]) {
    const ref = run(rec, normalize);
    const refPca = run(rec, normalize, 3);
    it(`normalize: ${normalize}: × 2^k gives the same bits (the interslice ε × 2^k)`, () => {
      for (const e of POWERS) {
        const r = run(scaled(rec, 2 ** e), normalize);
        expect(bits(r.m.embedding)).toEqual(bits(ref.m.embedding));
        expect(bits(r.mm.embedding)).toEqual(bits(ref.mm.embedding));
        expect(r.m.intersliceBandwidth).toBe(ref.m.intersliceBandwidth * (normalize ? 1 : 2 ** e));
        expect(bits(run(scaled(rec, 2 ** e), normalize, 3).m.embedding)).toEqual(bits(refPca.m.embedding));
      }
    });
    it(`normalize: ${normalize}: × 1e±200 gives the same values up to rounding`, () => {
      // as for phate: α = 5 here, interslice exp(−q²) with q² ≤ ln(1e4); 40·ln(1e4)·4ε bounds both
      const tol = 40 * Math.log(1e4) * 4 * EPS;
      for (const s of DECIMAL) {
        const r = run(scaled(rec, s), normalize);
        expect(relDiff(r.m.embedding, ref.m.embedding)).toBeLessThanOrEqual(tol);
        expect(relDiff(r.mm.embedding, ref.mm.embedding)).toBeLessThanOrEqual(tol);
        const bw = ref.m.intersliceBandwidth * (normalize ? 1 : s);
        expect(Math.abs(r.m.intersliceBandwidth - bw)).toBeLessThanOrEqual(8 * F * EPS * bw);
      }
    });
  }
});

describe('neighbourhood scores and classical MDS at any scale', () => {
  const Y = gaussianCloud(n, 2, 4);
  const groups = Int32Array.from({ length: n }, (_, i) => i % 2);
  const score = (X: Float64Array, E: Float64Array) => [
    trustworthiness(X, E, { dimX: d, dimY: 2 }),
    trustworthiness(X, E, { dimX: d, dimY: 2, groups }),
    neighborhoodPreservation(X, E, { dimX: d, dimY: 2 }),
    neighborhoodPreservation(X, E, { dimX: d, dimY: 2, groups }),
    demap(X, E, { dimX: d, dimY: 2, k: 5 }),
  ];
  const ref = score(base, Y);

  it('trustworthiness, neighborhoodPreservation, demap: X or Y × 2^k or × 1e±200, the same bits', () => {
    // ranks of distances: rounding the points by 1e±200 reorders no pair of this cloud
    for (const s of [...POWERS.map((e) => 2 ** e), ...DECIMAL]) {
      expect(score(scaled(base, s), Y)).toEqual(ref);
      expect(score(base, scaled(Y, s))).toEqual(ref);
    }
  });

  it('each group is scaled on its own: a group 2^-600 times smaller than the other scores as at scale 1', () => {
    const X = base.map((v, e) => (Math.floor(e / d) % 2 === 1 ? v * 2 ** -600 : v));
    expect(trustworthiness(X, Y, { dimX: d, dimY: 2, groups })).toBe(ref[1]);
    expect(neighborhoodPreservation(X, Y, { dimX: d, dimY: 2, groups })).toBe(ref[3]);
  });

  it('classicalMds: distances × 2^k give the coordinates × 2^k bit for bit, × 1e±200 to rounding', () => {
    const m = 20, D = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      let t = 0;
      for (let p = 0; p < d; p++) t += (base[i * d + p]! - base[j * d + p]!) ** 2;
      D[i * m + j] = Math.sqrt(t);
    }
    const ref = classicalMds(D, { dim: m, seed: 1 }).embedding;
    for (const e of POWERS) {
      expect(bits(classicalMds(scaled(D, 2 ** e), { dim: m, seed: 1 }).embedding)).toEqual(bits(ref).map((v) => v * 2 ** e));
    }
    for (const s of DECIMAL) {
      // a relative perturbation of ε per distance moves the coordinates by O(m·ε) relative (well-separated λ)
      expect(relDiff(scaled(classicalMds(scaled(D, s), { dim: m, seed: 1 }).embedding, 1 / s), ref)).toBeLessThanOrEqual(8 * m * EPS);
    }
  });
});
