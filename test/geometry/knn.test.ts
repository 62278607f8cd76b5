import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { knn, knnRaw } from '../../src/geometry/knn.js';
import { createRng } from '../../src/core/rng.js';
import { tensor } from '../../src/core/tensor.js';

/** Reference: all distances computed directly, full sort by (distance, index). */
function brute(x: ArrayLike<number>, n: number, d: number, k: number): { idx: number[][]; dist: number[][] } {
  const idx: number[][] = [];
  const dist: number[][] = [];
  for (let i = 0; i < n; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let p = 0; p < d; p++) {
        const t = x[i * d + p]! - x[j * d + p]!;
        s += t * t;
      }
      all.push([s, j]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    idx.push(all.slice(0, k).map((a) => a[1]));
    dist.push(all.slice(0, k).map((a) => Math.sqrt(a[0])));
  }
  return { idx, dist };
}

function check(x: Float64Array | Float32Array, n: number, d: number, k: number, blockSize?: number): void {
  const res = knn(x, k, { dim: d, blockSize });
  const ref = brute(x, n, d, k);
  for (let i = 0; i < n; i++) {
    expect(Array.from(res.indices.subarray(i * k, (i + 1) * k))).toEqual(ref.idx[i]);
    expect(Array.from(res.distances.subarray(i * k, (i + 1) * k))).toEqual(ref.dist[i]);
  }
}

function gaussianCloud(n: number, d: number, seed: number, offset = 0): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal() + offset;
  return x;
}

describe('knn', () => {
  it('matches brute force on a Gaussian cloud (blocked path, ragged last tile)', () => {
    check(gaussianCloud(301, 7, 1), 301, 7, 5);
    check(gaussianCloud(257, 33, 2), 257, 33, 12, 16);
  });

  it('matches brute force far from the origin (cancellation) and in float32', () => {
    check(gaussianCloud(200, 5, 3, 1e6), 200, 5, 4);
    check(Float32Array.from(gaussianCloud(150, 9, 4, 10)), 150, 9, 6);
  });

  it('handles duplicates (distance 0, ties by index) and integer-grid ties', () => {
    const rng = createRng(5);
    const n = 180;
    const d = 3;
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const src = i < 60 ? i : rng.int(60); // 120 duplicates of the first 60 points
      for (let p = 0; p < d; p++) x[i * d + p] = src === i ? rng.int(4) : x[src * d + p]!;
    }
    check(x, n, d, 8);
    // a point duplicated 20 times: its nearest 19 neighbours are at distance 0
    const y = gaussianCloud(120, 4, 6);
    for (let i = 100; i < 120; i++) for (let p = 0; p < 4; p++) y[i * 4 + p] = y[100 * 4 + p]!;
    const res = knn(y, 19, { dim: 4 });
    expect(Array.from(res.distances.subarray(100 * 19, 101 * 19))).toEqual(new Array(19).fill(0));
    expect(Array.from(res.indices.subarray(100 * 19, 101 * 19))).toEqual(Array.from({ length: 19 }, (_, j) => 101 + j));
    check(y, 120, 4, 19);
  });

  it('property: equals brute force for random small clouds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 90 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (n, d, seed, quantize) => {
          const x = gaussianCloud(n, d, seed);
          if (quantize) for (let i = 0; i < x.length; i++) x[i] = Math.round(x[i]!);
          const k = 1 + (seed % Math.min(n - 1, 10));
          check(x, n, d, k, 8);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('accepts Tensors and arrays of points', () => {
    const r = knn(tensor([[0, 0], [1, 0], [0, 2]]), 1);
    expect(Array.from(r.indices)).toEqual([1, 0, 0]);
    expect(Array.from(r.distances)).toEqual([1, 1, 2]);
    const r2 = knn([[0], [3], [1]], 2);
    expect(Array.from(r2.indices)).toEqual([2, 1, 2, 0, 0, 1]);
  });

  it('raw variant writes into given buffers', () => {
    const x = gaussianCloud(100, 3, 9);
    const idx = new Int32Array(300);
    const dist = new Float64Array(300);
    knnRaw(x, 100, 3, 3, idx, dist);
    expect(Array.from(idx)).toEqual(Array.from(knn(x, 3, { dim: 3 }).indices));
  });

  it('rejects bad input with clear errors', () => {
    expect(() => knn(gaussianCloud(5, 2, 1), 5, { dim: 2 })).toThrow(/k = 5 neighbours need at least 6 points, got 5/);
    expect(() => knn(gaussianCloud(5, 2, 1), 0, { dim: 2 })).toThrow(RangeError);
    expect(() => knn(new Float64Array(6), 1)).toThrow(/needs the point dimension/);
    expect(() => knn(new Float64Array(7), 1, { dim: 2 })).toThrow(/not a multiple/);
    const bad = gaussianCloud(5, 2, 1);
    bad[7] = NaN;
    expect(() => knn(bad, 1, { dim: 2 })).toThrow(/NaN at point 3, coordinate 1/);
    expect(() => knn('x' as never, 1)).toThrow(TypeError);
    expect(() => knn(tensor([1, 2, 3]), 1)).toThrow(/rank-2/);
  });
});
