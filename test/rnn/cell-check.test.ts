/**
 * Every analysis of an Rnn reads `rnn.cell` as rnnForward does (core's readChoice): a vanilla network
 * with cell 'LSTM', null, 3 or {} ran as vanilla in lyapunovSpectrum, findFixedPoints,
 * detectLimitCycle and covariantLyapunovVectors, while rnnForward refused it.
 */
import { describe, expect, it } from 'vitest';
import { initRnn } from '../../src/rnn/init.js';
import { rnnForward } from '../../src/rnn/forward.js';
import { rnnSystem } from '../../src/rnn/system.js';
import { lyapunovSpectrum } from '../../src/lyapunov/spectrum.js';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { findFixedPoints } from '../../src/geometry/fixed-points.js';
import { detectLimitCycle } from '../../src/geometry/limit-cycle.js';
import { randn } from '../../src/core/tensor.js';

describe('rnn.cell is checked by every analysis of an Rnn', () => {
  const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed: 1 });
  const x = randn([1, 30, 2], { seed: 2 });
  const calls: [string, (r: never) => unknown][] = [
    ['rnnSystem', (r) => rnnSystem(r)],
    ['lyapunovSpectrum', (r) => lyapunovSpectrum(r, { steps: 50 })],
    ['lyapunovSpectrum', (r) => lyapunovSpectrum(r, { inputs: x })],
    ['covariantLyapunovVectors', (r) => covariantLyapunovVectors(r, { k: 1, steps: 20 })],
    ['findFixedPoints', (r) => findFixedPoints(r, { inits: [[0, 0, 0, 0]] })],
    ['detectLimitCycle', (r) => detectLimitCycle(r, { transient: 10 })],
  ];
  for (const [bad, kind] of [['LSTM', RangeError], ['vanilla', RangeError], [null, TypeError], [3, TypeError], [{}, TypeError]] as const) {
    it(`cell ${JSON.stringify(bad)}: a ${kind.name}, as rnnForward's`, () => {
      const r = { ...rnn, cell: bad } as never;
      expect(() => rnnForward(r, x)).toThrow(kind);
      for (const [name, f] of calls) expect(() => f(r), name).toThrow(new RegExp(`^${name}: .*cell`));
      for (const [, f] of calls) expect(() => f(r)).toThrow(kind);
    });
  }
  it("'rnn' and no cell still run as before", () => {
    for (const [, f] of calls) {
      expect(() => f({ ...rnn, cell: 'rnn' } as never)).not.toThrow();
      expect(() => f(rnn as never)).not.toThrow();
    }
  });
});
