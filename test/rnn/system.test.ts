import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { rnnSystem } from '../../src/rnn/system.js';
import { readDrive } from '../../src/rnn/drive.js';
import { gatedSystem } from '../../src/rnn/gated/system.js';
import { initRnn } from '../../src/rnn/init.js';
import type { GatedRnn } from '../../src/rnn/types.js';
import type { Activation, Rnn } from '../../src/rnn/types.js';

const EPS = 2.220446049250313e-16;

function t(shape: number[], f: (i: number) => number): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return { shape, data: Float32Array.from({ length: n }, (_, i) => f(i)) };
}

function makeRnn(h: number, i: number, opts: { g?: number; activation?: Activation; seed?: number; bias?: number } = {}): Rnn {
  const rng = createRng(opts.seed ?? 1);
  const g = opts.g ?? 1;
  return {
    activation: opts.activation ?? 'tanh',
    params: {
      wIn: t([h, i], () => rng.normal() / Math.sqrt(i)),
      wRec: t([h, h], () => (g * rng.normal()) / Math.sqrt(h)),
      b: t([h], () => (opts.bias ?? 0.1) * rng.normal()),
      wOut: t([2, h], () => rng.normal()),
      bOut: t([2], () => 0),
    },
  };
}

function seq(T: number, i: number, seed: number, b = 1): Tensor {
  const rng = createRng(seed);
  return t([b, T, i], () => rng.normal());
}

describe('rnnSystem', () => {
  it('steps h′ = φ(wRec·h + wIn·x_t + b) in float64', () => {
    const rnn = makeRnn(5, 3);
    const x = seq(4, 3, 2);
    const sys = rnnSystem(rnn, { inputs: x });
    expect(sys.dim).toBe(5);
    expect(sys.length).toBe(4);
    const h = Float64Array.from({ length: 5 }, (_, i) => 0.1 * i - 0.2);
    const out = new Float64Array(5);
    sys.step(h, 2, out);
    const { wRec, wIn, b } = rnn.params;
    for (let r = 0; r < 5; r++) {
      let a = b.data[r];
      for (let c = 0; c < 5; c++) a += wRec.data[r * 5 + c] * h[c];
      for (let c = 0; c < 3; c++) a += wIn.data[r * 3 + c] * x.data[2 * 3 + c];
      expect(Math.abs(out[r] - Math.tanh(a))).toBeLessThan(10 * EPS);
    }
  });

  it('has the exact Jacobian diag(φ′(a))·wRec (central finite differences), for every activation', () => {
    for (const activation of ['tanh', 'relu', 'identity'] as const) {
      const rnn = makeRnn(7, 2, { activation, g: 1.3, seed: 4 });
      const sys = rnnSystem(rnn, { input: [0.3, -0.7] });
      const n = 7, step = 1e-6;
      const h = Float64Array.from({ length: n }, (_, i) => Math.cos(i + 0.5));
      const J = new Float64Array(n * n);
      sys.jacobian(h, 0, J);
      const hp = new Float64Array(n), hm = new Float64Array(n), fp = new Float64Array(n), fm = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        hp.set(h);
        hm.set(h);
        hp[j] += step;
        hm[j] -= step;
        sys.step(hp, 0, fp);
        sys.step(hm, 0, fm);
        for (let i = 0; i < n; i++) {
          // truncation O(step²) + rounding O(ε/step): well below 1e-8 (relu: no pre-activation within 1e-6 of its kink here)
          expect(Math.abs((fp[i] - fm[i]) / (2 * step) - J[i * n + j])).toBeLessThan(1e-8);
        }
      }
    }
  });

  it('jacobianTimes equals jacobian · Q for every blocking remainder, and is consistent after other calls', () => {
    for (const [n, k] of [[1, 1], [5, 3], [9, 9], [10, 4], [13, 7]]) {
      const rnn = makeRnn(n, 2, { g: 1.5, seed: n });
      const sys = rnnSystem(rnn);
      const rng = createRng(n + k);
      const h = Float64Array.from({ length: n }, () => rng.normal());
      const other = Float64Array.from({ length: n }, () => rng.normal());
      const q = Float64Array.from({ length: n * k }, () => rng.normal());
      const J = new Float64Array(n * n);
      const out = new Float64Array(n * k);
      sys.step(other, 0, new Float64Array(n)); // fills the cache with another state
      sys.jacobianTimes?.(h, 0, q, k, out);
      sys.jacobian(h, 0, J);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          let s = 0, m = 0;
          for (let l = 0; l < n; l++) {
            s += J[i * n + l] * q[l * k + j];
            m += Math.abs(J[i * n + l] * q[l * k + j]);
          }
          expect(Math.abs(out[i * k + j] - s)).toBeLessThanOrEqual(4 * n * EPS * m + 1e-300);
        }
      }
    }
  });

  it('jacobianTimesColMajor is the same product in column-major storage, and lyapunovSpectrum gives the same spectrum through either path', () => {
    const n = 11, k = 5;
    const rnn = makeRnn(n, 2, { g: 1.7, seed: 21 });
    const sys = rnnSystem(rnn, { input: [0.2, -0.1] });
    const rng = createRng(3);
    const h = Float64Array.from({ length: n }, () => rng.normal());
    const qRow = Float64Array.from({ length: n * k }, () => rng.normal());
    const qCol = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) qCol[j * n + i] = qRow[i * k + j];
    const outRow = new Float64Array(n * k), outCol = new Float64Array(n * k);
    sys.jacobianTimes?.(h, 0, qRow, k, outRow);
    sys.jacobianTimesColMajor(h, 0, qCol, k, outCol);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) expect(Math.abs(outCol[j * n + i] - outRow[i * k + j])).toBeLessThan(1e-14);
    // the same system seen only through step + jacobian (no product methods)
    const plain = { dim: n, step: sys.step, jacobian: sys.jacobian };
    const x0 = Float64Array.from({ length: n }, () => 0.3 * rng.normal());
    const a = lyapunovSpectrum(sys, { k, x0, steps: 500, warmup: 50 });
    const b = lyapunovSpectrum(plain, { k, x0, steps: 500, warmup: 50 });
    for (let i = 0; i < k; i++) expect(Math.abs(a.exponents[i] - b.exponents[i])).toBeLessThan(1e-11);
  });

  it('rejects bad RNNs, inputs and times with clear messages', () => {
    const rnn = makeRnn(4, 3);
    expect(() => rnnSystem(rnn, { inputs: seq(5, 2, 1) })).toThrow(/I = 3 \(the RNN's input size\), got \[1,5,2\]/);
    expect(() => rnnSystem(rnn, { inputs: seq(5, 3, 1, 2) })).toThrow(RangeError);
    expect(() => rnnSystem(rnn, { input: [1, 2] })).toThrow(/^rnnSystem: input: expected a constant input of length 3, got 2$/); // toDynamicalSystem's reader (was 'input must have length I = 3, got 2')
    expect(() => rnnSystem(rnn, { input: [1, 2, 3], inputs: seq(5, 3, 1) })).toThrow(/not both/);
    expect(() => rnnSystem({ ...rnn, activation: 'sigmoid' as Activation })).toThrow(/activation/);
    const badW = makeRnn(4, 3);
    badW.params.wRec.data[5] = NaN;
    expect(() => rnnSystem(badW)).toThrow(/wRec has NaN at flat index 5/);
    const sys = rnnSystem(rnn, { inputs: seq(5, 3, 1) });
    expect(() => sys.step(new Float64Array(4), 5, new Float64Array(4))).toThrow(/\[0, 5\)/);
    expect(() => sys.step(new Float64Array(3), 0, new Float64Array(4))).toThrow(/length H = 4/);
  });
});

describe('lyapunovSpectrum of an RNN', () => {
  it('tanh network with g < 1 at its fixed point 0: sorted ln|eig(gW)| (ml-matrix EVD)', () => {
    const n = 20;
    const rnn = makeRnn(n, 1, { g: 0.8, seed: 9, bias: 0 });
    const W = new Matrix(Array.from({ length: n }, (_, i) => Array.from(rnn.params.wRec.data.subarray(i * n, (i + 1) * n))));
    const e = new EigenvalueDecomposition(W);
    const expected = e.realEigenvalues.map((re, i) => Math.log(Math.hypot(re, e.imaginaryEigenvalues[i]))).sort((a, b) => b - a);
    const T = 4000;
    const r = lyapunovSpectrum(rnn, { steps: T });
    // a constant Jacobian has no fluctuation, only a transient: the error is O(log κ(eigenvectors))/T,
    // far inside the 1/√T of a noisy orbit (measured ≈ 1.1/T here)
    for (let i = 0; i < n; i++) expect(Math.abs(r.exponents[i] - expected[i])).toBeLessThan(10 / T);
    // the sum is exact at every step: ln|det W|
    const sum = r.exponents.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - expected.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
  });

  it('a unit saturated past float64 (φ′ = 1/cosh² underflows to exactly 0) gives its finite exponent; past the factors\' reach −Infinity, never NaN', () => {
    const rnn = makeRnn(4, 1, { g: 1.2, seed: 2 });
    rnn.params.b.data[2] = 1000; // pre-activation ≈ 1000: φ′ = 0 exactly in float64, its log ≈ ln 4 − 2000
    const r = lyapunovSpectrum(rnn, { steps: 300 });
    // the step is taken as factors (src/rnn/tanh-factors.ts): the unit's exponent is ln φ′ ± the
    // others' O(1) (W's Schur complement), where it was −Infinity
    expect(r.exponents[3]).toBeGreaterThan(-2010);
    expect(r.exponents[3]).toBeLessThan(-1990);
    for (let i = 0; i < 3; i++) expect(Number.isFinite(r.exponents[i])).toBe(true);
    for (const s of r.stderr) expect(Number.isNaN(s)).toBe(false);
    rnn.params.b.data[2] = 1e4; // past |a| ≈ 6650 (MAX_TANH_FACTORS): the plain Jacobian's zero row
    const far = lyapunovSpectrum(rnn, { steps: 300 });
    expect(far.exponents[3]).toBe(-Infinity);
    for (const s of far.stderr) expect(Number.isNaN(s)).toBe(false);
    // a dead relu unit too
    const relu = makeRnn(4, 1, { activation: 'relu', g: 0.5, seed: 3 });
    relu.params.b.data[0] = -100;
    expect(lyapunovSpectrum(relu, { steps: 200 }).exponents[3]).toBe(-Infinity);
  });

  it('with inputs [B,T,I]: one spectrum per sequence, their mean, spread and standard error', () => {
    const rnn = makeRnn(6, 2, { g: 1.8, seed: 5 });
    const B = 3, T = 400;
    const x = seq(T, 2, 8, B);
    const r = lyapunovSpectrum(rnn, { inputs: x, k: 3, frameWarmup: 50 });
    expect(r.perSequence?.length).toBe(B);
    expect(r.steps).toBe(T - 50);
    for (let b = 0; b < B; b++) {
      const one = lyapunovSpectrum(rnn, { inputs: { shape: [T, 2], data: x.data.subarray(b * T * 2, (b + 1) * T * 2) }, k: 3, frameWarmup: 50 });
      expect(r.perSequence?.[b].exponents).toEqual(one.exponents);
    }
    for (let i = 0; i < 3; i++) {
      const v = (r.perSequence ?? []).map((p) => p.exponents[i]);
      const m = v.reduce((a, c) => a + c, 0) / B;
      const sd = Math.sqrt(v.reduce((a, c) => a + (c - m) ** 2, 0) / (B - 1));
      expect(r.exponents[i]).toBeCloseTo(m, 14);
      expect(r.std?.[i]).toBeCloseTo(sd, 14);
      expect(r.stderr[i]).toBeCloseTo(sd / Math.sqrt(B), 14);
    }
  });

  it('rejects inputs whose width does not match the RNN, and sequences too short to count', () => {
    const rnn = makeRnn(4, 3);
    expect(() => lyapunovSpectrum(rnn, { inputs: seq(50, 2, 1) })).toThrow(/I = 3 \(the RNN's input size\), got \[1,50,2\]/);
    expect(() => lyapunovSpectrum(rnn, { inputs: seq(10, 3, 1), warmup: 10 })).toThrow(/leaving none to count/);
    expect(() => lyapunovSpectrum(rnn, { inputs: seq(100, 3, 1), steps: 1000 })).toThrow(/exceeds the 90 counted steps/);
    expect(() => lyapunovSpectrum(rnn, { k: 5 })).toThrow(/k must be at most the state dimension 4/);
  });
});

describe('rnnSystem: starts, own options, values read once', () => {
  it('a driven system declares h0 = 0 as its initialState; an autonomous one declares none (analyses start at random)', () => {
    const rnn = makeRnn(4, 2);
    const driven = rnnSystem(rnn, { inputs: { shape: [5, 2], data: new Float32Array(10) } });
    expect(driven.initialState).toEqual(new Float64Array(4));
    expect(rnnSystem(rnn).initialState).toBeUndefined();
  });

  it('reads options as own properties, once', () => {
    const rnn = makeRnn(3, 1);
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.inputs = { shape: [1, 1], data: new Float32Array(1) };
      expect(rnnSystem(rnn, {}).length).toBeUndefined();
    } finally {
      delete proto.inputs;
    }
    let reads = 0;
    const inputs = { shape: [4, 1], get data() { return reads++ === 0 ? new Float32Array([1, 2, 3, 4]) : new Float32Array(1); } };
    const sys = rnnSystem(rnn, { inputs: inputs as unknown as Tensor });
    expect(reads).toBe(1);
    const out = new Float64Array(3);
    sys.step(new Float64Array(3), 3, out); // t = 3 reads the 4th input: no garbage
    expect(out.every(Number.isFinite)).toBe(true);
    expect(rnnSystem(rnn, { input: [0.5] }).dim).toBe(3);
    expect(rnnSystem(rnn, null as never).dim).toBe(3);
  });

  it('reads each option once for every cell (the adapters read rnnSystem\'s copy, not the caller\'s object again)', () => {
    const x: Tensor = { shape: [2, 1], data: new Float32Array([0.1, 0.2]) };
    const gated = (cell: 'gru' | 'lstm') => initRnn({ cell, inputSize: 1, hiddenSize: 3, outputSize: 1, seed: 1 } as never) as unknown as Rnn;
    for (const rnn of [makeRnn(3, 1), gated('gru'), gated('lstm')]) {
      let reads = 0;
      const sys = rnnSystem(rnn, { get inputs() { reads++; return x; } });
      expect(reads).toBe(1);
      expect(sys.length).toBe(2);
    }
  });

  it('the adapters follow the options rule: undefined or null options are the defaults, another kind names opts', () => {
    const gru = initRnn({ cell: 'gru', inputSize: 1, hiddenSize: 3, outputSize: 1, seed: 1 } as never) as unknown as GatedRnn;
    for (const o of [undefined, null]) {
      expect(rnnSystem(gru as unknown as Rnn, o as never).dim).toBe(3);
      expect(gatedSystem(gru, o, 'f').dim).toBe(3);
      expect(gatedSystem(gru, o, 'f').length).toBeUndefined();
      expect(readDrive(o, 2, 'f').seq).toBeUndefined();
    }
    for (const [o, kind] of [['x', 'string'], [42, 'number'], [[], 'an array']] as const) {
      expect(() => readDrive(o, 1, 'f')).toThrow(new TypeError(`f: opts must be an object of options, got ${kind}`));
      expect(() => gatedSystem(gru, o as never, 'f')).toThrow(new TypeError(`f: opts must be an object of options, got ${kind}`));
    }
  });
});
