import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { f32FrameProduct, f32FrameProductAvailable } from '../../../src/core/wasm/f32-frame-product.js';

const EPS32 = 2 ** -24;
const builds = [false, ...(f32FrameProductAvailable(true) ? [true] : [])];

/** The exact (float64) diag(d)·W·Q with Q rounded to float32 first, and Σ|d_i W_il q_lj| per entry. */
function reference(n: number, k: number, w: Float32Array, q: Float64Array, d: Float64Array | undefined) {
  const exact = new Float64Array(n * k), mag = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0, a = 0;
      for (let l = 0; l < n; l++) {
        const p = w[i * n + l] * Math.fround(q[j * n + l]);
        s += p;
        a += Math.abs(p);
      }
      const di = d === undefined ? 1 : d[i];
      exact[j * n + i] = di * s;
      mag[j * n + i] = Math.abs(di) * a;
    }
  }
  return { exact, mag };
}

describe('f32FrameProduct: diag(d)·W·Q in float32', () => {
  it.skipIf(!f32FrameProductAvailable(false))('is within the float32 error bound (n + 3)·ε32·Σ|d·W·q| of the float64 product, for padded and unpadded sizes, both builds, with and without d', () => {
    const rng = createRng(7);
    for (const fma of builds) {
      for (const [n, k] of [[5, 3], [8, 4], [13, 6], [64, 8], [30, 1]]) {
        const w = Float32Array.from({ length: n * n }, () => rng.normal());
        const q = Float64Array.from({ length: n * k }, () => rng.normal());
        for (const d of [undefined, Float64Array.from({ length: n }, () => 0.1 + 0.9 * rng.uniform())]) {
          const out = new Float64Array(n * k).fill(NaN);
          expect(f32FrameProduct(fma, n, k, w, q, d, out)).toBe(true);
          const { exact, mag } = reference(n, k, w, q, d);
          for (let i = 0; i < n * k; i++) expect(Math.abs(out[i] - exact[i])).toBeLessThanOrEqual((n + 3) * EPS32 * mag[i]);
          // not the float64 product: the float32 rounding is visible somewhere
          let differs = false;
          for (let i = 0; i < n * k; i++) if (out[i] !== exact[i]) differs = true;
          expect(differs).toBe(true);
        }
      }
    }
  });

  it.skipIf(!f32FrameProductAvailable(false))('keeps W resident per array: a new array (or new sizes) is read again; padding left by a larger problem does not leak into a smaller one', () => {
    const rng = createRng(8);
    const n = 6, k = 2;
    const w1 = Float32Array.from({ length: n * n }, () => rng.normal());
    const w2 = Float32Array.from({ length: n * n }, () => rng.normal());
    const q = Float64Array.from({ length: n * k }, () => rng.normal());
    const a = new Float64Array(n * k), b = new Float64Array(n * k);
    // a larger problem first leaves nonzero data where the smaller one's padding sits
    const big = 11;
    f32FrameProduct(false, big, 5, Float32Array.from({ length: big * big }, () => 1), Float64Array.from({ length: big * 5 }, () => 1), undefined, new Float64Array(big * 5));
    f32FrameProduct(false, n, k, w1, q, undefined, a);
    f32FrameProduct(false, n, k, w2, q, undefined, b);
    expect(Math.abs(a[0] - reference(n, k, w1, q, undefined).exact[0])).toBeLessThan(1e-5);
    expect(Math.abs(b[0] - reference(n, k, w2, q, undefined).exact[0])).toBeLessThan(1e-5);
    expect(a[0]).not.toBe(b[0]);
  });
});
