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
    expect(() => lyapunovSpectrum(rnn, { steps: 10, productPrecision: 'float16' as never })).toThrow(new RangeError("lyapunovSpectrum: productPrecision: expected 'auto', 'float32' or 'float64', got 'float16'"));
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

  it.skipIf(!can)("float32 products of a strongly contracting run stay in float32's normal range: the exact exponents, not −∞", () => {
    // W = 0.5·I driven by a constant input of 6: every unit sits at the fixed point h* = tanh(6 + h*/2),
    // so every exponent is exactly ln(0.5·(1 − h*²)) ≈ −12.3 with no spread between them: the
    // guarded interval grew to 16 steps and the frame's float32 products shrank through the
    // subnormals to exact zeros (−∞) before a QR; now a QR comes when a column norm leaves
    // [2⁻⁴⁰, 2⁴⁰]. With an input of 3 (≈ −6.3) they lost digits in the subnormals (off by 3e-3).
    const H = 64;
    const t = (shape: number[], f: (i: number) => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)) });
    const rnn: Rnn = {
      activation: 'tanh',
      params: { wIn: t([H, 1], () => 1), wRec: t([H, H], (i) => (i % (H + 1) === 0 ? 0.5 : 0)), b: t([H], () => 0), wOut: t([1, H], () => 0), bOut: t([1], () => 0) },
    };
    for (const amp of [3, 6]) {
      let h = 0;
      for (let i = 0; i < 200; i++) h = Math.tanh(amp + Math.fround(0.5) * h);
      const exact = Math.log(0.5 * (1 - h * h));
      const inputs: Tensor = { shape: [1, 400, 1], data: new Float32Array(400).fill(amp) };
      const r = lyapunovSpectrum(rnn, { inputs, warmup: 50, steps: 300, k: 8, seed: 0 }); // 'auto': float32 (k ≤ n/8)
      for (let i = 0; i < 8; i++) expect(Math.abs(r.exponents[i] - exact)).toBeLessThan(1e-6 * Math.abs(exact));
    }
  });

  it.skipIf(!can)('a unit saturated past 2⁻⁶⁰ (its row of J would leave float32\'s range) takes that step in float64: the float64 result, not −∞', () => {
    // input weights ≈ 1 and a constant input of 80: 1/cosh²(a) ≈ 1e-60 at every unit, below float32's
    // smallest subnormal (1.4e-45); the float32 product made every row an exact zero
    const H = 64;
    const rng = createRng(11);
    const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
    const rnn: Rnn = {
      activation: 'tanh',
      params: { wIn: t([H, 1], () => 1 + 0.1 * rng.normal()), wRec: t([H, H], () => (1.5 * rng.normal()) / Math.sqrt(H)), b: t([H], () => 0), wOut: t([1, H], () => 0), bOut: t([1], () => 0) },
    };
    const r7 = createRng(7);
    const inputs: Tensor = { shape: [1, 800, 1], data: Float32Array.from({ length: 800 }, () => 80 + 0.1 * r7.normal()) };
    const run = (productPrecision: 'auto' | 'float64') => lyapunovSpectrum(rnn, { inputs, warmup: 100, steps: 600, k: 8, productPrecision, seed: 0 });
    const auto = run('auto'), f64 = run('float64');
    for (let i = 0; i < 8; i++) {
      expect(Number.isFinite(auto.exponents[i])).toBe(true);
      expect(auto.exponents[i]).toBeCloseTo(f64.exponents[i], 6);
    }
    expect(f64.exponents[0]).toBeLessThan(-100);
  });

  it.skipIf(!can)('float32 products on a pulse-driven net: an interval whose realized condition passes 10 × the bound is redone (λ2 to 1e-5 of a QR every step; at 100 × it was off by 1e-3)', () => {
    // a g = 6 tanh RNN, k = 2 of 64 ('auto': float32), pulses of 94 every 37 steps: a pulse inside a
    // guarded interval lifted the frame's condition to ≈ 4000, under the old redo threshold of 1e4
    const H = 64, seed = 611547, T = 1056;
    const rng = createRng(1000 + seed);
    const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
    const rnn: Rnn = {
      activation: 'tanh',
      params: { wIn: t([H, 1], () => rng.normal()), wRec: t([H, H], () => (6 * rng.normal()) / Math.sqrt(H)), b: t([H], () => 0.1 * rng.normal()), wOut: t([1, H], () => 0), bOut: t([1], () => 0) },
    };
    const r2 = createRng(2000 + seed);
    const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, s) => (s % 37 < 2 ? 94.16921653575362 : 0) + 0.1 * r2.normal()) };
    const ref = lyapunovSpectrum(rnn, { inputs, k: 2, warmup: 50, seed, reorthEvery: 1, productPrecision: 'float64' });
    for (const s of [seed, 1]) {
      const r = lyapunovSpectrum(rnn, { inputs, k: 2, warmup: 50, seed: s });
      for (let i = 0; i < 2; i++) expect(Math.abs(r.exponents[i] - ref.exponents[i])).toBeLessThan(1e-5);
    }
  });
});
