// Two options of which only one can be used: giving both is a RangeError naming the function and
// both keys, never a run that quietly drops one (checkExclusive in src/core/options.ts).
import { describe, expect, it } from 'vitest';
import { randn } from '../../src/core/tensor.js';
import { checkExclusive } from '../../src/core/options.js';
import { detectLimitCycle } from '../../src/geometry/index.js';
import { finiteTimeExponents, logisticMap, lyapunovDuringTraining, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { initRnn, train } from '../../src/rnn/index.js';

const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, seed: 1 });
const inputs = randn([2, 30, 2], { seed: 2 });

describe('checkExclusive', () => {
  it('passes one of the two, refuses both; aliases pass with the same value', () => {
    expect(() => checkExclusive({ a: 1 }, 'a', 'b', 'f')).not.toThrow();
    expect(() => checkExclusive({ b: 1, a: undefined }, 'a', 'b', 'f')).not.toThrow();
    expect(() => checkExclusive({ a: 1, b: 1 }, 'a', 'b', 'f')).toThrow(/^f: give either opts\.a or opts\.b, not both$/);
    expect(() => checkExclusive({ a: 1, b: 1 }, 'a', 'b', 'f', { alias: true })).not.toThrow();
    expect(() => checkExclusive({ a: 1, b: 2 }, 'a', 'b', 'f', { alias: true, arg: 'o' })).toThrow(
      /^f: give either o\.a or o\.b, not both \(got o\.a = 1 and o\.b = 2; b is another name of a\)$/,
    );
    expect(() => checkExclusive({ a: 1, b: 2 }, 'a', 'b', 'f')).toThrow(RangeError);
  });
});

describe('inputs and input together', () => {
  const both = { inputs, input: [0, 0] };
  it('lyapunovSpectrum refuses them instead of ignoring input', () => {
    expect(() => lyapunovSpectrum(rnn, both)).toThrow(RangeError);
    expect(() => lyapunovSpectrum(rnn, both)).toThrow(/^lyapunovSpectrum: give either opts\.inputs or opts\.input, not both/);
    // each alone runs
    expect(lyapunovSpectrum(rnn, { inputs, k: 1 }).exponents.length).toBe(1);
    expect(lyapunovSpectrum(rnn, { input: [0, 0], k: 1, steps: 50 }).exponents.length).toBe(1);
  });
  it('finiteTimeExponents and lyapunovDuringTraining (at creation) name themselves', () => {
    const one = randn([1, 30, 2], { seed: 3 });
    expect(() => finiteTimeExponents(rnn, { inputs: one, input: [0, 0], window: 5 })).toThrow(/^finiteTimeExponents: give either opts\.inputs or opts\.input, not both/);
    expect(() => lyapunovDuringTraining(both)).toThrow(/^lyapunovDuringTraining: give either opts\.inputs or opts\.input, not both/);
  });
});

describe('detectLimitCycle warmup and its old name transient', () => {
  const sys = logisticMap({ r: 3.2 });
  it('different values are a RangeError naming both', () => {
    expect(() => detectLimitCycle(sys, { warmup: 100, transient: 200, maxPeriod: 8 })).toThrow(RangeError);
    expect(() => detectLimitCycle(sys, { warmup: 100, transient: 200, maxPeriod: 8 })).toThrow(/^detectLimitCycle: give either opts\.warmup or opts\.transient, not both \(got opts\.warmup = 100 and opts\.transient = 200/);
  });
  it('the same value is the same run as either alone', () => {
    const a = detectLimitCycle(sys, { warmup: 150, transient: 150, maxPeriod: 8, seed: 1 });
    const b = detectLimitCycle(sys, { transient: 150, maxPeriod: 8, seed: 1 });
    expect(a.kind).toBe('limit-cycle');
    expect(a.period).toBe(2); // r = 3.2: the 2-cycle
    expect(a).toEqual(b);
  });
});

describe('train learningRate and an optimizer spec lr', () => {
  const x = randn([4, 3, 2], { seed: 4 });
  const data = { x, labels: [0, 1, 0, 1] };
  it('different values are a RangeError naming both', async () => {
    const net = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, seed: 1 });
    await expect(train(net, data, { optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 }, learningRate: 1e-3 })).rejects.toThrow(
      /^train: give either opts\.learningRate or opts\.optimizer\.lr, not both \(got learningRate = 0\.001 and optimizer\.lr = 0\.1/,
    );
  });
  it('the same value, or either alone, trains at that rate', async () => {
    const run = async (o: Parameters<typeof train>[2]) => (await train(initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, seed: 1 }), data, { epochs: 1, shuffle: false, ...o })).epochs[0];
    const a = await run({ optimizer: { type: 'sgd', lr: 0.1 }, learningRate: 0.1 });
    const b = await run({ optimizer: { type: 'sgd', lr: 0.1 } });
    const c = await run({ optimizer: 'sgd', learningRate: 0.1 });
    expect(a.learningRate).toBe(0.1);
    expect([b.learningRate, c.learningRate, b.loss, c.loss]).toEqual([0.1, 0.1, a.loss, a.loss]);
  });
});

describe('the other pairs: pca, findFixedPoints, train (a RangeError naming both, as everywhere)', () => {
  it('pca components with varianceFraction', async () => {
    const { pca } = await import('../../src/geometry/index.js');
    const x = randn([10, 3], { seed: 5 });
    expect(() => pca(x, { components: 1, varianceFraction: 0.5 })).toThrow(RangeError);
    expect(() => pca(x, { components: 1, varianceFraction: 0.5 })).toThrow(/^pca: give either opts\.components or opts\.varianceFraction, not both; components fixes/);
  });
  it('findFixedPoints inits with states', async () => {
    const { findFixedPoints } = await import('../../src/geometry/index.js');
    const pts = randn([5, 4], { seed: 6 });
    expect(() => findFixedPoints(rnn, { inits: pts, states: pts })).toThrow(RangeError);
    expect(() => findFixedPoints(rnn, { inits: pts, states: pts })).toThrow(/^findFixedPoints: give either opts\.inits or opts\.states, not both/);
  });
  it('train resume with optimizerState', async () => {
    const x = randn([4, 3, 2], { seed: 4 });
    const data = { x, labels: [0, 1, 0, 1] };
    const net = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, seed: 1 });
    const first = await train(net, data, { epochs: 1, shuffle: false });
    await expect(train(net, data, { epochs: 2, resume: first, optimizerState: first.optimizer })).rejects.toThrow(RangeError);
    await expect(train(net, data, { epochs: 2, resume: first, optimizerState: first.optimizer })).rejects.toThrow(/^train: give either opts\.resume or opts\.optimizerState, not both/);
  });
});
