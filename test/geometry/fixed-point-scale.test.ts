/**
 * findFixedPoints at any scale of the states. q = ½‖F(x) − x‖² scales with the square of the states,
 * so the absolute default tolerance 1e-12 (and dedupDistance 1e-3) meant something else at every
 * scale: a relu network with no fixed point, scaled to states of 1e-6, had every start "converged" in
 * 1–2 iterations (relative q 0.7); scaled to 1e10 or 1e12, its cousin with one fixed point had none
 * converged (relative q 1e-32, absolute 4e-12); below ~1e-162, q underflowed to 0 and every start was
 * "converged" where it began, and LM's stagnation test (‖δ‖² ≤ 1e-32‖x‖², both underflowed) stopped
 * it at once. Now the defaults are in units of `scale`, a power of two that is 1 while the starts' RMS
 * coordinate lies in [2^-8, 2^8) (every bit as before there) and follows it outside, and q is
 * measured in those units, so a positively homogeneous map scaled by 2^k gives the same fixed points
 * scaled by 2^k with the same converged flags, bit for bit outside that band.
 *
 * Oracle: a relu map's fixed points solve (I − DW)x = Db for the mask D of its active units, with
 * Wx + b > 0 on the active units and ≤ 0 on the others; every mask is enumerated. A point x with
 * residual r = F(x) − x and the same mask as x* is within ‖(I − DW)⁻¹‖·‖r‖ of it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix, inverse, solve } from 'ml-matrix';
import { findFixedPoints, type FixedPointResult } from '../../src/geometry/fixed-points.js';
import { tensor } from '../../src/core/tensor.js';
import { initRnn } from '../../src/rnn/init.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import type { Rnn } from '../../src/rnn/types.js';

const EPS = 2 ** -52;

/** F(x) = relu(W x + s·b), in float64: F_s(s x) = s F_1(x) exactly when s is a power of two. */
function reluMap(W: number[][], b: number[], s: number): DynamicalSystem {
  const n = b.length;
  const pre = (x: Float64Array, i: number) => {
    let a = s * b[i]!;
    for (let j = 0; j < n; j++) a += W[i]![j]! * x[j]!;
    return a;
  };
  return {
    dim: n,
    step: (x, _t, o) => { for (let i = 0; i < n; i++) { const a = pre(x, i); o[i] = a > 0 ? a : 0; } },
    jacobian: (x, _t, J) => { for (let i = 0; i < n; i++) { const on = pre(x, i) > 0; for (let j = 0; j < n; j++) J[i * n + j] = on ? W[i]![j]! : 0; } },
  };
}

interface TrueFixedPoint { x: number[]; mask: number; invNorm: number; margin: number }

/** Every fixed point of x = relu(W x + b), by its mask; `margin` = min over units of |W x + b| (how far from a kink). */
function reluFixedPoints(W: number[][], b: number[]): TrueFixedPoint[] {
  const n = b.length;
  const out: TrueFixedPoint[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const on = (i: number) => ((mask >> i) & 1) === 1;
    const A = new Matrix(W.map((row, i) => row.map((w, j) => (i === j ? 1 : 0) - (on(i) ? w : 0))));
    const x = solve(A, Matrix.columnVector(b.map((v, i) => (on(i) ? v : 0)))).to1DArray();
    let margin = Infinity;
    for (let i = 0; i < n; i++) {
      const a = W[i]!.reduce((s, w, j) => s + w * x[j]!, b[i]!);
      margin = Math.min(margin, on(i) ? a : -a);
    }
    if (margin > 0) out.push({ x, mask, invNorm: inverse(A).norm('frobenius'), margin });
  }
  return out;
}

/** The true fixed point a found point x (in units of s) belongs to, checked against the residual bound; its index. */
function match(x: ArrayLike<number>, s: number, W: number[][], b: number[], truth: TrueFixedPoint[]): number {
  const n = b.length;
  const u = Array.from(x, (v) => v / s);
  const pre = W.map((row, i) => row.reduce((acc, w, j) => acc + w * u[j]!, b[i]!));
  const mask = pre.reduce((m, a, i) => m | (a > 0 ? 1 << i : 0), 0);
  const k = truth.findIndex((t) => t.mask === mask);
  expect(k).toBeGreaterThanOrEqual(0);
  const t = truth[k]!;
  // r = F(u) − u in units of s; the rounding of F and of x* itself add ≤ 2n·ε·(‖W‖‖u‖ + ‖b‖) each
  const r = Math.hypot(...pre.map((a, i) => (a > 0 ? a : 0) - u[i]!));
  const size = Math.hypot(...W.flat()) * Math.hypot(...u) + Math.hypot(...b);
  const bound = t.invNorm * (r + 4 * n * EPS * size);
  for (let i = 0; i < n; i++) expect(Math.abs(u[i]! - t.x[i]!)).toBeLessThanOrEqual(bound);
  return k;
}

// a bistable relu map: W = 2I + 0.3·M, b ≈ −1, 40 fixed points (each ≥ 0.06 from a kink)
const H = 6;
const M = Array.from({ length: H }, (_, i) => Array.from({ length: H }, (_, j) => Math.sin(7 * 12.9898 + i * 78.233 + j * 37.719)));
const W = M.map((row, i) => row.map((v, j) => (i === j ? 2 : 0) + 0.3 * v));
const b = Array.from({ length: H }, (_, i) => -1 + 0.2 * Math.sin(i));
const truth = reluFixedPoints(W, b);
const inits = Array.from({ length: 48 }, (_, k) => Array.from({ length: H }, (_, i) => 0.6 + 0.6 * Math.sin(5.3 * k + 2.1 * i + 0.3)));
const run = (k: number, method: 'lm' | 'adam' = 'lm') =>
  findFixedPoints(reluMap(W, b, 2 ** k), { inits: inits.map((row) => row.map((v) => v * 2 ** k)), method, outlierDistanceScale: Infinity, maxIterations: method === 'adam' ? 3000 : 200 });

/** The matched true points, converged flags and stability of a run at scale 2^k. */
function summary(r: FixedPointResult, k: number) {
  return {
    converged: Array.from(r.starts.converged),
    // by the true point (sorted by q, which is at the rounding level, they come in any order)
    points: r.points.map((p) => [match(p.x, 2 ** k, W, b, truth), p.converged, p.stability, p.unstableModes, p.count] as const).sort((u, v) => u[0] - v[0]),
  };
}

describe('findFixedPoints on a relu map scaled by 2^k', () => {
  it('the oracle has fixed points away from the kinks, and the starts find several of them', () => {
    expect(truth.length).toBeGreaterThan(10);
    for (const t of truth) expect(t.margin).toBeGreaterThan(0.01);
    const r0 = run(0);
    expect(r0.scale).toBe(1);
    expect(r0.points.length).toBeGreaterThan(5);
  });

  // LM is scale-free but for its tolerance: the same points and flags at every k. Adam's steps of
  // `learningRate` are absolute inside the band, as they always were, so its runs there differ with k;
  // outside, every k on one side is the same run scaled (the band's edge's, k = −7 or 8)
  for (const method of ['lm', 'adam'] as const) {
    const lo = run(-300, method);
    const hi = run(300, method);
    const base = method === 'lm' ? summary(run(0, method), 0) : undefined;
    const ks = method === 'lm' ? fc.integer({ min: -600, max: 600 }) : fc.oneof(fc.integer({ min: -600, max: -7 }), fc.integer({ min: 8, max: 600 }));
    it(`${method}: the same fixed points, scaled, and the same converged flags for k in [-600, 600]${method === 'adam' ? ' outside the band' : ''}`, () => {
      if (method === 'adam') {
        expect(summary(run(-7, method), -7)).toEqual(summary(lo, -300));
        expect(summary(run(8, method), 8)).toEqual(summary(hi, 300));
      }
      fc.assert(
        fc.property(ks, (k) => {
          const r = run(k, method);
          expect(summary(r, k)).toEqual(base ?? summary(k < 0 ? lo : hi, k < 0 ? -300 : 300));
          // outside the band (starts' RMS coordinate 2^(k−1)…: k < −7 or k > 8) every bit is the reference's, scaled
          const other = k < -7 ? [lo, -300] as const : k > 8 ? [hi, 300] as const : undefined;
          if (other !== undefined) {
            const [o, ko] = other;
            const f = 2 ** (k - ko);
            expect(r.scale).toBe(o.scale * f);
            expect(Array.from(r.starts.x)).toEqual(Array.from(o.starts.x, (v) => v * f));
            expect(Array.from(r.starts.iterations)).toEqual(Array.from(o.starts.iterations));
            r.points.forEach((p, i) => expect(Array.from(p.x)).toEqual(Array.from(o.points[i]!.x, (v) => v * f)));
          } else {
            expect(r.scale).toBe(1);
          }
        }),
        { numRuns: method === 'lm' ? 60 : 12, seed: 7 },
      );
    });
  }

  it('below ~1e-162 (q = ½‖r‖² underflows): the same fixed points, not every start where it began', () => {
    const base = summary(run(0), 0);
    for (const s of [1e-170, 1e-250, 1e-300]) {
      const r = findFixedPoints(reluMap(W, b, s), { inits: inits.map((row) => row.map((v) => v * s)), outlierDistanceScale: Infinity });
      expect(Math.min(...r.starts.iterations)).toBeGreaterThan(0);
      expect(summary(r, Math.log2(s))).toEqual({ ...base, points: base.points }); // match() divides by s
    }
  });
});

describe('findFixedPoints on relu Rnns at the scales of the traps', () => {
  const relu = (gain: number, seed: number, s: number): Rnn => {
    const base = initRnn({ inputSize: 1, hiddenSize: 8, outputSize: 1, activation: 'relu', gain, seed }) as Rnn;
    return { activation: 'relu', params: { ...base.params, b: tensor(Array.from({ length: 8 }, (_, i) => s * (0.5 + 0.3 * Math.sin(i)))) } };
  };
  /** The net's own weights (float32, as it holds them) for the oracle. */
  const weights = (rnn: Rnn) => {
    const w = rnn.params.wRec.data;
    return { W: Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => w[i * 8 + j]!)), b: Array.from(rnn.params.b.data) };
  };
  const starts = (s: number) => Array.from({ length: 6 }, (_, k) => Array.from({ length: 8 }, (_, i) => s * (1 + 0.5 * Math.cos(3 * k + i))));

  it('no fixed point (gain 0.9): none converged at states of 1e-6, 2^-20, 1e-9 (before: all, in 1–2 iterations)', () => {
    for (const s of [1, 1e-6, 2 ** -20, 1e-9]) {
      const rnn = relu(0.9, 3, s);
      const { W: w, b: bb } = weights(rnn);
      expect(reluFixedPoints(w, bb)).toHaveLength(0);
      const r = findFixedPoints(rnn, { inits: starts(s) });
      expect(Array.from(r.starts.converged)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(r.points).toHaveLength(0);
    }
  });

  it('one fixed point (gain 0.5): found from every start at states of 1e10, 1e12, 2^40 (before: none)', () => {
    for (const s of [1, 1e10, 1e12, 2 ** 40]) {
      const rnn = relu(0.5, 3, s);
      const { W: w, b: bb } = weights(rnn);
      const t = reluFixedPoints(w, bb);
      expect(t).toHaveLength(1);
      const r = findFixedPoints(rnn, { inits: starts(s) });
      expect(Array.from(r.starts.converged)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(r.points).toHaveLength(1);
      expect(r.points[0]!.count).toBe(6);
      // the oracle is for b itself; this point is for the net's b, in units of its scale
      expect(match(r.points[0]!.x, 1, w, bb, t)).toBe(0);
    }
  });
});

describe('findFixedPoints: the scale option', () => {
  const sys = reluMap(W, b, 2 ** -20);
  const small = inits.map((row) => row.map((v) => v * 2 ** -20));

  it('scale 1 gives the absolute tolerances back (every start then "converged" at 2^-20)', () => {
    const r = findFixedPoints(sys, { inits: small, scale: 1 });
    expect(r.scale).toBe(1);
    expect(r.convergedFraction).toBe(1);
    expect(findFixedPoints(sys, { inits: small }).convergedFraction).toBeLessThan(1);
  });

  it('a scale is taken to the power of two at or below it, and reported', () => {
    expect(findFixedPoints(sys, { inits: small }).scale).toBe(2 ** -13); // RMS coordinate in [2^-21, 2^-20): 2^(−21+8)
    expect(findFixedPoints(sys, { inits: small, scale: 3 }).scale).toBe(2);
    expect(findFixedPoints(sys, { inits: small, scale: 1e-6 }).scale).toBe(2 ** -20);
  });

  it('refuses what is not a positive finite number in [2^-1022, 2^1023]', () => {
    expect(() => findFixedPoints(sys, { inits: small, scale: '1' as never })).toThrow(TypeError);
    for (const v of [0, -1, NaN, Infinity, 2 ** -1023]) {
      expect(() => findFixedPoints(sys, { inits: small, scale: v })).toThrow(RangeError);
      expect(() => findFixedPoints(sys, { inits: small, scale: v })).toThrow(/findFixedPoints: scale/);
    }
  });
});
