import { describe, expect, it } from 'vitest';
import { randn, tensor } from '../../src/core/index.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { evaluate, initRnn, predict, rnnForward, rnnLoss, rnnSystem, statesAt, type RecurrentRnn } from '../../src/rnn/index.js';

describe('rnnForward', () => {
  it('runs h_t = φ(wIn·x_t + wRec·h_{t−1} + b), y_t = wOut·h_t + bOut (checked in float64 for H = 2)', () => {
    const rnn = {
      activation: 'tanh' as const,
      params: {
        wIn: tensor([[0.5], [-1]]), wRec: tensor([[0.25, -0.75], [1, 0.5]]), b: tensor([0.125, -0.25]),
        wOut: tensor([[1, -2]]), bOut: tensor([0.5]),
      },
    };
    const xs = [1, -0.5, 2];
    const { states, outputs } = rnnForward(rnn, tensor([xs.map((v) => [v])]));
    expect(states.shape).toEqual([1, 3, 2]);
    expect(outputs.shape).toEqual([1, 3, 1]);
    let h = [0, 0];
    xs.forEach((xt, t) => {
      h = [
        Math.tanh(0.5 * xt + 0.25 * h[0] - 0.75 * h[1] + 0.125),
        Math.tanh(-1 * xt + 1 * h[0] + 0.5 * h[1] - 0.25),
      ];
      expect(states.data[t * 2]).toBeCloseTo(h[0], 6);
      expect(states.data[t * 2 + 1]).toBeCloseTo(h[1], 6);
      expect(outputs.data[t]).toBeCloseTo(h[0] - 2 * h[1] + 0.5, 6);
      h = [Math.fround(h[0]), Math.fround(h[1])];
    });
  });
  it('a shared h0 [H] equals the tiled [B,H]; batch rows are independent', () => {
    const rnn = initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 2, activation: 'relu', seed: 1 });
    const x = randn([3, 5, 3], { seed: 2 });
    const h0 = randn([4], { seed: 3 });
    const tiled = tensor(new Float32Array([...h0.data, ...h0.data, ...h0.data]), [3, 4]);
    const a = rnnForward(rnn, x, h0), b = rnnForward(rnn, x, tiled);
    expect(Array.from(a.states.data)).toEqual(Array.from(b.states.data));
    const one = rnnForward(rnn, { shape: [1, 5, 3], data: x.data.slice(15, 30) }, h0);
    expect(Array.from(one.outputs.data)).toEqual(Array.from(a.outputs.data.slice(10, 20)));
  });
  it('rejects bad shapes and NaN naming the argument', () => {
    const rnn = initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 1 });
    expect(() => rnnForward(rnn, randn([2, 5, 2]))).toThrow(/rnnForward: x: expected shape \[B,T,3\].*got \[2,5,2\]/);
    expect(() => rnnForward(rnn, randn([2, 5, 3]), randn([2, 3]))).toThrow(/rnnForward: h0: expected shape \[2,4\] \(\[B,H\]\) or \[4\] \(\[H\]\), got \[2,3\]/);
    const x = randn([2, 5, 3]);
    x.data[20] = -Infinity;
    expect(() => rnnForward(rnn, x)).toThrow(/found -Infinity at \[1,1,2\]/);
  });
});

describe('a model without a readout', () => {
  const full = initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 41 });
  const bare: RecurrentRnn = { activation: 'tanh', params: { wIn: full.params.wIn, wRec: full.params.wRec, b: full.params.b } };
  const x = randn([2, 5, 3], { seed: 42 });

  it('runs forward with the same states as the full model and empty outputs [B,T,0]', () => {
    const a = rnnForward(full, x), b = rnnForward(bare, x);
    expect(b.states.shape).toEqual([2, 5, 4]);
    expect(Array.from(b.states.data)).toEqual(Array.from(a.states.data));
    expect(b.outputs.shape).toEqual([2, 5, 0]);
    expect(b.outputs.data.length).toBe(0);
    expect(statesAt(b.states, -1).shape).toEqual([2, 4]);
  });

  it('is a dynamical system with the spectrum of the full model (the readout plays no part)', () => {
    const inputs = { shape: [1, 5, 3], data: x.data.slice(0, 15) };
    expect(rnnSystem(bare as never, { inputs }).dim).toBe(4);
    const a = lyapunovSpectrum(full, { inputs, frameWarmup: 1 }), b = lyapunovSpectrum(bare as never, { inputs, frameWarmup: 1 });
    expect(Array.from(b.exponents)).toEqual(Array.from(a.exponents));
  });

  it('refuses a loss, an evaluation or a prediction with a clear error; half a readout is refused everywhere', () => {
    expect(() => rnnLoss(bare as never, { x, labels: [0, 1] })).toThrow(/rnnLoss: rnn\.params: this model has no readout \(wOut, bOut are absent\)/);
    expect(() => evaluate(bare as never, { x, labels: [0, 1] })).toThrow(/evaluate: rnn\.params: this model has no readout/);
    expect(() => predict(bare as never, x)).toThrow(/predict: rnn\.params: this model has no readout/);
    const half = { activation: 'tanh', params: { ...bare.params, wOut: full.params.wOut } };
    expect(() => rnnForward(half as never, x)).toThrow(/rnnForward: rnn\.params\.bOut: expected a Tensor/);
  });
});

describe('predict', () => {
  it('names itself in its messages, not rnnForward', () => {
    const rnn = initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 43 });
    expect(() => predict(rnn, randn([2, 5, 2]))).toThrow(/^predict: x: expected shape \[B,T,3\]/);
    expect(() => predict(null as never, randn([2, 5, 3]))).toThrow(/^predict: rnn: expected an Rnn/);
  });
});
