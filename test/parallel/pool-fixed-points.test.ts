// pool.findFixedPoints equals the synchronous call bit for bit where starts fail (a non-finite step,
// reported in `failures` with indices over all the workers' shares, in start order) and at scales
// where the unit of the tolerances is not 1 (the workers and the merge use the starts' unit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFixedPoints, initRnn, randn, rnnForward, tensor, type Rnn } from '../../src/index.js';
import { createPool, type Pool } from '../../src/parallel/index.js';
import { bits } from './helpers.js';

let pool: Pool;
beforeAll(() => {
  pool = createPool({ workers: 2 });
});
afterAll(async () => {
  await pool?.close();
});

describe('pool.findFixedPoints: failed starts', () => {
  it('a relu net whose step overflows at some starts: the same failures, indexed over all starts', async () => {
    const rnn: Rnn = {
      activation: 'relu',
      params: { wIn: tensor([[0], [0]]), wRec: tensor([[0.5, 0], [3e38, 0.5]]), b: tensor([1, 1]), wOut: tensor([[1, 0]]), bOut: tensor([0]) },
    };
    // starts 1 and 4 overflow (3e38 · 1e300), one in each worker's share of 2 + 3
    const inits = [[0, 0], [1e300, 0], [0.5, 0.1], [0.2, 0.3], [2e300, 1]];
    const opts = { inits, outlierDistanceScale: Infinity };
    const sync = findFixedPoints(rnn, opts);
    expect(sync.failures.map((f) => f.start)).toEqual([1, 4]);
    expect(bits(await pool.findFixedPoints(rnn, opts))).toEqual(bits(sync));
  });
});

describe('pool.findFixedPoints: states far from scale 1', () => {
  // a relu net whose biases and inputs are scaled by s: states and fixed points scale with s
  const scaled = (s: number, gain: number, seed: number): Rnn => {
    const base = initRnn({ inputSize: 2, hiddenSize: 8, outputSize: 1, activation: 'relu', gain, seed }) as Rnn;
    return { activation: 'relu', params: { ...base.params, b: tensor(Array.from(base.params.b.data, (v, i) => s * (0.5 + Math.abs(v) + 0.1 * i))) } };
  };
  for (const [s, method] of [[2 ** -100, 'lm'], [1e-20, 'adam'], [1e12, 'lm'], [2 ** 90, 'adam']] as const) {
    it(`states of ${s.toPrecision(3)}, ${method}: the same result, its scale not 1`, async () => {
      const rnn = scaled(s, 0.6, 3);
      const x = randn([3, 20, 2], { seed: 5 });
      for (let i = 0; i < x.data.length; i++) x.data[i] *= s;
      const states = rnnForward(rnn, x).states;
      const opts = { states, nStarts: 9, noise: 0.05 * s, seed: 2, method, maxIterations: method === 'adam' ? 2000 : 200, keepSlowPoints: 1e-3 };
      const sync = findFixedPoints(rnn, opts);
      expect(sync.scale).not.toBe(1);
      expect(sync.points.length).toBeGreaterThan(0);
      expect(bits(await pool.findFixedPoints(rnn, opts))).toEqual(bits(sync));
    });
  }
});
