import { describe, expect, it } from 'vitest';
import { tsne } from '../../../src/geometry/embedding/tsne.js';
import { neighborhoodPreservation, trustworthiness } from '../../../src/geometry/embedding/quality.js';
import { tensor } from '../../../src/core/tensor.js';
import { clusters, knnAccuracy, trajectory } from './helpers.js';

describe('tsne', () => {
  it('keeps well-separated clusters apart (exact gradient)', () => {
    const { x, labels } = clusters(200, 10, 4, 1);
    const r = tsne(x, { dim: 10, seed: 1, iterations: 500 });
    expect(r.method).toBe('exact');
    expect(r.shape).toEqual([200, 2]);
    expect(knnAccuracy(r.embedding, 200, 2, labels)).toBe(1);
    expect(r.kl).toBeGreaterThan(0);
    expect(r.kl).toBeLessThan(2);
  });

  it('keeps well-separated clusters apart (Barnes–Hut, 2-D and 3-D)', () => {
    const { x, labels } = clusters(300, 10, 5, 2);
    const r2 = tsne(x, { dim: 10, seed: 1, method: 'barnes-hut', iterations: 500 });
    expect(r2.method).toBe('barnes-hut');
    expect(knnAccuracy(r2.embedding, 300, 2, labels)).toBe(1);
    const r3 = tsne(x, { dim: 10, seed: 1, method: 'barnes-hut', dims: 3, iterations: 400 });
    expect(r3.shape).toEqual([300, 3]);
    expect(knnAccuracy(r3.embedding, 300, 3, labels)).toBe(1);
  });

  it('keeps time neighbours of a noisy trajectory together', () => {
    const x = trajectory(300, 5, 3);
    const r = tsne(x, { dim: 5, seed: 2, iterations: 500, perplexity: 20 });
    // fraction of the 10 nearest neighbours kept; a random embedding keeps about 10/300
    expect(neighborhoodPreservation(x, r, { dimX: 5, k: 10 })).toBeGreaterThan(0.6);
  });

  it('is deterministic by seed and accepts Tensors', () => {
    const { x } = clusters(120, 6, 3, 4);
    const T = tensor(Float32Array.from(x), [120, 6]);
    const a = tsne(T, { seed: 7, iterations: 120, init: 'random' });
    const b = tsne(T, { seed: 7, iterations: 120, init: 'random' });
    const c = tsne(T, { seed: 8, iterations: 120, init: 'random' });
    expect(Array.from(a.embedding)).toEqual(Array.from(b.embedding));
    expect(Array.from(a.embedding)).not.toEqual(Array.from(c.embedding));
    expect(a.learningRate).toBe(50); // max(120 / 12 / 4, 50)
  });

  it('reports progress and honours an abort signal', () => {
    const { x } = clusters(100, 5, 2, 5);
    const phases = new Set<string>();
    tsne(x, { dim: 5, iterations: 100, onProgress: (p) => phases.add(p.phase) });
    expect(phases).toEqual(new Set(['affinities', 'optimize']));
    const ctrl = new AbortController();
    expect(() => tsne(x, {
      dim: 5, signal: ctrl.signal, onProgress: (p) => { if (p.phase === 'optimize') ctrl.abort(); },
    })).toThrow(/abort/i);
  });

  it('rejects bad input with clear errors', () => {
    const { x } = clusters(40, 3, 2, 6);
    const bad = x.slice();
    bad[7] = NaN;
    expect(() => tsne(bad, { dim: 3 })).toThrow(/finite.*point 2, coordinate 1/);
    expect(() => tsne(x, { dim: 3, perplexity: 39 })).toThrow(/perplexity/);
    expect(() => tsne(tensor(new Float32Array(48), [2, 2, 3, 4]))).toThrow(/rank-2 \[n,d\] or rank-3 \[B,T,H\]/); // [B,T,H] is points (test/geometry/points-rank3.test.ts)
    expect(() => tsne(x, { dim: 3, dims: 4, method: 'barnes-hut' })).toThrow(/dims 1, 2 or 3/);
    expect(() => tsne(x, { dim: 3, init: new Float64Array(5) })).toThrow(/init/);
    expect(() => tsne(x, { dim: 3, method: 'fast' as never })).toThrow(/method/);
    expect(() => tsne(x.subarray(0, 6), { dim: 3, perplexity: 1 })).toThrow(/at least 3 points/);
    // 3 features have no 4 principal axes: an explicit 'pca' is refused (it started at random in silence), the default starts at random
    expect(() => tsne(x, { dim: 3, dims: 4, init: 'pca', iterations: 10 })).toThrow(/^tsne: init 'pca' needs at least dims = 4 features, the points have 3 \(use init 'random', or fewer dims\)$/);
    expect(tsne(x, { dim: 3, dims: 4, iterations: 10, seed: 1 }).embedding).toEqual(tsne(x, { dim: 3, dims: 4, init: 'random', iterations: 10, seed: 1 }).embedding);
  });

  it('refuses points that are all equal (it returned an all-zero embedding), and embeds them with one point moved', () => {
    const same = Array.from({ length: 12 }, () => [1, 2, 3]);
    for (const init of ['pca', 'random'] as const) {
      expect(() => tsne(same, { perplexity: 3, iterations: 20, init })).toThrow(/^tsne: X: every point equals point 0 \(12 points\), so there is nothing to embed$/);
    }
    same[11] = [1, 2, 3.5];
    expect(tsne(same, { perplexity: 3, iterations: 20, seed: 1 }).embedding.every(Number.isFinite)).toBe(true);
  });

  it('embeds states of any scale alike (P is scale-free): no uniform or one-hot affinities at 1e-30 or 1e20', () => {
    // before: KL 0.0000 and trustworthiness 0.53 at 1e-30 (every P row uniform), 0.83 at 1e20 (one-hot)
    const { x } = clusters(120, 5, 3, 6, 4);
    const ref = trustworthiness(x, tsne(x, { dim: 5, perplexity: 10, seed: 1, iterations: 400 }), { k: 5, dimX: 5 });
    for (const s of [1e-30, 1e20]) {
      const t = tsne(x.map((v) => v * s), { dim: 5, perplexity: 10, seed: 1, iterations: 400 });
      expect(t.kl).toBeGreaterThan(0.1);
      // runs from different P (equal within the entropy tolerance) differ by a few hundredths
      expect(trustworthiness(x, t, { k: 5, dimX: 5 })).toBeGreaterThan(ref - 0.08);
    }
  });
});
