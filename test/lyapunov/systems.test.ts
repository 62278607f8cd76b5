import { describe, expect, it } from 'vitest';
import type { DynamicalSystem } from '../../src/core/system.js';
import { tensor } from '../../src/core/tensor.js';
import { henonMap, linearMap, logisticMap, lorenz63, lorenz96, lyapunovSpectrum } from '../../src/lyapunov/index.js';

/** Central finite differences of `step` at x: max |J − J_fd| relative to the Jacobian's scale. */
function jacobianFdError(sys: DynamicalSystem, x: Float64Array, t: number, h: number): number {
  const n = sys.dim;
  const J = new Float64Array(n * n);
  sys.jacobian(x, t, J);
  const xp = new Float64Array(n), xm = new Float64Array(n), fp = new Float64Array(n), fm = new Float64Array(n);
  let err = 0, scale = 0;
  for (let j = 0; j < n; j++) {
    xp.set(x);
    xm.set(x);
    xp[j] += h;
    xm[j] -= h;
    sys.step(xp, t, fp);
    sys.step(xm, t, fm);
    for (let i = 0; i < n; i++) {
      const fd = (fp[i] - fm[i]) / (2 * h);
      err = Math.max(err, Math.abs(fd - J[i * n + j]));
      scale = Math.max(scale, Math.abs(J[i * n + j]));
    }
  }
  return err / Math.max(scale, 1);
}

function orbitPoint(sys: DynamicalSystem & { initialState: Float64Array }, steps: number): Float64Array {
  let x = sys.initialState.slice();
  let y = new Float64Array(sys.dim);
  for (let t = 0; t < steps; t++) {
    sys.step(x, t, y);
    [x, y] = [y, x];
  }
  return x;
}

describe('ready-made systems', () => {
  it('have Jacobians that match central finite differences (incl. the RK4 tangent maps)', () => {
    // central differences: truncation O(h²·|f'''|), rounding O(ε/h); h = 1e-5 gives ≲ 1e-8
    for (const sys of [henonMap(), logisticMap({ r: 3.9 }), lorenz63(), lorenz63({ dt: 0.05 }), lorenz96({ n: 8 })]) {
      const x = orbitPoint(sys, 500);
      expect(jacobianFdError(sys, x, 0, 1e-5)).toBeLessThan(1e-7);
    }
  });

  it('jacobianTimes of the RK4 systems equals jacobian · Q', () => {
    for (const sys of [lorenz63(), lorenz96({ n: 10 })]) {
      const n = sys.dim, k = 3;
      const x = orbitPoint(sys, 300);
      const J = new Float64Array(n * n);
      sys.jacobian(x, 0, J);
      const q = Float64Array.from({ length: n * k }, (_, i) => Math.sin(1 + i));
      const out = new Float64Array(n * k);
      sys.jacobianTimes?.(x, 0, q, k, out);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let l = 0; l < n; l++) s += J[i * n + l] * q[l * k + j];
          expect(Math.abs(out[i * k + j] - s)).toBeLessThan(1e-12 * (1 + Math.abs(s)));
        }
      }
    }
  });

  it('Lorenz-96 (N = 40, F = 8): λ1 ≈ 1.69, sum = −N (full spectrum)', () => {
    const T = 4000;
    const full = lyapunovSpectrum(lorenz96(), { steps: T, warmup: 1000 });
    const sum = full.exponents.reduce((a, b) => a + b, 0);
    // trace of Df is −N everywhere; RK4's log-determinant error is O(h⁴) per unit time
    expect(Math.abs(sum + 40)).toBeLessThan(1e-3);
    // 40 time units: λ1's standard error ≈ 0.08; published 1.69–1.70
    expect(Math.abs(full.exponents[0] - 1.695)).toBeLessThan(4 * full.stderr[0] + 0.005);
    expect(full.exponents.filter((v) => v > 0).length).toBeGreaterThanOrEqual(12);
    expect(full.exponents.filter((v) => v > 0).length).toBeLessThanOrEqual(14);
  }, 30_000);

  it('linearMap accepts Tensors and nested arrays, and validates its shape', () => {
    const a = linearMap(tensor([[2, 0], [0, 0.25]]));
    const J = new Float64Array(4);
    a.jacobian(new Float64Array(2), 0, J);
    expect(Array.from(J)).toEqual([2, 0, 0, 0.25]);
    const p = linearMap([[[1]], [[2]]]);
    const out = new Float64Array(1);
    p.step(new Float64Array([1]), 1, out);
    expect(out[0]).toBe(2);
    p.step(new Float64Array([1]), 2, out);
    expect(out[0]).toBe(1);
    expect(() => linearMap([[1, 2]])).toThrow(/must have 1 entries|square/);
    expect(() => linearMap(tensor([[1, 2, 3]]))).toThrow(/\[n,n\] or \[P,n,n\]/);
    expect(() => linearMap([[NaN]])).toThrow(/NaN/);
  });

  it('validate their parameters', () => {
    expect(() => henonMap({ a: NaN })).toThrow(RangeError);
    expect(() => lorenz63({ dt: 0 })).toThrow(/dt must be > 0/);
    expect(() => lorenz96({ n: 3 })).toThrow(RangeError);
    expect(() => logisticMap('x' as unknown as { r: number })).toThrow(TypeError);
  });
});
