import { describe, expect, it } from 'vitest';
import { kaplanYorkeDimension, lyapunovEntropy, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { spectrumSummary } from '../../src/lyapunov/spectrum-summary.js';
import { initRnn } from '../../src/rnn/init.js';

describe('kaplanYorkeDimension', () => {
  it('reproduces the published Hénon and Lorenz-63 values', () => {
    // D = 1 + 0.4192/1.6232 and 2 + 0.906/14.572 (Sprott's values: ≈ 1.258, ≈ 2.062; https://sprott.physics.wisc.edu/chaos/lorenzle.htm for Lorenz-63)
    expect(kaplanYorkeDimension([0.4192, -1.6232])).toBeCloseTo(1 + 0.4192 / 1.6232, 14);
    expect(kaplanYorkeDimension([0.4192, -1.6232])).toBeCloseTo(1.258, 3);
    expect(kaplanYorkeDimension([0.906, 0, -14.572])).toBeCloseTo(2.062, 3);
  });
  it('sorts its input and handles the edge cases of the definition', () => {
    expect(kaplanYorkeDimension([-1.6232, 0.4192])).toBeCloseTo(1 + 0.4192 / 1.6232, 14);
    expect(kaplanYorkeDimension([-0.1, -2])).toBe(0); // λ1 < 0
    expect(kaplanYorkeDimension([0.5, 0.1, -0.2])).toBe(3); // whole sum ≥ 0
    expect(kaplanYorkeDimension([1, -0.5, -1])).toBeCloseTo(2 + 0.5 / 1, 14);
    expect(kaplanYorkeDimension([0.3, -Infinity])).toBe(1); // S_1/∞ = 0
    expect(kaplanYorkeDimension([])).toBe(0);
  });
  it('rejects NaN and +Infinity', () => {
    expect(() => kaplanYorkeDimension([0.1, NaN])).toThrow(RangeError);
    expect(() => kaplanYorkeDimension([Infinity])).toThrow(/index 0/);
    expect(() => kaplanYorkeDimension(null as unknown as number[])).toThrow(TypeError);
  });
});

describe('lyapunovEntropy', () => {
  it('sums the positive exponents', () => {
    expect(lyapunovEntropy([0.906, 0, -14.572])).toBe(0.906);
    expect(lyapunovEntropy(new Float64Array([0.3, 0.2, -1, -Infinity]))).toBeCloseTo(0.5, 15);
    expect(lyapunovEntropy([-1])).toBe(0);
  });
});

describe('spectrumSummary: the top k of n exponents', () => {
  it('NaN where the k do not determine D_KY (sum ≥ 0) or the entropy (λ_k > 0); the full values otherwise', () => {
    const f = (e: number[], n: number) => spectrumSummary(Float64Array.from(e), n);
    expect(f([0.5, 0.2], 10)).toEqual({ kaplanYorkeDimension: NaN, entropy: NaN });
    expect(f([0.5, 0.1, -0.2], 10)).toEqual({ kaplanYorkeDimension: NaN, entropy: 0.6 }); // Σ = 0.4: D ≥ 3
    expect(f([0.5, -1], 10).kaplanYorkeDimension).toBeCloseTo(1.5, 15);
    expect(f([0.5, -1], 10).entropy).toBe(0.5);
    expect(f([0.5, -0.5], 10).kaplanYorkeDimension).toBe(2); // Σ = 0 and λ_k < 0: every later λ < 0 too
    expect(f([0.5, 0.2], 2)).toEqual({ kaplanYorkeDimension: 2, entropy: 0.7 }); // all n: determined
  });

  it('lyapunovSpectrum: the top k of a chaotic net report NaN where they do not determine D_KY or the entropy, not k and a truncated sum', () => {
    const rnn = initRnn({ inputSize: 1, hiddenSize: 40, outputSize: 1, gain: 3, seed: 1 });
    const x0 = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i + 1));
    const full = lyapunovSpectrum(rnn, { steps: 1500, x0, seed: 1 });
    expect(full.exponents[4]).toBeGreaterThan(0); // 5 positive exponents, D_KY ≈ 9.9
    expect(full.exponents[5]).toBeLessThan(0);
    expect(full.kaplanYorkeDimension).toBeGreaterThan(8);
    const top8 = lyapunovSpectrum(rnn, { k: 8, steps: 1500, x0, seed: 1 });
    expect(top8.kaplanYorkeDimension).toBeNaN(); // was 8
    expect(top8.entropy).toBeCloseTo(full.entropy, 2); // every positive exponent is among the 8
    const top4 = lyapunovSpectrum(rnn, { k: 4, steps: 1500, x0, seed: 1 });
    expect(top4.kaplanYorkeDimension).toBeNaN();
    expect(top4.entropy).toBeNaN(); // was the sum of 4 of the 5
    // an ordered net: the top 8 determine both, as the full spectrum gives them
    const calm = initRnn({ inputSize: 1, hiddenSize: 40, outputSize: 1, gain: 1.1, seed: 1 });
    const a = lyapunovSpectrum(calm, { steps: 1500, x0, seed: 1 }), b = lyapunovSpectrum(calm, { k: 8, steps: 1500, x0, seed: 1 });
    expect(b.kaplanYorkeDimension).toBeCloseTo(a.kaplanYorkeDimension, 1);
    expect(b.entropy).toBeCloseTo(a.entropy, 2);
  });
});

