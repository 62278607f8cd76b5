// The pool returns what the synchronous functions return, bit for bit (every typed array compared by
// its bytes), splits spectra and fixed-point starts across its workers, relays errors as the same
// class and message, refuses functions, and cancels at once while staying usable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findFixedPoints, flipFlopTask, initRnn, lyapunovSpectrum, mmPhate, mPhate, phate, randn, rnnForward, train, tsne, type Rnn,
} from '../../src/index.js';
import { createPool, type Pool } from '../../src/parallel/index.js';
import { bits, errorOf } from './helpers.js';

let pool: Pool;
beforeAll(() => {
  pool = createPool({ workers: 2 });
});
afterAll(async () => {
  await pool?.close();
});

const net = (h = 12, gain = 1.5, seed = 1): Rnn => initRnn({ inputSize: 3, hiddenSize: h, outputSize: 2, activation: 'tanh', gain, seed });

describe('pool.lyapunovSpectrum', () => {
  it('splits a [B,T,I] batch across the workers and equals the synchronous call bit for bit', async () => {
    const rnn = net();
    const inputs = randn([5, 60, 3], { seed: 3 }); // odd B: 2 + 3 sequences
    const sync = lyapunovSpectrum(rnn, { inputs, k: 6 });
    const got = await pool.lyapunovSpectrum(rnn, { inputs, k: 6 });
    expect(got.perSequence).toHaveLength(5);
    expect(bits(got)).toEqual(bits(sync));
  });
  it('with h0 per sequence, history, reorthEvery and a tolerance', async () => {
    const rnn = net(10, 2.0, 4);
    const inputs = randn([4, 80, 3], { seed: 5 });
    const h0 = randn([4, 10], { seed: 6 });
    const opts = { inputs, h0, history: 16, reorthEvery: 3, frameWarmup: 5, seed: 7, blockSize: 2, tolerance: 0.05 };
    expect(bits(await pool.lyapunovSpectrum(rnn, opts))).toEqual(bits(lyapunovSpectrum(rnn, opts)));
  });
  it('GRU and LSTM batches with h0 per sequence (an LSTM\'s h alone [B,H] or [h; c] [B,2H]) split and equal the synchronous call', async () => {
    for (const cell of ['gru', 'lstm'] as const) {
      const rnn = initRnn({ cell, inputSize: 3, hiddenSize: 6, outputSize: 2, seed: 3 });
      const inputs = randn([4, 50, 3], { seed: 5 });
      for (const w of cell === 'lstm' ? [6, 12] : [6]) {
        const opts = { inputs, h0: randn([4, w], { seed: 6 }), k: 3 };
        expect(bits(await pool.lyapunovSpectrum(rnn, opts))).toEqual(bits(lyapunovSpectrum(rnn, opts)));
      }
    }
  });
  it('an autonomous run (one worker) and a [T,I] run', async () => {
    const rnn = net(8, 1.8, 2);
    const auto = { steps: 400, warmup: 50, seed: 'a' };
    expect(bits(await pool.lyapunovSpectrum(rnn, auto))).toEqual(bits(lyapunovSpectrum(rnn, auto)));
    const single = { inputs: randn([50, 3], { seed: 1 }) };
    expect(bits(await pool.lyapunovSpectrum(rnn, single))).toEqual(bits(lyapunovSpectrum(rnn, single)));
  });
  it('aggregates progress over the workers: done grows to the total of every sequence', async () => {
    const rnn = net(24);
    const inputs = randn([4, 3000, 3], { seed: 8 });
    const seen: { done: number; total: number; sequence: number; sequences: number }[] = [];
    await pool.lyapunovSpectrum(rnn, { inputs, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
    expect(seen.every((p) => p.total === 4 * 3000 && p.sequences === 4 && p.sequence >= 0 && p.sequence < 4)).toBe(true);
    expect(seen.at(-1)!.done).toBe(4 * 3000);
  });
  it('relays errors as the same class with the same message', async () => {
    const rnn = net();
    const bad = [
      { inputs: randn([4, 30, 3], { seed: 1 }), k: 13 }, // k > H: RangeError from every worker
      { inputs: randn([4, 30, 2], { seed: 1 }) }, // wrong I: not split, the synchronous message
      { inputs: randn([3, 5, 3], { seed: 1 }) }, // T < 10 without frameWarmup
      { inputs: randn([4, 30, 3], { seed: 1 }), h0: randn([3, 12], { seed: 1 }) }, // h0 rows ≠ B
      { inputs: randn([4, 30, 3], { seed: 1 }), steps: 'x' },
    ];
    const nan = randn([4, 30, 3], { seed: 1 });
    nan.data[3 * 90 + 7] = NaN; // in the last sequence
    bad.push({ inputs: nan });
    for (const opts of bad) {
      const want = errorOf(() => lyapunovSpectrum(rnn, opts as never));
      const got = await pool.lyapunovSpectrum(rnn, opts as never).then(() => undefined, (e: Error) => e);
      expect(got, JSON.stringify(want.message)).toBeInstanceOf(want.constructor);
      expect(got!.message).toBe(want.message);
    }
  });
  it('refuses functions with a TypeError naming the option, and a DynamicalSystem object', async () => {
    const rnn = net();
    await expect(pool.lyapunovSpectrum(rnn, { steps: 10, rng: Math.random })).rejects.toThrow(/opts\.rng is a function.*seed/);
    await expect(pool.lyapunovSpectrum(rnn, { steps: 10, onReorthonormalize: () => {} })).rejects.toThrow(TypeError);
    const sys = { dim: 1, step: () => {}, jacobian: () => {} };
    await expect(pool.lyapunovSpectrum(sys as never, { steps: 10 })).rejects.toThrow(/DynamicalSystem with methods/);
  });
});

describe('pool.findFixedPoints', () => {
  const trained = () => {
    const rnn = net(10, 0.9, 3);
    const states = rnnForward(rnn, randn([4, 30, 3], { seed: 2 })).states;
    return { rnn, states };
  };
  it('splits the starts (sampled from states with noise) and merges them as the synchronous call does', async () => {
    const { rnn, states } = trained();
    const opts = { states, nStarts: 37, noise: 0.05, seed: 4, keepSlowPoints: 1e-4 };
    const got = await pool.findFixedPoints(rnn, opts);
    expect(got.points.length).toBeGreaterThan(0);
    expect(bits(got)).toEqual(bits(findFixedPoints(rnn, opts)));
  });
  it('explicit starts, Adam, an input, outliers', async () => {
    const rnn = net(6, 1.3, 9);
    const inits = randn([9, 6], { seed: 3 });
    inits.data[0] = 50; // an outlier start
    const opts = { inits, method: 'adam' as const, maxIterations: 300, input: [0.1, -0.2, 0.3], outlierDistanceScale: 2, dedupDistance: 0.01 };
    expect(bits(await pool.findFixedPoints(rnn, opts))).toEqual(bits(findFixedPoints(rnn, opts)));
  });
  it('outliers are judged against the starts\' centroid, as the synchronous call judges them', async () => {
    const rnn = net(6, 0.9, 5);
    const inits = randn([8, 6], { seed: 2 });
    for (let i = 0; i < inits.data.length; i++) inits.data[i] *= 0.01; // starts near 0, the fixed point is not
    const input = [0.8, -0.6, 0.7];
    const far = { inits, input, outlierDistanceScale: 3 };
    const all = { inits, input, outlierDistanceScale: Infinity };
    const syncFar = findFixedPoints(rnn, far);
    expect(syncFar.points).toHaveLength(0);
    expect(findFixedPoints(rnn, all).points).toHaveLength(1);
    expect(bits(await pool.findFixedPoints(rnn, far))).toEqual(bits(syncFar));
    expect(bits(await pool.findFixedPoints(rnn, all))).toEqual(bits(findFixedPoints(rnn, all)));
  });
  it('errors as the synchronous call', async () => {
    const rnn = net(6);
    for (const opts of [{ inits: randn([3, 5], { seed: 1 }) }, { inits: randn([3, 6], { seed: 1 }), maxIterations: -1 }, {}, { states: randn([4, 6], { seed: 1 }), nStarts: 0 }]) {
      const want = errorOf(() => findFixedPoints(rnn, opts as never));
      const got = await pool.findFixedPoints(rnn, opts as never).then(() => undefined, (e: Error) => e);
      expect(got).toBeInstanceOf(want.constructor);
      expect(got!.message).toBe(want.message);
    }
  });
});

describe('pool.train, tsne, phate, mPhate, mmPhate, map', () => {
  it('train: the same history (but wall times) and the same parameters, written into the caller\'s rnn', async () => {
    const data = flipFlopTask({ bits: 3, steps: 20, batch: 24, seed: 1 });
    const mk = () => initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 3, activation: 'tanh', seed: 2 });
    const a = mk();
    const b = mk();
    const opts = { epochs: 3, batchSize: 8, seed: 5, clipNorm: 1, lrSchedule: { type: 'step' as const, stepSize: 1, gamma: 0.5 } };
    const hs = await train(a, data, opts);
    const progress: number[] = [];
    const hp = await pool.train(b, data, { ...opts, onProgress: (p) => progress.push(p.done) });
    const noTime = (h: typeof hs) => ({ ...h, epochs: h.epochs.map(({ timeMs, ...r }) => r) });
    expect(bits(noTime(hp))).toEqual(bits(noTime(hs)));
    expect(bits(b.params)).toEqual(bits(a.params));
    expect(progress.at(-1)).toBe(9);
    await expect(pool.train(mk(), data, { onEpoch: () => {} })).rejects.toThrow(/opts\.onEpoch is a function/);
    await expect(pool.train(mk(), data, { lrSchedule: () => 0.1 })).rejects.toThrow(/opts\.lrSchedule is a function/);
  });
  it('map over train writes each trained network back, as a loop of train calls would', async () => {
    const data = flipFlopTask({ bits: 2, steps: 10, batch: 12, seed: 3 });
    const mk = (seed: number) => initRnn({ inputSize: 2, hiddenSize: 6, outputSize: 2, activation: 'tanh', seed });
    const pooled = [mk(1), mk(2), mk(3)];
    const sync = [mk(1), mk(2), mk(3)];
    const hp = await pool.map('train', pooled.map((r, i) => [r, data, { epochs: 2, batchSize: 4, seed: i }] as [Rnn, typeof data, { epochs: number; batchSize: number; seed: number }]));
    for (let i = 0; i < 3; i++) {
      const hs = await train(sync[i], data, { epochs: 2, batchSize: 4, seed: i });
      expect(bits(pooled[i].params)).toEqual(bits(sync[i].params));
      expect(hp[i].steps).toBe(hs.steps);
      expect(bits(hp[i].epochs.map((e) => e.loss))).toEqual(bits(hs.epochs.map((e) => e.loss)));
    }
  });
  it('an aborted train (alone or in a map) leaves each network at a snapshot of its training, a failed one at its last update as train leaves it', async () => {
    const data = flipFlopTask({ bits: 3, steps: 30, batch: 256, seed: 1 });
    const mk = (seed: number) => initRnn({ inputSize: 3, hiddenSize: 32, outputSize: 3, activation: 'tanh', seed });
    const opts = { epochs: 1000, batchSize: 16, seed: 5, clipNorm: 1 };
    /** Resolves on a later timer tick once `ok()` holds (the workers may still be starting). */
    const until = async (ok: () => boolean) => { while (!ok()) await new Promise((r) => setTimeout(r, 10)); };
    /** The parameters' bits of the synchronous train after each of its first `k` batches (it stops by its signal, checked before each batch). */
    const syncUpTo = async (seed: number, k: number) => {
      const r = mk(seed);
      const ac = new AbortController();
      const after: string[] = [];
      await train(r, data, { ...opts, signal: ac.signal, onProgress: (p) => { after.push(JSON.stringify(bits(r.params))); if (p.done === k) ac.abort(); } }).catch(() => undefined);
      return after;
    };
    /** Which batch's parameters `r` holds (1-based), or 0 when none of the first `k`. */
    const batchOf = async (r: Rnn, seed: number, k: number) => (await syncUpTo(seed, k)).indexOf(JSON.stringify(bits(r.params))) + 1;
    // pool.train aborted by a timer
    const a = mk(1);
    const before = bits(a.params);
    const ac = new AbortController();
    let seen = 0;
    const p = pool.train(a, data, { ...opts, signal: ac.signal, onProgress: (q) => { seen = q.done; } }).then(() => undefined, (e: unknown) => e);
    await until(() => seen >= 3);
    ac.abort();
    expect(await p).toBe(ac.signal.reason);
    expect(seen).toBeGreaterThan(0);
    expect(bits(a.params)).not.toEqual(before);
    // a snapshot from at most 20 ms before the abort: the synchronous train's parameters after some batch
    expect(await batchOf(a, 1, seen)).toBeGreaterThan(0);
    // a map over train aborted by a timer: each network at its own last reported batch
    const nets = [mk(2), mk(3)];
    const last = [0, 0];
    const am = new AbortController();
    const pm = pool.map('train', nets.map((r) => [r, data, opts] as [Rnn, typeof data, typeof opts]), {
      signal: am.signal, onProgress: (q) => { if (q.progress) last[q.index] = (q.progress as { done: number }).done; },
    }).then(() => undefined, (e: unknown) => e);
    await until(() => last[0] >= 3 && last[1] >= 3);
    am.abort();
    expect(await pm).toBe(am.signal.reason);
    for (let i = 0; i < 2; i++) {
      expect(last[i]).toBeGreaterThan(0);
      expect(await batchOf(nets[i], 2 + i, last[i])).toBeGreaterThan(0);
    }
    // a training that fails (the loss becomes non-finite): the parameters before the failing step, as train leaves them
    const wild = { epochs: 3, batchSize: 16, seed: 5, learningRate: 1e30 };
    const s = mk(4), q = mk(4);
    const want = await train(s, data, wild).then(() => undefined, (e: Error) => e);
    expect(want).toBeInstanceOf(RangeError);
    const got = await pool.train(q, data, wild).then(() => undefined, (e: Error) => e);
    expect(got!.message).toBe(want!.message);
    expect(bits(q.params)).toEqual(bits(s.params));
  }, 60_000);
  it('tsne, phate (with its transform: test/parallel/phate-transform.test.ts), mPhate, mmPhate', async () => {
    const X = randn([40, 5], { seed: 1 });
    expect(bits(await pool.tsne(X, { perplexity: 8, seed: 2, iterations: 200 }))).toEqual(bits(tsne(X, { perplexity: 8, seed: 2, iterations: 200 })));
    const ph = phate(X, { knn: 5, seed: 3 });
    const got = await pool.phate(X, { knn: 5, seed: 3 });
    expect(Object.keys(got)).toEqual(Object.keys(ph));
    expect(bits(got)).toEqual(bits(ph));
    expect(bits(got.transform(X))).toEqual(bits(ph.transform(X)));
    const M = randn([3, 6, 8], { seed: 4 });
    const MM = randn([2, 3, 5, 6], { seed: 5 });
    const ms = mPhate(M, { seed: 0 }), mms = mmPhate(MM, { seed: 0 });
    // the multislice results are plain data (no transform): bits() compares all of them
    expect(Object.values(ms).some((v) => typeof v === 'function') || Object.values(mms).some((v) => typeof v === 'function')).toBe(false);
    expect(bits(await pool.mPhate(M, { seed: 0 }))).toEqual(bits(ms));
    expect(bits(await pool.mmPhate(MM, { seed: 0 }))).toEqual(bits(mms));
  });
  it('map: a sweep over gains and seeds, results in order, each equal to its synchronous call', async () => {
    const inputs = randn([2, 60, 3], { seed: 9 });
    const grid = [0.5, 1.0, 1.5, 2.0, 2.5].map((g, i) => [net(8, g, i), { inputs, k: 3 }] as [Rnn, { inputs: typeof inputs; k: number }]);
    const reports: number[] = [];
    const got = await pool.map('lyapunovSpectrum', grid, { onProgress: (p) => reports.push(p.done) });
    expect(got).toHaveLength(5);
    got.forEach((r, i) => expect(bits(r)).toEqual(bits(lyapunovSpectrum(...grid[i]))));
    expect(Math.max(...reports)).toBe(5);
    expect(await pool.map('tsne', [])).toEqual([]);
    // the first failing call's error, as a loop over the synchronous calls would throw
    const mixed: [Rnn, { steps: number; k?: number; warmup?: number }][] = [[net(), { steps: 20 }], [net(), { steps: 20, k: 99 }], [net(), { steps: 20, warmup: -1 }]];
    const want = errorOf(() => mixed.forEach((a) => lyapunovSpectrum(...a)));
    const failed = await pool.map('lyapunovSpectrum', mixed).then(() => undefined, (e: Error) => e);
    expect(failed).toBeInstanceOf(RangeError);
    expect(failed!.message).toBe(want.message);
    await expect(pool.map('nope' as never, [])).rejects.toThrow(RangeError);
    await expect(pool.map('lyapunovSpectrum', [[net(), { steps: 5, signal: new AbortController().signal }]])).rejects.toThrow(/own options/);
  });
});

describe('cancellation and closing', () => {
  it('an abort from a timer rejects within 100 ms with the synchronous error, for every pooled function, and the pool stays usable', async () => {
    const rnn = net(64, 1.5, 1);
    const long = {
      lyapunovSpectrum: (signal: AbortSignal) => pool.lyapunovSpectrum(rnn, { inputs: randn([4, 200000, 3], { seed: 1 }), signal }),
      findFixedPoints: (signal: AbortSignal) => pool.findFixedPoints(rnn, { inits: randn([4000, 64], { seed: 1 }), method: 'adam', maxIterations: 100000, tolerance: 0, signal }),
      // 3 outputs for the 3-bit task, so that the call trains (and is aborted) instead of failing its shape check
      train: (signal: AbortSignal) => pool.train(initRnn({ inputSize: 3, hiddenSize: 64, outputSize: 3, gain: 1.5, seed: 1 }), flipFlopTask({ bits: 3, steps: 50, batch: 512, seed: 1 }), { epochs: 1000, signal }),
      tsne: (signal: AbortSignal) => pool.tsne(randn([1500, 10], { seed: 1 }), { iterations: 100000, signal }),
      map: (signal: AbortSignal) => pool.map('lyapunovSpectrum', [[rnn, { steps: 1e8 }], [rnn, { steps: 1e8 }], [rnn, { steps: 1e8 }]], { signal }),
    };
    for (const [name, start] of Object.entries(long)) {
      const ac = new AbortController();
      const p = start(ac.signal).then(() => undefined, (e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      ac.abort();
      const err = await p;
      const latency = performance.now() - t0;
      expect(latency, name).toBeLessThan(100);
      expect(err, name).toBe(ac.signal.reason); // what the synchronous call throws: the signal's reason
    }
    // still usable, and still exact
    const inputs = randn([3, 40, 3], { seed: 2 });
    expect(bits(await pool.lyapunovSpectrum(net(), { inputs }))).toEqual(bits(lyapunovSpectrum(net(), { inputs })));
  }, 120_000);
  it('an already aborted signal rejects at once with its reason; a custom reason is kept', async () => {
    const ac = new AbortController();
    const why = new RangeError('stop now');
    ac.abort(why);
    await expect(pool.lyapunovSpectrum(net(), { steps: 10, signal: ac.signal })).rejects.toBe(why);
  });
  it('close rejects pending calls and later ones', async () => {
    const p2 = createPool({ workers: 1 });
    const pending = p2.lyapunovSpectrum(net(32), { steps: 1e8 }).then(() => 'resolved', (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 50));
    await p2.close();
    expect(await pending).toMatch(/closed/);
    await expect(p2.tsne(randn([10, 2], { seed: 1 }))).rejects.toThrow(/closed/);
  });
  it('createPool checks its options', () => {
    expect(() => createPool({ workers: 0 })).toThrow(RangeError);
    expect(() => createPool({ workers: 1.5 })).toThrow(RangeError);
    expect(() => createPool({ workers: '2' as never })).toThrow(TypeError);
    expect(() => createPool({ workerUrl: 3 as never })).toThrow(TypeError);
  });
});
