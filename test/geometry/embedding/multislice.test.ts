import { describe, expect, it } from 'vitest';
import { mmPhate, mPhate } from '../../../src/geometry/embedding/multislice.js';
import { createRng } from '../../../src/core/rng.js';
import { pca } from '../../../src/geometry/pca.js';

/** Units whose responses drift smoothly from slice to slice. */
function drifting(S: number, U: number, F: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const base = Float64Array.from({ length: U * F }, () => rng.normal());
  const dir = Float64Array.from({ length: U * F }, () => rng.normal());
  const data = new Float64Array(S * U * F);
  for (let s = 0; s < S; s++) for (let e = 0; e < U * F; e++) data[s * U * F + e] = base[e]! + 0.3 * s * dir[e]! + 0.02 * rng.normal();
  return data;
}

/** Fraction of nodes whose nearest node of the same unit (in the embedding) is an adjacent slice. */
function adjacentNearest(emb: Float64Array, S: number, U: number, nodeOf: (s: number, u: number) => number): number {
  let ok = 0;
  for (let u = 0; u < U; u++) for (let s = 0; s < S; s++) {
    let best = -1, bd = Infinity;
    for (let s2 = 0; s2 < S; s2++) {
      if (s2 === s) continue;
      const i = nodeOf(s, u), j = nodeOf(s2, u);
      const d = Math.hypot(emb[2 * i]! - emb[2 * j]!, emb[2 * i + 1]! - emb[2 * j + 1]!);
      if (d < bd) { bd = d; best = s2; }
    }
    if (Math.abs(best - s) === 1) ok++;
  }
  return ok / (S * U);
}

describe('mPhate', () => {
  it('reduces all node vectors by one PCA to nPca components after the z-scoring, as m_phate', () => {
    const S = 6, U = 10, F = 30;
    const data = drifting(S, U, F, 3);
    const opts = { seed: 1, intersliceKnn: 3, t: 5 } as const;
    const reduced = mPhate({ shape: [S, U, F], data }, { ...opts, nPca: 4 });
    // by hand: z-score each (slice, unit) vector, PCA of the [S·U, F] matrix, then no reduction
    const z = Float64Array.from(data);
    for (let g = 0; g < S * U; g++) {
      let m = 0, v = 0;
      for (let f = 0; f < F; f++) m += z[g * F + f]! / F;
      for (let f = 0; f < F; f++) v += (z[g * F + f]! - m) ** 2 / F;
      for (let f = 0; f < F; f++) z[g * F + f] = (z[g * F + f]! - m) / Math.sqrt(v);
    }
    const scores = pca(z, { dim: F, components: 4 }).transform(z);
    const byHand = mPhate({ shape: [S, U, 4], data: scores }, { ...opts, normalize: false, nPca: 0 });
    let err = 0;
    for (let e = 0; e < byHand.embedding.length; e++) err = Math.max(err, Math.abs(reduced.embedding[e]! - byHand.embedding[e]!));
    expect(err).toBeLessThan(1e-9);
    // and the reduction changes the picture (it is applied at all)
    const full = mPhate({ shape: [S, U, F], data }, { ...opts, nPca: 0 });
    expect(full.embedding.some((v, e) => Math.abs(v - reduced.embedding[e]!) > 1e-3)).toBe(true);
  });

  it('keeps each unit’s nodes in slice order when slices drift smoothly', () => {
    const S = 12, U = 20, F = 30;
    const r = mPhate({ shape: [S, U, F], data: drifting(S, U, F, 5) }, { seed: 1, intersliceKnn: 3 });
    expect(r.shape).toEqual([S * U, 2]);
    for (let s = 0; s < S; s++) for (let u = 0; u < U; u++) {
      expect(r.slice[s * U + u]).toBe(s);
      expect(r.unit[s * U + u]).toBe(u);
    }
    expect(adjacentNearest(r.embedding, S, U, (s, u) => s * U + u)).toBeGreaterThanOrEqual(0.95);
  });

  it('sets the interslice bandwidth by the published rule (median k-th slice distance, mean over units)', () => {
    // 3 slices, 3 units, 2 features; with normalize = false the distances are the raw ones
    const data = new Float64Array([
      0, 0, 5, 5, 9, 1, // slice 0: units 0, 1, 2
      1, 0, 5, 7, 9, 4, // slice 1
      3, 0, 5, 8, 9, 9, // slice 2
    ]);
    // unit 0: distances 1 (0–1), 3 (0–2), 2 (1–2); 1st nearest other slice per slice: 1, 1, 2 → median 1
    // unit 1: distances 2, 3, 1 → nearest: 2, 1, 1 → median 1
    // unit 2: distances 3, 8, 5 → nearest: 3, 3, 5 → median 3;  ε = (1 + 1 + 3)/3
    const r = mPhate({ shape: [3, 3, 2], data }, { intersliceKnn: 1, normalize: false, seed: 0, t: 2, mds: 'classic' });
    expect(Math.abs(r.intersliceBandwidth - 5 / 3)).toBeLessThanOrEqual(4e-16);
    // k is capped at slices − 1: k = 25 uses the farthest other slice (2nd): 3, 3, 2 → 3; 3, 3, 2 → 3; 8, 5, 8 → 8
    const r2 = mPhate({ shape: [3, 3, 2], data }, { normalize: false, seed: 0, t: 2, mds: 'classic' });
    expect(Math.abs(r2.intersliceBandwidth - 14 / 3)).toBeLessThanOrEqual(1e-15);
  });

  it('rejects bad input with clear errors', () => {
    expect(() => mPhate({ shape: [4, 5], data: new Float64Array(20) })).toThrow(/rank-3/);
    const d = drifting(3, 4, 5, 1);
    d[23] = Infinity;
    expect(() => mPhate({ shape: [3, 4, 5], data: d })).toThrow(/finite.*\[1,0,3\]/);
    expect(() => mPhate({ shape: [3, 2, 5], data: new Float64Array(30) })).toThrow(/intrasliceKnn = 2 needs at least 3 units/);
    expect(() => mPhate({ shape: [3, 4, 5], data: new Float64Array(10) })).toThrow(/holds 60 elements/);
    expect(() => mPhate([1, 2, 3] as never)).toThrow(TypeError);
  });

  it('refuses a recording whose node vectors are all equal (it embedded the slice graph alone)', () => {
    // every vector constant (dead units): z-scored, all zeros
    const constant = Float64Array.from({ length: 3 * 4 * 5 }, (_, e) => Math.floor(e / 5) * 0.1);
    const msg = /^mPhate: X: every \(slice, unit\) vector equals node 0's after z-scoring \(a constant vector z-scores to zeros\), so there is nothing to embed$/;
    expect(() => mPhate({ shape: [3, 4, 5], data: constant }, { seed: 1 })).toThrow(msg);
    expect(() => mmPhate({ shape: [3, 1, 4, 5], data: constant }, { seed: 1 })).toThrow(/^mmPhate: X: every \(slice, unit\) vector/);
    // without z-scoring only identical vectors are refused
    const same = Float64Array.from({ length: 60 }, (_, e) => e % 5);
    expect(() => mPhate({ shape: [3, 4, 5], data: same }, { seed: 1, normalize: false })).toThrow(/^mPhate: X: every \(slice, unit\) vector equals node 0's, so/);
    expect(mPhate({ shape: [3, 4, 5], data: constant }, { seed: 1, normalize: false }).embedding.every(Number.isFinite)).toBe(true);
  });
});

describe('mmPhate', () => {
  it('returns (epoch, time, unit) indices and orders each unit’s nodes in time', () => {
    const E = 3, T = 6, U = 8, F = 12;
    const rng = createRng(9);
    const w = Float64Array.from({ length: U * F }, () => rng.normal());
    const v = Float64Array.from({ length: U * F }, () => rng.normal());
    const data = new Float64Array(E * T * U * F);
    for (let e = 0; e < E; e++) for (let t = 0; t < T; t++) for (let k = 0; k < U * F; k++) {
      data[((e * T + t) * U) * F + k] = w[k]! * (1 + 0.2 * e) + 0.4 * t * v[k]! + 0.01 * rng.normal();
    }
    const r = mmPhate({ shape: [E, T, U, F], data }, { seed: 2, intersliceKnn: 3 });
    expect(r.shape).toEqual([E * T * U, 2]);
    const i = (1 * T + 4) * U + 5;
    expect([r.epoch[i], r.time[i], r.unit[i]]).toEqual([1, 4, 5]);
    // within one epoch, each unit's nearest node among its time points is an adjacent time step
    let ok = 0, total = 0;
    for (let e = 0; e < E; e++) {
      const frac = adjacentNearest(r.embedding, T, U, (t, u) => (e * T + t) * U + u);
      ok += frac * T * U; total += T * U;
    }
    expect(ok / total).toBeGreaterThanOrEqual(0.9);
    const again = mmPhate({ shape: [E, T, U, F], data }, { seed: 2, intersliceKnn: 3 });
    expect(Array.from(again.embedding)).toEqual(Array.from(r.embedding));
    const adj = mmPhate({ shape: [E, T, U, F], data }, { seed: 2, intersliceKnn: 3, intersliceLinks: 'adjacent' });
    expect(adj.shape).toEqual([E * T * U, 2]);
  });

  it('rejects a tensor of the wrong rank', () => {
    expect(() => mmPhate({ shape: [2, 3, 4], data: new Float64Array(24) })).toThrow(/rank-4/);
  });
});
