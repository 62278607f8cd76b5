// pool.mPhate/mmPhate refuse an rnnForward recording as mPhate does: the recording's mark does not
// cross to a worker, so the pool checks before sending.
import { afterAll, describe, expect, it } from 'vitest';
import { initRnn, multisliceFromStates, mPhate, randn, rnnForward } from '../../src/index.js';
import { createPool } from '../../src/parallel/index.js';

const pool = createPool({ workers: 1 });
afterAll(() => pool.close());

describe('pool.mPhate and pool.mmPhate with an rnnForward recording', () => {
  const rnn = initRnn({ inputSize: 2, hiddenSize: 5, outputSize: 2, seed: 1 });
  const { states } = rnnForward(rnn, randn([6, 4, 2], { seed: 2 }));
  it('refuse it as it is, with the synchronous class and message', async () => {
    let sync: unknown;
    try { mPhate(states); } catch (e) { sync = e; }
    expect(sync).toBeInstanceOf(RangeError);
    await expect(pool.mPhate(states)).rejects.toThrow((sync as Error).message);
    await expect(pool.mPhate(states)).rejects.toBeInstanceOf(RangeError);
    await expect(pool.mmPhate({ shape: [1, 6, 4, 5], data: states.data })).rejects.toThrow(/^mmPhate: X \[1,6,4,5\] holds hidden states from rnnForward/);
  });
  it('embed the converted recording as mPhate does', async () => {
    const X = multisliceFromStates(states);
    const o = { seed: 0, intersliceKnn: 2, t: 3, mds: 'classic' as const };
    expect(Array.from((await pool.mPhate(X, o)).embedding)).toEqual(Array.from(mPhate(X, o).embedding));
  });
});
