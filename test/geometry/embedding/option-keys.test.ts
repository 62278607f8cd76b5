// Unknown options of the embeddings and their scores are refused, naming the option they most
// likely mean (each function's own name for the number of output dimensions included).
import { describe, expect, it } from 'vitest';
import { randn } from '../../../src/core/index.js';
import { classicalMds, demap, mmPhate, mPhate, neighborhoodPreservation, phate, phateKernel, trustworthiness, tsne } from '../../../src/geometry/index.js';

const X = () => randn([24, 3], { seed: 5 });
const Y = () => randn([24, 2], { seed: 6 });

describe('unknown options in the embeddings', () => {
  it('n_components: dims for tsne, components for phate; phate refuses dims', () => {
    expect(() => tsne(X(), { n_components: 2 } as never)).toThrow(/^tsne: unknown option opts\.n_components \(did you mean dims\?\)$/);
    expect(() => phate(X(), { n_components: 3 } as never)).toThrow(/^phate: unknown option opts\.n_components \(did you mean components\?\)$/);
    expect(() => phate(X(), { dims: 3 } as never)).toThrow(/^phate: unknown option opts\.dims \(did you mean dim\?\)$/);
    expect(() => tsne(X(), { learning_rate: 10 } as never)).toThrow(/did you mean learningRate\?/);
  });
  it('phateKernel, mPhate, mmPhate, classicalMds', () => {
    expect(() => phateKernel(X(), { k: 4 } as never)).toThrow(/^phateKernel: unknown option opts\.k/);
    expect(() => mPhate(randn([3, 8, 4]), { intraslice_knn: 3 } as never)).toThrow(/did you mean intrasliceKnn\?/);
    expect(() => mmPhate(randn([2, 2, 4, 5]), { interslice_knn: 3 } as never)).toThrow(/did you mean intersliceKnn\?/);
    expect(() => classicalMds([[0, 1], [1, 0]], { n_components: 1 } as never)).toThrow(/did you mean dims\?/);
  });
  it('trustworthiness, neighborhoodPreservation, demap: n_neighbors → k', () => {
    expect(() => trustworthiness(X(), Y(), { n_neighbors: 3 } as never)).toThrow(/^trustworthiness: unknown option opts\.n_neighbors \(did you mean k\?\)$/);
    expect(() => neighborhoodPreservation(X(), Y(), { K: 3 } as never)).toThrow(/did you mean k\?/);
    expect(() => demap(X(), Y(), { seed: 1 } as never)).toThrow(/^demap: unknown option opts\.seed/);
  });
});
