import { afterEach, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/core/backend.js';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { f32FrameProductAvailable } from '../../src/core/wasm/f32-frame-product.js';
import { f64WasmAvailable } from '../../src/core/wasm64/loader.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { henonMap } from '../../src/lyapunov/systems.js';
import type { Rnn } from '../../src/rnn/types.js';

afterEach(() => setBackend('float64', 'auto'));

function tanhRnn(n: number): Rnn {
  const rng = createRng(1);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  return {
    activation: 'tanh',
    params: { wIn: t([n, 1], () => 0), wRec: t([n, n], () => (1.5 * rng.normal()) / Math.sqrt(n)), b: t([n], () => 0), wOut: t([1, n], () => 0), bOut: t([1], () => 0) },
  };
}
const can = f64WasmAvailable() && f32FrameProductAvailable(false);

describe('lyapunovSpectrum productPrecision', () => {
  it('refuses unknown values, and float32 where no float32 product exists', () => {
    const rnn = tanhRnn(8);
    expect(() => lyapunovSpectrum(rnn, { steps: 10, productPrecision: 'float16' as never })).toThrow(RangeError);
    expect(() => lyapunovSpectrum(rnn, { steps: 10, productPrecision: 'float16' as never })).toThrow(/productPrecision must be 'auto', 'float32' or 'float64', got 'float16'/);
    expect(() => lyapunovSpectrum(henonMap(), { steps: 10, productPrecision: 'float32' })).toThrow(/productPrecision 'float32' needs a vanilla RNN on a WebAssembly float64 backend/);
    setBackend('float64', 'js');
    expect(() => lyapunovSpectrum(rnn, { steps: 10, productPrecision: 'float32' })).toThrow(/'js' backend/);
  });

  it.skipIf(!can)("'auto' takes float32 for k ≤ n/8 (n ≥ 64) and float64 otherwise; the float32 result is within 1e-3 standard errors of float64's on the same orbit", () => {
    const n = 64;
    const rnn = tanhRnn(n);
    const rng = createRng(2);
    const x0 = Float64Array.from({ length: n }, () => 0.5 * rng.normal());
    const run = (k: number, productPrecision?: 'auto' | 'float32' | 'float64') => lyapunovSpectrum(rnn, { k, steps: 2000, warmup: 100, x0, productPrecision });
    const auto8 = run(8), f64 = run(8, 'float64'), f32 = run(8, 'float32');
    expect(Array.from(auto8.exponents)).toEqual(Array.from(f32.exponents));
    expect(Array.from(auto8.exponents)).not.toEqual(Array.from(f64.exponents));
    for (let i = 0; i < 8; i++) expect(Math.abs(f32.exponents[i] - f64.exponents[i])).toBeLessThan(1e-3 * f64.stderr[i]);
    // k = 9 > n/8, and n = 32 < 64: float64, bit for bit the forced choice
    expect(Array.from(run(9).exponents)).toEqual(Array.from(run(9, 'float64').exponents));
    const small = tanhRnn(32);
    const x1 = x0.subarray(0, 32);
    const a = lyapunovSpectrum(small, { k: 4, steps: 300, x0: x1 }), b = lyapunovSpectrum(small, { k: 4, steps: 300, x0: x1, productPrecision: 'float64' });
    expect(Array.from(a.exponents)).toEqual(Array.from(b.exponents));
  });

  it.skipIf(!can)('with float32 products a bad maxCondition is still reported as given, and one below 100 is kept', () => {
    const rnn = tanhRnn(64);
    expect(() => lyapunovSpectrum(rnn, { k: 8, steps: 10, maxCondition: Number.NaN })).toThrow(/maxCondition.*NaN/);
    expect(() => lyapunovSpectrum(rnn, { k: 8, steps: 10, maxCondition: 'big' as never })).toThrow(TypeError);
    let q10 = 0, qDefault = 0;
    lyapunovSpectrum(rnn, { k: 8, steps: 400, maxCondition: 10, onReorthonormalize: () => q10++ });
    lyapunovSpectrum(rnn, { k: 8, steps: 400, onReorthonormalize: () => qDefault++ });
    expect(q10).toBeGreaterThan(qDefault);
  });

  it.skipIf(!can)('a forced float32 full spectrum lowers the condition bound (more QRs than float64) and stays within 3 standard errors', () => {
    const n = 32;
    const rnn = tanhRnn(n);
    const rng = createRng(3);
    const x0 = Float64Array.from({ length: n }, () => 0.5 * rng.normal());
    let q32 = 0, q64 = 0;
    const a = lyapunovSpectrum(rnn, { steps: 3000, warmup: 200, x0, productPrecision: 'float32', onReorthonormalize: () => q32++ });
    const b = lyapunovSpectrum(rnn, { steps: 3000, warmup: 200, x0, productPrecision: 'float64', onReorthonormalize: () => q64++ });
    expect(q32).toBeGreaterThan(q64);
    for (let i = 0; i < n; i++) expect(Math.abs(a.exponents[i] - b.exponents[i])).toBeLessThanOrEqual(3 * b.stderr[i]);
  });

  it.skipIf(!can)("'float32' is every product, also where the frame would be kept factored (n ≥ 112, k ≥ 0.55n)", () => {
    // with a QR every step a factored frame's products would all be float64: the same bits as 'float64'
    const n = 128;
    const rnn = tanhRnn(n);
    const rng = createRng(4);
    const x0 = Float64Array.from({ length: n }, () => 0.5 * rng.normal());
    const run = (productPrecision: 'float32' | 'float64') => lyapunovSpectrum(rnn, { steps: 300, warmup: 50, x0, reorthEvery: 1, productPrecision });
    const a = run('float32'), b = run('float64');
    // each float32 product moves each log R_jj by ≈ 2⁻²⁴·√n times the step's condition (e^(λ1 − λn)
    // ≈ e^5): ≈ 1e-4, so 300 of them move the means by ≈ 1e-4/√300 ≈ 6e-6 each, and the first alone
    // (all a factored frame used to get, the rest float64) by ≈ 1e-4/300 (measured 4.7e-7 at most)
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a.exponents[i] - b.exponents[i]));
    expect(worst).toBeGreaterThan(3e-6);
    expect(worst).toBeLessThan(1e-4);
  });

  it.skipIf(!can)("a maxCondition given with 'float32' is taken up to 1e5 and refused above; with 'auto' above 100 it means float64", () => {
    const n = 64;
    const rnn = tanhRnn(n);
    const rng = createRng(5);
    const x0 = Float64Array.from({ length: n }, () => 0.5 * rng.normal());
    const qrs = (o: object): [number, Float64Array] => {
      let q = 0;
      // reorthEvery 64: the condition bound, not the interval cap, sets the top-8 interval here
      const r = lyapunovSpectrum(rnn, { k: 8, steps: 2000, warmup: 100, x0, reorthEvery: 64, onReorthonormalize: () => q++, ...o });
      return [q, r.exponents];
    };
    const [q100, e100] = qrs({ productPrecision: 'float32' });
    const [q1e4, e1e4] = qrs({ productPrecision: 'float32', maxCondition: 1e4 });
    expect(q1e4).toBeLessThan(q100); // taken as given (it used to be lowered to 100)
    const every = lyapunovSpectrum(rnn, { k: 8, steps: 2000, warmup: 100, x0, reorthEvery: 1, productPrecision: 'float64' });
    for (let i = 0; i < 8; i++) {
      expect(Math.abs(e1e4[i] - every.exponents[i])).toBeLessThan(3 * every.stderr[i]);
      expect(Math.abs(e100[i] - every.exponents[i])).toBeLessThan(3 * every.stderr[i]);
    }
    expect(() => lyapunovSpectrum(rnn, { k: 8, steps: 10, productPrecision: 'float32', maxCondition: 1e6 })).toThrow(RangeError);
    expect(() => lyapunovSpectrum(rnn, { k: 8, steps: 10, productPrecision: 'float32', maxCondition: 1e6 })).toThrow(
      /lyapunovSpectrum: maxCondition 1000000 with productPrecision 'float32': at most 100000/,
    );
    // 'auto' with a bound only float64 keeps: float64, bit for bit, with that bound
    const [qa, ea] = qrs({ maxCondition: 1e10 });
    const [q64, e64] = qrs({ maxCondition: 1e10, productPrecision: 'float64' });
    expect(Array.from(ea)).toEqual(Array.from(e64));
    expect(qa).toBe(q64);
    expect(qa).toBeLessThan(q100);
  });
});
