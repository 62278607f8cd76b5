import { randn, type Tensor } from '../../src/core/index.js';

/** float32 unit roundoff. */
export const EPS32 = 2 ** -24;

/** A seeded Gaussian tensor. */
export function rand(shape: number[], seed: number, std = 1): Tensor {
  return randn(shape, { seed, std });
}

/** A tensor with entries bounded away from zero (|v| ∈ [0.2, 1.2]), for relu checks. */
export function awayFromZero(shape: number[], seed: number): Tensor {
  const t = randn(shape, { seed });
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i];
    t.data[i] = Math.sign(v || 1) * (0.2 + Math.min(1, Math.abs(v)));
  }
  return t;
}
