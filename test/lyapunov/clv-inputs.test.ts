import { describe, expect, it } from 'vitest';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { lyapunovSpectrum } from '../../src/lyapunov/spectrum.js';
import { henonMap } from '../../src/lyapunov/systems.js';
import { initRnn } from '../../src/rnn/init.js';

describe('covariantLyapunovVectors: inputs as lyapunovSpectrum takes them', () => {
  const L = 120;
  const rows = Array.from({ length: L }, (_, t) => [Math.sin(0.7 * t) * 1.3, Math.cos(0.31 * t) + 0.1]);
  const f32 = { shape: [1, L, 2], data: Float32Array.from(rows.flat()) };
  const opts = { frameWarmup: 20, backwardWarmup: 20, seed: 4 };
  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell}: nested arrays [L,I] and [1,L,I] and float64 data give the run of the float32 Tensor bit for bit (they were a TypeError)`, () => {
      const rnn = initRnn({ cell, inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 5 });
      const ref = covariantLyapunovVectors(rnn, { inputs: f32, ...opts });
      const f64 = { shape: [1, L, 2], data: Float64Array.from(rows.flat()) };
      for (const inputs of [rows, [rows], f64]) {
        const r = covariantLyapunovVectors(rnn, { inputs, ...opts });
        expect(Array.from(r.states.data)).toEqual(Array.from(ref.states.data));
        expect(Array.from(r.vectors.data)).toEqual(Array.from(ref.vectors.data));
        expect(Array.from(r.clvExponents)).toEqual(Array.from(ref.clvExponents));
      }
      // the float64 values are rounded to float32 as lyapunovSpectrum rounds them: the same trajectory
      const s = lyapunovSpectrum(rnn, { inputs: rows as never, frameWarmup: 20 }); // typed Tensor there, nested arrays read at run time
      const t = lyapunovSpectrum(rnn, { inputs: f32, frameWarmup: 20 });
      expect(Array.from(s.exponents)).toEqual(Array.from(t.exponents));
    });
  }

  it('refuses malformed inputs naming them, and inputs for a system', () => {
    const rnn = initRnn({ cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 5 });
    expect(() => covariantLyapunovVectors(rnn, { inputs: [[1, 2], [3]], ...opts })).toThrow(/covariantLyapunovVectors: inputs/);
    expect(() => covariantLyapunovVectors(rnn, { inputs: [rows, rows], ...opts })).toThrow(/covariantLyapunovVectors: inputs must be \[1,T,I\] or \[T,I\] with I = 2 .*got \[2,120,2\]/);
    expect(() => covariantLyapunovVectors(henonMap(), { inputs: rows })).toThrow(/covariantLyapunovVectors/);
  });
});

describe('covariantLyapunovVectors: a constant input', () => {
  it('input drives an autonomous Rnn as lyapunovSpectrum\'s does (it was refused as an unknown option, "did you mean inputs?")', async () => {
    const { rnnSystem } = await import('../../src/rnn/system.js');
    const gru = initRnn({ cell: 'gru', inputSize: 2, hiddenSize: 6, outputSize: 1, gain: 3, seed: 2 });
    const opts = { k: 2, steps: 1500, seed: 6 };
    const input = [1.5, -0.5];
    const r = covariantLyapunovVectors(gru, { ...opts, input });
    // the same map as the adapter under that input, bit for bit, and not the zero-input map
    const viaSystem = covariantLyapunovVectors(rnnSystem(gru, { input }), opts);
    expect(Array.from(r.vectors.data)).toEqual(Array.from(viaSystem.vectors.data));
    const zero = covariantLyapunovVectors(gru, opts);
    expect(Math.abs(zero.exponents[0] - r.exponents[0])).toBeGreaterThan(0.05);
    const s = lyapunovSpectrum(gru, { k: 2, input, seed: 6 });
    for (let i = 0; i < 2; i++) expect(Math.abs(r.clvExponents[i] - s.exponents[i])).toBeLessThan(0.03);
    expect(() => covariantLyapunovVectors(gru, { ...opts, input, inputs: [[0, 0]] })).toThrow(/give either inputs \(a sequence\) or input \(a constant\), not both/);
    expect(() => covariantLyapunovVectors(gru, { ...opts, input: [1] })).toThrow(/covariantLyapunovVectors/);
  });
});

describe('covariantLyapunovVectors: an LSTM is sized by [h; c]', () => {
  it('k past 2H and an x0 of H entries are refused saying the state is [h; c] (they said "expected an integer in [1, 6]" and "length dim = 6")', () => {
    const lstm = initRnn({ cell: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 1 });
    const inputs = { shape: [1, 80, 2], data: new Float32Array(160).map((_, i) => Math.sin(i)) };
    expect(() => covariantLyapunovVectors(lstm, { inputs, k: 7 })).toThrow(/^covariantLyapunovVectors: k must be at most the state dimension 6 \(an LSTM's state is \[h; c\], 2H = 6\), got k = 7$/);
    expect(() => covariantLyapunovVectors(lstm, { inputs, x0: new Float64Array(3) })).toThrow(/^covariantLyapunovVectors: x0 must have length the state dimension 6 \(an LSTM's state is \[h; c\], 2H = 6\), got 3: put c beside h, \[h; c\]$/);
    expect(covariantLyapunovVectors(lstm, { inputs, k: 6, x0: new Float64Array(6) }).vectors.shape).toEqual([60, 6, 6]);
    const gru = initRnn({ cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 1 });
    expect(() => covariantLyapunovVectors(gru, { inputs, k: 4 })).toThrow(/^covariantLyapunovVectors: k must be at most the state dimension 3, got k = 4$/);
  });
});
