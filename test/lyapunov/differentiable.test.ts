import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { gatedValueAndGrad64, lyapunovValueAndGrad, lyapunovValueAndGrad64 } from '../../src/lyapunov/differentiable.js';
import { lyapunovSpectrum } from '../../src/lyapunov/spectrum.js';
import { initRnn } from '../../src/rnn/init.js';
import type { Activation } from '../../src/rnn/types.js';
import { gruMeanLogDet, vanillaMeanLogDet } from './log-det.js';

function net(n: number, ni: number, g: number, seed: number) {
  const rng = createRng(seed);
  const w = new Float64Array(n * n).map(() => (g * rng.normal()) / Math.sqrt(n));
  const u = new Float64Array(n * ni).map(() => rng.normal());
  const b = new Float64Array(n).map(() => 0.3 * rng.normal());
  const x = new Float32Array(2 * 40 * ni).map(() => rng.normal());
  return { w, u, b, x: { shape: [2, 40, ni], data: x } };
}

// central differences in float64: error ~ ε^(2/3)-optimal step, relative error far below 1e-5
function checkGrad(act: Activation, k: number, weights: number[]) {
  const n = 5, ni = 2;
  const { w, u, b, x } = net(n, ni, 1.4, 7);
  const opts = { inputs: x, k, frameWarmup: 5, warmup: 3, seed: 3 };
  const f = (w2: Float64Array, u2: Float64Array, b2: Float64Array) => {
    const r = lyapunovValueAndGrad64(act, n, ni, w2, u2, b2, opts);
    return r.exponents.reduce((s, v, i) => s + v * weights[i], 0);
  };
  const g = lyapunovValueAndGrad64(act, n, ni, w, u, b, opts).backward64(weights);
  const arrays = [u, w, b];
  let worst = 0;
  for (let a = 0; a < 3; a++) {
    for (let i = 0; i < arrays[a].length; i++) {
      const h = 1e-6; // the error is the h² truncation (measured: 5e-7 at 1e-5, 5e-9 at 1e-6)
      const plus = arrays.map((v) => Float64Array.from(v));
      const minus = arrays.map((v) => Float64Array.from(v));
      plus[a][i] += h;
      minus[a][i] -= h;
      const fd = (f(plus[1], plus[0], plus[2]) - f(minus[1], minus[0], minus[2])) / (2 * h);
      const scale = Math.max(1e-3, Math.abs(fd));
      worst = Math.max(worst, Math.abs(g[a][i] - fd) / scale);
    }
  }
  return worst;
}

describe('lyapunovValueAndGrad', () => {
  it('matches central finite differences in float64 (tanh, k = 3, mixed weights)', () => {
    expect(checkGrad('tanh', 3, [1, -0.5, 0.25])).toBeLessThan(1e-5);
  });
  it('matches central finite differences for identity and k = n', () => {
    expect(checkGrad('identity', 5, [0.3, 1, -1, 0.5, 2])).toBeLessThan(1e-5);
  });
  it('its exponents equal lyapunovSpectrum on the same trajectory', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 8, outputSize: 1, gain: 1.5, seed: 4 });
    const rng = createRng(5);
    const x = { shape: [1, 300, 2], data: new Float32Array(600).map(() => rng.normal()) };
    const a = lyapunovValueAndGrad(rnn, { inputs: x, k: 8, frameWarmup: 30 });
    const b = lyapunovSpectrum(rnn, { inputs: x, k: 8, frameWarmup: 30 });
    // the two frames start differently; after the warm-up they differ by the frame's transient only
    for (let i = 0; i < 8; i++) expect(Math.abs(a.exponents[i] - b.exponents[i])).toBeLessThan(0.05);
    let s = 0;
    for (let i = 0; i < 8; i++) s += a.exponents[i] - b.exponents[i];
    expect(Math.abs(s)).toBeLessThan(1e-9 * 300); // the sum of all exponents is frame independent
  });
  it('returns grads shaped like the params, readout zero, and refuses bad arguments', () => {
    const rnn = initRnn({ inputSize: 1, hiddenSize: 4, outputSize: 2, seed: 1 });
    const x = { shape: [1, 30, 1], data: new Float32Array(30).fill(0.5) };
    const r = lyapunovValueAndGrad(rnn, { inputs: x, k: 2 });
    const g = r.backward([1, 0]);
    expect(g.wRec.shape).toEqual([4, 4]);
    expect(g.wOut.shape).toEqual([2, 4]);
    expect(g.wOut.data.every((v) => v === 0)).toBe(true);
    expect(() => r.backward([1])).toThrow(RangeError);
    expect(() => lyapunovValueAndGrad(rnn, { inputs: x, k: 5 })).toThrow(RangeError);
    expect(() => lyapunovValueAndGrad(rnn, { inputs: x, maxBytes: 100 })).toThrow(/MiB/);
    expect(() => lyapunovValueAndGrad(rnn, {})).toThrow(/steps/);
  });
});

describe('lyapunovValueAndGrad vs PyTorch autograd through torch.linalg.qr', () => {
  // test/fixtures/make_lyapunov_grad_fixture.py (float64, tanh RNN H = 6, T = 50, k = 3)
  const fx = JSON.parse(readFileSync(new URL('../fixtures/lyapunov-grad.json', import.meta.url), 'utf8'));
  const opts = {
    inputs: { shape: [fx.T, fx.I], data: Float32Array.from(fx.x as number[]) },
    k: fx.k, warmup: fx.warmup, frameWarmup: fx.frameWarmup, q0: Float64Array.from(fx.q0ColMajor as number[]),
  };
  const rel = (a: ArrayLike<number>, b: number[]) => {
    let m = 0, s = 0;
    for (let i = 0; i < b.length; i++) { m = Math.max(m, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(b[i])); }
    return m / s;
  };
  it('float64 core: exponents and gradients agree to ~1e-12', () => {
    const r = lyapunovValueAndGrad64('tanh', fx.H, fx.I, Float64Array.from(fx.wRec), Float64Array.from(fx.wIn), Float64Array.from(fx.b), opts);
    expect(rel(r.exponents, fx.exponents)).toBeLessThan(1e-12);
    const [gu, gw, gb] = r.backward64(fx.weights);
    // reductions over T = 50 steps in a different order: c·T·ε relative
    expect(rel(gw, fx.gradWRec)).toBeLessThan(1e-11);
    expect(rel(gu, fx.gradWIn)).toBeLessThan(1e-11);
    expect(rel(gb, fx.gradB)).toBeLessThan(1e-11);
  });
  it('public wrapper: float32 gradients within float32 rounding', () => {
    const t = (shape: number[], d: number[]) => ({ shape, data: Float32Array.from(d) });
    const rnn = {
      activation: 'tanh' as const,
      params: { wRec: t([fx.H, fx.H], fx.wRec), wIn: t([fx.H, fx.I], fx.wIn), b: t([fx.H], fx.b), wOut: t([1, fx.H], new Array(fx.H).fill(0)), bOut: t([1], [0]) },
    };
    const g = lyapunovValueAndGrad(rnn, opts).backward(fx.weights);
    expect(rel(g.wRec.data, fx.gradWRec)).toBeLessThan(2 ** -23);
    expect(rel(g.wIn.data, fx.gradWIn)).toBeLessThan(2 ** -23);
  });
});

describe('lyapunovValueAndGrad on gated cells', () => {
  // central differences in float64 on every parameter of a small GRU and LSTM (an LSTM on [h; c])
  function checkGated(cell: 'gru' | 'lstm', k: number, weights: number[]) {
    const H = 4, I = 2, G = cell === 'lstm' ? 4 : 3;
    const rng = createRng(cell === 'lstm' ? 21 : 22);
    const arrays = [
      new Float64Array(G * H * I).map(() => rng.normal()),
      new Float64Array(G * H * H).map(() => (1.5 * rng.normal()) / Math.sqrt(H)),
      new Float64Array(G * H).map(() => 0.3 * rng.normal()),
      new Float64Array(G * H).map(() => 0.3 * rng.normal()),
    ];
    const x = { shape: [2, 40, I], data: new Float32Array(2 * 40 * I).map(() => rng.normal()) };
    const opts = { inputs: x, k, frameWarmup: 5, warmup: 3, seed: 3 };
    const f = (a: Float64Array[]) => gatedValueAndGrad64(cell, H, I, a[0], a[1], a[2], a[3], opts).exponents.reduce((s, v, i) => s + v * weights[i], 0);
    const g = gatedValueAndGrad64(cell, H, I, arrays[0], arrays[1], arrays[2], arrays[3], opts).backward64(weights);
    let worst = 0;
    for (let a = 0; a < 4; a++) {
      for (let i = 0; i < arrays[a].length; i++) {
        const h = 1e-6;
        const plus = arrays.map((v) => Float64Array.from(v));
        const minus = arrays.map((v) => Float64Array.from(v));
        plus[a][i] += h;
        minus[a][i] -= h;
        const fd = (f(plus) - f(minus)) / (2 * h);
        worst = Math.max(worst, Math.abs(g[a][i] - fd) / Math.max(1e-3, Math.abs(fd)));
      }
    }
    return worst;
  }
  it('GRU: matches central finite differences in float64 (k = 3)', () => {
    const e = checkGated('gru', 3, [1, -0.5, 0.25]);
    if (process.env.SHOW_ERR) console.log('GRU worst relative error vs FD', e);
    expect(e).toBeLessThan(1e-5);
  });
  it('LSTM: matches central finite differences in float64 (k = 5 of dim 2H = 8)', () => {
    const e = checkGated('lstm', 5, [1, -0.5, 0.25, 0.7, -1]);
    if (process.env.SHOW_ERR) console.log('LSTM worst relative error vs FD', e);
    expect(e).toBeLessThan(1e-5);
  });
  it('gated exponents equal lyapunovSpectrum on the same trajectory (sum frame independent)', () => {
    for (const cell of ['gru', 'lstm'] as const) {
      const rnn = initRnn({ cell, inputSize: 2, hiddenSize: 5, outputSize: 1, seed: 4 });
      const rng = createRng(5);
      const x = { shape: [1, 300, 2], data: new Float32Array(600).map(() => rng.normal()) };
      const dim = cell === 'lstm' ? 10 : 5;
      const a = lyapunovValueAndGrad(rnn, { inputs: x, k: dim, frameWarmup: 30 });
      const b = lyapunovSpectrum(rnn, { inputs: x, k: dim, frameWarmup: 30 });
      for (let i = 0; i < dim; i++) expect(Math.abs(a.exponents[i] - b.exponents[i])).toBeLessThan(0.05);
      let s = 0;
      for (let i = 0; i < dim; i++) s += a.exponents[i] - b.exponents[i];
      expect(Math.abs(s)).toBeLessThan(1e-9 * 300);
      const g = a.backward(new Array(dim).fill(0).map((_, i) => (i === 0 ? 1 : 0))) as unknown as Record<string, { shape: number[] }>;
      expect(Object.keys(g).sort()).toEqual(['bIn', 'bOut', 'bRec', 'wIn', 'wOut', 'wRec']);
      expect(g.wRec.shape).toEqual(rnn.params.wRec.shape);
    }
  });
});

describe('gated lyapunovValueAndGrad vs PyTorch autograd (nn.GRUCell, nn.LSTMCell)', () => {
  // test/fixtures/make_lyapunov_grad_gated_fixture.py: float64, H = 4, T = 30; the Jacobian by
  // torch.autograd.functional.jacobian(create_graph=True), QR by torch.linalg.qr
  const all = JSON.parse(readFileSync(new URL('../fixtures/lyapunov-grad-gated.json', import.meta.url), 'utf8'));
  const rel = (a: ArrayLike<number>, b: number[]) => {
    let m = 0, s = 0;
    for (let i = 0; i < b.length; i++) { m = Math.max(m, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(b[i])); }
    return m / s;
  };
  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell.toUpperCase()}: exponents and gradients agree to ~1e-12`, () => {
      const fx = all[cell];
      const opts = {
        inputs: { shape: [fx.T, fx.I], data: Float32Array.from(fx.x as number[]) },
        k: fx.k, warmup: fx.warmup, frameWarmup: fx.frameWarmup, q0: Float64Array.from(fx.q0ColMajor as number[]),
      };
      const f = (a: number[]) => Float64Array.from(a);
      const r = gatedValueAndGrad64(cell, fx.H, fx.I, f(fx.wIn), f(fx.wRec), f(fx.bIn), f(fx.bRec), opts);
      const errs = [rel(r.exponents, fx.exponents)];
      const [gu, gw, gbi, gbh] = r.backward64(fx.weights);
      errs.push(rel(gu, fx.gradWIn), rel(gw, fx.gradWRec), rel(gbi, fx.gradBIn), rel(gbh, fx.gradBRec));
      if (process.env.SHOW_ERR) console.log(cell, 'relative errors vs PyTorch (exponents, wIn, wRec, bIn, bRec)', errs);
      for (const e of errs) expect(e).toBeLessThan(1e-11);
    });
  }
});

describe('lyapunovValueAndGrad on saturated and rank-deficient steps', () => {
  /** A vanilla RNN driven by pulses of `amp` (two steps in 37) on N(0, 0.1²) noise, in float64 arrays. */
  const pulsed = (H: number, g: number, amp: number, activation: Activation = 'tanh') => {
    const rng = createRng(500 + H);
    const w = Float64Array.from({ length: H * H }, () => (g * rng.normal()) / Math.sqrt(H));
    const u = Float64Array.from({ length: H }, () => rng.normal());
    const b = Float64Array.from({ length: H }, () => (activation === 'relu' ? 0.3 * rng.normal() : 0));
    const r2 = createRng(11);
    const data = Float32Array.from({ length: 300 }, (_, s) => (s % 37 < 2 ? amp : 0) + (activation === 'relu' ? 1 : 0.1) * r2.normal());
    return { w, u, b, inputs: { shape: [1, 300, 1], data } };
  };
  /** The exact Σλ: the mean over steps c0..T−1 of log|det J_t| (test/lyapunov/log-det.ts). */
  const exactSum = (H: number, w: Float64Array, u: Float64Array, b: Float64Array, x: Float32Array, c0: number, T: number) => vanillaMeanLogDet(H, 1, { w, u, b }, x, c0, T);

  it('pulses of 5: the gradient of Σλ equals central differences of the exact mean log|det J|', () => {
    const H = 8;
    const { w, u, b, inputs } = pulsed(H, 0.5, 5);
    const opts = { inputs, k: H, warmup: 20, frameWarmup: 30, seed: 1 };
    const r = lyapunovValueAndGrad64('tanh', H, 1, w, u, b, opts);
    const G = r.backward64(new Array(H).fill(1));
    expect(Math.abs(r.exponents.reduce((s, v) => s + v, 0) - exactSum(H, w, u, b, inputs.data, 50, 300))).toBeLessThan(1e-10);
    for (const i of [0, 5, 63]) {
      const h = 1e-6, P = w.slice(), M = w.slice();
      P[i] += h;
      M[i] -= h;
      const fd = (exactSum(H, P, u, b, inputs.data, 50, 300) - exactSum(H, M, u, b, inputs.data, 50, 300)) / (2 * h);
      expect(Math.abs(G[1][i] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd))); // grads: wIn, wRec, b
    }
  });

  it('pulses of 20 saturate a unit past 1/ε of the others: refused, naming the step and the spread (the gradient came out as 7e24 where it is 2.1)', () => {
    const H = 8;
    const { w, u, b, inputs } = pulsed(H, 1.5, 20);
    expect(() => lyapunovValueAndGrad64('tanh', H, 1, w, u, b, { inputs, k: H, warmup: 20, frameWarmup: 30, seed: 1 })).toThrow(
      /lyapunovValueAndGrad: the frame's QR at step \d+ of sequence 0 has R_ii spread by [\d.]+e\+\d+ .*the gradient is not resolved/,
    );
    // the exponents themselves are lyapunovSpectrum's to give
    expect(() => lyapunovValueAndGrad64('tanh', H, 1, w, u, b, { inputs, k: 2, warmup: 20, frameWarmup: 30, seed: 1 })).not.toThrow();
  });

  it('relu units off leave the 10th R_ii at rounding: refused (exponents −1.71 … −6.05 and their gradient came out finite); k = 8 is resolved', () => {
    const H = 20;
    const { w, u, b, inputs } = pulsed(H, 2, 0, 'relu');
    const run = (k: number) => lyapunovValueAndGrad64('relu', H, 1, w, u, b, { inputs, k, warmup: 20, frameWarmup: 30, seed: 1 });
    expect(() => run(10)).toThrow(/(R_ii spread by [\d.]+e\+1[6-9]|has rank below k = 10).*the gradient is not resolved/);
    expect(run(8).exponents.every(Number.isFinite)).toBe(true);
  });
});

describe('lyapunovValueAndGrad with a relu Jacobian of rank below k', () => {
  it('is refused on the exact zero rows, though the rounded R_ii is only 1.2e15 below the largest (λ5 came out −1.28 for −∞)', () => {
    const H = 20, seed = 28, g = 1 + (seed % 4) * 0.5;
    const rng = createRng(900 + seed);
    const w = Float64Array.from({ length: H * H }, () => (g * rng.normal()) / Math.sqrt(H));
    const u = Float64Array.from({ length: H }, () => rng.normal());
    const b = Float64Array.from({ length: H }, () => 0.3 * rng.normal());
    const r2 = createRng(11 + seed);
    const inputs = { shape: [1, 300, 1], data: Float32Array.from({ length: 300 }, () => r2.normal()) };
    const run = (k: number) => lyapunovValueAndGrad64('relu', H, 1, w, u, b, { inputs, k, warmup: 20, frameWarmup: 30, seed: 1 });
    expect(() => run(5)).toThrow(/lyapunovValueAndGrad: J·Q at step \d+ of sequence 0 has rank below k = 5 \(exactly zero rows: units off\)/);
    expect(run(4).exponents.every(Number.isFinite)).toBe(true);
  });
});

describe('lyapunovValueAndGrad on a GRU with a saturated candidate or update gate', () => {
  // The GRU Jacobian row m is z·e_m + (h − n)σ'(a_z)·W_hz + (1 − z)·tanh'(a_n)·(r·W_hn + gh_n·σ'(a_r)·W_hr).
  // With z ≈ e^-40 and |a_n| = 20, 1 − n² rounds to 0 where tanh'(a_n) = 1.7e-17 is of the size of
  // z: the differentiable cell, which took σ(1 − σ), 1 − n² and 1 − z from the gate values, read the
  // exponent as −39.5 where it is −39.107 (the adapter's Jacobian, from the pre-activations, was right).
  const t = (shape: number[], d: number[]) => ({ shape, data: Float32Array.from(d) });
  const logSig = (a: number) => (a >= 0 ? -Math.log1p(Math.exp(-a)) : a - Math.log1p(Math.exp(a)));
  it('H = 1 (a scalar Jacobian): the exponent is the exact mean log|J|, as lyapunovSpectrum gives it', () => {
    const rnn = {
      cell: 'gru' as const, activation: 'tanh' as const,
      params: { wIn: t([3, 1], [0, 0, 0]), wRec: t([3, 1], [0.5, 0.5, 0.5]), bIn: t([3], [0, -40, 20]), bRec: t([3], [0, 0, 0]), wOut: t([1, 1], [0]), bOut: t([1], [0]) },
    };
    const T = 50;
    const inputs = { shape: [1, T, 1], data: new Float32Array(T) };
    // exact: J = z + (h − n)σ'(a_z)·w + σ(−a_z)·tanh'(a_n)·(r·w + w·h·σ'(a_r)·w), w = 0.5, every term from the pre-activations
    let h = 0, s = 0;
    for (let step = 0; step < T; step++) {
      const ar = 0.5 * h, az = -40 + 0.5 * h, ghn = 0.5 * h;
      const r = 1 / (1 + Math.exp(-ar)), an = 20 + r * ghn, n = Math.tanh(an);
      const ez = Math.exp(az), dz = ez / ((1 + ez) * (1 + ez)), er = Math.exp(-Math.abs(ar)), dr = er / ((1 + er) * (1 + er));
      const en = Math.exp(-2 * an), dn = (4 * en) / ((1 + en) * (1 + en));
      const J = Math.exp(logSig(az)) + (h - n) * dz * 0.5 + Math.exp(logSig(-az)) * dn * (r * 0.5 + ghn * dr * 0.5);
      if (step >= 10) s += Math.log(Math.abs(J));
      h = (1 - Math.exp(logSig(az))) * n + Math.exp(logSig(az)) * h;
    }
    const exact = s / (T - 10);
    expect(exact).toBeCloseTo(-39.1068, 3);
    const o = { inputs, k: 1, warmup: 5, frameWarmup: 5 };
    expect(Math.abs(lyapunovSpectrum(rnn, { ...o, steps: T - 10 }).exponents[0] - exact)).toBeLessThan(1e-12);
    expect(Math.abs(lyapunovValueAndGrad(rnn, o).exponents[0] - exact)).toBeLessThan(1e-12);
  });

  it('pulses saturate n: Σλ and its gradient equal the exact mean log|det J| and its central differences', () => {
    // the fuzz case that found it (H = 4, I = 3, pulses of 47, b_in of n shifted by +3): Σλ was 1.5e-7
    // off relative, its gradient 6.5e-5 off the differences of the exact value
    const H = 4, I = 3, T = 150, c0 = 20;
    const rnn = initRnn({ cell: 'gru', inputSize: I, hiddenSize: H, outputSize: 1, gain: 0.5, seed: 652199 });
    for (let m = 0; m < H; m++) rnn.params.bIn.data[2 * H + m] += 3;
    const r = createRng(652200);
    const data = new Float32Array(T * I);
    for (let s = 0; s < T; s++) for (let i = 0; i < I; i++) data[s * I + i] = (s % 37 < 2 ? (i % 2 === 0 ? 46.95 : -46.95) : 0) + 0.1 * r.normal();
    const inputs = { shape: [1, T, I], data };
    const a = (['wIn', 'wRec', 'bIn', 'bRec'] as const).map((key) => Float64Array.from((rnn.params as unknown as Record<string, { data: Float32Array }>)[key].data));
    const res = gatedValueAndGrad64('gru', H, I, a[0], a[1], a[2], a[3], { inputs, k: H, warmup: 10, frameWarmup: 10, seed: 1 });
    const exact = (A: Float64Array[]) => gruMeanLogDet(H, I, { wIn: A[0], wRec: A[1], bIn: A[2], bRec: A[3] }, data, c0, T);
    expect(Math.abs(res.exponents.reduce((s, v) => s + v, 0) - exact(a))).toBeLessThan(1e-12);
    const g = res.backward64(new Array(H).fill(1));
    for (const [arr, i] of [[3, 8], [1, 3], [2, 11], [0, 5]] as const) {
      const h = 1e-5, P = a.map((v) => v.slice()), M = a.map((v) => v.slice());
      P[arr][i] += h;
      M[arr][i] -= h;
      const fd = (exact(P) - exact(M)) / (2 * h);
      // truncation h²·f‴ ≈ 1e-10 and rounding ε/h ≈ 1e-11 of differences of a float64 value
      expect(Math.abs(g[arr][i] - fd)).toBeLessThan(1e-7 * Math.max(1e-2, Math.abs(fd)));
    }
  });
});
