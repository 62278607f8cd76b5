import { describe, expect, it } from 'vitest';
import { Matrix, inverse } from 'ml-matrix';
import { findFixedPoints, fixedPointLmRaw } from '../../src/geometry/fixed-points.js';
import { tensor } from '../../src/core/tensor.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import type { Rnn } from '../../src/rnn/types.js';
import { affine, diagonalTanh, tanhRoot } from './systems.js';
import { initRnn } from '../../src/rnn/init.js';
import { rnnForward } from '../../src/rnn/forward.js';

const EPS = 2 ** -52;

/** Starts on a grid {−0.8, 0.02, 0.8}^dim plus a deterministic jitter. */
function gridStarts(dim: number): number[][] {
  const vals = [-0.8, 0.02, 0.8];
  const out: number[][] = [];
  const total = 3 ** dim;
  for (let c = 0; c < total; c++) {
    const row: number[] = [];
    let r = c;
    for (let i = 0; i < dim; i++) {
      row.push(vals[r % 3]! + 0.01 * Math.sin(7 * c + i));
      r = Math.floor(r / 3);
    }
    out.push(row);
  }
  return out;
}

describe('findFixedPoints', () => {
  const w = 2;
  const xs = tanhRoot(w);
  const stableEig = w / Math.cosh(w * xs) ** 2; // w(1 − x*²) < 1

  for (const method of ['lm', 'adam'] as const) {
    it(`${method}: all 27 fixed points of h' = tanh(2h) in 3-D with the right stability`, () => {
      const sys = diagonalTanh(3, w);
      const res = findFixedPoints(sys, { inits: gridStarts(3), method });
      expect(res.convergedFraction).toBe(1);
      expect(res.points.length).toBe(27);
      const seen = new Set<string>();
      for (const p of res.points) {
        expect(p.q).toBeLessThan(1e-12);
        expect(p.converged).toBe(true);
        let zeros = 0;
        const key: number[] = [];
        for (let i = 0; i < 3; i++) {
          const v = p.x[i]!;
          // q < 1e-12 ⇒ |r| < 1.5e-6; near a root with |r'| ≥ 1 − stableEig the error is ≤ |r|/|r'|
          const tolX = Math.sqrt(2e-12) / (1 - stableEig);
          if (Math.abs(v) < tolX) {
            zeros++;
            key.push(0);
          } else {
            expect(Math.abs(Math.abs(v) - xs)).toBeLessThan(tolX);
            key.push(Math.sign(v));
          }
        }
        seen.add(key.join(','));
        expect(p.unstableModes).toBe(zeros);
        expect(p.stability).toBe(zeros === 0 ? 'stable' : zeros === 3 ? 'unstable' : 'saddle');
        // eigenvalues: w at the zero coordinates, w·sech²(w x*) at the others, sorted by modulus
        const expected = [...Array(zeros).fill(w), ...Array(3 - zeros).fill(stableEig)];
        for (let i = 0; i < 3; i++) {
          expect(p.eigenvalues.im[i]).toBe(0);
          expect(Math.abs(p.eigenvalues.re[i]! - expected[i]!)).toBeLessThan(1e-5);
        }
      }
      expect(seen.size).toBe(27);
    });
  }

  it('LM converges quadratically: full precision within a few iterations; LM and Adam agree', () => {
    const sys = diagonalTanh(2, w);
    const x = new Float64Array([0.5, -0.6]);
    const r = fixedPointLmRaw(sys, x, 0, 1e-30, 50);
    expect(r.q).toBeLessThan(1e-30);
    expect(r.iterations).toBeLessThan(12);
    expect(Math.abs(x[0]! - xs)).toBeLessThan(4 * EPS);
    expect(Math.abs(x[1]! + xs)).toBeLessThan(4 * EPS);
    const inits = gridStarts(2);
    const a = findFixedPoints(sys, { inits, method: 'lm' });
    const b = findFixedPoints(sys, { inits, method: 'adam' });
    expect(a.points.length).toBe(9);
    expect(b.points.length).toBe(9);
    for (const p of a.points) {
      const match = b.points.find((o) => Math.hypot(o.x[0]! - p.x[0]!, o.x[1]! - p.x[1]!) < 1e-5);
      expect(match?.stability).toBe(p.stability);
    }
    expect(a.iterationsToConverge * 10).toBeLessThan(b.iterationsToConverge);
  });

  it('affine map: the unique fixed point (I − A)⁻¹b, a saddle with the eigenvalues of A', () => {
    // A = S·blockdiag(1.5, 0.5, [[0.3, −0.8],[0.8, 0.3]])·S⁻¹ with S upper unitriangular
    const B = [[1.5, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 0.3, -0.8], [0, 0, 0.8, 0.3]];
    const S = [[1, 0.5, -0.2, 0.1], [0, 1, 0.3, -0.4], [0, 0, 1, 0.6], [0, 0, 0, 1]];
    const Sinv = [[1, -0.5, 0.35, -0.51], [0, 1, -0.3, 0.58], [0, 0, 1, -0.6], [0, 0, 0, 1]];
    const mul = (P: number[][], Q: number[][]) => P.map((row) => Q[0]!.map((_, j) => row.reduce((s, v, k) => s + v * Q[k]![j]!, 0)));
    const A = mul(mul(S, B), Sinv);
    const xStar = [1, -2, 0.5, 3];
    const b = xStar.map((v, i) => v - A[i]!.reduce((s, a, j) => s + a * xStar[j]!, 0));
    const res = findFixedPoints(affine(A, b), { inits: [[0, 0, 0, 0], [5, 5, -5, 1]] });
    expect(res.points.length).toBe(1);
    const p = res.points[0]!;
    expect(res.starts.iterations[0]).toBeLessThanOrEqual(3); // Gauss–Newton is exact on a linear residual
    // x − x* = (I − A)⁻¹ r with ‖r‖ = √(2q); ‖(I − A)⁻¹‖ ≤ its Frobenius norm
    const IA = new Matrix(A.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) - v)));
    const bound = inverse(IA).norm('frobenius') * Math.sqrt(2 * p.q) + 1e-14;
    for (let i = 0; i < 4; i++) expect(Math.abs(p.x[i]! - xStar[i]!)).toBeLessThan(bound);
    expect(p.count).toBe(2);
    expect(p.stability).toBe('saddle');
    expect(p.unstableModes).toBe(1);
    const mod = Array.from(p.eigenvalues.re, (re, i) => Math.hypot(re, p.eigenvalues.im[i]!));
    const exp = [1.5, Math.hypot(0.3, 0.8), Math.hypot(0.3, 0.8), 0.5];
    mod.forEach((m, i) => expect(Math.abs(m - exp[i]!)).toBeLessThan(1e-12));
    expect(Math.abs(Math.abs(p.eigenvalues.im[1]!) - 0.8)).toBeLessThan(1e-12);
  });

  it('slow points are kept only on request; outliers far from the starts are removed', () => {
    // F(x) = x + x² + 1e-3 has no fixed point; q has a minimum 5e-7 at x = 0
    const slowSys: DynamicalSystem = {
      dim: 1,
      step: (x, _t, out) => { out[0] = x[0]! + x[0]! * x[0]! + 1e-3; },
      jacobian: (x, _t, out) => { out[0] = 1 + 2 * x[0]!; },
    };
    const inits = [[0.5], [-0.4], [0.2]];
    expect(findFixedPoints(slowSys, { inits }).points.length).toBe(0);
    const kept = findFixedPoints(slowSys, { inits, keepSlowPoints: 1e-6, maxIterations: 1000 });
    expect(kept.convergedFraction).toBe(0);
    expect(kept.points.length).toBe(1);
    expect(kept.points[0]!.converged).toBe(false);
    expect(Math.abs(kept.points[0]!.x[0]!)).toBeLessThan(1e-3);
    expect(kept.points[0]!.q).toBeGreaterThanOrEqual(5e-7 * (1 - 1e-9));
    // F(x) = 0.5x + 500: fixed point 1000, far from starts of radius ~1
    const far = affine([[0.5]], [500]);
    const starts = [[-1], [1], [0.5]];
    const dropped = findFixedPoints(far, { inits: starts });
    expect(dropped.points.length).toBe(0);
    expect(dropped.convergedFraction).toBe(1);
    expect(dropped.outliers).toBe(3); // every converged start was dropped, and the result says so
    const kept2 = findFixedPoints(far, { inits: starts, outlierDistanceScale: Infinity }).points[0]!;
    expect(Math.abs(kept2.x[0]! - 1000)).toBeLessThanOrEqual(2 * Math.sqrt(2 * kept2.q) + 1e-12); // |r|/(1 − 0.5)
  });

  it('samples starts from states with noise, reproducibly; Rnn with a constant input', () => {
    const H = 3;
    const wRec = [[0.5, 0.1, 0], [-0.1, 0.4, 0.2], [0, 0.3, -0.5]];
    const rnn: Rnn = {
      activation: 'tanh',
      params: {
        wIn: tensor([[1], [-0.5], [0.25]]),
        wRec: tensor(wRec),
        b: tensor([0.1, 0, -0.1]),
        wOut: tensor([[1, 0, 0]]),
        bOut: tensor([0]),
      },
    };
    const u = 0.7;
    // contraction: the unique fixed point by iterating the map (float32 weights, as the Rnn holds them)
    const W = Float64Array.from(rnn.params.wRec.data);
    const c = [0, 1, 2].map((i) => rnn.params.b.data[i]! + rnn.params.wIn.data[i]! * u);
    let h = [0, 0, 0];
    for (let it = 0; it < 500; it++) h = h.map((_, i) => Math.tanh(c[i]! + W[i * H]! * h[0]! + W[i * H + 1]! * h[1]! + W[i * H + 2]! * h[2]!));
    const states = tensor(Float32Array.from({ length: 2 * 5 * H }, (_, i) => Math.sin(i)), [2, 5, H]);
    const opts = { states, nStarts: 8, noise: 0.1, seed: 3, input: [u] };
    const res = findFixedPoints(rnn, opts);
    expect(res.points.length).toBe(1);
    expect(res.points[0]!.count).toBe(8);
    expect(res.points[0]!.stability).toBe('stable');
    for (let i = 0; i < H; i++) expect(Math.abs(res.points[0]!.x[i]! - h[i]!)).toBeLessThan(1e-9);
    const again = findFixedPoints(rnn, opts);
    expect(Array.from(again.starts.x)).toEqual(Array.from(res.starts.x));
    // a different input moves the fixed point
    const other = findFixedPoints(rnn, { ...opts, input: tensor([-0.7]) });
    expect(Math.abs(other.points[0]!.x[0]! - res.points[0]!.x[0]!)).toBeGreaterThan(0.1);
  });

  it('reports converged fixed points dropped as outliers of tightly clustered starts', () => {
    // h' = tanh(2h) in 2-D: starts within 0.01 of (0.5, 0.5) all converge to (x*, x*), x* = 0.9575…,
    // about 65 start radii away, so the default outlier rule drops every one of them
    const sys = diagonalTanh(2, w);
    const inits = Array.from({ length: 20 }, (_, i) => [0.5 + 0.01 * Math.sin(3 * i), 0.5 + 0.01 * Math.cos(5 * i)]);
    const res = findFixedPoints(sys, { inits });
    expect(res.convergedFraction).toBe(1);
    expect(res.points).toHaveLength(0);
    expect(res.outliers).toBe(20);
    const all = findFixedPoints(sys, { inits, outlierDistanceScale: Infinity });
    expect(all.outliers).toBe(0);
    expect(all.points).toHaveLength(1);
    expect(Math.abs(all.points[0]!.x[0]! - xs)).toBeLessThan(1e-5);
  });

  it('refuses nStarts and a positive noise with inits (they act only on starts drawn from states)', () => {
    const sys = diagonalTanh(2, w);
    const inits = [[0.5, 0.5], [-0.3, 0.2]];
    expect(() => findFixedPoints(sys, { inits, noise: 0.01 })).toThrow(RangeError);
    expect(() => findFixedPoints(sys, { inits, noise: 0.01 })).toThrow(/findFixedPoints: noise \(0\.01\) is added to starts drawn from 'states', not to 'inits'/);
    expect(() => findFixedPoints(sys, { inits, nStarts: 2 })).toThrow(/findFixedPoints: give either opts\.inits or opts\.nStarts, not both/);
    expect(findFixedPoints(sys, { inits, noise: 0, seed: 3 }).points.length).toBeGreaterThan(0); // noise 0 and a seed change nothing
  });

  it('rejects bad input with clear errors', () => {
    const sys = diagonalTanh(3, 2);
    expect(() => findFixedPoints(sys, { inits: [[0, 0, 0, 0]] })).toThrow(/dimension 3, got 4/);
    expect(() => findFixedPoints(sys, { inits: tensor(new Float32Array(8), [2, 4]) })).toThrow(/dimension 3, got shape \[2,4\]/);
    expect(() => findFixedPoints(sys, { inits: [[0, NaN, 0]] })).toThrow(/NaN at point 0, coordinate 1/);
    expect(() => findFixedPoints(sys, { states: [[0, 0, Infinity]] })).toThrow(/Infinity/);
    expect(() => findFixedPoints(sys, {})).toThrow(/inits/);
    expect(() => findFixedPoints(sys, { inits: [[0, 0, 0]], input: [1] })).toThrow(/input/);
    expect(() => findFixedPoints(sys, { inits: [[0, 0, 0]], method: 'newton' as never })).toThrow(/method/);
    expect(() => findFixedPoints({} as never, { inits: [[0]] })).toThrow(TypeError);
    const rnn: Rnn = {
      activation: 'tanh',
      params: { wIn: tensor([[1]]), wRec: tensor([[0.5]]), b: tensor([0]), wOut: tensor([[1]]), bOut: tensor([0]) },
    };
    expect(() => findFixedPoints(rnn, { inits: [[0]], input: [1, 2] })).toThrow(/length 1, got 2/);
    const ac = new AbortController();
    ac.abort();
    expect(() => findFixedPoints(sys, { inits: [[0, 0, 0]], signal: ac.signal })).toThrow(/abort/);
  });
});

describe('findFixedPoints on an LSTM given rnnForward\'s states (h alone)', () => {
  it('says the state is [h; c] and how to build it; other shape errors are left as they are', () => {
    const lstm = initRnn({ cell: 'lstm', inputSize: 3, hiddenSize: 16, outputSize: 3, seed: 1 });
    const f = rnnForward(lstm, { shape: [2, 5, 3], data: Float32Array.from({ length: 30 }, (_, i) => Math.sin(i)) });
    expect(() => findFixedPoints(lstm, { states: f.states })).toThrow(/expected points of dimension 32, got shape \[2,5,16\]: an LSTM's state is \[h; c\] \(2H = 32\), and rnnForward's `states` hold h alone; put its `cells` beside them/);
    expect(() => findFixedPoints(lstm, { inits: [[1, 2, 3]] })).toThrow(/^findFixedPoints: inits: expected points of dimension 32, got 3$/);
  });
});

