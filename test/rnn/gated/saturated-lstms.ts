// LSTMs whose gates saturate, shared by the tests of the factored Jacobian (test/rnn/gated/
// lstm-factors.test.ts) and of the differentiable exponents through it (test/lyapunov/grad/).
import { createRng } from '../../../src/core/rng.js';
import type { Tensor } from '../../../src/core/tensor.js';
import { initRnn, type GatedRnn } from '../../../src/rnn/index.js';

/** Float64 LSTM weights [u, w, bIn, bRec] drawn from `normal` in that order: weights × sw (w also / √H), input biases × bs. */
export function saturatingWeights(H: number, I: number, sw: number, bs: number, normal: () => number): [Float64Array, Float64Array, Float64Array, Float64Array] {
  const u = Float64Array.from({ length: 4 * H * I }, () => normal() * sw);
  const w = Float64Array.from({ length: 4 * H * H }, () => (normal() * sw) / Math.sqrt(H));
  const bIn = Float64Array.from({ length: 4 * H }, () => normal() * bs);
  const bRec = Float64Array.from({ length: 4 * H }, () => normal() * 0.3);
  return [u, w, bIn, bRec];
}

/** A gain-3, 16-unit LSTM (2 inputs) and T steps of ±84 pulses (two steps in every 38) on N(0, 0.1²) noise. */
export function pulsedLstm(T: number): { rnn: GatedRnn; inputs: Tensor } {
  const H = 16, I = 2;
  const rnn = initRnn({ cell: 'lstm', inputSize: I, hiddenSize: H, outputSize: 1, gain: 3, seed: 283746 }) as GatedRnn;
  const rng = createRng(7);
  const data = new Float32Array(T * I);
  for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) data[t * I + i] = (t % 38 < 2 ? (i === 0 ? 84 : -84) : 0) + 0.1 * rng.normal();
  return { rnn, inputs: { shape: [1, T, I], data } };
}

/**
 * A 2-unit LSTM (1 input) whose unit 0 has f ≈ 1.2e-6 and σ′(a_o) ≈ 6e-6: neither below 2⁻²⁰, their
 * product below 2⁻³⁰; T steps of sin(0.37·t).
 */
export function pairSaturatedLstm(T: number): { rnn: GatedRnn; inputs: Tensor } {
  const h = 2;
  const rnn = initRnn({ cell: 'lstm', inputSize: 1, hiddenSize: h, outputSize: 1, seed: 3 }) as GatedRnn;
  const p = rnn.params;
  for (let i = 0; i < p.wRec.data.length; i++) p.wRec.data[i] *= 0.5;
  p.bIn.data.fill(0);
  p.bRec.data.fill(0);
  p.bIn.data[h] = -13.6; // f = σ(−13.6) ≈ 1.2e-6
  p.bIn.data[3 * h] = -12; // σ′(a_o) ≈ 6e-6
  p.bIn.data[2 * h] = 1;
  return { rnn, inputs: { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, t) => Math.sin(0.37 * t)) } };
}
