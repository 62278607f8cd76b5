import { describe, expect, it } from 'vitest';
import { delayedRecallTask } from '../../src/data/tasks.js';
import { lyapunovValueAndGrad } from '../../src/lyapunov/differentiable.js';
import { flossingLossAndGrad } from '../../src/lyapunov/flossing.js';
import { initRnn } from '../../src/rnn/init.js';
import { train } from '../../src/train.js';
import type { Rnn } from '../../src/rnn/types.js';

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
