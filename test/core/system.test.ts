import { describe, expect, it } from 'vitest';
import { filled } from '../../src/core/filled.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { lyapunovSpectrum } from '../../src/lyapunov/spectrum.js';
import { detectLimitCycle } from '../../src/geometry/limit-cycle.js';
import { findFixedPoints } from '../../src/geometry/fixed-points.js';

// the Hénon map (a = 1.4, b = 0.3): λ1 + λ2 = ln 0.3 exactly (constant Jacobian determinant −b)
const henon = (ret: 'nothing' | 'out' | 'new-jacobian' | 'new-step'): DynamicalSystem => ({
  dim: 2,
  step(x, _t, out) {
    const y0 = 1 - 1.4 * x[0] * x[0] + x[1], y1 = 0.3 * x[0];
    if (ret === 'new-step') return Float64Array.of(y0, y1) as never;
    out[0] = y0;
    out[1] = y1;
    return (ret === 'out' ? out : undefined) as never;
  },
  jacobian(x, _t, out) {
    if (ret === 'new-jacobian') return [[-2.8 * x[0], 1], [0.3, 0]] as never;
    out[0] = -2.8 * x[0]; out[1] = 1; out[2] = 0.3; out[3] = 0;
    return (ret === 'out' ? out : undefined) as never;
  },
});

describe('a system method that returns its result instead of writing into out', () => {
  it('filled(): nothing or out itself passes; anything else is a TypeError saying what to write', () => {
    const out = new Float64Array(4);
    expect(() => filled(undefined, out, 'jacobian', 'f')).not.toThrow();
    expect(() => filled(out, out, 'jacobian', 'f')).not.toThrow();
    expect(() => filled([[1, 2], [3, 4]], out, 'jacobian', 'f')).toThrow(/^f: system\.jacobian returned an array instead of writing into its out argument: write dF\/dx into out \(row-major dim×dim\)/);
    expect(() => filled(new Float64Array(4), out, 'step', 'f')).toThrow(/system\.step returned a Float64Array .* write F\(x, t\) into out/);
    expect(() => filled(0, out, 'jacobianTimes', 'f')).toThrow(/returned number .* J·Q into out/);
  });
  it('is refused by every analysis (it used to give −∞ exponents or a frozen orbit)', () => {
    const opts = { steps: 200, warmup: 10, frameWarmup: 10, x0: Float64Array.of(0.1, 0.1) };
    for (const bad of ['new-jacobian', 'new-step'] as const) {
      const sys = henon(bad);
      const method = bad === 'new-step' ? 'step' : 'jacobian';
      expect(() => lyapunovSpectrum(sys, opts)).toThrow(new RegExp(`lyapunovSpectrum: system\\.${method} returned`));
      expect(() => covariantLyapunovVectors(sys, { steps: 60, x0: Float64Array.of(0.1, 0.1) })).toThrow(new RegExp(`system\\.${method} returned`));
      expect(() => findFixedPoints(sys, { inits: { shape: [1, 2], data: Float32Array.of(0.6, 0.2) } })).toThrow(new RegExp(`findFixedPoints: system\\.${method} returned`));
      expect(() => detectLimitCycle(sys, { x0: Float64Array.of(0.1, 0.1) })).toThrow(new RegExp(`detectLimitCycle: system\\.${method} returned`));
    }
  });
  it('returning out itself (the gl-matrix habit) gives the same exponents as returning nothing', () => {
    const opts = { steps: 2000, warmup: 100, frameWarmup: 50, x0: Float64Array.of(0.1, 0.1) };
    const a = lyapunovSpectrum(henon('nothing'), opts), b = lyapunovSpectrum(henon('out'), opts);
    expect(Array.from(b.exponents)).toEqual(Array.from(a.exponents));
    expect(a.exponents[0]).toBeCloseTo(0.419, 2); // the Hénon map's λ1 (Sprott 2003: 0.41922)
  });
});
