import { describe, expect, it } from 'vitest';
import { clvAngles } from '../../src/lyapunov/clv-angles.js';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { henonMap, linearMap, lorenz63 } from '../../src/lyapunov/systems.js';
import { initRnn } from '../../src/rnn/init.js';
import { createRng } from '../../src/core/rng.js';
import type { Rnn } from '../../src/rnn/types.js';
import { qr } from '../../src/core/linalg/qr.js';

const col = (d: Float64Array, n: number, k: number, t: number, i: number) => Array.from({ length: n }, (_, r) => d[(t * n + r) * k + i]);
const absCos = (a: number[], b: number[]) => {
  let s = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { s += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return Math.abs(s) / Math.sqrt(na * nb);
};

describe('covariantLyapunovVectors', () => {
  it('on a constant non-normal linear map the CLVs are the eigenvectors; the Gram–Schmidt vectors are not', () => {
    // A = [[2, 5, 1], [0, 0.5, 3], [0, 0, 0.9]] (eigenvalues 2, 0.9, 0.5)
    const A = [[2, 5, 1], [0, 0.5, 3], [0, 0, 0.9]];
    // eigenvectors: (A − λI)v = 0 by back substitution with v = (x, y, 1) or (x, 1, 0) or (1, 0, 0)
    const e1 = [1, 0, 0];
    const e3 = [-5 / 1.5, 1, 0]; // λ = 0.5
    const y2 = 3 / (0.9 - 0.5); // λ = 0.9: row 2: (0.5 − 0.9) y + 3 = 0
    const e2 = [(5 * y2 + 1) / (0.9 - 2), y2, 1];
    const r = covariantLyapunovVectors(linearMap(A), { steps: 200, warmup: 0, frameWarmup: 100, backwardWarmup: 100, keepFrames: true });
    expect(r.exponents[0]).toBeCloseTo(Math.log(2), 10);
    for (let t = 0; t < 200; t += 20) {
      // the frame converges like (λ_{i+1}/λ_i)^100 ≈ (0.9/2)^100, (0.5/0.9)^100 ≈ 3e-26: exact to rounding
      expect(1 - absCos(col(r.vectors.data, 3, 3, t, 0), e1)).toBeLessThan(1e-14);
      expect(1 - absCos(col(r.vectors.data, 3, 3, t, 1), e2)).toBeLessThan(1e-14);
      expect(1 - absCos(col(r.vectors.data, 3, 3, t, 2), e3)).toBeLessThan(1e-14);
      const f = r.frames!.data;
      expect(1 - absCos(col(f, 3, 3, t, 1), e2)).toBeGreaterThan(0.1);
      expect(1 - absCos(col(f, 3, 3, t, 2), e3)).toBeGreaterThan(0.1);
    }
    // along an eigenvector the growth is exactly ln |λ| every step
    const expected = [Math.log(2), Math.log(0.9), Math.log(0.5)];
    for (let i = 0; i < 3; i++) expect(Math.abs(r.clvExponents[i] - expected[i])).toBeLessThan(1e-12);
  });

  it('Hénon: growth rates along the CLVs are 0.4192 and −1.6232', () => {
    const T = 20000;
    const r = covariantLyapunovVectors(henonMap(), { steps: T });
    // finite-time exponents of the Hénon map spread ≈ 1.5/√T (block means); 4 of those
    const tol = 6 / Math.sqrt(T);
    expect(Math.abs(r.clvExponents[0] - 0.4192)).toBeLessThan(tol);
    expect(Math.abs(r.clvExponents[1] + 1.6232)).toBeLessThan(tol);
    // the sum along the Gram–Schmidt frame is ln b every step, exactly
    expect(Math.abs(r.exponents[0] + r.exponents[1] - Math.log(0.3))).toBeLessThan(1e-12);
    // each CLV is mapped onto the next one: J_t v_t ∥ v_{t+1}
    const sys = henonMap();
    const J = new Float64Array(4);
    for (let t = 100; t < 200; t++) {
      sys.jacobian(r.states.data.subarray(2 * t, 2 * t + 2), t, J);
      for (let i = 0; i < 2; i++) {
        const v = col(r.vectors.data, 2, 2, t, i);
        const jv = [J[0] * v[0] + J[1] * v[1], J[2] * v[0] + J[3] * v[1]];
        expect(1 - absCos(jv, col(r.vectors.data, 2, 2, t + 1, i))).toBeLessThan(1e-10);
      }
    }
    const theta = clvAngles(r, { unstable: 1 });
    const pair = clvAngles(r, { pair: [0, 1] });
    for (let t = 0; t < T; t += 97) expect(theta[t]).toBeCloseTo(pair[t], 6);
  });

  it('Lorenz-63: the zero-exponent CLV is the flow direction', () => {
    const sys = lorenz63();
    const T = 3000;
    const r = covariantLyapunovVectors(sys, { steps: T, warmup: 2000, frameWarmup: 500, backwardWarmup: 500 });
    const fx = new Float64Array(3);
    let fwd = 0, mid = 0, worstMid = 0;
    const s = (t: number) => r.states.data.subarray(3 * t, 3 * t + 3);
    for (let t = 1; t < T - 1; t++) {
      const x = s(t), a = s(t - 1), b = s(t + 1);
      sys.step(x, t, fx);
      const v = col(r.vectors.data, 3, 3, t, 1);
      fwd += (1 - absCos(v, [fx[0] - x[0], fx[1] - x[1], fx[2] - x[2]])) / (T - 2);
      const c = 1 - absCos(v, [b[0] - a[0], b[1] - a[1], b[2] - a[2]]);
      mid += c / (T - 2);
      worstMid = Math.max(worstMid, c);
    }
    // the invariant direction is the vector field f(x): F(x) − x = dt·f + dt²/2·Df·f + … is off by an
    // angle O(dt·‖Df‖) (1 − cos = O(1e-3) at dt = 0.01), the central difference by O(dt²·‖Df‖²)
    expect(fwd).toBeLessThan(5e-3);
    expect(mid).toBeLessThan(1e-5);
    expect(worstMid).toBeLessThan(1e-3);
    expect(Math.abs(r.clvExponents[1])).toBeLessThan(0.05);
  });

  it('an Rnn without inputs starts from a seeded random state, not h = 0', () => {
    const rnn = initRnn({ inputSize: 1, hiddenSize: 6, outputSize: 1, gain: 2, seed: 2 });
    const a = covariantLyapunovVectors(rnn, { steps: 50, warmup: 0, frameWarmup: 10, backwardWarmup: 10, seed: 1 });
    const b = covariantLyapunovVectors(rnn, { steps: 50, warmup: 0, frameWarmup: 10, backwardWarmup: 10, seed: 1 });
    expect(a.states.data.some((v) => v !== 0)).toBe(true);
    expect(a.vectors.data).toEqual(b.vectors.data);
  });

  it('refuses sizes that cannot fit and bad options', () => {
    expect(() => covariantLyapunovVectors(henonMap(), { steps: 1e9 })).toThrow(/MiB/);
    expect(() => covariantLyapunovVectors(henonMap(), { k: 3 })).toThrow(RangeError);
    expect(() => clvAngles(covariantLyapunovVectors(henonMap(), { steps: 10 }), { unstable: 2 })).toThrow(RangeError);
  });
});

describe('covariantLyapunovVectors on gated cells', () => {
  // a GRU (state h) and an LSTM (state [h; c]) driven by one noise sequence: the CLVs are covariant
  // (J_t v_t ∥ v_{t+1}, an identity of the construction) and the growth rates along them equal the
  // exponents of the forward pass up to the end effects of a finite window, O(log cond / T)
  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell.toUpperCase()}: J_t v_t ∥ v_(t+1), growth rates along the CLVs equal the exponents`, async () => {
      const { rnnSystem } = await import('../../src/rnn/system.js');
      const { createRng } = await import('../../src/core/rng.js');
      const H = 6, dim = cell === 'lstm' ? 12 : 6, L = 3000;
      const rnn = initRnn({ cell, inputSize: 2, hiddenSize: H, outputSize: 1, seed: 3 });
      const rng = createRng(9);
      const inputs = { shape: [1, L, 2], data: new Float32Array(2 * L).map(() => rng.normal()) };
      const r = covariantLyapunovVectors(rnn, { inputs, warmup: 100, frameWarmup: 200, backwardWarmup: 200, seed: 1 });
      const T = r.steps;
      expect(T).toBe(L - 500);
      const k = dim;
      for (let i = 0; i < k; i++) expect(Math.abs(r.clvExponents[i] - r.exponents[i])).toBeLessThan(0.02);
      // the exponents are distinct enough here for the backward iteration to have converged
      const sys = rnnSystem(rnn, { inputs });
      const J = new Float64Array(dim * dim);
      let worst = 0;
      for (let w = 50; w < 150; w++) {
        const t = 100 + 200 + w; // the system's time index of window step w
        sys.jacobian(r.states.data.subarray(w * dim, (w + 1) * dim), t, J);
        for (let i = 0; i < k; i++) {
          const v = col(r.vectors.data, dim, k, w, i);
          const jv = Array.from({ length: dim }, (_, a) => v.reduce((s, vb, b) => s + J[a * dim + b] * vb, 0));
          worst = Math.max(worst, 1 - absCos(jv, col(r.vectors.data, dim, k, w + 1, i)));
        }
      }
      if (process.env.SHOW_ERR) console.log(cell, 'exponents', Array.from(r.exponents).map((v) => v.toFixed(4)).join(' '), 'max |clv − exp|', Math.max(...Array.from(r.exponents, (v, i) => Math.abs(v - r.clvExponents[i]))), 'worst 1 − cos', worst);
      expect(worst).toBeLessThan(1e-9);
    });
  }
});

describe('CLV angle statistics: hyperbolic Lozi vs non-hyperbolic Hénon, and Lorenz-96', () => {
  // Ginelli et al. (2007) measure hyperbolicity by the angle between the CLVs: for the Lozi map
  // (piecewise linear, hyperbolic) it stays away from 0, for the Hénon map it comes arbitrarily close
  // (homoclinic tangencies)
  const lozi = {
    dim: 2,
    initialState: Float64Array.from([0.1, 0.1]),
    step(x: Float64Array, _t: number, o: Float64Array) { const x0 = x[0]; o[0] = 1 - 1.7 * Math.abs(x0) + x[1]; o[1] = 0.5 * x0; },
    jacobian(x: Float64Array, _t: number, o: Float64Array) { o[0] = -1.7 * Math.sign(x[0]); o[1] = 1; o[2] = 0.5; o[3] = 0; },
  };
  it('the angle between the two CLVs: Lozi bounded below by 0.5 rad, Hénon down to < 1e-3 rad', () => {
    const T = 50000;
    const h = Array.from(clvAngles(covariantLyapunovVectors(henonMap(), { steps: T, seed: 2 }), { pair: [0, 1] }));
    const l = covariantLyapunovVectors(lozi, { steps: T, seed: 2 });
    const la = Array.from(clvAngles(l, { pair: [0, 1] }));
    // the sum of the Lozi exponents is ln b = ln 0.5 every step (|det J| = b)
    expect(Math.abs(l.exponents[0] + l.exponents[1] - Math.log(0.5))).toBeLessThan(1e-12);
    expect(Math.min(...la)).toBeGreaterThan(0.5);
    expect(Math.min(...h)).toBeLessThan(1e-3);
    // near-tangencies are rare but not exceptional on the Hénon attractor: ~1% of steps below 0.05 rad
    const frac = h.filter((v) => v < 0.05).length / T;
    expect(frac).toBeGreaterThan(0.002);
    expect(frac).toBeLessThan(0.05);
  });
  it('Lorenz-96 (N = 40, F = 8): sum −N, ~13 positive exponents, D_KY ≈ 27, unstable/stable splitting nearly tangent', async () => {
    const { lorenz96 } = await import('../../src/lyapunov/systems.js');
    const T = 1000;
    const r = covariantLyapunovVectors(lorenz96(), { k: 40, steps: T, warmup: 1000, frameWarmup: 1000, backwardWarmup: 1000, seed: 1 });
    const e = Array.from(r.exponents);
    // the divergence of the flow is −N everywhere: the exponents sum to −N up to RK4's error per step
    expect(Math.abs(e.reduce((a, b) => a + b, 0) + 40)).toBeLessThan(1e-3);
    // a 10-time-unit window: finite-time exponents scatter around the published λ1 ≈ 1.69, 13 positive
    expect(e[0]).toBeGreaterThan(1.3);
    expect(e[0]).toBeLessThan(2.1);
    const npos = e.filter((v) => v > 0.05).length;
    expect(npos).toBeGreaterThanOrEqual(11);
    expect(npos).toBeLessThanOrEqual(15);
    let s = 0, j = 0;
    for (; s + e[j] >= 0; j++) s += e[j];
    const ky = j + s / Math.abs(e[j]);
    expect(ky).toBeGreaterThan(25);
    expect(ky).toBeLessThan(29.5);
    const theta = clvAngles(r, { unstable: npos });
    const sorted = Array.from(theta).sort((a, b) => a - b);
    // the smallest principal angle between the unstable subspace and the rest is small (≲ 0.1 rad)
    expect(sorted[Math.floor(T / 2)]).toBeLessThan(0.1);
  });
});

describe('covariantLyapunovVectors on saturating and rank-deficient networks', () => {
  /** A vanilla RNN (H units, gain g, one input) and T steps: pulses of ±amp (two steps in 37) on N(0, 0.1²) noise, or N(0, amp²) noise. */
  const net = (H: number, g: number, seed: number, activation: 'tanh' | 'relu', bias: number) => {
    const rng = createRng(seed);
    const t = (shape: number[], f: () => number) => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
    return { activation, params: { wIn: t([H, 1], () => rng.normal()), wRec: t([H, H], () => (g * rng.normal()) / Math.sqrt(H)), b: t([H], () => bias * rng.normal()), wOut: t([1, H], () => 0), bOut: t([1], () => 0) } } as Rnn;
  };
  const drive = (T: number, kind: 'pulse' | 'noise', amp: number) => {
    const r = createRng(5);
    return { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, s) => (kind === 'noise' ? amp * r.normal() : (s % 37 < 2 ? amp : 0) + 0.1 * r.normal())) };
  };

  it('pulses of 30 and 100: growth along the vectors equals the exponents (it was −3.73 for −7.87 at 30), and no vector is NaN (at 100 the last one was)', () => {
    const H = 8;
    const rnn = net(H, 1.5, 1071, 'tanh', 0);
    const x0 = Float64Array.from({ length: H }, (_, i) => 0.5 * Math.sin(i + 1));
    for (const amp of [30, 100]) {
      const r = covariantLyapunovVectors(rnn, { inputs: drive(1100, 'pulse', amp), x0, warmup: 100, frameWarmup: 100, backwardWarmup: 100, steps: 800, seed: 1 });
      expect(r.vectors.data.every(Number.isFinite)).toBe(true);
      for (let i = 0; i < H; i++) expect(Math.abs(r.clvExponents[i] - r.exponents[i])).toBeLessThan(0.02);
      expect(r.exponents[H - 1]).toBeLessThan(amp === 30 ? -7.5 : -20);
    }
  });

  it('a relu network whose Jacobians drop below rank k is refused, naming the rank (its last exponents are −∞: they came out finite, −9 to −47); k up to that rank works', () => {
    const H = 20;
    const rnn = net(H, 2, 97, 'relu', 0.3);
    const x0 = Float64Array.from({ length: H }, (_, i) => 0.5 * Math.sin(i + 1));
    const opts = { inputs: drive(1100, 'noise', 1), x0, warmup: 100, frameWarmup: 100, backwardWarmup: 100, steps: 800, seed: 1 };
    let low = 0;
    try {
      covariantLyapunovVectors(rnn, opts);
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      const m = /covariantLyapunovVectors: the Jacobian at step \d+ has rank ≤ (\d+) < k = 20/.exec((e as Error).message);
      expect(m).not.toBeNull();
      low = Number((m as RegExpExecArray)[1]);
    }
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(H);
    const r = covariantLyapunovVectors(rnn, { ...opts, k: low });
    expect(r.exponents.every(Number.isFinite)).toBe(true);
    expect(r.vectors.data.every(Number.isFinite)).toBe(true);
  });
});

describe('covariantLyapunovVectors on an ill-scaled linear map', () => {
  it('an R whose off-diagonal entry overflows the backward solve is refused (it looped forever), and 1e60 in its place is resolved', () => {
    const opts = { steps: 50, warmup: 0, frameWarmup: 5, backwardWarmup: 5, seed: 1 };
    expect(() => covariantLyapunovVectors(linearMap([[1, 1e218], [0, 1e-290]]), opts)).toThrow(/covariantLyapunovVectors: the backward solve of covariant vector 1 overflowed/);
    const r = covariantLyapunovVectors(linearMap([[1, 1e60], [0, 1e-290]]), opts);
    expect(r.clvExponents[1]).toBeCloseTo(Math.log(1e-290), 6);
  });
});

describe('clvAngles at near-tangencies', () => {
  it('resolves angles down to 1e-10 rad, between two vectors and between a vector and a plane (acos read 0 below 1e-8, and 1e-7 as 9.88e-8)', () => {
    for (const th of [1e-4, 1e-7, 1e-8, 1e-10]) {
      const two = new Float64Array(6); // n = 3, k = 2: v1 = e1, v2 = (cos θ, sin θ, 0)
      two[0] = 1;
      two[1] = Math.cos(th);
      two[3] = Math.sin(th);
      const r = { vectors: { shape: [1, 3, 2], data: two } };
      expect(Math.abs(clvAngles(r, { pair: [0, 1] })[0] - th)).toBeLessThan(1e-12 * th);
      expect(Math.abs(clvAngles(r, { unstable: 1 })[0] - th)).toBeLessThan(1e-12 * th);
      const three = new Float64Array(12); // n = 4, k = 3: span(e1, e2) against (cos θ, 0, sin θ, 0)
      three[0] = 1;
      three[1 * 3 + 1] = 1;
      three[2] = Math.cos(th);
      three[2 * 3 + 2] = Math.sin(th);
      expect(Math.abs(clvAngles({ vectors: { shape: [1, 4, 3], data: three } }, { unstable: 2 })[0] - th)).toBeLessThan(1e-12 * th);
    }
  });

  it('resolves the smallest principal angle between two planes down to 1e-12 rad, also when the two angles are both tiny and the bases are rotated', () => {
    // n = 5, k = 4: span(e1, e2) against span(cos θ e1 + sin θ e3, cos φ e2 + sin φ e4)
    const rot = qr(Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, c) => Math.sin(1 + 7 * i + 3 * c * c)))).q;
    for (const [th, ph] of [[1e-4, 0.3], [1e-8, 0.3], [1e-10, 2e-10], [1e-12, 1e-12], [0.7, 1.2], [1.5, 1.5]]) {
      const cols = [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [Math.cos(th), 0, Math.sin(th), 0, 0], [0, Math.cos(ph), 0, Math.sin(ph), 0]];
      for (const rotate of [false, true]) {
        const data = new Float64Array(20);
        for (let c = 0; c < 4; c++) for (let r = 0; r < 5; r++) {
          let v = 0;
          if (rotate) for (let i = 0; i < 5; i++) v += rot.data[r * 5 + i] * cols[c][i];
          else v = cols[c][r];
          data[r * 4 + c] = v;
        }
        const got = clvAngles({ vectors: { shape: [1, 5, 4], data } }, { unstable: 2 })[0];
        // axis-aligned bases are exact; a rotation adds ≈ ε of rounding to every entry
        expect(Math.abs(got - Math.min(th, ph))).toBeLessThanOrEqual(rotate ? 4e-16 + 1e-12 * th : 1e-12 * th);
      }
    }
  });
});

describe('covariantLyapunovVectors on a Jacobian of rank 0', () => {
  it('refuses without asking for k ≤ 0', () => {
    expect(() => covariantLyapunovVectors(linearMap([[0, 0], [0, 0]]), { steps: 20 })).toThrow(/rank ≤ 0 < k = 2 .*no covariant vector is defined there/);
  });
});

describe('covariantLyapunovVectors on inputs the warm-ups fill', () => {
  const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 1, gain: 1, seed: 1 });
  const inputs = (L: number) => ({ shape: [L, 2], data: new Float32Array(2 * L).fill(0.1) });
  it('refuses default warm-ups that leave a window under 10 steps (L = 20 threw "steps: got 0" for a steps never passed; L = 21 returned a 1-step window)', () => {
    for (const L of [10, 11, 20, 21, 29]) {
      expect(() => covariantLyapunovVectors(rnn, { inputs: inputs(L) }), `L = ${L}`).toThrow(
        new RegExp(`^covariantLyapunovVectors: the inputs have L = ${L} steps, too few for the default warm-ups \\(frameWarmup \\d+, backwardWarmup \\d+: .*\\) to leave a window of at least 10 steps \\(it would be \\d+\\): pass frameWarmup and backwardWarmup explicitly \\(0 allowed\\), or longer inputs$`),
      );
    }
    // one default is enough to be refused, and only it is asked for; L < 10 even with steps given
    expect(() => covariantLyapunovVectors(rnn, { inputs: inputs(20), frameWarmup: 5 })).toThrow(/default warm-ups \(backwardWarmup 10: .*: pass backwardWarmup explicitly/);
    expect(() => covariantLyapunovVectors(rnn, { inputs: inputs(8), steps: 2 })).toThrow(/L = 8 steps, too few for the default warm-ups .*, which need L ≥ 10: pass frameWarmup and backwardWarmup explicitly/);
    expect(() => covariantLyapunovVectors(rnn, { inputs: inputs(8), frameWarmup: 0 })).toThrow(/L = 8 steps, too few for the default warm-ups \(backwardWarmup 4: .*which need L ≥ 10: pass backwardWarmup explicitly/);
    // an explicit warmup that takes the window is named
    expect(() => covariantLyapunovVectors(rnn, { inputs: inputs(100), warmup: 85 })).toThrow(/L = 100 steps \(warmup 85\), too few for the default warm-ups .*it would be 0/);
    // L = 30 leaves 10 (warm-ups 10 + 10); explicit warm-ups may leave any window
    expect(covariantLyapunovVectors(rnn, { inputs: inputs(30) }).exponents.length).toBe(3);
    expect(covariantLyapunovVectors(rnn, { inputs: inputs(21), frameWarmup: 10, backwardWarmup: 10 }).exponents.length).toBe(3);
  });
  it('explicit warm-ups that leave no window are refused naming L and the warm-ups', () => {
    expect(() => covariantLyapunovVectors(rnn, { inputs: inputs(12), warmup: 8, frameWarmup: 2, backwardWarmup: 2 })).toThrow(
      /covariantLyapunovVectors: the inputs have L = 12 steps, leaving none for the window after warmup 8, frameWarmup 2 and backwardWarmup 2/,
    );
    // a steps the user gave is still checked as such
    expect(() => covariantLyapunovVectors(rnn, { inputs: inputs(40), steps: 0 })).toThrow(/steps: expected an integer >= 1, got 0/);
    expect(covariantLyapunovVectors(rnn, { inputs: inputs(40) }).exponents.length).toBe(3);
  });
});
