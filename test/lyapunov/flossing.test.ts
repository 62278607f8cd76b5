import { describe, expect, it } from 'vitest';
import { delayedRecallTask } from '../../src/data/tasks.js';
import { lyapunovValueAndGrad } from '../../src/lyapunov/differentiable.js';
import { flossingLossAndGrad, flossingRegularizer } from '../../src/lyapunov/flossing.js';
import { train as rnnTrain } from '../../src/rnn/train.js';
import { initRnn } from '../../src/rnn/init.js';
import { train } from '../../src/train.js';
import type { AnyRnn, Rnn } from '../../src/rnn/types.js';

describe('flossingLossAndGrad', () => {
  it('is weight·Σ(λ−target)² with the chain-rule gradient of lyapunovValueAndGrad', () => {
    const rnn = initRnn({ inputSize: 1, hiddenSize: 6, outputSize: 1, gain: 1.5, seed: 3 });
    const { x } = delayedRecallTask({ steps: 30, batch: 3, seed: 1 });
    const f = flossingLossAndGrad(rnn, x, { k: 2, target: -0.1, weight: 0.5, sequences: 3 });
    const r = lyapunovValueAndGrad(rnn, { inputs: x, k: 2 });
    const d = [r.exponents[0] + 0.1, r.exponents[1] + 0.1];
    expect(f.loss).toBeCloseTo(0.5 * (d[0] ** 2 + d[1] ** 2), 14);
    const g = r.backward([d[0], d[1]]); // 2·0.5·d
    for (let i = 0; i < g.wRec.data.length; i++) expect(f.grads.wRec.data[i]).toBe(g.wRec.data[i]);
  });
  it('train({ flossing }) pulls the top exponent towards the target', async () => {
    const data = delayedRecallTask({ steps: 30, batch: 32, delay: 3, seed: 2 });
    const lam = (rnn: Rnn) => lyapunovValueAndGrad(rnn, { inputs: data.x, k: 1 }).exponents[0];
    const a = initRnn({ inputSize: 1, hiddenSize: 8, outputSize: 1, gain: 0.5, seed: 1 });
    const b = initRnn({ inputSize: 1, hiddenSize: 8, outputSize: 1, gain: 0.5, seed: 1 });
    const before = lam(a);
    await train(a, data, { epochs: 5, batchSize: 8, learningRate: 1e-2, seed: 1 });
    await train(b, data, { epochs: 5, batchSize: 8, learningRate: 1e-2, seed: 1, flossing: { k: 1, target: 0, weight: 10, every: 1 } });
    // gain 0.5 is strongly contracting (λ1 < 0); flossing to 0 must raise it well above plain training's
    expect(before).toBeLessThan(-0.3);
    expect(lam(b)).toBeGreaterThan(lam(a) + 0.1);
    expect(Math.abs(lam(b))).toBeLessThan(Math.abs(before) / 2);
    await expect(train(b, data, { flossing: { k: 0 } })).rejects.toThrow(/flossing/);
  });
});

describe('flossing inside train (before and during)', () => {
  const data = delayedRecallTask({ steps: 30, batch: 16, delay: 3, seed: 2 });
  const lam = (rnn: AnyRnn) => lyapunovValueAndGrad(rnn, { inputs: data.x, k: 1 }).exponents[0];
  it('before: a flossing-only phase of `before` steps, recorded in history.preTraining, then plain training', async () => {
    const a = initRnn({ inputSize: 1, hiddenSize: 8, outputSize: 1, gain: 0.5, seed: 1 });
    const before = lam(a);
    const h = await train(a, data, { epochs: 0, batchSize: 8, learningRate: 1e-2, flossing: { k: 1, before: 40, during: false } });
    const pre = h.preTraining![0];
    expect(pre.name).toBe('flossing');
    expect(pre.steps).toBe(40);
    expect(pre.losses.length).toBe(40);
    // the first loss is (λ1 − 0)² of the first batch at init; flossing drives it down
    expect(pre.losses[39]).toBeLessThan(pre.losses[0] / 10);
    expect(Math.abs(lam(a))).toBeLessThan(Math.abs(before) / 3);
    // epochs: 0 means no training step, so the optimizer state is untouched
    expect(h.steps).toBe(0);
    // with during: false the training epochs carry no flossing loss; with during they do
    const b = initRnn({ inputSize: 1, hiddenSize: 8, outputSize: 1, gain: 0.5, seed: 1 });
    const h2 = await train(b, data, { epochs: 1, batchSize: 8, flossing: { k: 1, before: 2, during: false } });
    expect(h2.epochs[0].flossingLoss).toBeUndefined();
    const h3 = await train(b, data, { epochs: 1, batchSize: 8, flossing: { k: 1, every: 1 } });
    expect(h3.epochs[0].flossingLoss).toBeGreaterThan(0);
    expect(h3.preTraining).toBeUndefined();
  });
  it('is the same as regularizers: [flossingRegularizer(opts)] on the rnn layer, which refuses the flossing option', async () => {
    const a = initRnn({ inputSize: 1, hiddenSize: 6, outputSize: 1, gain: 0.8, seed: 2 });
    const b = initRnn({ inputSize: 1, hiddenSize: 6, outputSize: 1, gain: 0.8, seed: 2 });
    const f = { k: 2, before: 5, every: 2, weight: 0.5 };
    await train(a, data, { epochs: 2, batchSize: 8, seed: 3, flossing: f });
    await rnnTrain(b, data, { epochs: 2, batchSize: 8, seed: 3, regularizers: [flossingRegularizer(f)] });
    expect(Array.from(a.params.wRec.data)).toEqual(Array.from(b.params.wRec.data));
    await expect(rnnTrain(b, data, { flossing: f } as never)).rejects.toThrow(/flossingRegularizer/);
    await expect(train(b, data, { flossing: { before: -1 } })).rejects.toThrow(/train: flossing\.before/);
    // a window under 10 steps has no default frame warm-up: refused when the regularizer is made
    expect(() => flossingRegularizer({ window: 5 })).toThrow(/^flossingRegularizer: opts: the window has T = 5 steps, too few to align the frame by default .*pass frameWarmup explicitly \(0 allowed\)$/);
    expect(() => flossingRegularizer({ window: 5, frameWarmup: 2 })).not.toThrow();
  });
  it('flosses GRU and LSTM (state [h; c]) exponents towards the target', async () => {
    for (const cell of ['gru', 'lstm'] as const) {
      const rnn = initRnn({ cell, inputSize: 1, hiddenSize: 6, outputSize: 1, seed: 4 });
      const l0 = lam(rnn);
      const h = await train(rnn, data, { epochs: 0, batchSize: 8, learningRate: 2e-2, flossing: { k: 1, target: 0, before: 40 } });
      // PyTorch's default init contracts (λ1 < 0); flossing brings λ1 much closer to 0
      expect(l0).toBeLessThan(-0.1);
      expect(Math.abs(lam(rnn))).toBeLessThan(Math.abs(l0) / 2);
      expect(h.preTraining![0].losses[39]).toBeLessThan(h.preTraining![0].losses[0]);
      const f = flossingLossAndGrad(rnn, data.x, { k: 2 });
      expect(Object.keys(f.grads).sort()).toEqual(['bIn', 'bOut', 'bRec', 'wIn', 'wOut', 'wRec']);
    }
  });
});

describe('flossing from the data set\'s initial states (h0)', () => {
  const data = delayedRecallTask({ steps: 30, batch: 8, delay: 3, seed: 5 });
  const states = (B: number, W: number, seed: number) => {
    const h = new Float32Array(B * W);
    let s = seed;
    for (let i = 0; i < h.length; i++) { s = (s * 16807) % 2147483647; h[i] = (s / 2147483647) * 1.6 - 0.8; }
    return { shape: [B, W], data: h };
  };
  const firstSequences = (nb: number) => ({ shape: [nb, 30, 1], data: data.x.data.slice(0, nb * 30) });
  it('starts sequence b from h0 row b: the exponents of lyapunovValueAndGrad with one x0 per sequence', () => {
    for (const cell of ['rnn', 'lstm'] as const) {
      const rnn = cell === 'rnn'
        ? initRnn({ inputSize: 1, hiddenSize: 6, outputSize: 1, gain: 1.5, seed: 3 })
        : initRnn({ cell, inputSize: 1, hiddenSize: 6, outputSize: 1, seed: 3 });
      const dim = cell === 'lstm' ? 12 : 6;
      const h0 = states(8, dim, 7);
      const f = flossingLossAndGrad(rnn, data.x, { k: 2, sequences: 3, h0 });
      const r = lyapunovValueAndGrad(rnn, { inputs: firstSequences(3), k: 2, x0: Float64Array.from(h0.data.subarray(0, 3 * dim)) });
      expect(Array.from(f.exponents)).toEqual(Array.from(r.exponents));
      // the zero start is a different run: over 30 steps the initial state shows in the exponents
      const z = flossingLossAndGrad(rnn, data.x, { k: 2, sequences: 3 });
      expect(Math.abs(z.exponents[0] - f.exponents[0])).toBeGreaterThan(1e-6);
    }
    const rnn = initRnn({ inputSize: 1, hiddenSize: 6, outputSize: 1, seed: 3 });
    expect(() => lyapunovValueAndGrad(rnn, { inputs: firstSequences(3), x0: new Float64Array(12) })).toThrow(/x0 must have the state's length 6 \(or B·6 = 18/);
  });
  it('a shared [W] is every row; an LSTM h0 of width H starts c at 0', () => {
    const rnn = initRnn({ cell: 'lstm', inputSize: 1, hiddenSize: 6, outputSize: 1, seed: 3 });
    const row = states(1, 6, 11);
    const rows = { shape: [8, 6], data: new Float32Array(48) };
    const full = { shape: [8, 12], data: new Float32Array(96) };
    for (let b = 0; b < 8; b++) { rows.data.set(row.data, b * 6); full.data.set(row.data, b * 12); }
    const a = flossingLossAndGrad(rnn, data.x, { k: 1, h0: { shape: [6], data: row.data } });
    const b = flossingLossAndGrad(rnn, data.x, { k: 1, h0: rows });
    const c = flossingLossAndGrad(rnn, data.x, { k: 1, h0: full });
    expect(b.loss).toBe(a.loss);
    expect(c.loss).toBe(a.loss);
    expect(() => flossingLossAndGrad(rnn, data.x, { k: 1, h0: { shape: [8, 7], data: new Float32Array(56) } })).toThrow(/flossingLossAndGrad: opts\.h0/);
  });
  it('in train, each batch is flossed from its own rows of data.h0 (the option itself is refused there)', async () => {
    const rnn = initRnn({ inputSize: 1, hiddenSize: 6, outputSize: 1, gain: 1.5, seed: 3 });
    const h0 = states(8, 6, 13);
    const expected = flossingLossAndGrad(rnn, data.x, { k: 1, h0 }).loss;
    const fromZero = flossingLossAndGrad(rnn, data.x, { k: 1 }).loss;
    const h = await train(rnn, { ...data, h0 }, { epochs: 0, batchSize: 8, flossing: { k: 1, before: 1 } });
    expect(h.preTraining![0].losses[0]).toBe(expected);
    expect(Math.abs(expected - fromZero)).toBeGreaterThan(1e-8);
    await expect(train(rnn, { ...data, h0 }, { flossing: { k: 1, h0 } as never })).rejects.toThrow(/train: flossing\.h0/);
  });
});
