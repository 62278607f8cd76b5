import { describe, expect, it } from 'vitest';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { lyapunovSpectrum } from '../../src/lyapunov/spectrum.js';
import { initRnn } from '../../src/rnn/init.js';
import { rnnSystem } from '../../src/rnn/system.js';

describe('covariantLyapunovVectors: where an autonomous run starts', () => {
  // a bias-free tanh network of gain 3: h = 0 is an (unstable) fixed point, whose exponents are
  // ln|eig(W)| ≈ 1.18; on the attractor lyapunovSpectrum gives λ1 ≈ 0.17
  const rnn = initRnn({ inputSize: 1, hiddenSize: 20, outputSize: 1, gain: 3, seed: 1 });
  const opts = { k: 2, steps: 2000, seed: 3 } as const;

  it('a system that declares no initialState (rnnSystem(rnn)) starts from a seeded random state, as lyapunovSpectrum: it started at 0, the fixed point (λ = 1.179, 1.179 for 0.186, 0.075)', () => {
    const sys = rnnSystem(rnn);
    expect((sys as { initialState?: unknown }).initialState).toBeUndefined();
    const r = covariantLyapunovVectors(sys, opts);
    expect(r.states.data.some((v) => v !== 0)).toBe(true);
    const s = lyapunovSpectrum(sys, { k: 2, steps: 20000, seed: 3 });
    // a 2000-step window against 20000 steps: within a few of the window's spreads (≈ 0.01)
    expect(Math.abs(r.exponents[0] - s.exponents[0])).toBeLessThan(0.06);
    expect(Math.abs(r.clvExponents[0] - s.exponents[0])).toBeLessThan(0.06);
  });

  it('the Rnn and its adapter give the same run bit for bit (one rule: 0.1·N(0, 1) from the seed)', () => {
    const a = covariantLyapunovVectors(rnn, opts);
    const b = covariantLyapunovVectors(rnnSystem(rnn), opts);
    expect(Array.from(b.states.data.subarray(0, 20))).toEqual(Array.from(a.states.data.subarray(0, 20)));
    expect(Array.from(b.vectors.data)).toEqual(Array.from(a.vectors.data));
    expect(Array.from(b.clvExponents)).toEqual(Array.from(a.clvExponents));
  });

  it('a gated cell through its adapter as well (a bias-free GRU: λ1 was 0.025 at h = 0, −0.031 on the attractor)', () => {
    const gru = initRnn({ cell: 'gru', inputSize: 1, hiddenSize: 8, outputSize: 1, gain: 3, seed: 1 });
    gru.params.bIn.data.fill(0);
    gru.params.bRec.data.fill(0);
    const a = covariantLyapunovVectors(gru, opts);
    const b = covariantLyapunovVectors(rnnSystem(gru), opts);
    expect(Array.from(b.exponents)).toEqual(Array.from(a.exponents));
    const s = lyapunovSpectrum(gru, { k: 2, seed: 3 });
    expect(Math.abs(b.exponents[0] - s.exponents[0])).toBeLessThan(0.02);
  });
});

describe('covariantLyapunovVectors on a driven system', () => {
  it('rnnSystem(rnn, { inputs }) is run as the Rnn with those inputs (it took the autonomous defaults, 1000 warm-up steps, and threw past the L = 300 inputs)', () => {
    const lstm = initRnn({ cell: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 1 });
    const L = 300;
    const inputs = { shape: [1, L, 2], data: new Float32Array(2 * L).map((_, i) => Math.sin(i)) };
    const a = covariantLyapunovVectors(lstm, { inputs, seed: 2 });
    const b = covariantLyapunovVectors(rnnSystem(lstm, { inputs }), { seed: 2 });
    expect(b.steps).toBe(240);
    expect(Array.from(b.vectors.data)).toEqual(Array.from(a.vectors.data));
    expect(Array.from(b.exponents)).toEqual(Array.from(a.exponents));
    // and its window and warm-ups are checked against the inputs as the Rnn's are
    expect(() => covariantLyapunovVectors(rnnSystem(lstm, { inputs }), { steps: 300 })).toThrow(/L = 300 steps; warmup 0 \+ frameWarmup 30 \+ steps 300/);
  });
});
