// Sixteen sequential-MNIST digits with their rows hidden (all blank) drive sixteen copies of one
// run: the batch reported λ1 = 0.0441 with std 1.4e-17 and a standard error of 3.6e-18, a precision
// no 18-step run has (each copy's own stderr was Infinity). Copies of one run now count once:
// distinctSequences = 1, std NaN and stderr that run's own, as for a single sequence.
import { describe, expect, it } from 'vitest';
import { initRnn } from '../../src/rnn/index.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { tensor, type Tensor } from '../../src/core/index.js';

const batch = (seqs: number[][][]): Tensor => tensor(Float32Array.from(seqs.flat(2)), [seqs.length, T, 3]);

const T = 200;
const rnn = initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 2, gain: 3, seed: 1 });
const seq = (s: number) => Array.from({ length: T }, (_, t) => [Math.sin(0.3 * t + s), Math.cos(0.7 * t * (s + 1)), 0.1 * s]);

describe('a batch of identical sequences', () => {
  it('is one run: std NaN, stderr the run\'s own, distinctSequences 1', () => {
    const one = lyapunovSpectrum(rnn, { inputs: batch([seq(1)]), k: 2 });
    const copies = lyapunovSpectrum(rnn, { inputs: batch(Array.from({ length: 16 }, () => seq(1))), k: 2 });
    expect(Array.from(copies.exponents)).toEqual(Array.from(one.exponents));
    expect(copies.sequences).toBe(16);
    expect(copies.distinctSequences).toBe(1);
    expect(Number.isNaN(copies.std[0])).toBe(true);
    expect(copies.stderr[0]).toBe(one.stderr[0]);
    expect(copies.stderr[0]).toBeGreaterThan(0);
  });
  it('different sequences keep the spread over sequences; a repeat is counted', () => {
    const r = lyapunovSpectrum(rnn, { inputs: batch([seq(1), seq(2), seq(3), seq(2)]), k: 2 });
    expect(r.distinctSequences).toBe(3);
    expect(r.std[0]).toBeGreaterThan(0);
    let v = 0;
    for (const p of r.perSequence) v += (p.exponents[0] - r.exponents[0]) ** 2;
    expect(r.stderr[0]).toBe(Math.sqrt(v / 3) / 2);
  });
});
