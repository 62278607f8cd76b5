/**
 * Trustworthy defaults and edges of the Lyapunov entry points (issue: "right answer or a clear error").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import type { Tensor } from '../../src/core/tensor.js';
import { eigenvalues } from '../../src/core/index.js';
import { createLyapunovEstimator, finiteTimeExponents, henonMap, linearMap, lorenz96, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import type { ReorthonormalizationEvent } from '../../src/lyapunov/index.js';
import { initRnn } from '../../src/rnn/index.js';

function logSpectralRadius(w: Tensor): number {
  const n = w.shape[0];
  const ev = eigenvalues({ shape: [n, n], data: w.data });
  let r = 0;
  for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(ev.re[i], ev.im[i]));
  return Math.log(r);
}

describe('the origin trap: autonomous runs start from a seeded random state', () => {
  const N = 40;
  const rnn = initRnn({ inputSize: 1, hiddenSize: N, outputSize: 1, gain: 3, seed: 1 });
  const opts = { k: 1, steps: 4000, warmup: 500 };

  it('no longer returns ln ρ(gW) of the fixed point h = 0, and agrees with an explicit random x0 within the standard errors', () => {
    const def = lyapunovSpectrum(rnn, opts);
    const origin = lyapunovSpectrum(rnn, { ...opts, x0: new Float64Array(N) });
    const lnRho = logSpectralRadius(rnn.params.wRec);
    // started at h = 0 the run measures the origin: λ1 = ln ρ(gW) to rounding (a constant Jacobian)
    expect(Math.abs(origin.exponents[0] - lnRho)).toBeLessThan(1e-3);
    expect(origin.stationary).toBe(true);
    expect(def.stationary).toBe(false);
    // the default is far from it: more than 50 standard errors
    expect(lnRho - def.exponents[0]).toBeGreaterThan(50 * def.stderr[0]);
    const rng = createRng(77);
    const x0 = Float64Array.from({ length: N }, () => rng.normal());
    const explicit = lyapunovSpectrum(rnn, { ...opts, x0 });
    const se = Math.hypot(def.stderr[0], explicit.stderr[0]);
    expect(Math.abs(def.exponents[0] - explicit.exponents[0])).toBeLessThan(4 * se);
  });

  it('is reproducible from `seed` and `rng`, and differs between seeds', () => {
    const a = lyapunovSpectrum(rnn, { ...opts, steps: 300, seed: 5 });
    const b = lyapunovSpectrum(rnn, { ...opts, steps: 300, seed: 5 });
    const c = lyapunovSpectrum(rnn, { ...opts, steps: 300, seed: 6 });
    const d = lyapunovSpectrum(rnn, { ...opts, steps: 300, rng: createRng(5) });
    expect(a.exponents).toEqual(b.exponents);
    expect(a.exponents).toEqual(d.exponents);
    expect(a.exponents[0]).not.toBe(c.exponents[0]);
  });

  it('flags a genuine fixed point as stationary (a stable network settles on h = 0)', () => {
    const calm = initRnn({ inputSize: 1, hiddenSize: 10, outputSize: 1, gain: 0.5, seed: 2 });
    const r = lyapunovSpectrum(calm, { steps: 500 });
    expect(r.stationary).toBe(true);
    expect(Math.abs(r.exponents[0] - logSpectralRadius(calm.params.wRec))).toBeLessThan(1e-2);
    // a chaotic map is not stationary; a linear map started at its fixed point 0 is
    expect(lyapunovSpectrum(henonMap(), { steps: 500 }).stationary).toBe(false);
    expect(lyapunovSpectrum(linearMap([[2, 0], [0, 0.5]]), { steps: 100 }).stationary).toBe(true);
    // finite-time exponents report it too
    expect(finiteTimeExponents(calm, { window: 20, windows: 5 }).stationary).toBe(true);
  });

  it('a system without initialState starts at random too; a driven RNN starts at h0 = 0 (or the given h0)', () => {
    const odd: DynamicalSystem = {
      dim: 2,
      step: (x, _t, out) => { out[0] = Math.tanh(2 * x[1]); out[1] = Math.tanh(-2 * x[0] + 0.5 * x[1]); },
      jacobian: (x, _t, out) => {
        const a = 2 * x[1], b = -2 * x[0] + 0.5 * x[1];
        const da = 1 / Math.cosh(a) ** 2, db = 1 / Math.cosh(b) ** 2;
        out[0] = 0; out[1] = 2 * da; out[2] = -2 * db; out[3] = 0.5 * db;
      },
    };
    expect(lyapunovSpectrum(odd, { steps: 300 }).stationary).toBe(false); // 0 is an (unstable) fixed point
    const rng = createRng(3);
    const B = 3, T = 60, H = 6;
    const driven = initRnn({ inputSize: 2, hiddenSize: H, outputSize: 1, gain: 1.5, seed: 3 });
    const x: Tensor = { shape: [B, T, 2], data: Float32Array.from({ length: B * T * 2 }, () => rng.normal()) };
    const h0 = Float64Array.from({ length: B * H }, () => 0.3 * rng.normal());
    const r = lyapunovSpectrum(driven, { inputs: x, h0, frameWarmup: 6 });
    for (let b = 0; b < B; b++) {
      const one = lyapunovSpectrum(driven, {
        inputs: { shape: [T, 2], data: x.data.subarray(b * T * 2, (b + 1) * T * 2) },
        h0: Array.from(h0.subarray(b * H, (b + 1) * H)),
        frameWarmup: 6,
      });
      expect(r.perSequence[b].exponents).toEqual(one.exponents);
    }
    const zero = lyapunovSpectrum(driven, { inputs: x, frameWarmup: 6 });
    const zeros = lyapunovSpectrum(driven, { inputs: x, frameWarmup: 6, h0: { shape: [H], data: new Float32Array(H) } });
    expect(zero.exponents).toEqual(zeros.exponents);
    expect(() => lyapunovSpectrum(driven, { inputs: x, h0: new Float64Array(5) })).toThrow(/lyapunovSpectrum: h0 must have H = 6 or B·H = 18 entries, got 5/);
    expect(() => lyapunovSpectrum(driven, { inputs: x, x0: new Float64Array(H) })).toThrow(/h0/);
  });
});

describe('warm-ups that silently became 0', () => {
  const rnn = initRnn({ inputSize: 2, hiddenSize: 5, outputSize: 1, seed: 1 });
  const short: Tensor = { shape: [1, 5, 2], data: Float32Array.from({ length: 10 }, (_, i) => Math.sin(i)) };

  it('a 5-step input without frameWarmup is an error naming the option; an explicit 0 is honoured and reported', () => {
    expect(() => lyapunovSpectrum(rnn, { inputs: short })).toThrow(/lyapunovSpectrum: .*T = 5.*pass frameWarmup explicitly/);
    const r = lyapunovSpectrum(rnn, { inputs: short, frameWarmup: 0 });
    expect(r.frameWarmup).toBe(0);
    expect(r.warmup).toBe(0);
    expect(r.steps).toBe(5);
    const long: Tensor = { shape: [1, 300, 2], data: Float32Array.from({ length: 600 }, (_, i) => Math.sin(i)) };
    expect(lyapunovSpectrum(rnn, { inputs: long }).frameWarmup).toBe(30);
    expect(lyapunovSpectrum(henonMap(), { steps: 10 }).frameWarmup).toBe(100);
  });
});

describe('batch results typed by overload', () => {
  const rnn = initRnn({ inputSize: 1, hiddenSize: 4, outputSize: 1, gain: 2, seed: 2 });
  const rng = createRng(1);
  const x: Tensor = { shape: [2, 80, 1], data: Float32Array.from({ length: 160 }, () => rng.normal()) };

  it('gives std, sequences and per-sequence history for B > 1; std NaN (not 0) for one sequence', () => {
    const r = lyapunovSpectrum(rnn, { inputs: x, history: 10 });
    expect(r.std.length).toBe(4); // typed: no `!`
    expect(r.sequences).toBe(2);
    expect(r.perSequence[0].history?.steps.length).toBeGreaterThan(0);
    expect(r.perSequence[1].history?.steps.length).toBeGreaterThan(0);
    const one = lyapunovSpectrum(rnn, { inputs: { shape: [1, 80, 1], data: x.data.subarray(0, 80) } });
    expect(one.std.every((v) => Number.isNaN(v))).toBe(true);
    expect(one.exponents).toEqual(r.perSequence[0].exponents);
    expect(lyapunovSpectrum(henonMap(), { steps: 100 }).std).toBeUndefined();
  });
});

describe('the estimator: underflow, observation, values read once, names', () => {
  it('a subnormal Jacobian is an underflow (a large negative log), not a poisoned frame', () => {
    for (const c of [1e-310, 1e-320]) {
      const est = createLyapunovEstimator({ dim: 2, initialFrame: new Float64Array([1, 0, 0, 1]) });
      est.pushJacobian([c, 0, 0, c]);
      const N = 400;
      for (let t = 0; t < N; t++) est.pushJacobian([2, 0, 0, 0.5]);
      const r = est.result();
      // the sum of the exponents is exact: (2 ln c + N ln(2·0.5)) / (N + 1)
      const sum = (r.exponents[0] + r.exponents[1]) * (N + 1);
      expect(Math.abs(sum - 2 * Math.log(c))).toBeLessThan(1e-9 * Math.abs(2 * Math.log(c)));
      // with the aligned frame e1, e2: λ1 = (ln c + N ln 2) / (N + 1) exactly (rounding of N logs)
      expect(Math.abs(r.exponents[0] - (Math.log(c) + N * Math.LN2) / (N + 1))).toBeLessThan(1e-9);
      const f = est.frame();
      expect(Math.abs(f[0] * f[0] + f[2] * f[2] - 1)).toBeLessThan(1e-14);
    }
  });

  it('observing (frame(), onReorthonormalize) never changes bits, also for n ≥ 112, k ≥ 0.55·n', () => {
    const sys = lorenz96({ n: 120 });
    const plain = lyapunovSpectrum(sys, { steps: 40, warmup: 5, frameWarmup: 3 });
    const events: number[] = [];
    const hooked = lyapunovSpectrum(sys, { steps: 40, warmup: 5, frameWarmup: 3, onReorthonormalize: (e: ReorthonormalizationEvent) => events.push(e.q[0]) });
    expect(hooked.exponents).toEqual(plain.exponents);
    expect(hooked.stderr).toEqual(plain.stderr);
    // the default interval: fewer QRs than steps (3 warm-up QRs, then every few of the 40 steps)
    expect(events.length).toBeGreaterThan(3);
    expect(events.length).toBeLessThan(43);
    const every: number[] = [];
    const each = lyapunovSpectrum(sys, { steps: 40, warmup: 5, frameWarmup: 3, reorthEvery: 1, onReorthonormalize: (e: ReorthonormalizationEvent) => every.push(e.q[0]) });
    expect(every.length).toBe(43);
    expect(each.exponents).toEqual(lyapunovSpectrum(sys, { steps: 40, warmup: 5, frameWarmup: 3, reorthEvery: 1 }).exponents);
    const n = 120, k = 100;
    const rng = createRng(4);
    const Js = Array.from({ length: 12 }, () => Float64Array.from({ length: n * n }, () => rng.normal() / Math.sqrt(n)));
    const a = createLyapunovEstimator({ dim: n, k });
    const b = createLyapunovEstimator({ dim: n, k, onReorthonormalize: () => {} });
    let norm = 0;
    for (const J of Js) {
      a.pushJacobian(J);
      b.pushJacobian(J);
      const f = b.frame(); // observed every step
      norm += f[0];
    }
    expect(Number.isFinite(norm)).toBe(true);
    expect(b.result().exponents).toEqual(a.result().exponents);
    // the observed frame is orthonormal
    const f = b.frame();
    let d = 0;
    for (let i = 0; i < n; i++) d += f[i * k] * f[i * k + 1];
    expect(Math.abs(d)).toBeLessThan(1e-13);
  });

  it('reads options and pushed arrays once: a getter that changes after validation cannot give garbage', () => {
    let calls = 0;
    const opts = { get dim() { return calls++ === 0 ? 2 : 1e9; } };
    const est = createLyapunovEstimator(opts);
    expect(est.dim).toBe(2);
    const shifty = { shape: [1, 20, 1], _n: 0, get data() { return this._n++ === 0 ? new Float32Array(20).fill(0.1) : new Float32Array(3); } };
    const rnn = initRnn({ inputSize: 1, hiddenSize: 3, outputSize: 1, seed: 1 });
    const r = lyapunovSpectrum(rnn, { inputs: shifty as unknown as Tensor });
    expect(r.steps).toBe(10); // T = 20 less the default frame warm-up, min(10, ⌊T/2⌋)
  });

  it('errors name the function the user called', () => {
    expect(() => lyapunovSpectrum(henonMap(), { reorthEvery: 0 })).toThrow(/^lyapunovSpectrum: reorthEvery/);
    expect(() => createLyapunovEstimator({ dim: 2, reorthEvery: 0 })).toThrow(/^createLyapunovEstimator: reorthEvery/);
    expect(() => lyapunovSpectrum(henonMap(), { blockSize: 0 })).toThrow(/^lyapunovSpectrum: blockSize/);
    const rnn = initRnn({ inputSize: 1, hiddenSize: 3, outputSize: 1, seed: 1 });
    expect(() => lyapunovSpectrum(rnn, { seed: Number.NaN })).toThrow(/^lyapunovSpectrum: seed/);
    expect(() => lyapunovSpectrum(rnn, { rng: 1 as never })).toThrow(/^lyapunovSpectrum: rng/);
  });
});

describe('options: own properties, null, callbacks and bounds', () => {
  const proto = Object.prototype as Record<string, unknown>;
  afterEach(() => {
    for (const key of ['steps', 'k', 'rng', 'signal', 'x0', 'warmup', 'onProgress', 'dim']) delete proto[key];
  });

  it('a polluted Object.prototype changes nothing', () => {
    const clean = lyapunovSpectrum(henonMap(), { steps: 300 });
    proto.steps = 5;
    proto.k = 1;
    proto.rng = () => 0.5;
    proto.signal = { aborted: true };
    proto.warmup = 0;
    const dirty = lyapunovSpectrum(henonMap(), { steps: 300 });
    expect(dirty.exponents).toEqual(clean.exponents);
    const est = createLyapunovEstimator({ dim: 2 });
    expect(est.k).toBe(2);
  });

  it('null options give defaults; bad callbacks and signals are refused before any work', () => {
    const a = lyapunovSpectrum(henonMap(), null as never);
    expect(a.steps).toBe(10000);
    let stepped = 0;
    const sys: DynamicalSystem = { dim: 1, step: (x, _t, o) => { stepped++; o[0] = 0.5 * x[0]; }, jacobian: (_x, _t, o) => { o[0] = 0.5; } };
    expect(() => lyapunovSpectrum(sys, { signal: 'x' as never })).toThrow(/^lyapunovSpectrum: signal must be an AbortSignal/);
    expect(() => lyapunovSpectrum(sys, { onProgress: 3 as never })).toThrow(TypeError);
    expect(() => lyapunovSpectrum(sys, { onReorthonormalize: 3 as never })).toThrow(/^lyapunovSpectrum: onReorthonormalize/);
    expect(stepped).toBe(0);
  });

  it('bounds run lengths and refuses sizes that cannot fit before allocating', () => {
    expect(() => lyapunovSpectrum(henonMap(), { steps: 1e10 })).toThrow(/lyapunovSpectrum: steps: expected an integer in \[1, 1000000000\]/);
    expect(() => lyapunovSpectrum(henonMap(), { warmup: 1e12 })).toThrow(RangeError);
    const huge: DynamicalSystem = { dim: 1e6, step: () => {}, jacobian: () => {} };
    expect(() => lyapunovSpectrum(huge)).toThrow(/lyapunovSpectrum: .*dim 1000000.* needs .*TiB of working memory/);
    expect(() => createLyapunovEstimator({ dim: 1e6 })).toThrow(/createLyapunovEstimator: .*needs/);
    expect(() => finiteTimeExponents(henonMap(), { window: 1e6, windows: 1e6 })).toThrow(/finiteTimeExponents: window·windows/);
  });
});

describe('progress and cancellation', () => {
  it('one payload shape; an abort requested from onProgress stops the run at that progress point', () => {
    const slow: DynamicalSystem = {
      dim: 1,
      step: (x, _t, o) => { const s = Date.now(); while (Date.now() - s < 1) { /* 1 ms per step */ } o[0] = 4 * x[0] * (1 - x[0]); },
      jacobian: (x, _t, o) => { o[0] = 4 - 8 * x[0]; },
    };
    const ac = new AbortController();
    const seen: { phase: string; done: number; total: number }[] = [];
    expect(() =>
      lyapunovSpectrum(slow, { x0: [0.3], steps: 100000, warmup: 0, frameWarmup: 10, signal: ac.signal, onProgress: (p) => { seen.push(p); ac.abort(); } }),
    ).toThrow(/abort/i);
    expect(seen.length).toBe(1);
    expect(seen[0].total).toBe(100010);
    expect(seen[0].done).toBeLessThan(1000); // ≈ 50 steps: the first progress point, 50 ms in
  });
});
