// Every geometry routine that takes points reads hidden states [B,T,H] as B·T points of dimension H,
// as pca does: the same result, bit for bit, as the [B·T, H] reshape of the same data.
import { describe, expect, it } from 'vitest';
import { randn, type Tensor } from '../../src/core/tensor.js';
import {
  demap, findFixedPoints, knn, levinaBickel, neighborhoodPreservation, participationRatio, pca, phate, phateKernel,
  trustworthiness, tsne, twoNN,
} from '../../src/geometry/index.js';
import { initRnn } from '../../src/rnn/init.js';
import { rnnForward } from '../../src/rnn/forward.js';

const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, seed: 1, gain: 1.2 });
const states = rnnForward(rnn, randn([6, 5, 2], { seed: 2 })).states; // [6,5,4]: 30 points in 4-D
const flat: Tensor = { shape: [30, 4], data: states.data.slice() };
const bits = (a: ArrayLike<number>): number[] => Array.from(a);

describe('[B,T,H] is B·T points, in every routine that takes points', () => {
  it('pca and the estimators that already took it (the reference behaviour)', () => {
    expect(bits(pca(states).components)).toEqual(bits(pca(flat).components));
    expect(participationRatio(states)).toBe(participationRatio(flat));
    expect(twoNN(states).dimension).toBe(twoNN(flat).dimension);
    expect(levinaBickel(states, { k: 5 }).dimension).toBe(levinaBickel(flat, { k: 5 }).dimension);
  });
  it('tsne, phate (and its transform), phateKernel', () => {
    const o = { perplexity: 5, iterations: 60, seed: 1 };
    expect(bits(tsne(states, o).embedding)).toEqual(bits(tsne(flat, o).embedding));
    const p3 = phate(states, { knn: 4, seed: 1 }), p2 = phate(flat, { knn: 4, seed: 1 });
    expect(bits(p3.embedding)).toEqual(bits(p2.embedding));
    expect(bits(p3.transform(states))).toEqual(bits(p2.transform(flat)));
    expect(bits(phateKernel(states, { knn: 4 }).values)).toEqual(bits(phateKernel(flat, { knn: 4 }).values));
  });
  it('trustworthiness, neighborhoodPreservation, demap (X, and Y as [B,T,2])', () => {
    const y = tsne(flat, { perplexity: 5, iterations: 60, seed: 1 });
    const y3: Tensor = { shape: [6, 5, 2], data: Float32Array.from(y.embedding) };
    const y2: Tensor = { shape: [30, 2], data: y3.data };
    expect(trustworthiness(states, y, { k: 3 })).toBe(trustworthiness(flat, y, { k: 3 }));
    expect(trustworthiness(states, y3, { k: 3 })).toBe(trustworthiness(flat, y2, { k: 3 }));
    expect(neighborhoodPreservation(states, y, { k: 3 })).toBe(neighborhoodPreservation(flat, y, { k: 3 }));
    expect(demap(states, y, { k: 5 })).toBe(demap(flat, y, { k: 5 }));
  });
  it('knn and findFixedPoints inits', () => {
    const a = knn(states, 3), b = knn(flat, 3);
    expect(bits(a.indices)).toEqual(bits(b.indices));
    expect(bits(a.distances)).toEqual(bits(b.distances));
    const f3 = findFixedPoints(rnn, { inits: { shape: [2, 3, 4], data: states.data.slice(0, 24) } });
    const f2 = findFixedPoints(rnn, { inits: { shape: [6, 4], data: states.data.slice(0, 24) } });
    expect(f3.points.map((p) => bits(p.x))).toEqual(f2.points.map((p) => bits(p.x)));
  });
  it('rank 4 is still refused, naming both accepted layouts', () => {
    const r4: Tensor = { shape: [1, 6, 5, 4], data: states.data };
    for (const f of [() => tsne(r4), () => phate(r4), () => knn(r4, 3), () => trustworthiness(r4, flat), () => demap(r4, flat)]) {
      expect(f).toThrow(/expected a rank-2 \[n,d\] or rank-3 \[B,T,H\] tensor, got shape \[1,6,5,4\]/);
    }
  });
});
