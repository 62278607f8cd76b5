// `seed` and `rng` given together are a TypeError naming the function called, in every public entry
// point that takes them. Before, `rng` won and the seed was silently ignored: tsne(X, { seed: 3, rng })
// or options copied between calls gave a run the researcher thought seeded by `seed`. The list of
// functions is every public export (and pool method) whose options type has both `seed` and `rng`
// (enumerated with the TypeScript checker over src/index.ts and src/parallel/index.ts).
import { afterAll, describe, expect, it } from 'vitest';
import * as L from '../../src/index.js';
import { createPool, type Pool } from '../../src/parallel/index.js';

const net = () => L.initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, activation: 'tanh', seed: 0 });
const pts = () => L.randn([24, 3], { seed: 5 });
const distances = (): number[][] => {
  const p = L.randn([6, 2], { seed: 5 }).data;
  return Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.hypot(p[2 * i] - p[2 * j], p[2 * i + 1] - p[2 * j + 1])));
};
const mnist = () => [{ shape: [2, 28, 28], data: new Uint8Array(2 * 784) }, new Uint8Array([3, 7])] as const;

/** Each public function called validly with `r` ({ seed } and/or { rng }) merged into its options. */
const CALLS: [name: string, call: (r: object) => unknown][] = [
  ['resolveRng', (r) => L.resolveRng(r)],
  ['randn', (r) => L.randn([2, 3], r)],
  ['randu', (r) => L.randu([2, 3], r)],
  ['initRnn', (r) => L.initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, ...r })],
  ['train', (r) => L.train(net(), L.flipFlopTask({ bits: 2, steps: 5, batch: 2, seed: 1 }), { epochs: 1, batchSize: 2, loss: 'mse', ...r })],
  ['flipFlopTask', (r) => L.flipFlopTask({ bits: 2, steps: 5, batch: 2, ...r })],
  ['delayedRecallTask', (r) => L.delayedRecallTask({ delay: 2, steps: 6, batch: 2, ...r })],
  ['sequentialMnist', (r) => L.sequentialMnist(...mnist(), { variant: 'permuted', ...r })],
  // the rows variant never draws: both are refused all the same (one of them would go unused)
  ['sequentialMnist', (r) => L.sequentialMnist(...mnist(), { ...r })],
  ['createLyapunovEstimator', (r) => L.createLyapunovEstimator({ dim: 3, k: 2, ...r })],
  // with an initialFrame neither is drawn from
  ['createLyapunovEstimator', (r) => L.createLyapunovEstimator({ dim: 2, k: 1, initialFrame: new Float64Array([1, 0]), ...r })],
  ['lyapunovSpectrum', (r) => L.lyapunovSpectrum(L.henonMap(), { steps: 50, ...r })],
  ['lyapunovSpectrum', (r) => L.lyapunovSpectrum(net(), { steps: 50, ...r })],
  ['lyapunovSpectrum', (r) => L.lyapunovSpectrum(net(), { inputs: L.randn([2, 20, 2], { seed: 1 }), ...r })],
  ['lyapunovSpectrum', (r) => L.lyapunovSpectrum(net(), { steps: 50, x0: new Float64Array(3), ...r })],
  ['finiteTimeExponents', (r) => L.finiteTimeExponents(L.henonMap(), { window: 10, windows: 5, ...r })],
  ['lyapunovDuringTraining', (r) => L.lyapunovDuringTraining({ k: 1, steps: 50, ...r })],
  ['lyapunovValueAndGrad', (r) => L.lyapunovValueAndGrad(net(), { inputs: L.randn([1, 12, 2], { seed: 1 }), k: 2, frameWarmup: 2, ...r })],
  ['covariantLyapunovVectors', (r) => L.covariantLyapunovVectors(L.henonMap(), { steps: 40, warmup: 10, frameWarmup: 10, backwardWarmup: 10, ...r })],
  ['findFixedPoints', (r) => L.findFixedPoints(net(), { states: L.randn([1, 6, 3], { seed: 1 }), nStarts: 4, input: [0, 0], ...r })],
  // starts given as inits: nothing is drawn
  ['findFixedPoints', (r) => L.findFixedPoints(L.henonMap(), { inits: [[0.5, 0.1]], ...r })],
  ['detectLimitCycle', (r) => L.detectLimitCycle(L.logisticMap({ r: 3.2 }), { x0: new Float64Array([0.3]), transient: 200, maxPeriod: 8, ...r })],
  ['detectLimitCycle', (r) => L.detectLimitCycle(L.henonMap(), { transient: 50, maxPeriod: 8, ...r })],
  ['tsne', (r) => L.tsne(pts(), { perplexity: 5, iterations: 30, ...r })],
  ['phate', (r) => L.phate(pts(), { knn: 4, ...r })],
  ['mPhate', (r) => L.mPhate(L.randn([3, 8, 4], { seed: 1 }), { intrasliceKnn: 3, ...r })],
  ['mmPhate', (r) => L.mmPhate(L.randn([2, 2, 4, 5], { seed: 1 }), { intrasliceKnn: 3, ...r })],
  ['classicalMds', (r) => L.classicalMds(distances(), { dims: 2, ...r })],
];

/** What a call threw or rejected with (train returns a promise); undefined when it succeeded. */
const outcome = async (f: () => unknown): Promise<unknown> => {
  try {
    await f();
    return undefined;
  } catch (e) {
    return e;
  }
};

/** The message: the function called, both names, and which to pass for what. */
const bothMessage = (name: string) => new RegExp(`^${name.replace('.', '\\.')}: give seed or rng, not both \\(got seed = 3 and an rng function\\): seed for the library's own generator, rng for your own`);

describe('seed and rng given together', () => {
  it('are a TypeError naming the function called in every public entry point, before any draw from the rng', async () => {
    const wrong: string[] = [];
    for (const [name, call] of CALLS) {
      let draws = 0;
      const rng = () => { draws++; return 0.5; };
      const err = await outcome(() => call({ seed: 3, rng }));
      if (!(err instanceof TypeError) || !bothMessage(name).test(err.message) || draws !== 0) {
        wrong.push(`${name}: ${err instanceof Error ? `${err.name}: ${err.message}` : 'no error'} (${draws} draws)`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('resolveRng names its caller; a failed train leaves the network unchanged', async () => {
    expect(() => L.resolveRng({ seed: 3, rng: Math.random }, 0, 'myFn')).toThrow(bothMessage('myFn'));
    const rnn = net();
    const before = JSON.stringify(rnn.params.wRec.data);
    await expect(L.train(rnn, L.flipFlopTask({ bits: 2, steps: 5, batch: 2, seed: 1 }), { epochs: 1, batchSize: 2, loss: 'mse', seed: 3, rng: Math.random })).rejects.toThrow(bothMessage('train'));
    expect(JSON.stringify(rnn.params.wRec.data)).toBe(before);
  });

  it('one of them alone, or the other one undefined, or inherited, is accepted as before', async () => {
    const inherited = Object.create({ seed: 9 }) as { rng?: () => number };
    inherited.rng = L.createRng(1);
    for (const [name, call] of CALLS) {
      for (const r of [{ seed: 3 }, { rng: L.createRng(1) }, { seed: 3, rng: undefined }, { seed: undefined, rng: L.createRng(1) }, inherited]) {
        expect(await outcome(() => call(r)), name).toBeUndefined();
      }
    }
    // rng given with seed undefined is the rng's stream, as rng alone
    expect(L.randn([4], { seed: undefined, rng: L.createRng(1) }).data).toEqual(L.randn([4], { rng: L.createRng(1) }).data);
  });
});

describe('seed and rng given together to the pool', () => {
  let pool: Pool | undefined;
  afterAll(async () => {
    await pool?.close();
  });
  it('are a TypeError naming the pooled method that says the pool takes seed only (an rng cannot cross to a worker)', async () => {
    pool = createPool({ workers: 1 });
    const p = pool;
    const r = { seed: 3, rng: () => 0.5 };
    const calls: [string, () => Promise<unknown>][] = [
      ['pool.tsne', () => p.tsne(pts(), { perplexity: 5, iterations: 30, ...r })],
      ['pool.phate', () => p.phate(pts(), { knn: 4, ...r })],
      ['pool.mPhate', () => p.mPhate(L.randn([3, 8, 4], { seed: 1 }), { intrasliceKnn: 3, ...r })],
      ['pool.mmPhate', () => p.mmPhate(L.randn([2, 2, 4, 5], { seed: 1 }), { intrasliceKnn: 3, ...r })],
      ['pool.lyapunovSpectrum', () => p.lyapunovSpectrum(net(), { steps: 50, ...r })],
      ['pool.findFixedPoints', () => p.findFixedPoints(net(), { states: L.randn([1, 6, 3], { seed: 1 }), nStarts: 4, input: [0, 0], ...r })],
      ['pool.train', () => p.train(net(), L.flipFlopTask({ bits: 2, steps: 5, batch: 2, seed: 1 }), { epochs: 1, batchSize: 2, loss: 'mse', ...r })],
    ];
    const wrong: string[] = [];
    for (const [name, call] of calls) {
      const err = await call().then(() => undefined, (e: unknown) => e);
      const ok = err instanceof TypeError && bothMessage(name).test(err.message) && /pooled call takes seed only/.test(err.message);
      if (!ok) wrong.push(`${name}: ${err instanceof Error ? `${err.name}: ${err.message}` : 'no error'}`);
    }
    expect(wrong).toEqual([]);
    // an rng alone is refused as before: functions cannot cross to a worker thread
    await expect(p.tsne(pts(), { rng: () => 0.5 })).rejects.toThrow(/^pool\.tsne: opts\.rng is a function.*a seed instead of an rng/);
  });
});
