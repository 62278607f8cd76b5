// Unknown options of the geometry functions (outside embedding/) are refused, naming the option they
// most likely mean.
import { describe, expect, it } from 'vitest';
import { randn } from '../../src/core/index.js';
import { detectLimitCycle, findFixedPoints, knn, levinaBickel, participationRatio, pca, twoNN } from '../../src/geometry/index.js';
import { henonMap, logisticMap } from '../../src/lyapunov/index.js';

const X = () => randn([24, 3], { seed: 5 });

describe('unknown options in geometry', () => {
  it('pca: n_components → components', () => {
    expect(() => pca(X(), { n_components: 2 } as never)).toThrow(/^pca: unknown option opts\.n_components \(did you mean components\?\)$/);
    expect(pca(X(), { components: 2 }).explainedVariance).toHaveLength(2);
  });
  it('participationRatio, twoNN, levinaBickel, knn', () => {
    expect(() => participationRatio(X(), { centre: false } as never)).toThrow(/^participationRatio: unknown option opts\.centre \(did you mean center\?\)$/);
    expect(() => participationRatio({ eigenvalues: [2, 1] }, { dims: 2 } as never)).toThrow(/did you mean dim\?/);
    expect(() => twoNN(X(), { discard_fraction: 0.1 } as never)).toThrow(/^twoNN: unknown option opts\.discard_fraction \(did you mean discardFraction\?\)$/);
    expect(() => levinaBickel(X(), { n_neighbors: 5 } as never)).toThrow(/^levinaBickel: unknown option opts\.n_neighbors \(did you mean k\?\)$/);
    expect(() => knn(X(), 3, { block_size: 8 } as never)).toThrow(/did you mean blockSize\?/);
  });
  it('findFixedPoints: n_starts → nStarts, max_iter → maxIterations', () => {
    const states = [[0.5, 0.1], [-1, 0.3], [0.2, 0.2]];
    expect(() => findFixedPoints(henonMap(), { states, n_starts: 2 } as never)).toThrow(/^findFixedPoints: unknown option opts\.n_starts \(did you mean nStarts\?\)$/);
    expect(() => findFixedPoints(henonMap(), { states, max_iter: 2 } as never)).toThrow(/did you mean maxIterations\?/);
  });
  it('detectLimitCycle: max_period → maxPeriod', () => {
    expect(() => detectLimitCycle(logisticMap({ r: 3.2 }), { max_period: 8 } as never)).toThrow(/^detectLimitCycle: unknown option opts\.max_period \(did you mean maxPeriod\?\)$/);
  });
});
