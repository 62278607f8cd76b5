/**
 * Trustworthy defaults and edges of the geometry routines (non-embedding).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import { detectLimitCycle, findFixedPoints, knn, levinaBickel, pca, twoNN } from '../../src/geometry/index.js';
import { henonMap } from '../../src/lyapunov/index.js';
import { initRnn } from '../../src/rnn/index.js';

function cloud(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, () => rng.normal());
}

/** A rotation by 2π/7 on the unit circle (a period-7 orbit of the radius-1 attractor r ← √r). */
const rotation7: DynamicalSystem = {
  dim: 2,
  step(x, _t, out) {
    const r = Math.hypot(x[0], x[1]);
    const a = Math.atan2(x[1], x[0]) + (2 * Math.PI) / 7;
    const s = Math.sqrt(r);
    out[0] = s * Math.cos(a);
    out[1] = s * Math.sin(a);
  },
  jacobian(x, _t, out) {
    // numerically (exact enough for the multipliers' moduli checked elsewhere)
    const h = 1e-7;
    const f0 = new Float64Array(2), f1 = new Float64Array(2);
    for (let j = 0; j < 2; j++) {
      const xp = Float64Array.from(x); xp[j] += h;
      const xm = Float64Array.from(x); xm[j] -= h;
      rotation7.step(xp, 0, f0); rotation7.step(xm, 0, f1);
      out[0 * 2 + j] = (f0[0] - f1[0]) / (2 * h);
      out[1 * 2 + j] = (f0[1] - f1[1]) / (2 * h);
    }
  },
};

describe('detectLimitCycle', () => {
  it('`warmup` is the name; `transient` stays as a deprecated alias with the same result', () => {
    const a = detectLimitCycle(rotation7, { warmup: 300, seed: 2 });
    const b = detectLimitCycle(rotation7, { transient: 300, seed: 2 });
    expect(a.kind).toBe('limit-cycle');
    expect(a.period).toBe(7);
    expect(b.points).toEqual(a.points);
    expect(() => detectLimitCycle(rotation7, { warmup: -1 })).toThrow(/detectLimitCycle: warmup/);
    expect(() => detectLimitCycle(rotation7, { transient: 1.5 })).toThrow(/detectLimitCycle: transient/);
  });

  it('bounds maxPeriod (the search is O(maxPeriod²)) and the recorded memory before any work', () => {
    let stepped = 0;
    const counting: DynamicalSystem = { ...rotation7, step: (x, t, o) => { stepped++; rotation7.step(x, t, o); } };
    expect(() => detectLimitCycle(counting, { maxPeriod: 1e8 })).toThrow(/detectLimitCycle: maxPeriod: expected an integer in \[1, 10000\], got 100000000/);
    expect(() => detectLimitCycle(counting, { warmup: 1e12 })).toThrow(RangeError);
    const wide: DynamicalSystem = { dim: 1e6, step: () => {}, jacobian: () => {} };
    expect(() => detectLimitCycle(wide)).toThrow(/detectLimitCycle: .* needs .* GiB/);
    expect(() => detectLimitCycle(counting, { signal: 'x' as never })).toThrow(/detectLimitCycle: signal must be an AbortSignal/);
    expect(() => detectLimitCycle(counting, { onProgress: 1 as never })).toThrow(TypeError);
    expect(stepped).toBe(0);
  });

  it('reports progress in the shared shape and stops at the progress point that aborts', () => {
    const slow: DynamicalSystem = { ...rotation7, step: (x, t, o) => { const s = Date.now(); while (Date.now() - s < 1) { /* 1 ms */ } rotation7.step(x, t, o); } };
    const ac = new AbortController();
    const seen: { phase?: string; done: number; total: number }[] = [];
    expect(() => detectLimitCycle(slow, { warmup: 100000, signal: ac.signal, onProgress: (p) => { seen.push(p); ac.abort(); } })).toThrow(/abort/i);
    expect(seen).toHaveLength(1);
    expect(seen[0].phase).toBe('warmup');
    expect(seen[0].total).toBe(100000);
    expect(seen[0].done).toBeLessThan(1000);
  });

  it('an RNN whose origin is an unstable fixed point is not reported as sitting on it (random start)', () => {
    const rnn = initRnn({ inputSize: 1, hiddenSize: 20, outputSize: 1, gain: 3, seed: 1 });
    const r = detectLimitCycle(rnn, { warmup: 500, exponentSteps: 1000 });
    expect(r.kind).toBe('chaotic');
    expect(() => detectLimitCycle(henonMap(), { x0: [0, 0, 0] })).toThrow(/x0 must have length 2/);
  });
});

describe('findFixedPoints with inits still checks its other options', () => {
  const lin: DynamicalSystem = { dim: 2, step: (x, _t, o) => { o[0] = 0.5 * x[0]; o[1] = 0.5 * x[1] + 0.1; }, jacobian: (_x, _t, o) => { o[0] = 0.5; o[1] = 0; o[2] = 0; o[3] = 0.5; } };
  it('nStarts, noise, seed and signal are validated even when unused', () => {
    const inits = [[1, 1]];
    expect(findFixedPoints(lin, { inits }).points[0].x[1]).toBeCloseTo(0.2, 5); // q < 1e-12: |x − x*| ≲ 3e-6
    expect(() => findFixedPoints(lin, { inits, nStarts: -1 })).toThrow(/findFixedPoints: nStarts/);
    expect(() => findFixedPoints(lin, { inits, noise: Number.NaN })).toThrow(/findFixedPoints: noise/);
    expect(() => findFixedPoints(lin, { inits, seed: Number.NaN })).toThrow(RangeError);
    expect(() => findFixedPoints(lin, { inits, signal: 'x' as never })).toThrow(/findFixedPoints: signal/);
    const ac = new AbortController();
    ac.abort();
    expect(() => findFixedPoints(lin, { inits, signal: ac.signal })).toThrow(/abort/i);
  });
});

describe('point sets: dims, progress, own options', () => {
  const proto = Object.prototype as Record<string, unknown>;
  afterEach(() => {
    for (const key of ['dim', 'k', 'signal', 'components', 'center']) delete proto[key];
  });

  it('non-integer or negative dims in { shape, data } are RangeErrors, not NaN', () => {
    expect(() => pca({ shape: [2.5, 4], data: new Float32Array(10) })).toThrow(/pca: X: shape \[2.5,4\] must hold non-negative integers/);
    expect(() => pca({ shape: [-2, -5], data: new Float32Array(10) })).toThrow(RangeError);
    expect(() => twoNN({ shape: [5, 2.0001], data: new Float32Array(10) })).toThrow(RangeError);
    expect(() => knn(cloud(10, 2, 1), 2, { dim: 'x' as never })).toThrow(TypeError);
    expect(() => knn(cloud(10, 2, 1), 2, { dim: 1.5 })).toThrow(RangeError);
  });

  it('knn, twoNN, levinaBickel and pca report { phase, done, total } and honour an abort from onProgress', () => {
    // progress is reported every ≈ 50 ms: 3000 points took 55 ms for twoNN on a fast CPU, too close
    // to the first report; 8000 points take ≈ 4× as long
    const X = cloud(8000, 8, 2);
    for (const run of [
      (o: object) => knn(X, 5, { dim: 8, ...o }),
      (o: object) => twoNN(X, { dim: 8, ...o }),
      (o: object) => levinaBickel(X, { dim: 8, ...o }),
      (o: object) => pca(X, { dim: 8, ...o }),
    ]) {
      const ac = new AbortController();
      const seen: { phase?: string; done: number; total: number }[] = [];
      expect(() => run({ signal: ac.signal, onProgress: (p: { phase?: string; done: number; total: number }) => { seen.push(p); ac.abort(); } })).toThrow(/abort/i);
      expect(seen).toHaveLength(1);
      expect(typeof seen[0].phase).toBe('string');
      expect(seen[0].done).toBeLessThan(seen[0].total);
    }
    // a result with progress observed equals one without
    const a = knn(X, 5, { dim: 8 });
    const b = knn(X, 5, { dim: 8, onProgress: () => {} });
    expect(b.indices).toEqual(a.indices);
    expect(b.distances).toEqual(a.distances);
  });

  it('a polluted Object.prototype changes nothing', () => {
    const X = cloud(200, 4, 3);
    const a = pca(X, { dim: 4 });
    const l = levinaBickel(X, { dim: 4 });
    proto.components = 1;
    proto.center = false;
    proto.k = 3;
    proto.signal = { aborted: true };
    const b = pca(X, { dim: 4 });
    expect(b.k).toBe(a.k);
    expect(b.explainedVariance).toEqual(a.explainedVariance);
    expect(levinaBickel(X, { dim: 4 }).dimension).toBe(l.dimension);
    // null options → defaults, also under pollution
    expect(pca({ shape: [200, 4], data: Float32Array.from(X) }, null as never).k).toBe(4);
  });
});
