// A factored tanh step (tanh-factors.ts) counts its factors once: the estimator asks the system for
// the count, then for the factors, at the same state (tanhFactorCount ran twice per such step).
import { describe, expect, it, vi } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { lyapunovSpectrum } from '../../src/lyapunov/spectrum.js';
import { rnnSystem } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';

const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../src/rnn/tanh-factors.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/rnn/tanh-factors.js')>();
  return { ...m, tanhFactorCount: (...a: Parameters<typeof m.tanhFactorCount>) => (calls.n++, m.tanhFactorCount(...a)) };
});

/** A vanilla tanh net (H = 20, g = 3) driven by pulses of 1000 (units at |a| ≫ 208: factored steps) on N(0, 0.1²) noise. */
function pulsed(T: number): { rnn: Rnn; inputs: Tensor } {
  const H = 20;
  const rng = createRng(11);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const rnn: Rnn = {
    activation: 'tanh',
    params: { wIn: t([H, 1], () => rng.normal()), wRec: t([H, H], () => (3 * rng.normal()) / Math.sqrt(H)), b: t([H], () => 0), wOut: t([1, H], () => 0), bOut: t([1], () => 0) },
  };
  const r7 = createRng(7);
  return { rnn, inputs: { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, s) => (s % 37 < 2 ? 1000 : 0) + 0.1 * r7.normal()) } };
}

describe('factored tanh steps', () => {
  it('count their factors once per state (the count, then the factors)', () => {
    const T = 200;
    const { rnn, inputs } = pulsed(T);
    const sys = rnnSystem(rnn, { inputs }) as ReturnType<typeof rnnSystem> & {
      jacobianFactorCount(x: Float64Array, t: number): number;
      jacobianFactorViews(x: Float64Array, t: number): readonly Float64Array[];
    };
    let x = new Float64Array(20);
    let next = new Float64Array(20);
    let factored = 0;
    for (let t = 0; t < T; t++) {
      const before = calls.n;
      const c = sys.jacobianFactorCount(x, t);
      expect(calls.n - before).toBeLessThanOrEqual(1);
      if (c > 0) {
        factored++;
        const counted = calls.n;
        expect(sys.jacobianFactorViews(x, t)).toHaveLength(c);
        expect(sys.jacobianFactorCount(x, t)).toBe(c);
        expect(calls.n, `step ${t}`).toBe(counted); // the factors reuse the count (they recounted)
      }
      sys.step(x, t, next);
      [x, next] = [next, x];
    }
    expect(factored).toBeGreaterThan(5);
    // the spectrum through such steps is finite
    expect(Array.from(lyapunovSpectrum(rnn, { inputs, k: 3 }).exponents).every(Number.isFinite)).toBe(true);
  });
});
