// Hidden states at a blank first row of sequential MNIST are the same for every digit. pca with
// varianceFraction returned k = 1 for them (every fraction of zero variance is reached by one
// component), read as "one-dimensional"; it is now a RangeError, as participationRatio's.
import { describe, expect, it } from 'vitest';
import { participationRatio, pca } from '../../src/geometry/index.js';

const same = Array.from({ length: 50 }, () => [0.3, -0.1, 0.7, 0.2]);

describe('pca of states with zero variance', () => {
  it('varianceFraction is refused, naming the zero variance', () => {
    expect(() => pca(same, { varianceFraction: 0.9 })).toThrow(
      new RangeError('pca: varianceFraction 0.9: the 50 states have zero variance (all equal), so no number of components explains a fraction of it'),
    );
    expect(() => pca(same.map((r) => r.map(() => 0)), { varianceFraction: 0.9, center: false })).toThrow(/zero variance \(all zero\)/);
    expect(() => participationRatio(same)).toThrow(/zero variance/);
  });
  it('varianceFraction on states that vary still works, and components on equal states too', () => {
    const varied = same.map((r, i) => r.map((v, p) => v + (p === 0 ? i : 0)));
    expect(pca(varied, { varianceFraction: 0.9 }).k).toBe(1);
    expect(pca(same, { components: 2 }).k).toBe(2);
  });
});
