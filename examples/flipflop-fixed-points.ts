/**
 * The fixed-point analysis of a trained flip-flop network (used by examples/flipflop-lstm.ts and by
 * the tests): starts sampled from the network's own trajectory on held-out sequences (the full
 * state, [h; c] for an LSTM), findFixedPoints on the zero-input map, readout y = wOut·h + bOut of
 * each stable point, and its sign pattern.
 */
import type { Tensor } from '../src/core/tensor.js';
import { flipFlopTask } from '../src/data/tasks.js';
import { findFixedPoints, type FixedPointResult } from '../src/geometry/fixed-points.js';
import { initRnn, rnnForward, train, type GatedRnn } from '../src/rnn/index.js';

/** The training set: 512 sequences of 64 steps, pulses with probability 0.1, every bit set at t = 0. */
export const flipFlopTrainingSet = () => flipFlopTask({ bits: 3, steps: 64, batch: 512, pFlip: 0.1, initialPulse: true, seed: 1 });
/** Held-out sequences (other seed), whose trajectories seed the fixed-point search. */
export const flipFlopHeldOut = () => flipFlopTask({ bits: 3, steps: 64, batch: 256, pFlip: 0.1, initialPulse: true, seed: 2 });

/** Trains a 16-unit GRU or LSTM on 3-bit flip-flop: 40 epochs of Adam (lr 1e-2, clip 1), MSE on every step. */
export async function trainFlipFlop(cell: 'gru' | 'lstm', H = 16): Promise<GatedRnn> {
  const rnn = initRnn({ cell, inputSize: 3, hiddenSize: H, outputSize: 3, seed: 1 }) as GatedRnn;
  await train(rnn, flipFlopTrainingSet(), { epochs: 40, batchSize: 64, learningRate: 1e-2, clipNorm: 1, loss: 'mse', seed: 1 });
  return rnn;
}

export interface DecodedPoint {
  x: Float64Array;
  q: number;
  readout: number[];
  /** Sign pattern of the readout, e.g. '+-+'. */
  bits: string;
  /** Largest eigenvalue modulus of the Jacobian at the point. */
  maxModulus: number;
}

export function flipFlopFixedPoints(rnn: GatedRnn, x: Tensor, nStarts = 512): { points: FixedPointResult['points']; stable: DecodedPoint[] } {
  const H = rnn.params.wRec.shape[1];
  const O = rnn.params.wOut.shape[0];
  const f = rnnForward(rnn, x) as { states: Tensor; cells?: Tensor };
  const n = f.states.shape[0] * f.states.shape[1];
  const dim = rnn.cell === 'lstm' ? 2 * H : H;
  const states = new Float64Array(n * dim);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < H; j++) states[r * dim + j] = f.states.data[r * H + j];
    if (f.cells !== undefined) for (let j = 0; j < H; j++) states[r * dim + H + j] = f.cells.data[r * H + j];
  }
  const res = findFixedPoints(rnn as never, { states, nStarts, noise: 0.01, seed: 1, input: [0, 0, 0] });
  const W = rnn.params.wOut.data, b = rnn.params.bOut.data;
  const stable: DecodedPoint[] = [];
  for (const p of res.points) {
    if (p.stability !== 'stable') continue;
    const readout: number[] = [];
    for (let o = 0; o < O; o++) {
      let s = b[o];
      for (let j = 0; j < H; j++) s += W[o * H + j] * p.x[j];
      readout.push(s);
    }
    let maxModulus = 0;
    for (let i = 0; i < p.eigenvalues.re.length; i++) maxModulus = Math.max(maxModulus, Math.hypot(p.eigenvalues.re[i], p.eigenvalues.im[i]));
    stable.push({ x: p.x, q: p.q, readout, bits: readout.map((v) => (v > 0 ? '+' : '-')).join(''), maxModulus });
  }
  return { points: res.points, stable };
}
