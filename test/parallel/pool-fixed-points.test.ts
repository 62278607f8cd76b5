// pool.findFixedPoints equals the synchronous call bit for bit where starts fail (a non-finite step,
// reported in `failures` with indices over all the workers' shares, in start order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFixedPoints, tensor, type Rnn } from '../../src/index.js';
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
