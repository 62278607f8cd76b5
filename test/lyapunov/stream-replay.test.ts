/**
 * The streaming estimator's own replay (src/lyapunov/jacobian-tape.ts): with `reorthEvery` > 1 it
 * keeps the Jacobians pushed since the last QR and redoes an interval whose QR shows it outran the
 * condition bound. On the pulse-driven tanh RNN of replay.test.ts, fed Jacobians, it keeps the
 * exponents of QR every step; fed products (which it cannot redo) it counts the intervals in
 * `outrunIntervals`; where nothing outruns, no bit changes.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { createEstimatorInternal, createLyapunovEstimator } from '../../src/lyapunov/estimator-core.js';
import { resolveEstimatorOptions } from '../../src/lyapunov/estimator-options.js';
import { createJacobianTape, TAPE_BUDGET } from '../../src/lyapunov/jacobian-tape.js';
import type { LyapunovResult } from '../../src/lyapunov/types.js';
import { rnnSystem } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';
import { feedSystem } from './feed.js';

const n = 64;

function network(amp: number): Rnn {
  const rng = createRng(1);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const wRec = t([n, n], () => (1.5 * rng.normal()) / Math.sqrt(n));
  return { activation: 'tanh', params: { wIn: t([n, 1], () => amp * rng.normal()), wRec, b: t([n], () => 0), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
}

/** Pulses of height 10 for 3 steps out of every 50, on N(0, 0.1²) noise. */
function pulses(T: number): Tensor {
  const rng = createRng(7);
  return { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, t) => (t % 50 < 3 ? 10 : 0) + 0.1 * rng.normal()) };
}

type Feed = 'jacobian' | 'product';

/** Runs the streaming estimator over `steps` steps after 200 of warm-up, fed Jacobians or products. */
function stream(rnn: Rnn, steps: number, reorthEvery: number, feed: Feed, until = steps): LyapunovResult {
  const inputs = pulses(steps + 400);
  const sys = rnnSystem(rnn, { inputs });
  const est = createLyapunovEstimator({ dim: n, reorthEvery, maxCondition: 1e8, frameWarmup: 200, seed: 0 });
  feedSystem(sys, est, 200 + 200 + until, { from: 200, feed });
  return est.result();
}

function worstZ(a: LyapunovResult, b: LyapunovResult): number {
  let worst = 0;
  for (let i = 0; i < b.exponents.length; i++) worst = Math.max(worst, Math.abs(a.exponents[i] - b.exponents[i]) / b.stderr[i]);
  return worst;
}

describe('the streaming estimator redoes an interval that outran the condition bound', () => {
  const rnn = network(1);
  const steps = 5000;
  const every = stream(rnn, steps, 1, 'jacobian');

  it('fed Jacobians with reorthEvery 16: every exponent within 3 standard errors of QR every step, none left outrun', () => {
    const r = stream(rnn, steps, 16, 'jacobian');
    expect(r.outrunIntervals).toBe(0);
    expect(worstZ(r, every)).toBeLessThan(3);
    expect(every.outrunIntervals).toBeUndefined(); // a QR every step: nothing to check
  });

  it('fed products it cannot redo them: it counts them (about one per pulse), and the trap shows', () => {
    const r = stream(rnn, steps, 16, 'product');
    // 100 pulses; 100 counted when written, the last exponent 8 standard errors off
    expect(r.outrunIntervals).toBeGreaterThan(0.8 * (steps / 50));
    expect(worstZ(r, every)).toBeGreaterThan(5);
  });

  it('a pending interval that spans a pulse is counted until its QR redoes it', () => {
    // the last step pushed is at t mod 50 = 0 (a pulse's first step); 3 of the 4 counted when written
    const hits = [950, 1000, 1050, 1100].map((t) => stream(rnn, steps, 16, 'jacobian', t - 399).outrunIntervals ?? -1);
    expect(hits.filter((m) => m === 1).length).toBeGreaterThanOrEqual(2);
    expect(hits.every((m) => m === 0 || m === 1)).toBe(true);
  });

  it('where nothing outruns the bound no bit changes (the same run without the check)', () => {
    const quiet = network(0); // the input weights 0: autonomous, nothing saturates it suddenly
    const r = stream(quiet, 1500, 16, 'jacobian');
    expect(r.outrunIntervals).toBe(0);
    const inputs = pulses(1900);
    const sys = rnnSystem(quiet, { inputs });
    const est = createEstimatorInternal({ ...resolveEstimatorOptions({ dim: n, reorthEvery: 16, maxCondition: 1e8, frameWarmup: 200, seed: 0 }, 'test'), replay: 0 });
    feedSystem(sys, est, 1900, { from: 200 });
    expect(Array.from(r.exponents)).toEqual(Array.from(est.result().exponents));
  });
});

describe('createJacobianTape', () => {
  it('keeps a whole interval, and no interval with a product or longer than its slots', () => {
    const tape = createJacobianTape(2, 3);
    expect(tape.slots).toBe(3);
    const a = Float64Array.of(1, 2, 3, 4);
    tape.record(0, a);
    a[0] = 9; // copied, not referenced
    tape.record(1, a);
    expect(tape.complete(2)).toBe(true);
    expect(Array.from(tape.slot(0))).toEqual([1, 2, 3, 4]);
    expect(Array.from(tape.slot(1))).toEqual([9, 2, 3, 4]);
    tape.skip(2);
    expect(tape.complete(3)).toBe(false);
    tape.record(0, a); // a new interval starts whole
    expect(tape.complete(1)).toBe(true);
    tape.skip(0);
    tape.record(1, a);
    expect(tape.complete(2)).toBe(false);
    for (let i = 0; i < 4; i++) tape.record(i, a);
    expect(tape.complete(4)).toBe(false);
  });
  it('takes a Jacobian after a product in the same interval before its slot exists (was a TypeError from record)', () => {
    const tape = createJacobianTape(2, 4);
    const a = Float64Array.of(1, 2, 3, 4);
    tape.record(0, a);
    tape.skip(1);
    expect(() => tape.record(2, a)).not.toThrow(); // kept[2] was read before any interval reached it
    expect(tape.complete(3)).toBe(false);
    // the same through the estimator: a pushJacobian after a pushProduct in the second interval
    const est = createLyapunovEstimator({ dim: 2, reorthEvery: 4, initialFrame: Float64Array.of(1, 0, 0, 1) });
    const J = Float64Array.of(2, 0, 0, 0.5);
    est.pushJacobian(J); // the first interval is one step
    est.pushJacobian(J);
    const q = est.frame();
    est.pushProduct(Float64Array.of(2 * q[0], 2 * q[1], 0.5 * q[2], 0.5 * q[3]));
    est.pushJacobian(J);
    est.pushJacobian(J);
    const r = est.result();
    expect(r.steps).toBe(5);
    expect(r.exponents[0]).toBeCloseTo(Math.log(2), 12);
    expect(r.exponents[1]).toBeCloseTo(Math.log(0.5), 12);
  });
  it('stays within its memory budget', () => {
    expect(createJacobianTape(1024, 64).slots).toBe(Math.floor(TAPE_BUDGET / (8 * 1024 * 1024)));
    expect(createJacobianTape(5000, 64).slots).toBe(0);
  });
});

describe('exact zero rows in the pending interval (a relu network)', () => {
  it('the pending logs take the rank bound as a QR would: no false outrun, the −∞ exponents of QR every step', () => {
    const rng = createRng(3);
    const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
    const wIn = t([n, 1], () => rng.normal());
    const wRec = t([n, n], () => (1.2 * rng.normal()) / Math.sqrt(n));
    const rnn: Rnn = { activation: 'relu', params: { wIn, wRec, b: t([n], () => 0.1), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
    const r7 = createRng(7);
    const T = 1500;
    const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, () => r7.normal()) };
    const sys = rnnSystem(rnn, { inputs });
    const run = (reorthEvery: number) => {
      const est = createLyapunovEstimator({ dim: n, reorthEvery, frameWarmup: 100, seed: 0 });
      feedSystem(sys, est, T, { from: 200 });
      return est.result();
    };
    const every = run(1);
    const guarded = run(16);
    // the run ends with a pending interval whose product has exact zero rows (when written: the
    // rounding of its rank-deficient columns read as a spread of ≈ 30 and counted an outrun)
    expect(guarded.outrunIntervals).toBe(0);
    const minusInf = (r: LyapunovResult) => Array.from(r.exponents).filter((v) => v === -Infinity).length;
    expect(minusInf(every)).toBeGreaterThan(0);
    expect(minusInf(guarded)).toBe(minusInf(every));
  });

  it('above n ≈ 362, where the tape keeps fewer than 64 Jacobians, intervals are no longer than it keeps (each can be redone)', () => {
    const dim = 400;
    const slots = createJacobianTape(dim, 64).slots;
    expect(slots).toBe(Math.floor(TAPE_BUDGET / (8 * dim * dim))); // 52
    expect(slots).toBeLessThan(64);
    // the identity: no growth spread, so the rule asks for the longest interval allowed
    const est = createLyapunovEstimator({ dim, k: 2, reorthEvery: 64, frameWarmup: 2, seed: 0, onReorthonormalize: (e) => { longest = Math.max(longest, e.interval); } });
    let longest = 0;
    const J = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) J[i * dim + i] = 1;
    for (let s = 0; s < 3 * 64 + 2; s++) est.pushJacobian(J);
    expect(longest).toBe(slots); // was 64: an outrun interval that long could not have been redone
    // below that size the guard's 64 stands
    const small = createLyapunovEstimator({ dim: 8, k: 2, reorthEvery: 64, frameWarmup: 2, seed: 0, onReorthonormalize: (e) => { longSmall = Math.max(longSmall, e.interval); } });
    let longSmall = 0;
    const I8 = new Float64Array(64);
    for (let i = 0; i < 8; i++) I8[i * 8 + i] = 1;
    for (let s = 0; s < 3 * 64 + 2; s++) small.pushJacobian(I8);
    expect(longSmall).toBe(64);
  });
});
