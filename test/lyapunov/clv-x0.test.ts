/**
 * covariantLyapunovVectors' x0 is read as lyapunovSpectrum's (Float64Array, Float32Array or number[]):
 * a plain array was a TypeError 'x0 must be a Float64Array of length 6, got object' (lyapunovSpectrum
 * takes it), and an LSTM's h-only array did not get the [h; c] hint a Float64Array got.
 */
import { describe, expect, it } from 'vitest';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { initRnn } from '../../src/rnn/init.js';

describe('covariantLyapunovVectors: x0', () => {
  const rnn = initRnn({ inputSize: 1, hiddenSize: 5, outputSize: 1, gain: 3, seed: 2 });
  const opts = { k: 2, steps: 200, seed: 1 } as const;
  const start = [0.1, -0.2, 0.3, 0.05, -0.4];

  it('a number[] or Float32Array start is the Float64Array start, bit for bit', () => {
    const ref = covariantLyapunovVectors(rnn, { ...opts, x0: Float64Array.from(start) });
    for (const x0 of [start, Float32Array.from([0.5, -0.25, 0.125, 0.0625, -0.5])]) {
      const r = covariantLyapunovVectors(rnn, { ...opts, x0 });
      const want = covariantLyapunovVectors(rnn, { ...opts, x0: Float64Array.from(x0) });
      expect(Array.from(r.clvExponents)).toEqual(Array.from(want.clvExponents));
      expect(Array.from(r.vectors.data)).toEqual(Array.from(want.vectors.data));
    }
    expect(Array.from(covariantLyapunovVectors(rnn, { ...opts, x0: start }).vectors.data)).toEqual(Array.from(ref.vectors.data));
  });

  it('another kind is a TypeError naming it; a non-finite entry a RangeError', () => {
    expect(() => covariantLyapunovVectors(rnn, { ...opts, x0: new Map() as never })).toThrow(/covariantLyapunovVectors: x0 must be a Float64Array or number\[\] of length 5, got Map/);
    expect(() => covariantLyapunovVectors(rnn, { ...opts, x0: [0, 0, NaN, 0, 0] })).toThrow(RangeError);
  });

  it("an LSTM's h alone as a plain array gets the [h; c] hint", () => {
    const lstm = initRnn({ inputSize: 1, hiddenSize: 3, outputSize: 1, cell: 'lstm', seed: 4 });
    expect(() => covariantLyapunovVectors(lstm, { ...opts, x0: [0, 0, 0] })).toThrow(/put c beside h, \[h; c\]/);
    expect(() => covariantLyapunovVectors(lstm, { ...opts, x0: [0, 0, 0, 0, 0, 0] })).not.toThrow();
  });
});
