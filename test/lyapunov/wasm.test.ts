import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import {
  applyFactoredQRight,
  applyFactoredQRightColMajor,
  matMulRowByColMajor,
  qrFactor,
  qrFactorFormQ,
  qrFormQ,
  qrLogDiagInPlace,
} from '../../src/lyapunov/kernels.js';
import { CHECKED_MAX_CONDITION, lyapunovSpectrum } from '../../src/lyapunov/spectrum.js';
import { createLyapunovEstimator } from '../../src/lyapunov/estimator-core.js';
import { lyapunovBackend, lyapunovWasmAvailable, setLyapunovBackend } from '../../src/lyapunov/backend.js';
import { createEstimatorInternal } from '../../src/lyapunov/estimator-core.js';
import { resolveEstimatorOptions } from '../../src/lyapunov/estimator-options.js';
import { rnnSystem } from '../../src/rnn/system.js';
import { tanhRnn } from './tanh-rnn.js';
import { f64FmaWasmAvailable } from '../../src/core/wasm64/loader.js';

const EPS = 2.220446049250313e-16;
const SIZES = [1, 2, 3, 7, 8, 16, 33];

function rand(len: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: len }, () => rng.normal());
}

/** Runs f under the given backend and returns to 'auto'. */
function withBackend<T>(b: 'js' | 'wasm', f: () => T): T {
  setLyapunovBackend(b);
  try {
    return f();
  } finally {
    setLyapunovBackend('auto');
  }
}

/** What 'auto' picks here: the fused multiply-add build where relaxed SIMD runs, else SIMD, else JS. */
const autoChoice = () => (f64FmaWasmAvailable() ? 'wasm-fma' : lyapunovWasmAvailable() ? 'wasm' : 'js');

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

const dims = fc.record({ n: fc.constantFrom(...SIZES), kFrac: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer({ min: 0, max: 1e6 }) });
const shape = (d: { n: number; kFrac: number }) => ({ n: d.n, k: Math.max(1, Math.min(d.n, Math.ceil(d.kFrac * d.n))) });

afterEach(() => {
  setLyapunovBackend('auto');
});

describe.runIf(lyapunovWasmAvailable())('WebAssembly SIMD Lyapunov kernels', () => {
  it('the backend switch forces either implementation', () => {
    setLyapunovBackend('js');
    expect(lyapunovBackend()).toBe('js');
    setLyapunovBackend('wasm');
    expect(lyapunovBackend()).toBe('wasm');
    setLyapunovBackend('auto');
    expect(lyapunovBackend()).toBe(f64FmaWasmAvailable() ? 'wasm-fma' : 'wasm'); // relaxed SIMD: Node 22+, Chrome 114+
    expect(() => setLyapunovBackend('gpu' as never)).toThrow(RangeError);
  });

  it('matMulRowByColMajor: wasm = JS within c·n·ε·Σ|a||q|', () => {
    fc.assert(
      fc.property(dims, (d) => {
        const { n, k } = shape(d);
        const a = rand(n * n, d.seed);
        const q = rand(n * k, d.seed + 1);
        const outJ = new Float64Array(n * k);
        const outW = new Float64Array(n * k).fill(NaN);
        withBackend('js', () => matMulRowByColMajor(n, k, a, q, outJ));
        withBackend('wasm', () => matMulRowByColMajor(n, k, a, q, outW));
        const scale = n * maxAbs(a) * maxAbs(q);
        expect(maxAbsDiff(outJ, outW)).toBeLessThanOrEqual(2 * n * EPS * scale);
      }),
      { numRuns: 60 },
    );
  });

  it('qrLogDiagInPlace and qrFactorFormQ: wasm = JS (Q and log R) within c·n·ε', () => {
    fc.assert(
      fc.property(dims, (d) => {
        const { n, k } = shape(d);
        const z0 = rand(n * k, d.seed);
        const zJ = z0.slice();
        const zW = z0.slice();
        const lJ = new Float64Array(k);
        const lW = new Float64Array(k);
        withBackend('js', () => qrLogDiagInPlace(n, k, zJ, new Float64Array(k), lJ));
        withBackend('wasm', () => qrLogDiagInPlace(n, k, zW, new Float64Array(k), lW));
        // Q is well conditioned in its data only up to the conditioning of Z: allow κ-free slack
        // by comparing R's diagonal (backward stable) and Q up to a modest multiple of n·ε
        expect(maxAbsDiff(lJ, lW)).toBeLessThanOrEqual(1e3 * n * EPS);
        expect(maxAbsDiff(zJ, zW)).toBeLessThanOrEqual(1e4 * n * EPS);
        const zF = z0.slice();
        const rd = new Float64Array(k);
        withBackend('wasm', () => qrFactorFormQ(n, k, zF, new Float64Array(k), rd));
        expect(maxAbsDiff(zF, zW)).toBe(0); // same arithmetic as qrLogDiagInPlace
        for (let j = 0; j < k; j++) expect(Math.log(Math.abs(rd[j]))).toBe(lW[j]);
      }),
      { numRuns: 60 },
    );
  });

  it('wasm QR handles the rare reflector paths like JS: tiny/huge columns, exact zeros, NaN', () => {
    for (const n of [2, 7, 33]) {
      const k = Math.min(n, 5);
      for (const scale of [1e-150, 1e-300, 1e-310, 1e150, 1e300]) { // 1e-300, 1e-310: the 2^600 rescale below 2^-969
        const z0 = rand(n * k, n).map((v) => v * scale);
        const zJ = z0.slice(), zW = z0.slice();
        const lJ = new Float64Array(k), lW = new Float64Array(k);
        withBackend('js', () => qrLogDiagInPlace(n, k, zJ, new Float64Array(k), lJ));
        withBackend('wasm', () => qrLogDiagInPlace(n, k, zW, new Float64Array(k), lW));
        for (let j = 0; j < k; j++) expect(Math.abs(lW[j] - lJ[j])).toBeLessThanOrEqual(1e3 * n * EPS * (1 + Math.abs(lJ[j])));
        expect(maxAbsDiff(zJ, zW)).toBeLessThanOrEqual(1e4 * n * EPS);
      }
      // an already upper-triangular column (tau = 0) and an exactly zero column (log R = −∞)
      const z0 = rand(n * k, n + 1);
      for (let i = 1; i < n; i++) z0[i] = 0;
      if (k > 2) for (let i = 0; i < n; i++) z0[2 * n + i] = 0;
      const zJ = z0.slice(), zW = z0.slice();
      const lJ = new Float64Array(k), lW = new Float64Array(k);
      withBackend('js', () => qrLogDiagInPlace(n, k, zJ, new Float64Array(k), lJ));
      withBackend('wasm', () => qrLogDiagInPlace(n, k, zW, new Float64Array(k), lW));
      if (k > 2) expect(lW[2]).toBe(-Infinity);
      expect(lW[0]).toBe(lJ[0]);
      for (let j = 0; j < k; j++) if (lJ[j] === -Infinity) expect(lW[j]).toBe(-Infinity);
      // NaN propagates to the same exponents
      const zn = rand(n * k, 3);
      zn[n - 1] = NaN;
      const nJ = new Float64Array(k), nW = new Float64Array(k);
      withBackend('js', () => qrLogDiagInPlace(n, k, zn.slice(), new Float64Array(k), nJ));
      withBackend('wasm', () => qrLogDiagInPlace(n, k, zn.slice(), new Float64Array(k), nW));
      for (let j = 0; j < k; j++) expect(Number.isNaN(nW[j])).toBe(Number.isNaN(nJ[j]));
    }
  });

  it('wasm QR: orthonormal Q, Q·R = Z (R = QᵀZ upper triangular with diag exp(log R)) to c·n·ε', () => {
    for (const n of SIZES) {
      for (const k of [1, Math.max(1, n >> 1), n]) {
        const z0 = rand(n * k, 7 * n + k);
        const q = z0.slice();
        const logr = new Float64Array(k);
        withBackend('wasm', () => qrLogDiagInPlace(n, k, q, new Float64Array(k), logr));
        const mag = maxAbs(z0) * Math.sqrt(n);
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) {
            let o = 0, r = 0;
            for (let i = 0; i < n; i++) {
              o += q[a * n + i] * q[b * n + i];
              r += q[a * n + i] * z0[b * n + i];
            }
            expect(Math.abs(o - (a === b ? 1 : 0))).toBeLessThanOrEqual(20 * n * EPS);
            if (a > b) expect(Math.abs(r)).toBeLessThanOrEqual(20 * n * EPS * mag);
            if (a === b) expect(Math.abs(r - Math.exp(logr[a]))).toBeLessThanOrEqual(20 * n * EPS * mag);
          }
        }
      }
    }
  });

  it('factored frame: qrFactor/qrFormQ and applyFactoredQRight(ColMajor): wasm = JS', () => {
    fc.assert(
      fc.property(dims, (d) => {
        const { n, k } = shape(d);
        const z0 = rand(n * k, d.seed);
        const m0 = rand(n * n, d.seed + 5);
        const run = (b: 'js' | 'wasm') =>
          withBackend(b, () => {
            const z = z0.slice();
            const tau = new Float64Array(k);
            const rd = new Float64Array(k);
            qrFactor(n, k, z, tau, rd);
            const m = m0.slice();
            applyFactoredQRight(n, k, z, tau, rd, m);
            const out = new Float64Array(n * k);
            applyFactoredQRightColMajor(n, k, z, tau, rd, m0.slice(), out);
            const zf = z.slice();
            qrFormQ(n, k, zf, tau);
            return { z, tau, rd, m, out, zf };
          });
        const J = run('js');
        const W = run('wasm');
        const tol = 1e4 * n * EPS;
        expect(maxAbsDiff(J.rd, W.rd)).toBeLessThanOrEqual(tol * maxAbs(J.rd));
        expect(maxAbsDiff(J.tau, W.tau)).toBeLessThanOrEqual(tol);
        expect(maxAbsDiff(J.z, W.z)).toBeLessThanOrEqual(tol);
        expect(maxAbsDiff(J.zf, W.zf)).toBeLessThanOrEqual(tol);
        expect(maxAbsDiff(J.m, W.m)).toBeLessThanOrEqual(tol * maxAbs(m0) * Math.sqrt(n));
        expect(maxAbsDiff(J.out, W.out)).toBeLessThanOrEqual(tol * maxAbs(m0) * Math.sqrt(n));
        // the ColMajor variant is the transpose of the first k columns of m·Q
        for (let c = 0; c < k; c++) for (let r = 0; r < n; r++) expect(W.out[c * n + r]).toBe(W.m[r * n + c]);
      }),
      { numRuns: 60 },
    );
  });

  it('wasm QR = JS QR, also qrFormQ after qrFactor', () => {
    fc.assert(
      fc.property(dims, (d) => {
        const { n, k } = shape(d);
        const z0 = rand(n * k, d.seed);
        const run = (b: 'js' | 'wasm') =>
          withBackend(b, () => {
            const z = z0.slice();
            const l = new Float64Array(k);
            qrLogDiagInPlace(n, k, z, new Float64Array(k), l);
            const y = z0.slice();
            const tau = new Float64Array(k);
            const rd = new Float64Array(k);
            qrFactor(n, k, y, tau, rd);
            const f = y.slice();
            qrFormQ(n, k, f, tau);
            return { z, l, y, f, rd };
          });
        const J = run('js');
        const W = run('wasm');
        const tol = 1e4 * n * EPS;
        expect(maxAbsDiff(J.l, W.l)).toBeLessThanOrEqual(1e3 * n * EPS);
        expect(maxAbsDiff(J.z, W.z)).toBeLessThanOrEqual(tol);
        // the factored output: reflectors below the diagonal (R above it is not part of the contract)
        for (let c = 0; c < k; c++) for (let r = c; r < n; r++) expect(Math.abs(J.y[c * n + r] - W.y[c * n + r])).toBeLessThanOrEqual(tol);
        expect(maxAbsDiff(J.f, W.f)).toBeLessThanOrEqual(tol);
        expect(maxAbsDiff(J.rd, W.rd)).toBeLessThanOrEqual(tol * maxAbs(J.rd));
      }),
      { numRuns: 60 },
    );
  });

  it('wasm kernels are deterministic (bit-identical run to run) and leave memory growth harmless', () => {
    const n = 33, k = 17;
    const z0 = rand(n * k, 3);
    const once = () => {
      const z = z0.slice();
      const l = new Float64Array(k);
      withBackend('wasm', () => qrLogDiagInPlace(n, k, z, new Float64Array(k), l));
      return [z, l];
    };
    const [a1, l1] = once();
    // a large call in between grows the memory (and detaches old views)
    const big = 300;
    withBackend('wasm', () => matMulRowByColMajor(big, big, rand(big * big, 1), rand(big * big, 2), new Float64Array(big * big)));
    const [a2, l2] = once();
    expect(a2).toEqual(a1);
    expect(l2).toEqual(l1);
  });


  it('rnnSystem.step is bit-identical under both backends (the state trajectory does not depend on it)', () => {
    for (const n of [1, 2, 3, 7, 16, 33]) {
      const s1 = rnnSystem(tanhRnn(n, 1.5, n));
      const s2 = rnnSystem(tanhRnn(n, 0.7, n + 50));
      for (const s of [s1, s2, s1]) {
        let xj = rand(n, n + 3);
        let xw = xj.slice();
        for (let t = 0; t < 20; t++) {
          const oj = new Float64Array(n);
          const ow = new Float64Array(n);
          withBackend('js', () => s.step(xj, 0, oj));
          withBackend('wasm', () => s.step(xw, 0, ow));
          expect(ow).toEqual(oj);
          xj = oj;
          xw = ow;
        }
      }
    }
  });

  it('jacobianTimesColMajor (resident weights): wasm = JS, also when two systems alternate', () => {
    for (const n of [3, 7, 33]) {
      const s1 = rnnSystem(tanhRnn(n, 1.5, n));
      const s2 = rnnSystem(tanhRnn(n, 0.9, n + 1));
      const x = rand(n, 9).map((v) => 0.5 * v);
      const k = Math.max(1, n - 2);
      const q = rand(n * k, 4);
      for (const s of [s1, s2, s1]) {
        const oJ = new Float64Array(n * k);
        const oW = new Float64Array(n * k);
        withBackend('js', () => s.jacobianTimesColMajor(x, 0, q, k, oJ));
        withBackend('wasm', () => s.jacobianTimesColMajor(x, 0, q, k, oW));
        expect(maxAbsDiff(oJ, oW)).toBeLessThanOrEqual(4 * n * EPS * maxAbs(oJ) * Math.sqrt(n) + 1e-300);
      }
    }
  });

  it('the whole spectrum: wasm backend = JS backend (full and top-k, factored and explicit frame)', () => {
    for (const [n, k] of [[33, 33], [33, 5], [20, 20], [17, 1]] as const) {
      const rnn = tanhRnn(n, 1.6, 100 + n);
      const x0 = rand(n, 1).map((v) => 0.3 * v);
      const opts = { k, steps: 300, warmup: 10, frameWarmup: 20, x0, reorthEvery: 1 };
      const J = withBackend('js', () => lyapunovSpectrum(rnn, opts));
      const W = withBackend('wasm', () => lyapunovSpectrum(rnn, opts));
      const W2 = withBackend('wasm', () => lyapunovSpectrum(rnn, opts));
      expect(W2.exponents).toEqual(W.exponents); // bit-identical run to run
      // per-step log R agree to ~n·ε·κ; 300 steps of chaotic dynamics amplify rounding of the frame
      // only in direction, not in the averaged growth rates (the frame converges to the same
      // Oseledets subspaces): a loose but failing-if-wrong tolerance
      for (let i = 0; i < k; i++) expect(Math.abs(W.exponents[i] - J.exponents[i])).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(J.exponents[i])));
      // the default interval (QR every few steps, frame condition ≤ CHECKED_MAX_CONDITION = 1e10):
      // the rounding of the un-orthonormalized product reaches the smallest directions amplified by
      // up to κ, n·ε·κ in each log R_jj (measured when written: 9.7e-7 at n = 33)
      const dflt = { k, steps: 300, warmup: 10, frameWarmup: 20, x0 };
      const Jd = withBackend('js', () => lyapunovSpectrum(rnn, dflt));
      const Wd = withBackend('wasm', () => lyapunovSpectrum(rnn, dflt));
      for (let i = 0; i < k; i++) expect(Math.abs(Wd.exponents[i] - Jd.exponents[i])).toBeLessThanOrEqual(n * EPS * CHECKED_MAX_CONDITION * (1 + Math.abs(Jd.exponents[i])));
    }
  });

  it('with the wasm backend the factored frame (J·H_0···H_{k-1}) gives the explicit-frame spectrum', () => {
    const n = 24;
    const rnn = tanhRnn(n, 1.6, 7);
    // the frame form is an internal option of the estimator (no module switch to reset)
    const run = (frame: 'factored' | 'explicit') =>
      withBackend('wasm', () => {
        const sys = rnnSystem(rnn);
        const est = createEstimatorInternal({ ...resolveEstimatorOptions({ dim: n, frameWarmup: 10, seed: 1 }, 'test'), frame });
        expect(est.prefersJacobian).toBe(frame === 'factored');
        let x = rand(n, 2).map((v) => 0.3 * v);
        let xn = new Float64Array(n);
        for (let t = 0; t < 210; t++) {
          sys.step(x, t, xn);
          sys.jacobian(x, t, est.jacobianBuffer());
          est.commitJacobian(t);
          [x, xn] = [xn, x];
        }
        return est.result();
      });
    const E = run('explicit');
    const F = run('factored');
    expect(E.steps).toBe(200);
    for (let i = 0; i < n; i++) expect(Math.abs(F.exponents[i] - E.exponents[i])).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(E.exponents[i])));
  });

  it('the streaming estimator on explicit Jacobians: wasm = JS', () => {
    const n = 24;
    const run = (b: 'js' | 'wasm', k: number) =>
      withBackend(b, () => {
        const est = createLyapunovEstimator({ dim: n, k, seed: 3 });
        const rng = createRng(5);
        for (let t = 0; t < 50; t++) est.pushJacobian(Float64Array.from({ length: n * n }, () => rng.normal() / Math.sqrt(n)));
        return est.result().exponents;
      });
    for (const k of [n, 6]) {
      const J = run('js', k);
      const W = run('wasm', k);
      for (let i = 0; i < k; i++) expect(Math.abs(W[i] - J[i])).toBeLessThanOrEqual(1e-11);
    }
  });
});

describe('one backend switch: setBackend(kind, choice) / backend(kind)', () => {
  it('drives the float64 kernels (the old names are aliases) and the kernel registry', async () => {
    const { setBackend, backend } = await import('../../src/core/backend.js');
    await import('../../src/autodiff/rnn-op.js'); // registers 'rnnRecurrence'
    setBackend('float64', 'js');
    expect(backend('float64')).toBe('js');
    expect(lyapunovBackend()).toBe('js');
    setLyapunovBackend('auto');
    expect(backend('float64')).toBe(autoChoice());
    setBackend('rnnRecurrence', 'js');
    expect(backend('rnnRecurrence')).toBe('js');
    setBackend('rnnRecurrence', 'auto');
    expect(() => setBackend(42 as never, 'js')).toThrow(TypeError);
    expect(() => setBackend('float64', null as never)).toThrow(/^setBackend: choice must be 'auto', 'wasm-fma', 'wasm' or 'js', got null/);
    expect(() => setBackend('float64', 'gpu')).toThrow(RangeError);
    expect(() => setBackend('gpu', 'js')).toThrow(/^setBackend: unknown kind 'gpu' \(known: float64, .*rnnRecurrence/);
    expect(() => backend('gpu')).toThrow(/^backend: unknown kind/);
    expect(() => setLyapunovBackend(true as never)).toThrow(TypeError);
    expect(backend('float64')).toBe(autoChoice()); // a failed call changed nothing
  });
});
