// Hidden states at a blank first row of sequential MNIST are the same for every digit. pca with
// varianceFraction returned k = 1 for them (every fraction of zero variance is reached by one
// component), read as "one-dimensional"; it is now a RangeError, as participationRatio's. With
// components: k (or the default) the explained-variance ratios were 0, read as "these components
// explain none of the variance"; they are 0/0, now NaN, as scikit-learn's PCA gives on constant data
// (checked: PCA(n_components=2).fit(np.zeros((50, 4))).explained_variance_ratio_ is [nan, nan]).
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
  it('components on equal (or, uncentred, zero) states: NaN ratios, the rest exact', () => {
    for (const [X, center] of [[same, true], [same.map((r) => r.map(() => 0)), false]] as const) {
      for (const components of [2, undefined]) {
        const p = pca(X, { components, center });
        expect(p.totalVariance).toBe(0);
        expect(Array.from(p.explainedVariance)).toEqual(new Array(p.k).fill(0));
        expect(p.explainedVarianceRatio).toHaveLength(p.k);
        expect(Array.from(p.explainedVarianceRatio).every(Number.isNaN)).toBe(true);
        expect(Array.from(p.mean)).toEqual(center ? [0.3, -0.1, 0.7, 0.2] : [0, 0, 0, 0]);
      }
    }
    // states that vary keep ratios summing to 1 over all components
    const varied = same.map((r, i) => r.map((v, p) => v + Math.sin(i * (p + 1))));
    const all = pca(varied);
    expect(Array.from(all.explainedVarianceRatio).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
