import { describe, expect, it } from 'vitest';
import { bhGradient, exactKlGradient } from '../../../src/geometry/embedding/tsne-objective.js';
import { createSpTree } from '../../../src/geometry/embedding/sptree.js';
import { csrFromCoo } from '../../../src/geometry/embedding/sparse.js';
import { createRng } from '../../../src/core/rng.js';

function randomP(n: number, rng: () => number): Float64Array {
  const P = new Float64Array(n * n);
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const v = rng() ** 3;
    P[i * n + j] = v; P[j * n + i] = v; s += 2 * v;
  }
  for (let e = 0; e < n * n; e++) P[e]! /= s;
  return P;
}

function denseToCsr(P: Float64Array, n: number) {
  const r: number[] = [], c: number[] = [], v: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (P[i * n + j]! !== 0) { r.push(i); c.push(j); v.push(P[i * n + j]!); }
  return csrFromCoo(n, n, Int32Array.from(r), Int32Array.from(c), Float64Array.from(v));
}

function norm(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

describe('t-SNE objective', () => {
  for (const dims of [1, 2, 3]) {
    it(`exact gradient matches central differences of KL (dims ${dims}, α = ${Math.max(dims - 1, 1)})`, () => {
      const rng = createRng(dims);
      const n = 12;
      const alpha = Math.max(dims - 1, 1);
      const P = randomP(n, rng);
      const Y = Float64Array.from({ length: n * dims }, () => rng.normal());
      const g = new Float64Array(n * dims), tmp = new Float64Array(n * dims), neg = new Float64Array(n * dims);
      exactKlGradient(P, Y, n, dims, alpha, 1, g, neg);
      const h = 1e-5;
      const gmax = Math.max(...Array.from(g, Math.abs));
      for (let e = 0; e < n * dims; e++) {
        const y0 = Y[e]!;
        Y[e] = y0 + h;
        const fp = exactKlGradient(P, Y, n, dims, alpha, 1, tmp, neg);
        Y[e] = y0 - h;
        const fm = exactKlGradient(P, Y, n, dims, alpha, 1, tmp, neg);
        Y[e] = y0;
        // truncation O(h²·f''') plus rounding O(ε·KL/h)
        expect(Math.abs((fp - fm) / (2 * h) - g[e]!)).toBeLessThanOrEqual(1e-6 * gmax + 1e-9);
      }
    });
  }

  it('Barnes–Hut with θ = 0 equals the exact gradient (including duplicate points)', () => {
    const rng = createRng(5);
    for (const dims of [1, 2, 3]) {
      const n = 60;
      const alpha = Math.max(dims - 1, 1);
      const P = randomP(n, rng);
      const Y = Float64Array.from({ length: n * dims }, () => rng.normal());
      // duplicates: point 1 and 2 copy point 0
      for (let k = 0; k < dims; k++) { Y[dims + k] = Y[k]!; Y[2 * dims + k] = Y[k]!; }
      const ge = new Float64Array(n * dims), gb = new Float64Array(n * dims), neg = new Float64Array(n * dims);
      exactKlGradient(P, Y, n, dims, alpha, 3, ge, neg);
      const tree = createSpTree(n, dims);
      bhGradient(denseToCsr(P, n), Y, dims, alpha, 3, 0, tree, gb, neg);
      const diff = ge.map((v, e) => v - gb[e]!);
      expect(norm(diff)).toBeLessThanOrEqual(1e-12 * norm(ge));
    }
  });

  it('Barnes–Hut with θ = 0.5 approximates the exact gradient', () => {
    const rng = createRng(9);
    for (const dims of [2, 3]) {
      const n = 800;
      const alpha = Math.max(dims - 1, 1);
      const P = randomP(n, rng);
      const Y = Float64Array.from({ length: n * dims }, () => 5 * rng.normal());
      const ge = new Float64Array(n * dims), gb = new Float64Array(n * dims), neg = new Float64Array(n * dims);
      exactKlGradient(P, Y, n, dims, alpha, 1, ge, neg);
      bhGradient(denseToCsr(P, n), Y, dims, alpha, 1, 0.5, createSpTree(n, dims), gb, neg);
      const diff = ge.map((v, e) => v - gb[e]!);
      expect(norm(diff)).toBeLessThanOrEqual(0.05 * norm(ge));
    }
  });
});
