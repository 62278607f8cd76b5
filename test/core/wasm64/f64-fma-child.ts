/**
 * Checks of the fused multiply-add build of the float64 kernels ('wasm-fma'), run by f64-fma.test.ts
 * in a child Node started with --experimental-wasm-relaxed-simd (Node 20 has relaxed SIMD only behind
 * that flag; Node 22 has it on by default). Prints one JSON line (see `Report`). Errors are given as
 * ratios to their derived tolerance, so ≤ 1 passes.
 */
import { readFileSync } from 'node:fs';
import { backend, setBackend } from '../../../src/core/backend.js';
import { createRng } from '../../../src/core/rng.js';
import { f64FmaWasm, f64MulAddWasm } from '../../../src/core/wasm64/loader.js';
import { applyFactoredQRight, matMulRowByColMajor, qrFactor, qrFormQ, qrLogDiagInPlace } from '../../../src/lyapunov/kernels.js';
import { CHECKED_MAX_CONDITION, lyapunovSpectrum } from '../../../src/lyapunov/spectrum.js';
import { rnnSystem } from '../../../src/rnn/system.js';
import { tanhRnn } from '../../lyapunov/tanh-rnn.js';

export interface Report {
  available: boolean;
  /** backend('float64') under 'auto'. */
  auto: string;
  /** max over entries of |FMA − JS| / (2·n·ε·Σ_l |a_il||q_lj|) for diag-free A·Q (gemmTN). */
  gemm: number;
  /** max |Δ log R_jj| / (1e3·n·ε) and max |ΔQ| / (1e4·n·ε) against the JS QR (same constants as test/lyapunov/wasm.test.ts). */
  qrLogR: number;
  qrQ: number;
  /** the factored frame (qrFactor, qrFormQ, m·Q with the pairs of reflectors): max |Δ| / (1e4·n·ε·scale). */
  factored: number;
  /** c + a·b computed by the FMA build's dot and gemmTN: exact (rounded once) vs the 'wasm' build's. */
  dotFused: boolean;
  gemmFused: boolean;
  mulAddRoundsTwice: boolean;
  /** the CPU advertises FMA (Linux /proc/cpuinfo; relaxed_madd may run unfused without it). */
  cpuFma: boolean;
  /** the QR of the FMA build differs from the 'wasm' build's in some bit (the rewrite reached it). */
  qrDiffers: boolean;
  /** rnnSystem.step on 'wasm-fma' equals 'js' bit for bit (the gemv is not fused). */
  stepIdentical: boolean;
  /** spectra on 'wasm-fma' vs 'wasm': max |Δλ| / (1e-11·(1+|λ|)) with a QR every step, / (n·ε·κ·(1+|λ|)) by default (κ = CHECKED_MAX_CONDITION). */
  spectrumEvery: number;
  spectrumDefault: number;
  /** two runs on 'wasm-fma' give the same exponents bit for bit. */
  deterministic: boolean;
}

const EPS = 2 ** -52;

function rand(len: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: len }, () => rng.normal());
}

function withBackend<T>(b: string, f: () => T): T {
  setBackend('float64', b);
  try {
    return f();
  } finally {
    setBackend('float64', 'auto');
  }
}

const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
const maxAbsDiff = (a: Float64Array, b: Float64Array) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const SHAPES: [number, number][] = [[1, 1], [2, 1], [3, 3], [7, 4], [16, 16], [17, 9], [33, 33], [33, 1], [64, 8], [65, 65], [128, 40]];

function gemmError(): number {
  let worst = 0;
  for (const [n, k] of SHAPES) {
    const a = rand(n * n, n), q = rand(n * k, n + k);
    const oJ = new Float64Array(n * k), oF = new Float64Array(n * k);
    withBackend('js', () => matMulRowByColMajor(n, k, a, q, oJ));
    withBackend('wasm-fma', () => matMulRowByColMajor(n, k, a, q, oF));
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < n; i++) {
        let abs = 0;
        for (let l = 0; l < n; l++) abs += Math.abs(a[i * n + l] * q[j * n + l]);
        worst = Math.max(worst, Math.abs(oF[j * n + i] - oJ[j * n + i]) / (2 * n * EPS * abs + 1e-300));
      }
    }
  }
  return worst;
}

function qrErrors(): { qrLogR: number; qrQ: number; factored: number; qrDiffers: boolean } {
  let qrLogR = 0, qrQ = 0, factored = 0, qrDiffers = false;
  for (const [n, k] of SHAPES) {
    const z0 = rand(n * k, 3 * n + k);
    const run = (b: string) => withBackend(b, () => {
      const z = z0.slice();
      const l = new Float64Array(k);
      qrLogDiagInPlace(n, k, z, new Float64Array(k), l);
      return { z, l };
    });
    const J = run('js'), F = run('wasm-fma'), W = run('wasm');
    qrLogR = Math.max(qrLogR, maxAbsDiff(J.l, F.l) / (1e3 * n * EPS));
    qrQ = Math.max(qrQ, maxAbsDiff(J.z, F.z) / (1e4 * n * EPS));
    if (maxAbsDiff(W.z, F.z) > 0) qrDiffers = true;
    const m0 = rand(n * n, n + 11);
    const frame = (b: string) => withBackend(b, () => {
      const z = z0.slice(), tau = new Float64Array(k), rd = new Float64Array(k);
      qrFactor(n, k, z, tau, rd);
      const m = m0.slice();
      applyFactoredQRight(n, k, z, tau, rd, m);
      const f = z.slice();
      qrFormQ(n, k, f, tau);
      return { m, f };
    });
    const fJ = frame('js'), fF = frame('wasm-fma');
    factored = Math.max(factored, maxAbsDiff(fJ.f, fF.f) / (1e4 * n * EPS), maxAbsDiff(fJ.m, fF.m) / (1e4 * n * EPS * maxAbs(m0) * Math.sqrt(n)));
  }
  return { qrLogR, qrQ, factored, qrDiffers };
}

/**
 * c + a·b with c = −1 and a = b = 1 + 2^-30: exactly 2^-29 + 2^-60, which a fused multiply-add
 * gives (rounded once); rounding a·b first loses the 2^-60 (result 2^-29).
 */
const A = 1 + 2 ** -30;
const EXACT = 2 ** -29 + 2 ** -60;

/** dot([−1, 0, 0, 0, a, 0, 0, 0], [1, 0, 0, 0, a, 0, 0, 0]): lane 0 of the first accumulator is c + a·b. */
function dotOf(build: 'fma' | 'mul-add'): number {
  const ex = build === 'fma' ? f64FmaWasm()! : f64MulAddWasm()!;
  const f = new Float64Array(ex.memory.buffer);
  f.fill(0, 0, 16);
  f[0] = -1; f[4] = A; f[8] = 1; f[12] = A;
  return ex.dot(0, 64, 8);
}

/** (A·Q)_00 for n = 4 with A's row 0 = [−1, 0, a, 0] and Q's column 0 = [1, 0, a, 0] (gemmTN's 4×2 block). */
function gemmOf(b: string): number {
  const n = 4;
  const a = new Float64Array(n * n), q = new Float64Array(n * 2);
  a[0] = -1; a[2] = A; q[0] = 1; q[2] = A;
  const out = new Float64Array(n * 2);
  withBackend(b, () => matMulRowByColMajor(n, 2, a, q, out));
  return out[0];
}

function stepIdentical(): boolean {
  for (const n of [3, 16, 33, 64]) {
    const s = rnnSystem(tanhRnn(n, 1.5, n));
    let xj = rand(n, n + 3), xf = xj.slice();
    for (let t = 0; t < 20; t++) {
      const oj = new Float64Array(n), of = new Float64Array(n);
      withBackend('js', () => s.step(xj, 0, oj));
      withBackend('wasm-fma', () => s.step(xf, 0, of));
      if (maxAbsDiff(oj, of) !== 0) return false;
      [xj, xf] = [oj, of];
    }
  }
  return true;
}

function spectra(): { spectrumEvery: number; spectrumDefault: number; deterministic: boolean } {
  let every = 0, dflt = 0, deterministic = true;
  for (const [n, k] of [[33, 33], [33, 5], [20, 20], [64, 8], [17, 1]] as const) {
    const rnn = tanhRnn(n, 1.6, 100 + n);
    const x0 = rand(n, 1).map((v) => 0.3 * v);
    // float64 products throughout (the float64 builds are compared; 'auto' would take float32 at 64/8)
    const opts = { k, steps: 300, warmup: 10, frameWarmup: 20, x0, productPrecision: 'float64' as const };
    const W = withBackend('wasm', () => lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 }));
    const F = withBackend('wasm-fma', () => lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 }));
    const F2 = withBackend('wasm-fma', () => lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 }));
    if (maxAbsDiff(F.exponents, F2.exponents) !== 0) deterministic = false;
    const Wd = withBackend('wasm', () => lyapunovSpectrum(rnn, opts));
    const Fd = withBackend('wasm-fma', () => lyapunovSpectrum(rnn, opts));
    for (let i = 0; i < k; i++) {
      every = Math.max(every, Math.abs(F.exponents[i] - W.exponents[i]) / (1e-11 * (1 + Math.abs(W.exponents[i]))));
      dflt = Math.max(dflt, Math.abs(Fd.exponents[i] - Wd.exponents[i]) / (n * 2 ** -52 * CHECKED_MAX_CONDITION * (1 + Math.abs(Wd.exponents[i]))));
    }
  }
  return { spectrumEvery: every, spectrumDefault: dflt, deterministic };
}

function cpuHasFma(): boolean {
  try {
    return /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

const base = { available: false, auto: backend('float64') };
if (f64FmaWasm() === undefined) {
  console.log(JSON.stringify(base));
} else {
  const report: Report = {
    ...base,
    available: true,
    gemm: gemmError(),
    ...qrErrors(),
    dotFused: dotOf('fma') === EXACT,
    gemmFused: gemmOf('wasm-fma') === EXACT,
    mulAddRoundsTwice: dotOf('mul-add') === 2 ** -29 && gemmOf('wasm') === 2 ** -29,
    cpuFma: cpuHasFma(),
    stepIdentical: stepIdentical(),
    ...spectra(),
  };
  console.log(JSON.stringify(report));
}
