import { describe, expect, it } from 'vitest';
import { evaluate, initRnn, loadRnn, rnnForward, rnnLoss, saveRnn, train, type GatedRnn } from '../../src/rnn/index.js';
import { flipFlop } from './flipflop.js';

describe('GRU and LSTM: init, finite differences, save/load, training on the flip-flop task', () => {
  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell}: initRnn draws PyTorch's U(−1/√H, 1/√H) in the [G·H, ·] layout, reproducibly`, () => {
      const a = initRnn({ cell, inputSize: 3, hiddenSize: 16, outputSize: 3, seed: 4 });
      const b = initRnn({ cell, inputSize: 3, hiddenSize: 16, outputSize: 3, seed: 4 });
      const G = cell === 'lstm' ? 4 : 3;
      expect(a.params.wRec.shape).toEqual([G * 16, 16]);
      expect(a.params.bIn.shape).toEqual([G * 16]);
      expect(Array.from(a.params.wRec.data)).toEqual(Array.from(b.params.wRec.data));
      for (const v of a.params.wIn.data) expect(Math.abs(v)).toBeLessThanOrEqual(0.25);
    });
    it(`${cell}: the BPTT gradient matches central finite differences of the loss (float64 check on wRec, bIn)`, () => {
      const rnn = initRnn({ cell, inputSize: 3, hiddenSize: 4, outputSize: 3, seed: 2, gain: 2 }) as GatedRnn;
      const { x, targets } = flipFlop(2, 7, { seed: 3 });
      const g = rnnLoss(rnn, { x, targets }).grads;
      for (const key of ['wRec', 'bIn', 'wIn', 'bRec'] as const) {
        const p = rnn.params[key].data;
        for (const i of [0, 5, p.length - 1]) {
          const old = p[i];
          const h = 1e-2;
          p[i] = old + h;
          const up = rnnLoss(rnn, { x, targets }).loss;
          p[i] = old - h;
          const dn = rnnLoss(rnn, { x, targets }).loss;
          p[i] = old;
          // O(h²) truncation with loss curvature ≤ ~1, plus float32 loss round-off / h
          expect(Math.abs((up - dn) / (2 * h) - g[key].data[i])).toBeLessThanOrEqual(2e-3);
        }
      }
    });
    it(`${cell}: saveRnn/loadRnn round-trips exactly`, () => {
      const rnn = initRnn({ cell, inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
      const back = loadRnn(saveRnn(rnn)) as unknown as GatedRnn;
      expect(back.cell).toBe(cell);
      for (const k of Object.keys(rnn.params) as (keyof GatedRnn['params'])[]) expect(Array.from(back.params[k].data)).toEqual(Array.from(rnn.params[k].data));
    });
    it(`${cell}: train learns 3-bit flip-flop (mse far below the untrained network's)`, async () => {
      const rnn = initRnn({ cell, inputSize: 3, hiddenSize: 16, outputSize: 3, seed: 1 });
      const data = flipFlop(64, 30, { seed: 5 });
      const before = evaluate(rnn, data).loss;
      await train(rnn, data, { epochs: 60, batchSize: 16, learningRate: 1e-2, seed: 1 });
      const after = evaluate(rnn, data).loss;
      expect(after).toBeLessThan(0.2 * before);
      expect(rnnForward(rnn, data.x).states.shape).toEqual([64, 30, 16]);
    });
  }
});
