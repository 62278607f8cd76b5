/**
 * The covariant vectors and the differentiable exponents take lyapunovSpectrum's rank bound of the
 * products (rank-bound.ts): a product of two steps loses the union of the later Jacobian's zero
 * columns and the earlier one's zero rows, rank(J_t·J_{t−1}) ≤ n − |zeroCols(J_t) ∪ zeroRows(J_{t−1})|.
 * Until 2026-12-04 both bounded each Jacobian alone, n − max(zero rows, zero columns), and on a relu
 * net with one dead unit and 48 units feeding only it (rank 16 per step, 15 for any two) answered
 * k = 16 with λ16 ≈ −35.9 (rounding; lyapunovSpectrum: −∞), finite vectors, and a gradient of 5e17 (T = 800 here; −35.85 and 3e17 at T = 1500).
 * The expected ranks are read off the Jacobians here, as sets, independently of the library's scans.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { covariantLyapunovVectors, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { lyapunovValueAndGrad } from '../../src/lyapunov/differentiable.js';
import { flossingLossAndGrad } from '../../src/lyapunov/flossing.js';
import { rnnSystem } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';

const n = 64;

/** Unit n − 1 dead (its row of J zero) and units 0..47 feeding only it (their columns of J zero); `inputGain` 1 lets others die now and then, 0.1 not. */
function deadFed(inputGain: number): Rnn {
  const rng = createRng(3);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const wRec = t([n, n], () => (0.5 * rng.normal()) / Math.sqrt(n));
  const rnn: Rnn = { activation: 'relu', params: { wIn: t([n, 1], () => rng.normal()), wRec, b: t([n], () => 1), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
  const w = rnn.params.wRec.data;
  for (let l = 0; l < 48; l++) for (let i = 0; i < n - 1; i++) w[i * n + l] = 0;
  for (let i = 0; i < n; i++) rnn.params.wIn.data[i] *= inputGain;
  rnn.params.b.data[n - 1] = -100;
  rnn.params.wIn.data[n - 1] = 0;
  return rnn;
}

const T = 800;
const drive = (): Tensor => {
  const rng = createRng(6);
  return { shape: [1, T, 1], data: Float32Array.from({ length: T }, () => rng.normal()) };
};

/**
 * The lowest rank bound over the products of the Jacobians at steps from..to−1 of the driven orbit
 * from 0 (the product starting at `from`): per step, and with the zero rows of the step before
 * (from from + 1 on) united with the zero columns.
 */
function lowestRank(rnn: Rnn, inputs: Tensor, from: number, to: number): { perStep: number; product: number } {
  const sys = rnnSystem(rnn, { inputs });
  let h = new Float64Array(n);
  let h2 = new Float64Array(n);
  const J = new Float64Array(n * n);
  let prevRows = new Set<number>();
  let perStep = n, product = n;
  for (let t = 0; t < to; t++) {
    sys.jacobian(h, t, J);
    const rows = new Set<number>(), cols = new Set<number>();
    for (let i = 0; i < n; i++) if (J.subarray(i * n, i * n + n).every((v) => v === 0)) rows.add(i);
    for (let l = 0; l < n; l++) if (Array.from({ length: n }, (_, i) => J[i * n + l]).every((v) => v === 0)) cols.add(l);
    if (t >= from) {
      perStep = Math.min(perStep, n - Math.max(rows.size, cols.size));
      const lost = new Set([...cols, ...(t > from ? prevRows : [])]);
      product = Math.min(product, n - Math.max(rows.size, lost.size));
    }
    prevRows = rows;
    sys.step(h, t, h2);
    [h, h2] = [h2, h];
  }
  return { perStep, product };
}

describe('covariantLyapunovVectors bounds the rank of the products, not of each Jacobian', () => {
  const opts = { warmup: 200, frameWarmup: 100, backwardWarmup: 100, seed: 1 };
  // the counted steps: the window and the backward warm-up (the frame warm-up's lost columns are refilled)
  const counted = (rnn: Rnn, inputs: Tensor) => lowestRank(rnn, inputs, 300, T);

  it('one dead unit and 48 feeding only it: rank 16 per step, 15 for two, so k = 16 is refused naming 15 (λ16 came out −35.86 with finite vectors); k = 15 is resolved', () => {
    const rnn = deadFed(0.1), inputs = drive();
    expect(counted(rnn, inputs)).toEqual({ perStep: 16, product: 15 });
    expect(lyapunovSpectrum(rnn, { inputs, k: 16, warmup: 200, frameWarmup: 100, steps: 500, seed: 1 }).exponents[15]).toBe(-Infinity);
    for (const k of [16, 20]) {
      expect(() => covariantLyapunovVectors(rnn, { ...opts, inputs, k })).toThrow(RangeError);
      expect(() => covariantLyapunovVectors(rnn, { ...opts, inputs, k })).toThrow(
        new RegExp(`^covariantLyapunovVectors: the product of the Jacobians at steps (\\d+) and \\d+ has rank ≤ 15 < k = ${k} \\(exactly zero columns of the later one, with the zero rows of the earlier one.*\\): exponents 16…${k} are −Infinity and their covariant vectors undefined; ask for k ≤ 15 \\(lyapunovSpectrum gives all ${k} exponents\\)$`),
      );
    }
    const r = covariantLyapunovVectors(rnn, { ...opts, inputs, k: 15 });
    expect(r.exponents.every(Number.isFinite)).toBe(true);
    expect(r.vectors.data.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 15; i++) expect(Math.abs(r.clvExponents[i] - r.exponents[i])).toBeLessThan(0.05);
  });

  it('with units dying now and then: the products reach rank 9, and k = 10 is refused naming 9 (λ10 came out −2.17, lyapunovSpectrum −∞); k = 9 is resolved', () => {
    const rnn = deadFed(1), inputs = drive();
    const { perStep, product } = counted(rnn, inputs);
    expect(perStep).toBe(16);
    expect(product).toBe(9);
    for (const k of [product + 1, 16]) {
      expect(() => covariantLyapunovVectors(rnn, { ...opts, inputs, k })).toThrow(new RegExp(`^covariantLyapunovVectors: the product of the Jacobians at steps \\d+ and \\d+ has rank ≤ ${product} < k = ${k} .*ask for k ≤ ${product} `));
    }
    const r = covariantLyapunovVectors(rnn, { ...opts, inputs, k: product });
    expect(r.exponents.every(Number.isFinite)).toBe(true);
    expect(r.vectors.data.every(Number.isFinite)).toBe(true);
  });
});

describe('lyapunovValueAndGrad and flossing bound the rank of the products, not of each Jacobian', () => {
  const opts = { warmup: 200, frameWarmup: 100, seed: 1 };
  // the frame's steps from its start (the frame warm-up is differentiated through)
  const frame = (rnn: Rnn, inputs: Tensor) => lowestRank(rnn, inputs, 200, T);

  it('one dead unit and 48 feeding only it: k = 16 is refused naming the 48 columns, unit 63 off the step before, and k ≤ 15 (λ16 came out −35.88 with a gradient of 4.8e17); k = 15 is resolved', () => {
    const rnn = deadFed(0.1), inputs = drive();
    expect(frame(rnn, inputs)).toEqual({ perStep: 16, product: 15 });
    const msg = /^lyapunovValueAndGrad: the product of the Jacobians at steps (\d+) and \d+ of sequence 0 has rank ≤ 15 < k = 16: the columns of units 0, 1, 2, 3, 4, 5, 6, 7 … \(48 in all\) are exactly zero at step \d+ \(they feed no other unit, or only units off\), and units 63 were off at step \1 \(their rows of J·Q exactly zero, .*\): 48 \+ 1 = 49 of 64 lost, so exponents 16…16 are −Infinity and their gradient undefined; ask for k ≤ 15 \(lyapunovSpectrum gives all 16 exponents\)$/;
    expect(() => lyapunovValueAndGrad(rnn, { ...opts, inputs, k: 16 })).toThrow(RangeError);
    expect(() => lyapunovValueAndGrad(rnn, { ...opts, inputs, k: 16 })).toThrow(msg);
    expect(() => flossingLossAndGrad(rnn, inputs, { k: 16, frameWarmup: 100 })).toThrow(/^flossingLossAndGrad: the product of the Jacobians at steps \d+ and \d+ of sequence 0 has rank ≤ 15 < k = 16/);
    const r = lyapunovValueAndGrad(rnn, { ...opts, inputs, k: 15 });
    expect(r.exponents.every(Number.isFinite)).toBe(true);
    expect(r.backward(new Float64Array(15).fill(1)).wRec.data.every(Number.isFinite)).toBe(true);
  });

  it('with units dying now and then: k = 10 is refused naming the lowest rank, 9 (λ10 came out −2.15 with a gradient of 1.1e14); k = 9 is resolved', () => {
    const rnn = deadFed(1), inputs = drive();
    const { perStep, product } = frame(rnn, inputs);
    expect(perStep).toBe(16);
    expect(product).toBe(9);
    for (const k of [product + 1, 17]) {
      expect(() => lyapunovValueAndGrad(rnn, { ...opts, inputs, k })).toThrow(
        new RegExp(`^lyapunovValueAndGrad: the product of the Jacobians at steps \\d+ and \\d+ of sequence 0 has rank ≤ ${product} < k = ${k}: the columns of units .* \\(48 in all\\) .*: 48 \\+ ${n - product - 48} = ${n - product} of 64 lost, so exponents ${product + 1}…${k} are −Infinity .*; ask for k ≤ ${product} `),
      );
    }
    const r = lyapunovValueAndGrad(rnn, { ...opts, inputs, k: product });
    expect(r.exponents.every(Number.isFinite)).toBe(true);
    expect(r.backward(new Float64Array(product).fill(1)).wRec.data.every(Number.isFinite)).toBe(true);
  });
});
