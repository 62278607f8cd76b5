// The pool refuses unknown options as the synchronous functions do (createPool's and pool.map's own
// options too), and a call with more arguments than the synchronous function takes (a third
// argument `{ signal }` used to be ignored silently).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randn } from '../../src/core/index.js';
import { initRnn } from '../../src/rnn/index.js';
import { createPool, type Pool } from '../../src/parallel/index.js';

let pool: Pool;
beforeAll(() => {
  pool = createPool({ workers: 1 });
});
afterAll(async () => {
  await pool.close();
});
const rnn = () => initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, seed: 0 });
const inputs = () => randn([2, 20, 2], { seed: 1 });

describe('pool options', () => {
  it('createPool: worker → workers', () => {
    expect(() => createPool({ worker: 2 } as never)).toThrow(/^createPool: unknown option opts\.worker \(did you mean workers\?\)$/);
  });
  it("createPool: backends is 'caller' or 'workers' (undefined: 'caller'), checked before any worker starts", async () => {
    const expected = "'caller' \\(the workers run what this thread's 'auto' backends resolved to\\) or 'workers' \\(each worker resolves its own 'auto'\\)";
    expect(() => createPool({ workers: 1, backends: 1 } as never)).toThrow(TypeError);
    expect(() => createPool({ workers: 1, backends: 1 } as never)).toThrow(new RegExp(`^createPool: backends: expected ${expected}, got number$`));
    // an array is named as one (typeof said 'object')
    expect(() => createPool({ workers: 1, backends: ['workers'] } as never)).toThrow(new RegExp(`^createPool: backends: expected ${expected}, got array$`));
    expect(() => createPool({ workers: 1, backends: 'worker' } as never)).toThrow(RangeError);
    expect(() => createPool({ workers: 1, backends: 'worker' } as never)).toThrow(new RegExp(`^createPool: backends: expected ${expected}, got 'worker'$`));
    expect(() => createPool({ workers: 1, backend: 'workers' } as never)).toThrow(/^createPool: unknown option opts\.backend \(did you mean backends\?\)$/);
    expect(() => createPool({ workers: 1, backends: null } as never)).toThrow(/^createPool: opts\.backends must not be null \(omit it, or pass undefined, for the default\)$/);
    for (const backends of [undefined, 'caller', 'workers'] as const) {
      const p = createPool({ workers: 1, backends });
      expect((await p.lyapunovSpectrum(rnn(), { inputs: inputs(), k: 1 })).exponents).toHaveLength(1);
      await p.close();
    }
  });
  it('a method called with an extra argument is refused, naming where signal goes', async () => {
    const signal = new AbortController().signal;
    await expect((pool.lyapunovSpectrum as (...a: unknown[]) => Promise<unknown>)(rnn(), { inputs: inputs() }, { signal }))
      .rejects.toThrow(/^pool\.lyapunovSpectrum: takes 2 arguments \(system, opts\), got 3; signal and onProgress go inside opts: pool\.lyapunovSpectrum\(system, \{ \.\.\.opts, signal \}\)$/);
    await expect((pool.train as (...a: unknown[]) => Promise<unknown>)(rnn(), { x: inputs(), targets: inputs() }, {}, { signal })).rejects.toThrow(TypeError);
    await expect((pool.tsne as (...a: unknown[]) => Promise<unknown>)(randn([10, 3]), {}, { signal })).rejects.toThrow(/^pool\.tsne: takes 2 arguments/);
    await expect((pool.map as (...a: unknown[]) => Promise<unknown>)('lyapunovSpectrum', [], {}, { signal })).rejects.toThrow(/^pool\.map: takes 3 arguments/);
    // a trailing undefined is as if left out
    const r = await (pool.lyapunovSpectrum as (...a: unknown[]) => Promise<{ exponents: Float64Array }>)(rnn(), { inputs: inputs(), k: 1, frameWarmup: 2 }, undefined);
    expect(r.exponents).toHaveLength(1);
  });
  it('unknown keys are refused with the synchronous message, before any work or in the worker', async () => {
    await expect(pool.lyapunovSpectrum(rnn(), { inputs: inputs(), K: 2 } as never)).rejects.toThrow(/^lyapunovSpectrum: unknown option opts\.K \(did you mean k\?\)$/);
    await expect(pool.lyapunovSpectrum(rnn(), inputs() as never)).rejects.toThrow(/^lyapunovSpectrum: opts looks like a tensor/);
    await expect(pool.findFixedPoints(rnn(), { states: randn([1, 6, 4]), n_starts: 2 } as never)).rejects.toThrow(/^findFixedPoints: unknown option opts\.n_starts \(did you mean nStarts\?\)$/);
    await expect(pool.train(rnn(), { x: inputs(), targets: inputs() }, { epoch: 2 } as never)).rejects.toThrow(/^train: unknown option opts\.epoch \(did you mean epochs\?\)$/);
    await expect(pool.map('lyapunovSpectrum', [[rnn(), { inputs: inputs(), K: 1 } as never]])).rejects.toThrow(/did you mean k\?/);
    await expect(pool.map('lyapunovSpectrum', [], { signl: undefined } as never)).rejects.toThrow(/^pool\.map: unknown option opts\.signl \(did you mean signal\?\)$/);
    // the task name: a TypeError naming an array as one (it was a RangeError saying 'object'), a RangeError for another name
    await expect(pool.map(['tsne'] as never, [])).rejects.toThrow(/^pool\.map: name: expected one of 'lyapunovSpectrum', .*, got array$/);
    await expect(pool.map(['tsne'] as never, [])).rejects.toThrow(TypeError);
    await expect(pool.map(undefined as never, [])).rejects.toThrow(/^pool\.map: name: expected one of .*, got undefined$/);
    await expect(pool.map('tnse' as never, [])).rejects.toThrow(/^pool\.map: name: expected one of .*'tsne'.*, got 'tnse'$/);
  });
  it('the pooled fixed-point merge (inits, maxIterations, outlierDistanceScale) still passes', async () => {
    const r = await pool.findFixedPoints(rnn(), { states: randn([1, 6, 4], { seed: 2 }), nStarts: 4, seed: 1 });
    expect(r.points.length).toBeGreaterThan(0);
  });
});
