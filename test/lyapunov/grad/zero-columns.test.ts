/**
 * The differentiable exponents on networks whose Jacobian has exact zero columns (units that feed
 * nothing, or only dead relus; LSTM units that feed no gate): J·Q shows J's zero rows but not its
 * zero columns, so with k above J's rank the last R_ii were rounding — refused only when their spread
 * happened to pass 2⁵³ (1.0e16 to 2.3e16 here), and otherwise returned as finite exponents near
 * log ε ≈ −35 with a gradient (tanh n = 64 and 128, an LSTM). Now refused on the rank bound itself,
 * as lyapunovSpectrum reports those exponents −∞ (rank-bound.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import type { Tensor } from '../../../src/core/tensor.js';
import { lyapunovSpectrum } from '../../../src/lyapunov/index.js';
import { lyapunovValueAndGrad } from '../../../src/lyapunov/differentiable.js';
import { flossingLossAndGrad } from '../../../src/lyapunov/flossing.js';
import { initRnn, rnnSystem, type GatedRnn } from '../../../src/rnn/index.js';
import type { AnyRnn, Rnn } from '../../../src/rnn/types.js';

function network(n: number, activation: 'tanh' | 'relu', g: number, bias: number, seed: number): Rnn {
  const rng = createRng(seed);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  return { activation, params: { wIn: t([n, 1], () => rng.normal()), wRec: t([n, n], () => (g * rng.normal()) / Math.sqrt(n)), b: t([n], () => bias), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
}
const drive = (seed: number, T: number): Tensor => {
  const rng = createRng(seed);
  return { shape: [1, T, 1], data: Float32Array.from({ length: T }, () => rng.normal()) };
};
const minusInf = (e: Float64Array) => Array.from(e).filter((v) => v === -Infinity).length;

/** Refused above the rank (naming the caller, the rank, the units and why), for k = rank + 1 and k = dim; resolved at k = rank. */
function check(rnn: AnyRnn, dim: number, rank: number, zeros: number, why: string, inputs: Tensor) {
  const opts = { inputs, warmup: 20, frameWarmup: 20, seed: 1 };
  for (const k of [rank + 1, dim]) {
    const msg = new RegExp(`lyapunovValueAndGrad: the Jacobian at step \\d+ of sequence 0 has rank ≤ ${rank} < k = ${k}: the columns of units 0, 1, 2, 3, 4, 5, 6, 7 … \\(${zeros} in all\\) are exactly zero \\(they ${why}\\), so exponents ${rank + 1}…${k} are −Infinity and their gradient undefined; ask for k ≤ ${rank}`);
    expect(() => lyapunovValueAndGrad(rnn, { ...opts, k })).toThrow(RangeError);
    expect(() => lyapunovValueAndGrad(rnn, { ...opts, k })).toThrow(msg);
    expect(() => flossingLossAndGrad(rnn, inputs, { k, frameWarmup: 20 })).toThrow(new RegExp(`^flossingLossAndGrad: the Jacobian at step \\d+ of sequence 0 has rank ≤ ${rank} < k = ${k}`));
    // lyapunovSpectrum on the same network: exactly the exponents past the rank are −∞
    const sp = lyapunovSpectrum(rnn, { ...opts, k, steps: inputs.shape[1] - 40 });
    expect(minusInf(sp.exponents)).toBe(k - rank);
  }
  const r = lyapunovValueAndGrad(rnn, { ...opts, k: rank });
  expect(r.exponents.every(Number.isFinite)).toBe(true);
  const g = r.backward(new Float64Array(rank).fill(1));
  expect(g.wRec.data.every(Number.isFinite)).toBe(true);
}

describe('lyapunovValueAndGrad and flossing refuse k above the rank that J\'s zero columns leave', () => {
  it('tanh, 50 of 64 units feeding nothing: rank 14; k = 15 came out λ15 ≈ −35.4 with a gradient (seed 1; all 6 seeds tried)', () => {
    const n = 64, rnn = network(n, 'tanh', 1.5, 0.1, 1);
    for (let i = 0; i < n; i++) for (let l = 0; l < 50; l++) rnn.params.wRec.data[i * n + l] = 0;
    check(rnn, n, 14, 50, 'feed no other unit, or only units off', drive(1, 200));
  });

  it('tanh, 100 of 128 units feeding nothing: rank 28; k = 29 came out λ29 ≈ −34.6', () => {
    const n = 128, rnn = network(n, 'tanh', 1.5, 0.1, 1);
    for (let i = 0; i < n; i++) for (let l = 0; l < 100; l++) rnn.params.wRec.data[i * n + l] = 0;
    const opts = { inputs: drive(1, 120), warmup: 20, frameWarmup: 20, seed: 1 };
    expect(() => lyapunovValueAndGrad(rnn, { ...opts, k: 29 })).toThrow(/lyapunovValueAndGrad: the Jacobian at step 20 of sequence 0 has rank ≤ 28 < k = 29: .*\(100 in all\)/);
  });

  it('relu, 48 of 64 units feeding only a dead one: rank ≤ 16 per step (refused before only by the spread, 1.7e16 to 2.1e16), its products, with units dying now and then, rank 8, which the refusal names (it said k ≤ 16)', () => {
    const n = 64, rnn = network(n, 'relu', 0.5, 1, 3);
    const w = rnn.params.wRec.data;
    for (let l = 0; l < 48; l++) for (let i = 0; i < n - 1; i++) w[i * n + l] = 0; // column l: only row n − 1
    rnn.params.b.data[n - 1] = -100; // unit n − 1 dead: with it, columns 0..47 of J are zero
    rnn.params.wIn.data[n - 1] = 0;
    const inputs = drive(6, 200), opts = { inputs, warmup: 20, frameWarmup: 20, seed: 1 };
    // the lowest rank of the frame's products, from the Jacobians: each step's zero rows, or its zero
    // columns with the zero rows of the step before (pair-rank.test.ts)
    const sys = rnnSystem(rnn, { inputs });
    let h = new Float64Array(n), h2 = new Float64Array(n), prev = new Set<number>(), rank = n;
    const J = new Float64Array(n * n);
    for (let t = 0; t < 200; t++) {
      sys.jacobian(h, t, J);
      const rows = new Set<number>(), lost = new Set(t > 20 ? prev : []);
      for (let i = 0; i < n; i++) if (J.subarray(i * n, i * n + n).every((v) => v === 0)) rows.add(i);
      for (let l = 0; l < n; l++) if (Array.from({ length: n }, (_, i) => J[i * n + l]).every((v) => v === 0)) lost.add(l);
      if (t >= 20) rank = Math.min(rank, n - Math.max(rows.size, lost.size));
      prev = rows;
      sys.step(h, t, h2);
      [h, h2] = [h2, h];
    }
    expect(rank).toBe(8);
    for (const k of [17, n]) {
      expect(() => lyapunovValueAndGrad(rnn, { ...opts, k })).toThrow(new RegExp(`lyapunovValueAndGrad: the product of the Jacobians at steps \\d+ and \\d+ of sequence 0 has rank ≤ ${rank} < k = ${k}: the columns of units 0, 1, .* \\(48 in all\\) are exactly zero at step \\d+ \\(they feed no other unit, or only units off\\), .*; ask for k ≤ ${rank} `));
      expect(() => flossingLossAndGrad(rnn, inputs, { k, frameWarmup: 20 })).toThrow(/^flossingLossAndGrad: the (Jacobian|product of the Jacobians) at steps? \d+ .*of sequence 0 has rank ≤ \d+ < k/);
    }
    const r = lyapunovValueAndGrad(rnn, { ...opts, k: rank });
    expect(r.backward(new Float64Array(rank).fill(1)).wRec.data.every(Number.isFinite)).toBe(true);
  });

  it('LSTM, 15 of 20 units feeding no gate: rank 25 of 40; k = 26 came out λ26 ≈ −34.2 with a gradient (seed 2)', () => {
    const H = 20;
    const lstm = initRnn({ cell: 'lstm', inputSize: 1, hiddenSize: H, outputSize: 1, gain: 1.5, seed: 2 }) as GatedRnn;
    for (let r = 0; r < 4 * H; r++) for (let l = 0; l < 15; l++) lstm.params.wRec.data[r * H + l] = 0;
    check(lstm, 2 * H, 25, 15, 'feed no gate', drive(2, 200));
  });
});
