/**
 * The interval guard's a-posteriori check (src/lyapunov/replay-guard.ts, frame-step.ts). A tanh RNN
 * driven by input pulses saturates for a few steps: the frame's smallest directions shrink by many
 * orders within one guarded interval, predicted from the quiet steps before it. Without the replay
 * the default algorithm misses QR every step by 7 standard errors here (30 at 20 000 steps) on the smallest exponents;
 * with it, every exponent is within 3 standard errors, and where nothing outruns the bound the
 * replay changes no bit.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { aggregate } from '../../src/lyapunov/aggregate.js';
import { createEstimatorInternal, createLyapunovEstimator } from '../../src/lyapunov/estimator-core.js';
import { resolveEstimatorOptions } from '../../src/lyapunov/estimator-options.js';
import { createFrameStepper } from '../../src/lyapunov/frame-step.js';
import { henonMap, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { CHECKED_MAX_CONDITION } from '../../src/lyapunov/spectrum.js';
import { createReplayGuard, logSpread, REPLAY_SLACK } from '../../src/lyapunov/replay-guard.js';
import { logColumnExcess } from '../../src/lyapunov/qr-frame.js';
import { initRnn, rnnSystem, type GatedRnn } from '../../src/rnn/index.js';
import { gruMeanLogDet, trajectory } from './log-det.js';
import type { LyapunovResult, ReorthonormalizationEvent } from '../../src/lyapunov/types.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import type { Rnn } from '../../src/rnn/types.js';
import { feedSystem } from './feed.js';

const n = 64;

/** W_ij ~ N(0, 1.5²/n), one input with N(0, 1) weights. */
function pulsedRnn(): Rnn {
  const rng = createRng(1);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const wRec = t([n, n], () => (1.5 * rng.normal()) / Math.sqrt(n));
  return { activation: 'tanh', params: { wIn: t([n, 1], () => rng.normal()), wRec, b: t([n], () => 0), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
}

/** Pulses of height `amp` for 3 steps out of every 50, on N(0, 0.1²) noise. */
function pulses(T: number, amp: number): Tensor {
  const rng = createRng(7);
  return { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, t) => (t % 50 < 3 ? amp : 0) + 0.1 * rng.normal()) };
}

/** The driver's loop by hand: lyapunovSpectrum's stepper with `ring` states kept (0: no replay). */
function drive(rnn: Rnn, inputs: Tensor, steps: number, ring: number, tail = true): { res: LyapunovResult; tailSteps: number } {
  const sys = rnnSystem(rnn, { inputs });
  const est = createEstimatorInternal({ ...resolveEstimatorOptions({ dim: n, k: n, reorthEvery: 16, frameWarmup: 200, seed: 0, maxCondition: ring > 0 ? CHECKED_MAX_CONDITION : 1e8 }, 'test'), replay: ring });
  const stepper = createFrameStepper(sys, est, n, n, 'float64', ring, 'test');
  let x = new Float64Array(n);
  let xn = new Float64Array(n);
  for (let t = 0; t < 200; t++) {
    sys.step(x, t, xn);
    [x, xn] = [xn, x];
  }
  const total = 400 + steps;
  for (let t = 200; t < total; t++) {
    sys.step(x, t, xn);
    stepper.push(x, t);
    [x, xn] = [xn, x];
  }
  let tailSteps = 0;
  if (tail) stepper.finishTail(total - 1);
  else tailSteps = est.checkTail();
  return { res: est.result(), tailSteps };
}

/** The largest |a − b| / se_b over the exponents. */
function worstZ(a: LyapunovResult, b: LyapunovResult): number {
  let worst = 0;
  for (let i = 0; i < b.exponents.length; i++) worst = Math.max(worst, Math.abs(a.exponents[i] - b.exponents[i]) / b.stderr[i]);
  return worst;
}

describe('an interval that outruns the condition bound is redone', () => {
  const rnn = pulsedRnn();
  const steps = 5000;
  const inputs = pulses(steps + 400, 10);
  const every = lyapunovSpectrum(rnn, { inputs, k: n, warmup: 200, frameWarmup: 200, steps, reorthEvery: 1, seed: 0 });

  it('without the replay the guarded interval misses QR every step by > 5 standard errors (the trap is real)', () => {
    const { res } = drive(rnn, inputs, steps, 0);
    expect(worstZ(res, every)).toBeGreaterThan(5);
  });

  it('with it every exponent is within 3 standard errors of QR every step, and lyapunovSpectrum does exactly that', () => {
    const { res } = drive(rnn, inputs, steps, 16);
    expect(worstZ(res, every)).toBeLessThan(3);
    const dflt = lyapunovSpectrum(rnn, { inputs, k: n, warmup: 200, frameWarmup: 200, steps, seed: 0 });
    expect(Array.from(dflt.exponents)).toEqual(Array.from(res.exponents));
  });

  it('history windows of a run with replays cover the same steps as QR every step, each window close to its exponents', () => {
    const a = lyapunovSpectrum(rnn, { inputs, k: n, warmup: 200, frameWarmup: 200, steps, seed: 0, history: 250 });
    const b = lyapunovSpectrum(rnn, { inputs, k: n, warmup: 200, frameWarmup: 200, steps, seed: 0, history: 250, reorthEvery: 1 });
    expect(a.history?.steps).toEqual(b.history?.steps);
    const ra = a.history?.running.at(-1) as Float64Array;
    const sorted = Array.from(ra).sort((x, y) => y - x);
    // the last running estimate is the result's, bit for bit (frame order, then sorted; the last record is at the end)
    for (let i = 0; i < n; i++) expect(sorted[i]).toBe(a.exponents[i]);
  });

  it('a run that ends inside a pulse has its tail checked, one that ends between pulses not', () => {
    // the last step pushed is t = 399 + steps: at a pulse's first step (t mod 50 = 0) the interval
    // then pending spans the onset (every such end in 900…1250 outran the bound when written; 3 of 4 asked)
    const hits = [950, 1000, 1050, 1100].map((t) => drive(rnn, inputs, t - 399, 16, false).tailSteps);
    expect(hits.filter((m) => m > 1).length).toBeGreaterThanOrEqual(3);
    for (const t of [975, 1025]) expect(drive(rnn, inputs, t - 399, 16, false).tailSteps).toBe(0);
  });

  it('where nothing outruns the bound the replay changes no bit (autonomous benchmark network)', () => {
    const auto: Rnn = { ...rnn, params: { ...rnn.params, wIn: { shape: [n, 1], data: new Float32Array(n) } } };
    const x0 = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1) * 0.5);
    const withReplay = lyapunovSpectrum(auto, { k: n, steps: 2000, warmup: 100, x0, seed: 3 });
    // the same run through a stepper without replay
    const sys = rnnSystem(auto);
    const est = createEstimatorInternal({ ...resolveEstimatorOptions({ dim: n, k: n, reorthEvery: 16, frameWarmup: 100, seed: 3, maxCondition: CHECKED_MAX_CONDITION }, 'test'), replay: 0 });
    const stepper = createFrameStepper(sys, est, n, n, 'float64', 0, 'test');
    let x = Float64Array.from(x0);
    let xn = new Float64Array(n);
    for (let t = 0; t < 100; t++) {
      sys.step(x, t, xn);
      [x, xn] = [xn, x];
    }
    for (let t = 100; t < 2200; t++) {
      sys.step(x, t, xn);
      stepper.push(x, t);
      [x, xn] = [xn, x];
    }
    expect(Array.from(withReplay.exponents)).toEqual(Array.from(est.result().exponents));
  });
});

describe('intervals predicted longer than the driver keeps (reorthEvery > 64)', () => {
  // the identity map, but at one step (t = pulseAt) it contracts the frame's second column by 1e-13
  // (the Jacobian is built from the frame the hook saw last), so the column-norm check cuts a long
  // interval short and the QR's logs spread by 29.9, past ln(maxCondition) + ln 100 for both default
  // bounds (27.6 with 1e10, reorthEvery ≤ 64; 23 with 1e8 above)
  function contracting(pulseAt: number, stretchAt: number) {
    let q = Float64Array.of(1, 0, 0, 1);
    const sys: DynamicalSystem = {
      dim: 2,
      step: (x, _t, out) => out.set(x),
      jacobian: (_x, t, out) => {
        const d = t === pulseAt ? [1, 1e-13] : t === stretchAt ? [Math.exp(0.6), 1] : [1, 1];
        for (let i = 0; i < 2; i++) for (let l = 0; l < 2; l++) out[i * 2 + l] = q[i] * d[0] * q[l] + q[2 + i] * d[1] * q[2 + l];
      },
    };
    return { sys, hook: (e: ReorthonormalizationEvent) => { q = Float64Array.from(e.q); } };
  }
  const run = (every: number, pulseAt: number, stretchAt: number, history?: number) => {
    const { sys, hook } = contracting(pulseAt, stretchAt);
    return lyapunovSpectrum(sys, { k: 2, x0: [0.3, 0.4], warmup: 0, frameWarmup: 10, steps: 100, reorthEvery: every, seed: 1, onReorthonormalize: hook, ...(history ? { history } : {}) });
  };

  it('an interval cut short within the ring is undone from its own checkpoint (no error, the exponents of QR every step)', () => {
    const every = run(1, 25, -1);
    for (const m of [64, 65, 200]) {
      const r = run(m, 25, -1);
      // both are means of per-QR logs that carry ≤ n·ε rounding each (away from the contraction the
      // frame stays at condition 1, and the redone interval is QR'd step by step as in `every`)
      for (let i = 0; i < 2; i++) expect(Math.abs(r.exponents[i] - every.exponents[i])).toBeLessThan(4 * 2 * Number.EPSILON);
    }
  });

  // the identity map, but at t = shearAt the frame's second column is sheared onto its first with
  // equal norms (S e2 = (e1 + δe2)/‖·‖, δ = 1e-13): no column-norm check sees it, and the interval
  // runs to its predicted length; its QR finds the logs spread by 29.9, past ln(1e8) + ln 100 = 23
  function shearing(shearAt: number) {
    let q = Float64Array.of(1, 0, 0, 1);
    const d = 1e-13;
    const c = 1 / Math.hypot(1, d);
    const S = [[1, c], [0, d * c]];
    const sys: DynamicalSystem = {
      dim: 2,
      step: (x, _t, out) => out.set(x),
      jacobian: (_x, t, out) => {
        for (let i = 0; i < 2; i++) {
          for (let l = 0; l < 2; l++) {
            let v = 0;
            for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) v += q[a * 2 + i] * (t === shearAt ? S[a][b] : a === b ? 1 : 0) * q[b * 2 + l];
            out[i * 2 + l] = v;
          }
        }
      },
    };
    return { sys, hook: (e: ReorthonormalizationEvent) => { q = Float64Array.from(e.q); } };
  }
  const sheared = (shearAt: number) => {
    const { sys, hook } = shearing(shearAt);
    return lyapunovSpectrum(sys, { k: 2, x0: [0.3, 0.4], warmup: 0, frameWarmup: 10, steps: 300, reorthEvery: 100, seed: 1, onReorthonormalize: hook });
  };

  it('one that outruns the bound cannot be redone and is counted in outrunIntervals (0 where none does)', () => {
    const r = sheared(60);
    expect(r.outrunIntervals).toBe(1);
    expect(r.exponents[1]).toBeLessThan(-29 / 300); // the sheared column's log R_22 ≈ ln 1e-13 is kept
    expect(sheared(-1).outrunIntervals).toBe(0);
    // the run's last interval, ended by the run rather than by a QR, is judged as its QR would judge it
    expect(sheared(290).outrunIntervals).toBe(1);
    // checked runs (reorthEvery ≤ 64) redo every such interval and carry no count
    expect(run(16, 25, -1).outrunIntervals).toBeUndefined();
  });

  it('a QR every step carries no count (nothing can outrun), as the streaming estimator with reorthEvery 1', () => {
    const { sys, hook } = shearing(60);
    const every = lyapunovSpectrum(sys, { k: 2, x0: [0.3, 0.4], warmup: 0, frameWarmup: 10, steps: 300, reorthEvery: 1, seed: 1, onReorthonormalize: hook });
    expect('outrunIntervals' in every).toBe(false);
    // small systems default to a QR every step: their results keep the fields they had
    expect('outrunIntervals' in lyapunovSpectrum(henonMap(), { steps: 200 })).toBe(false);
  });

  it('the streaming estimator counts such an interval too, though Jacobians were pushed (it keeps at most 64)', () => {
    const { sys, hook } = shearing(60);
    const est = createLyapunovEstimator({ dim: 2, reorthEvery: 100, frameWarmup: 10, seed: 1, onReorthonormalize: hook });
    const J = new Float64Array(4);
    for (let t = 0; t < 310; t++) {
      sys.jacobian?.(Float64Array.of(0.3, 0.4), t, J);
      est.pushJacobian(J);
    }
    expect(est.result().outrunIntervals).toBe(1);
  });

  it('a batch sums its sequences\' counts', () => {
    const r = (m: number): LyapunovResult => ({ ...sheared(-1), outrunIntervals: m });
    expect(aggregate([r(1), r(2)], 2).outrunIntervals).toBe(3);
    const { outrunIntervals: _drop, ...bare } = r(0);
    expect(aggregate([bare, bare], 2).outrunIntervals).toBeUndefined();
  });

  it('the history of such a run keeps every window (no stale checkpoint rolls it back)', () => {
    const every = run(1, 55, 9, 20);
    const long = run(200, 55, 9, 20);
    expect(long.history?.steps).toEqual(every.history?.steps);
  });
});

describe('replay guard', () => {
  it('logSpread ignores non-finite logs and is 0 with fewer than two finite ones', () => {
    expect(logSpread(Float64Array.of(1, -Infinity, -3, NaN), 4)).toBe(4);
    expect(logSpread(Float64Array.of(-Infinity, 2), 2)).toBe(0);
    expect(logSpread(Float64Array.of(5, 1, -100), 2)).toBe(4); // only the first k
  });

  it('outran: past ln(maxCondition) + ln 100 over more than one step; replayable: 2..maxSteps steps, when active', () => {
    const g = createReplayGuard(16, 1e8, 2);
    const at = (d: number) => Float64Array.of(0, -(Math.log(1e8) + REPLAY_SLACK + d));
    expect(g.outran(at(1e-9), 3)).toBe(true);
    expect(g.outran(at(-1e-9), 3)).toBe(false);
    expect(g.outran(at(1), 1)).toBe(false); // a QR every step cannot be redone better
    expect(g.outran(at(1), 17)).toBe(true); // outran, though longer than the driver keeps
    expect(g.replayable(16)).toBe(true);
    expect(g.replayable(17)).toBe(false);
    expect(createReplayGuard(1, 1e8, 2).replayable(3)).toBe(false);
  });

  it('after a rewind of m steps the next m QRs come one step apart, then the rule resumes', () => {
    const g = createReplayGuard(16, 1e8, 2);
    g.rewound(3);
    expect(g.take()).toBe(3);
    expect(g.take()).toBe(0);
    expect([g.interval(5), g.interval(5), g.interval(5)]).toEqual([1, 1, 5]);
    expect(g.keeps(5)).toBe(true);
    expect(g.keeps(1)).toBe(false);
    expect(g.keeps(17)).toBe(true); // may be cut short to a replayable length
    expect(createReplayGuard(0, 1e8, 2).keeps(5)).toBe(false);
  });
});

describe('a QR that rounds an R_jj to exactly 0 inside an interval', () => {
  // two tanh units kicked by an input of 100 every 37 steps: over an interval spanning a kick the
  // two columns align past 1/ε and the QR finds R_22 = 0 exactly. No Jacobian has a zero row, so
  // that −∞ is rounding, not a zero of the product; the spread of the finite logs (one) cannot show
  // it, and it was kept: λ2 = −∞ against −5.35 ± 0.09 with a QR every step.
  const rnn = initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 1, gain: 1.5, seed: 5, init: 'normal' });
  const T = 2500;
  const rng = createRng(7);
  const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, t) => (t % 37 < 1 ? 100 : 0) + 0.1 * rng.normal()) };
  const every = lyapunovSpectrum(rnn, { inputs, reorthEvery: 1 });

  it('lyapunovSpectrum redoes the interval: finite exponents within 3 standard errors of QR every step', () => {
    expect(Array.from(every.exponents).every(Number.isFinite)).toBe(true);
    const r = lyapunovSpectrum(rnn, { inputs, reorthEvery: 16 });
    for (let i = 0; i < 2; i++) expect(Math.abs(r.exponents[i] - every.exponents[i])).toBeLessThan(3 * Math.hypot(r.stderr[i], every.stderr[i]));
  });

  it('the streaming estimator fed Jacobians redoes it too (none left outrun)', () => {
    const sys = rnnSystem(rnn, { inputs });
    const est = createLyapunovEstimator({ dim: 2, reorthEvery: 16, frameWarmup: 100, seed: 0 });
    feedSystem(sys, est, T);
    const r = est.result();
    expect(r.outrunIntervals).toBe(0);
    for (let i = 0; i < 2; i++) expect(Math.abs(r.exponents[i] - every.exponents[i])).toBeLessThan(3 * Math.hypot(r.stderr[i], every.stderr[i]));
  });
});

describe('a column that outgrew the first (the diagonal spread misses it)', () => {
  it('logColumnExcess is ln(‖z_j‖/R_jj): for R = [[a, b], [0, c]] it is ln(√(b² + c²)/c), whatever the spread a/c', () => {
    const [a, b, c] = [1e-5, 3, 1e-9];
    const normsSq = Float64Array.of(a * a, b * b + c * c);
    const logr = Float64Array.of(Math.log(a), Math.log(c));
    expect(logColumnExcess(normsSq, logr, 2)).toBeCloseTo(Math.log(Math.hypot(b, c) / c), 12);
    expect(logSpread(logr, 2)).toBeCloseTo(Math.log(a / c), 12); // 9.2, far below the excess of 21.8
    // −∞ logs (the rank bound's) and unmeasurable norms do not count
    expect(logColumnExcess(Float64Array.of(1, 1), Float64Array.of(0, -Infinity), 2)).toBe(0);
    expect(logColumnExcess(Float64Array.of(Infinity, 1), Float64Array.of(0, 0), 2)).toBe(0);
    const guard = createReplayGuard(8, 1e10, 2);
    const limit = Math.log(1e10) + REPLAY_SLACK;
    expect(guard.outran(logr, 8, 0, limit + 0.1)).toBe(true);
    expect(guard.outran(logr, 8, 0, limit - 0.1)).toBe(false);
    expect(guard.outran(logr, 1, 0, limit + 0.1)).toBe(false); // a QR every step has nothing to redo
  });

  it('a pulse-driven GRU with reorthEvery 8: Σλ = the exact mean log|det J| (was 4.4e-5 off relative, nothing reported)', () => {
    // an interval over two pulse steps: log R_jj = [−11.1, −33.1, −36.0] (spread 24.9, under the limit
    // of 27.6), but its last column's norm exceeds its R_jj by e^31.8
    const rnn = initRnn({ cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 1, gain: 1, seed: 639034, init: 'orthogonal' }) as GatedRnn;
    for (let m = 0; m < 3; m++) rnn.params.bIn.data[6 + m] += 5;
    const T = 400, warmup = 50, frameWarmup = 30, steps = 300;
    const r = createRng(639035);
    const data = new Float32Array(T * 2);
    for (let t = 0; t < T; t++) for (let i = 0; i < 2; i++) data[t * 2 + i] = (t % 37 < 2 ? (i % 2 === 0 ? 53.90676444638638 : -53.90676444638638) : 0) + 0.1 * r.normal();
    const inputs: Tensor = { shape: [1, T, 2], data };
    const p = rnn.params;
    const states = trajectory(rnnSystem(rnn, { inputs }), T);
    const exact = gruMeanLogDet(3, 2, { wIn: p.wIn.data, wRec: p.wRec.data, bIn: p.bIn.data, bRec: p.bRec.data }, data, warmup + frameWarmup, warmup + frameWarmup + steps, states);
    const got = lyapunovSpectrum(rnn, { inputs, warmup, frameWarmup, steps, seed: 1, reorthEvery: 8 }).exponents.reduce((x, y) => x + y, 0);
    expect(Math.abs(got - exact)).toBeLessThan(1e-10 * Math.abs(exact));
  });
});

