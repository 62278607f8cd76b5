/**
 * Exact zero rows of the Jacobians (a relu unit below 0 has slope 0; a tanh unit past |a| ≈ 4400,
 * where its step is no longer taken as factors, tanh-underflow.test.ts, has sech² exactly 0) bound the rank of every product that contains them. The
 * product of Jacobians D_t·W with generic W has rank min_t rank(D_t W) = dim − max_t (zero rows at
 * t), so exactly that many exponents are −∞. The estimator sets the last k − bound log R_jj of each
 * QR to −∞ (the QR of a product of rank r finds its first r columns independent and the rest in
 * their span); picking the smallest logs instead took a nearly saturated unit's genuine tiny R_jj
 * for a rounded zero and reported 12 −∞ exponents where there are 10.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { initRnn, rnnSystem, type GatedRnn } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';

const n = 64;

function network(activation: 'tanh' | 'relu', g: number, bias: number): Rnn {
  const rng = createRng(3);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const wRec = t([n, n], () => (g * rng.normal()) / Math.sqrt(n));
  return { activation, params: { wIn: t([n, 1], () => rng.normal()), wRec, b: t([n], () => bias), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
}

/** The largest number of exactly zero rows (or, with `columns`, of zero rows or zero columns) of J over steps from..T−1 of the driven orbit from 0. */
function maxZeroRows(rnn: Rnn, inputs: Tensor, T: number, from: number, columns = false): number {
  const sys = rnnSystem(rnn, { inputs });
  let h = new Float64Array(n);
  let h2 = new Float64Array(n);
  const J = new Float64Array(n * n);
  let most = 0;
  for (let t = 0; t < T; t++) {
    sys.jacobian(h, t, J);
    let zeros = 0;
    for (let i = 0; i < n; i++) if (J.subarray(i * n, i * n + n).every((v) => v === 0)) zeros++;
    let cols = 0;
    for (let l = 0; l < n; l++) if (Array.from({ length: n }, (_, i) => J[i * n + l]).every((v) => v === 0)) cols++;
    if (columns) zeros = Math.max(zeros, cols);
    if (t >= from) most = Math.max(most, zeros);
    sys.step(h, t, h2);
    [h, h2] = [h2, h];
  }
  return most;
}

/**
 * The most rank a product of the Jacobians over steps from..T−1 loses to exact zeros: at each step
 * max(zero rows of J_t, |zero columns of J_t ∪ zero rows of J_{t−1}|) — the rows of J_{t−1} that
 * are zero make J_t's matching columns irrelevant, J_t·J_{t−1} = J_t[:, S]·J_{t−1}[S, :].
 */
function maxLostToZeros(rnn: Rnn, inputs: Tensor, T: number, from: number): number {
  const sys = rnnSystem(rnn, { inputs });
  let h = new Float64Array(n);
  let h2 = new Float64Array(n);
  const J = new Float64Array(n * n);
  let prevRows = new Set<number>();
  let most = 0;
  for (let t = 0; t < T; t++) {
    sys.jacobian(h, t, J);
    const rows = new Set<number>();
    for (let i = 0; i < n; i++) if (J.subarray(i * n, i * n + n).every((v) => v === 0)) rows.add(i);
    const lost = new Set(prevRows);
    for (let l = 0; l < n; l++) if (Array.from({ length: n }, (_, i) => J[i * n + l]).every((v) => v === 0)) lost.add(l);
    if (t > from) most = Math.max(most, rows.size, lost.size);
    prevRows = rows;
    sys.step(h, t, h2);
    [h, h2] = [h2, h];
  }
  return most;
}

const countMinusInfinity = (e: Float64Array) => Array.from(e).filter((v) => v === -Infinity).length;

describe('exact zero rows: as many −∞ exponents as the most zero rows at one step', () => {
  const T = 3000;
  const cases = [
    // pulses of 1e5 take units past |a| ≈ 4400 at every pulse step, where the tanh adapter's factors
    // stop (MAX_TANH_FACTORS): the plain Jacobian's zero rows, read as −∞ (a pulse of 300 gives finite exponents)
    ['tanh saturated past the factored steps by pulses of 1e5', network('tanh', 1.5, 0), (t: number, r: () => number) => (t % 50 < 3 ? 1e5 : 0) + 0.1 * r()],
    ['relu driven by noise', network('relu', 1.2, 0.1), (_t: number, r: () => number) => r()],
  ] as const;
  for (const [label, rnn, at] of cases) {
    it(label, () => {
      const rng = createRng(7);
      const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, t) => at(t, () => rng.normal())) };
      const truth = maxZeroRows(rnn, inputs, T, 200);
      expect(truth).toBeGreaterThan(0);
      const opts = { inputs, k: n, steps: T - 400, warmup: 200, frameWarmup: 200, seed: 1 };
      expect(countMinusInfinity(lyapunovSpectrum(rnn, opts).exponents)).toBe(truth);
      expect(countMinusInfinity(lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 }).exponents)).toBe(truth);
    });
  }
});

describe('exact zero columns (a unit that feeds no other) bound the rank too, on the product path J·Q', () => {
  // k = 20 of n = 64: the frame is explicit and the driver pushes products J·Q, whose zero rows are
  // J's but which cannot show J's zero columns (the Jacobian path counts them: zeroRowsAndColsSquare)
  const T = 1500, k = 20;
  const run = (rnn: Rnn, seed: number) => {
    const rng = createRng(seed);
    const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, () => rng.normal()) };
    const truth = maxZeroRows(rnn, inputs, T, 200, true) - (n - k); // −∞ exponents among the top k
    const opts = { inputs, k, steps: T - 300, warmup: 200, frameWarmup: 100, seed: 1 };
    return { truth, dflt: lyapunovSpectrum(rnn, opts), every: lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 }) };
  };

  it('tanh with 50 units feeding nothing (W\'s columns zero): rank ≤ 14, so 6 of 20 exponents are −∞ (they were finite: rounding)', () => {
    const rnn = network('tanh', 1.5, 0.1);
    for (let i = 0; i < n; i++) for (let l = 0; l < 50; l++) rnn.params.wRec.data[i * n + l] = 0;
    const { truth, dflt, every } = run(rnn, 5);
    expect(truth).toBe(6);
    for (const r of [dflt, every]) {
      expect(countMinusInfinity(r.exponents)).toBe(truth);
      expect(Array.from(r.exponents.subarray(0, k - truth)).every(Number.isFinite)).toBe(true);
    }
  });

  // unit n − 1 dead (its row of J zero) and units 0..47 feeding only it (their columns zero): each J
  // has rank ≤ 16, but J_t·J_{t−1} only 15 minus the units among 48..62 dead at t − 1 — J_{t−1}'s
  // zero rows make J_t's matching columns irrelevant. `inputGain` scales the drive: at 1 some of them
  // die now and then (up to 6 at one step here: rank 9), at 0.1 none does (rank 15 throughout)
  const deadFed = (inputGain: number): Rnn => {
    const rnn = network('relu', 0.5, 1); // bias 1: the other units alive unless the drive is strong
    const w = rnn.params.wRec.data;
    for (let l = 0; l < 48; l++) for (let i = 0; i < n - 1; i++) w[i * n + l] = 0; // column l: only row n − 1
    for (let i = 0; i < n; i++) rnn.params.wIn.data[i] *= inputGain;
    rnn.params.b.data[n - 1] = -100; // unit n − 1 dead: its row of J is zero, and with it columns 0..47
    rnn.params.wIn.data[n - 1] = 0;
    return rnn;
  };

  it('relu: 48 units that feed only a dead one (columns zero given the state), the dead row and units dying now and then: the products have rank 9, so 11 of 20 −∞ (there were none, then 4: the rank of one Jacobian)', () => {
    const rnn = deadFed(1);
    const rng = createRng(6);
    const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, () => rng.normal()) };
    const truth = maxLostToZeros(rnn, inputs, T, 200) - (n - k); // −∞ exponents among the top k
    expect(truth).toBe(11);
    expect(maxZeroRows(rnn, inputs, T, 200, true) - (n - k)).toBe(4); // what each Jacobian alone shows
    const opts = { inputs, k, steps: T - 300, warmup: 200, frameWarmup: 100, seed: 1 };
    for (const r of [lyapunovSpectrum(rnn, opts), lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 })]) {
      expect(countMinusInfinity(r.exponents)).toBe(truth);
      expect(Array.from(r.exponents.subarray(0, k - truth)).every(Number.isFinite)).toBe(true);
    }
  });

  it('relu, one dead unit and 48 feeding only it, no other dying: each J has rank 16, every product of two rank 15, so with k = 16 λ16 is −∞ (it was rounding, ≈ −36)', () => {
    const rnn = deadFed(0.1);
    const rng = createRng(6);
    const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, () => rng.normal()) };
    expect(maxZeroRows(rnn, inputs, T, 200, true)).toBe(48);
    expect(maxLostToZeros(rnn, inputs, T, 200)).toBe(49);
    const opts = { inputs, k: 16, steps: T - 300, warmup: 200, frameWarmup: 100, seed: 1 };
    for (const extra of [{}, { reorthEvery: 1 }, { productPrecision: 'float64' as const }]) {
      const e = lyapunovSpectrum(rnn, { ...opts, ...extra }).exponents;
      expect(e[15]).toBe(-Infinity);
      expect(Array.from(e.subarray(0, 15)).every(Number.isFinite)).toBe(true);
    }
  });

  it('LSTM: 15 of 20 units feed no gate (wRec\'s columns zero): its h-columns of J are zero, so 15 of the 40 exponents on [h; c] are −∞ (they were finite, ≈ −38)', () => {
    const H = 20;
    const lstm = initRnn({ cell: 'lstm', inputSize: 1, hiddenSize: H, outputSize: 1, gain: 1.5, seed: 3 }) as GatedRnn;
    for (let r = 0; r < 4 * H; r++) for (let l = 0; l < 15; l++) lstm.params.wRec.data[r * H + l] = 0;
    const rng = createRng(1);
    const inputs: Tensor = { shape: [1, 1200, 1], data: Float32Array.from({ length: 1200 }, () => rng.normal()) };
    for (const extra of [{}, { reorthEvery: 1 }]) {
      const r = lyapunovSpectrum(lstm, { inputs, warmup: 100, frameWarmup: 100, seed: 1, ...extra });
      expect(countMinusInfinity(r.exponents)).toBe(15);
      expect(Array.from(r.exponents.subarray(0, 25)).every(Number.isFinite)).toBe(true);
    }
  });
});
