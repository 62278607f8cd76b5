import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/index.js';
import { initRnn } from '../../src/rnn/index.js';

const EPS32 = 2 ** -24;

function moments(d: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0, s2 = 0;
  for (let i = 0; i < d.length; i++) {
    s += d[i];
    s2 += d[i] * d[i];
  }
  const mean = s / d.length;
  return { mean, variance: s2 / d.length - mean * mean };
}

describe('initRnn', () => {
  it("'normal': wRec ~ N(0, g²/H), wIn ~ N(0, 1/I), wOut ~ N(0, 1/H), zero biases", () => {
    const H = 200, I = 28, g = 1.5;
    const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 10, gain: g, seed: 1 });
    const { wIn, wRec, b, wOut, bOut } = rnn.params;
    expect(wRec.shape).toEqual([H, H]);
    expect(wIn.shape).toEqual([H, I]);
    expect(wOut.shape).toEqual([10, H]);
    // the sample variance of n normal draws has relative standard error √(2/n); allow 5 of them
    for (const [t, v] of [[wRec, (g * g) / H], [wIn, 1 / I], [wOut, 1 / H]] as const) {
      const m = moments(t.data);
      const n = t.data.length;
      expect(Math.abs(m.variance / v - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
      expect(Math.abs(m.mean)).toBeLessThan(5 * Math.sqrt(v / n));
    }
    expect(Array.from(b.data).every((v) => v === 0) && Array.from(bOut.data).every((v) => v === 0)).toBe(true);
    expect(rnn.activation).toBe('tanh');
  });
  it("'orthogonal': wRecᵀ·wRec = gain²·I to float32 rounding", () => {
    const H = 64, g = 0.9;
    const w = initRnn({ inputSize: 2, hiddenSize: H, outputSize: 2, init: 'orthogonal', gain: g, seed: 2 }).params.wRec.data;
    let worst = 0;
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let k = 0; k < H; k++) s += w[k * H + i] * w[k * H + j];
        worst = Math.max(worst, Math.abs(s - (i === j ? g * g : 0)));
      }
    }
    // each entry carries ≤ ε32 relative rounding; a column dot product sums H such terms
    expect(worst).toBeLessThan(4 * H * EPS32 * g * g);
    expect(worst).toBeGreaterThan(0); // float32 storage: not exact, so the bound is what is tested
  });
  it("'identity': wRec = gain·I exactly (IRNN)", () => {
    const w = initRnn({ inputSize: 2, hiddenSize: 5, outputSize: 2, init: 'identity', gain: 0.5, activation: 'relu' }).params.wRec.data;
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(w[i * 5 + j]).toBe(i === j ? 0.5 : 0);
  });
  it("'pytorch': U(−1/√H, 1/√H) weights and readout, b the sum of two such draws", () => {
    const H = 100;
    const { wIn, wRec, b, wOut, bOut } = initRnn({ inputSize: 30, hiddenSize: H, outputSize: 10, init: 'pytorch', seed: 3 }).params;
    const k = 1 / Math.sqrt(H);
    const maxAbs = (d: Float32Array) => d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (const t of [wIn, wRec, wOut, bOut]) expect(maxAbs(t.data)).toBeLessThanOrEqual(Math.fround(k));
    expect(maxAbs(b.data)).toBeLessThanOrEqual(Math.fround(2 * k));
    // variances k²/3 (uniform) and 2k²/3 (sum of two uniforms), within 5 relative standard errors:
    // the sample variance has relative standard error √((2 + excess kurtosis)/n), kurtosis −1.2 and −0.6
    const mr = moments(wRec.data);
    expect(Math.abs(mr.variance / (k * k / 3) - 1)).toBeLessThan(5 * Math.sqrt(0.8 / wRec.data.length));
    const mb = moments(b.data);
    expect(Math.abs(mb.variance / ((2 * k * k) / 3) - 1)).toBeLessThan(5 * Math.sqrt(1.4 / b.data.length));
  });
  it('reproduces by seed, and accepts an rng', () => {
    const o = { inputSize: 3, hiddenSize: 7, outputSize: 2, seed: 11 } as const;
    const a = initRnn(o), b = initRnn(o), c = initRnn({ ...o, seed: 12 });
    expect(Array.from(b.params.wRec.data)).toEqual(Array.from(a.params.wRec.data));
    expect(Array.from(c.params.wRec.data)).not.toEqual(Array.from(a.params.wRec.data));
    const d = initRnn({ inputSize: 3, hiddenSize: 7, outputSize: 2, rng: createRng(11) });
    expect(Array.from(d.params.wOut.data)).toEqual(Array.from(a.params.wOut.data));
  });
  it('rejects bad options', () => {
    expect(() => initRnn({ inputSize: 0, hiddenSize: 3, outputSize: 2 })).toThrow(/initRnn: inputSize: expected an integer >= 1, got 0/);
    expect(() => initRnn({ inputSize: 2, hiddenSize: 2.5, outputSize: 2 })).toThrow(/hiddenSize/);
    expect(() => initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, init: 'xavier' as 'normal' })).toThrow(/init must be/);
    expect(() => initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, activation: 'gelu' as 'tanh' })).toThrow(/activation/);
    expect(() => initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, gain: -1 })).toThrow(/gain/);
  });
});
