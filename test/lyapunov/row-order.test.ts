/**
 * Row sorting before the frame's QR (src/lyapunov/row-order.ts). A tanh RNN driven by input
 * pulses saturates units to 1/cosh²(a) ≈ 1e-26 without an exact zero: in the given row order
 * Householder QR returned those units' R_jj as rounding or as exact zeros (−∞ exponents, and
 * different ones for different QR schedules); with graded rows sorted first it resolves them. The
 * check is an exact identity: for a full spectrum Σλ is the mean of log|det J_t| = Σ_i log d_i(t)
 * + log|det W|, computed here apart from the QR.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { covariantLyapunovVectors, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { CHECKED_MAX_CONDITION } from '../../src/lyapunov/spectrum.js';
import { createRowOrder, GRADED } from '../../src/lyapunov/row-order.js';
import type { LyapunovResult } from '../../src/lyapunov/types.js';
import { rnnSystem } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';

const EPS = Number.EPSILON;

function pulsed(H: number, g: number, amp: number, T: number): { rnn: Rnn; inputs: Tensor } {
  const rng = createRng(11);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const rnn: Rnn = {
    activation: 'tanh',
    params: { wIn: t([H, 1], () => rng.normal()), wRec: t([H, H], () => (g * rng.normal()) / Math.sqrt(H)), b: t([H], () => 0), wOut: t([1, H], () => 0), bOut: t([1], () => 0) },
  };
  const r7 = createRng(7);
  // two steps of height amp every 37, on N(0, 0.1²) noise
  const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, s) => (s % 37 < 2 ? amp : 0) + 0.1 * r7.normal()) };
  return { rnn, inputs };
}

/** log|det A| of the row-major H×H A by LU with partial pivoting. */
function logAbsDet(a: ArrayLike<number>, H: number): number {
  const m = Array.from({ length: H }, (_, i) => Array.from({ length: H }, (_, j) => Number(a[i * H + j])));
  let s = 0;
  for (let c = 0; c < H; c++) {
    let p = c;
    for (let r = c + 1; r < H; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    s += Math.log(Math.abs(m[c][c]));
    for (let r = c + 1; r < H; r++) {
      const f = m[r][c] / m[c][c];
      for (let j = c; j < H; j++) m[r][j] -= f * m[c][j];
    }
  }
  return s;
}

/** The mean of log|det J_t| over steps warm..T-1, J_t = diag(d_t)·W (each d_i as ‖J_t row i‖ / ‖W row i‖), and the smallest d seen. */
function meanLogDet(rnn: Rnn, inputs: Tensor, H: number, warm: number, T: number): { mean: number; dMin: number } {
  const sys = rnnSystem(rnn, { inputs });
  const w = rnn.params.wRec.data;
  const wNorm = Array.from({ length: H }, (_, i) => Math.hypot(...Array.from(w.subarray(i * H, (i + 1) * H))));
  const ldW = logAbsDet(w, H);
  const J = new Float64Array(H * H);
  let x = new Float64Array(H);
  let xn = new Float64Array(H);
  let sum = 0;
  let dMin = Infinity;
  for (let s = 0; s < T; s++) {
    sys.step(x, s, xn);
    if (s >= warm) {
      sys.jacobian(x, s, J);
      for (let i = 0; i < H; i++) {
        const d = Math.hypot(...Array.from(J.subarray(i * H, (i + 1) * H))) / wNorm[i];
        dMin = Math.min(dMin, d);
        sum += Math.log(d);
      }
      sum += ldW;
    }
    [x, xn] = [xn, x];
  }
  return { mean: sum / (T - warm), dMin };
}

const total = (r: LyapunovResult) => Array.from(r.exponents).reduce((a, b) => a + b, 0);

describe('graded rows are sorted before the QR', () => {
  for (const [H, g, amp] of [[20, 3, 100], [64, 2, 30]] as const) {
    it(`Σλ is the mean log|det J| on a saturating network (H = ${H}, g = ${g}, pulses of ${amp}), for a QR every step and the default interval`, () => {
      const T = 3000, warm = 200;
      const { rnn, inputs } = pulsed(H, g, amp, T);
      const exact = meanLogDet(rnn, inputs, H, warm, T);
      expect(exact.dMin).toBeLessThan(1e-20); // saturated far past 1/ε, and never an exact zero
      expect(exact.dMin).toBeGreaterThan(0);
      const every = lyapunovSpectrum(rnn, { inputs, warmup: warm, frameWarmup: 0, reorthEvery: 1, seed: 0 });
      const dflt = lyapunovSpectrum(rnn, { inputs, warmup: warm, frameWarmup: 0, seed: 0 });
      // in the given row order both had −∞ exponents here (5 and 2 at H = 20, 1 and 1 at H = 64)
      for (const r of [every, dflt]) expect(Array.from(r.exponents).every(Number.isFinite)).toBe(true);
      // with a QR every step n logs, each of an R_jj with a relative error of ≈ n·ε (and the
      // reference's LU of W): n²·ε·|Σλ|; over an interval 2n·ε·maxCondition
      expect(Math.abs(total(every) - exact.mean)).toBeLessThan(H * H * EPS * Math.abs(exact.mean));
      expect(Math.abs(total(dflt) - exact.mean)).toBeLessThan(2 * H * EPS * CHECKED_MAX_CONDITION);
      for (let i = 0; i < H; i++) expect(Math.abs(dflt.exponents[i] - every.exponents[i])).toBeLessThan(3 * every.stderr[i]);
    });
  }
});

describe('the QR step of the covariant vectors and the differentiable spectrum sorts them too', () => {
  it('covariantLyapunovVectors on the saturating network: finite exponents summing to the spectrum\'s over the same window', () => {
    const H = 20;
    const { rnn, inputs } = pulsed(H, 3, 100, 1200);
    const seq: Tensor = { shape: [1200, 1], data: inputs.data };
    const c = covariantLyapunovVectors(rnn, { inputs: seq, steps: 600, warmup: 200, frameWarmup: 100, backwardWarmup: 100 });
    // the same 600 steps after 200 of state and 100 of frame warm-up, a QR every step
    const s = lyapunovSpectrum(rnn, { inputs, warmup: 200, frameWarmup: 100, steps: 600, reorthEvery: 1, seed: 0 });
    expect(Array.from(c.exponents).every(Number.isFinite)).toBe(true); // the two smallest were −∞ unsorted
    expect(Math.abs(total(c as unknown as LyapunovResult) - total(s))).toBeLessThan(H * H * EPS * Math.abs(total(s)));
  });
});

describe('createRowOrder', () => {
  const n = 6, k = 3;
  const graded = (): Float64Array => {
    // row i scaled by 10^(-5i): a spread of 1e25 past GRADED
    const a = new Float64Array(n * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) a[j * n + i] = (j + 1 + i) * 10 ** (-5 * ((i * 7) % n));
    return a;
  };

  it('sorts graded rows by decreasing ∞-norm and puts them back exactly', () => {
    const o = createRowOrder(n, k);
    const a = graded();
    const b = a.slice();
    const perm = new Int32Array(n);
    expect(o.sort(b, perm)).toBe(true);
    const rowMax = (m: Float64Array, i: number) => Math.max(...Array.from({ length: k }, (_, j) => Math.abs(m[j * n + i])));
    for (let r = 1; r < n; r++) expect(rowMax(b, r)).toBeLessThanOrEqual(rowMax(b, r - 1));
    for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) expect(b[j * n + r]).toBe(a[j * n + perm[r]]);
    o.unsort(b, perm);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('leaves rows spread by at most GRADED (exact zero rows aside) untouched', () => {
    const o = createRowOrder(n, k);
    const a = Float64Array.from({ length: n * k }, (_, i) => ((i % n) === 4 ? 0 : 1 + (i % n) * (GRADED / n)));
    const b = a.slice();
    const perm = new Int32Array(n).fill(-1);
    expect(o.sort(b, perm)).toBe(false);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(perm)).toEqual(Array(n).fill(-1));
  });

  it('rows small only in the first four columns (a localized frame) are not taken for graded, and graded rows are sorted by their ∞-norm over every column', () => {
    // a modular or lattice system's Lyapunov vectors are localized: a row can be ≈ 1e-9 in the
    // first four frame columns and of ordinary size in others; the four-column screen took such
    // frames (spread 1e4 here) for graded and permuted them (bits changed, and graded frames were
    // sorted by the screen's norms instead of theirs)
    const n = 8, k = 6;
    const a = new Float64Array(n * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) a[j * n + i] = (j < 4 && i >= 4 ? 1e-9 : 1) * (1 + ((i + 2 * j) % 5)) * (i === 7 ? 1e-4 : 1);
    const b = a.slice();
    const perm = new Int32Array(n).fill(-1);
    expect(createRowOrder(n, k).sort(b, perm)).toBe(false);
    expect(Array.from(b)).toEqual(Array.from(a));
    // now row 6 graded (1e-12 everywhere): sorted, by the rows' ∞-norms over all k columns
    for (let j = 0; j < k; j++) b[j * n + 6] = a[j * n + 6] * 1e-12;
    const c = b.slice();
    expect(createRowOrder(n, k).sort(c, perm)).toBe(true);
    const rowMax = (m: Float64Array, i: number) => Math.max(...Array.from({ length: k }, (_, j) => Math.abs(m[j * n + i])));
    for (let r = 1; r < n; r++) expect(rowMax(c, r)).toBeLessThanOrEqual(rowMax(c, r - 1));
    for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) expect(c[j * n + r]).toBe(b[j * n + perm[r]]);
  });

  /** The squared column norms of the column-major n×k `a`. */
  const normsSqOf = (a: Float64Array, n: number, k: number): Float64Array =>
    Float64Array.from({ length: k }, (_, j) => a.subarray(j * n, (j + 1) * n).reduce((s, v) => s + v * v, 0));

  it('with the column norms, a graded frame whose largest rows are small in the first four columns is still sorted (the four-column screen alone missed it)', () => {
    // rows of ≈ 1 in the first four columns, row 5 at 1e-3 in every column: the four columns spread
    // by 1e3 (< GRADED), but columns 4–5 hold 1e9 in rows 0–2: the ∞-norms spread by 1e12
    const n = 8, k = 6;
    const a = new Float64Array(n * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) a[j * n + i] = (1 + ((i + j) % 3)) * (i === 5 ? 1e-3 : 1) * (j >= 4 && i < 3 ? 1e9 : 1);
    const screened = Math.max(...Array.from({ length: n }, (_, i) => Math.max(...[0, 1, 2, 3].map((j) => Math.abs(a[j * n + i])))));
    const screenedLo = Math.min(...Array.from({ length: n }, (_, i) => Math.max(...[0, 1, 2, 3].map((j) => Math.abs(a[j * n + i])))));
    expect(screened / screenedLo).toBeLessThan(GRADED); // what the screen saw
    const b = a.slice();
    const perm = new Int32Array(n);
    expect(createRowOrder(n, k).sort(b, perm, normsSqOf(a, n, k))).toBe(true);
    const rowMax = (m: Float64Array, i: number) => Math.max(...Array.from({ length: k }, (_, j) => Math.abs(m[j * n + i])));
    for (let r = 1; r < n; r++) expect(rowMax(b, r)).toBeLessThanOrEqual(rowMax(b, r - 1));
    expect(perm[n - 1]).toBe(5);
  });

  it('with or without the column norms, the decision and the order are those of the rows\' ∞-norms over every column (property)', () => {
    // frames of random rows scaled by 10^(−e_i), columns by 10^(c_j), some rows zero in the first
    // four columns or everywhere, some graded only outside the first four columns
    const frame = fc.record({
      n: fc.integer({ min: 1, max: 12 }),
      k: fc.integer({ min: 1, max: 10 }),
      seed: fc.integer({ min: 0, max: 1e6 }),
      rowExp: fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 12, maxLength: 12 }),
      colExp: fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 10, maxLength: 10 }),
      zeros: fc.array(fc.constantFrom('none', 'screen', 'all', 'late'), { minLength: 12, maxLength: 12 }),
    });
    fc.assert(
      fc.property(frame, ({ n, k: k0, seed, rowExp, colExp, zeros }) => {
        const k = Math.min(k0, n);
        const rng = createRng(seed);
        const a = new Float64Array(n * k);
        for (let j = 0; j < k; j++) {
          for (let i = 0; i < n; i++) {
            const z = zeros[i];
            const zero = z === 'all' || (z === 'screen' && j < 4);
            // 'late': the row's size is only outside the screen's columns
            const late = z === 'late' && j >= 4 ? 1e8 : 1;
            a[j * n + i] = zero ? 0 : rng.normal() * 10 ** (colExp[j] - rowExp[i]) * late;
          }
        }
        // the decision and the order from the rows' ∞-norms over every column, computed here
        const inf = Array.from({ length: n }, (_, i) => Math.max(...Array.from({ length: k }, (_, j) => Math.abs(a[j * n + i]))));
        const nonzero = inf.filter((v) => v > 0);
        const want = nonzero.length > 0 && Math.max(...nonzero) > Math.min(...nonzero) * GRADED;
        const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => inf[y] - inf[x] || x - y);
        for (const norms of [normsSqOf(a, n, k), undefined]) {
          const b = a.slice();
          const perm = new Int32Array(n).fill(-1);
          expect(createRowOrder(n, k).sort(b, perm, norms)).toBe(want);
          if (want) {
            expect(Array.from(perm)).toEqual(order);
            for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) expect(b[j * n + r]).toBe(a[j * n + order[r]]);
          } else expect(Array.from(b)).toEqual(Array.from(a));
        }
      }),
      { numRuns: 400, seed: 14 },
    );
  });

  it('permuteColumns reorders the columns of a row-major matrix as the rows were: (J·Pᵀ)·(P·Q) = J·Q', () => {
    const o = createRowOrder(n, n);
    const rng = createRng(3);
    const J = Float64Array.from({ length: n * n }, () => rng.normal());
    const q = graded(); // n×k column-major, its rows graded
    const pq = q.slice();
    const perm = new Int32Array(n);
    createRowOrder(n, k).sort(pq, perm);
    const jp = J.slice();
    o.permuteColumns(jp, perm);
    for (let i = 0; i < n; i++) for (let r = 0; r < n; r++) expect(jp[i * n + r]).toBe(J[i * n + perm[r]]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        let direct = 0, permuted = 0, size = 0;
        for (let l = 0; l < n; l++) {
          direct += J[i * n + l] * q[j * n + l];
          permuted += jp[i * n + l] * pq[j * n + l];
          size += Math.abs(J[i * n + l] * q[j * n + l]);
        }
        // the same n products summed in another order: at most 2n·ε·Σ|terms| apart
        expect(Math.abs(permuted - direct)).toBeLessThanOrEqual(2 * n * Number.EPSILON * size);
      }
    }
  });
});
