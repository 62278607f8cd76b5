// A flat Float64Array/Float32Array needs its point dimension; the error names the option the called
// function takes for it: 'dim' for most, 'dimX'/'dimY' for the embedding scores. The scores' message
// used to say option 'dim', which they then refused as unknown.
import { describe, expect, it } from 'vitest';
import { demap, neighborhoodPreservation, trustworthiness, tsne } from '../../src/geometry/index.js';

const n = 40;
const X = Array.from({ length: n }, (_, i) => [Math.cos(i / 5), Math.sin(i / 5), i / 20]);
const flatX = Float64Array.from(X.flat());
const Y = Array.from({ length: n }, (_, i) => [Math.cos(i / 5), Math.sin(i / 5)]);
const flatY = Float64Array.from(Y.flat());

describe('the option that gives a flat array its dimension', () => {
  for (const [name, f] of [
    ['trustworthiness', trustworthiness],
    ['neighborhoodPreservation', neighborhoodPreservation],
    ['demap', demap],
  ] as const) {
    it(`${name} names dimX for a flat X and dimY for a flat Y, and those options work`, () => {
      expect(() => f(flatX, Y, { k: 5 })).toThrow(new TypeError(`${name}: X: a flat Float64Array needs the point dimension (option 'dimX')`));
      expect(() => f(X, flatY, { k: 5 })).toThrow(new TypeError(`${name}: Y: a flat Float64Array needs the point dimension (option 'dimY')`));
      expect(() => f(X, flatY, { k: 5, dimY: 'two' as unknown as number })).toThrow(new TypeError(`${name}: Y: 'dimY' must be a number, got string`));
      expect(f(flatX, flatY, { k: 5, dimX: 3, dimY: 2 })).toBe(f(X, Y, { k: 5 }));
    });
  }
  it("tsne still names 'dim'", () => {
    expect(() => tsne(flatX)).toThrow(new TypeError("tsne: X: a flat Float64Array needs the point dimension (option 'dim')"));
  });
});
