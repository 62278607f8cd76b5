import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flipFlopTask } from '../../../src/data/tasks.js';
import { findFixedPoints } from '../../../src/geometry/fixed-points.js';
import { detectLimitCycle } from '../../../src/geometry/limit-cycle.js';
import { finiteTimeExponents, lyapunovDuringTraining, lyapunovSpectrum } from '../../../src/lyapunov/index.js';
import { initRnn, loadRnn, rnnForward, rnnSystem, train, type AnyRnn, type GatedRnn } from '../../../src/rnn/index.js';

const load = (cell: string) => loadRnn(JSON.parse(readFileSync(new URL(`../../fixtures/gated-flipflop/${cell}16.json`, import.meta.url), 'utf8'))) as unknown as GatedRnn;

/** Determinant by Gaussian elimination with partial pivoting (float64). */
function det(a: Float64Array, n: number): number {
  const m = Float64Array.from(a);
  let d = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    if (m[p * n + c] === 0) return 0;
    if (p !== c) {
      for (let j = 0; j < n; j++) [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
      d = -d;
    }
    d *= m[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      for (let j = c; j < n; j++) m[r * n + j] -= f * m[c * n + j];
    }
  }
  return d;
}

/**
 * A gated cell that is the map h ← tanh(a·R·h) (GRU: r = 1, z = 0; LSTM: f = 0, i = o = 1, so
 * h' = tanh(tanh(a·R·h))), R the rotation by 90° in the plane of the two units. Gate biases ±40
 * saturate σ to within 5e-18 of 0 or 1.
 */
function rotationCell(cell: 'gru' | 'lstm', a: number): GatedRnn {
  const rnn = initRnn({ cell, inputSize: 1, hiddenSize: 2, outputSize: 1, seed: 1 }) as GatedRnn;
  const p = rnn.params;
  for (const t of [p.wIn, p.wRec, p.bIn, p.bRec]) t.data.fill(0);
  const H = 2;
  // the block of gate g in wRec is rows g·H .. g·H + 1; R = [[0, −a], [a, 0]]
  const setR = (g: number) => {
    p.wRec.data[(g * H + 0) * H + 1] = -a;
    p.wRec.data[(g * H + 1) * H + 0] = a;
  };
  const bias = (g: number, v: number) => { p.bIn.data[g * H] = v; p.bIn.data[g * H + 1] = v; };
  if (cell === 'gru') {
    bias(0, 40); // r = 1
    bias(1, -40); // z = 0
    setR(2); // n = tanh(a·R·h)
  } else {
    bias(0, 40); // i = 1
    bias(1, -40); // f = 0
    setR(2); // g = tanh(a·R·h)
    bias(3, 40); // o = 1
  }
  return rnn;
}

/** Root v > 0 of v = ψ(v) by bisection (ψ increasing, concave, ψ'(0) > 1). */
function positiveRoot(psi: (v: number) => number): number {
  let lo = 1e-6, hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (psi(mid) > mid) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

describe('analyses on gated cells', () => {
  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell}: findFixedPoints — residual of each point, its Jacobian against central finite differences of the map, eigenvalues against trace and determinant`, () => {
      const rnn = load(cell);
      const sys = rnnSystem(rnn, { input: [0, 0, 0] });
      const n = sys.dim;
      const task = flipFlopTask({ bits: 3, steps: 40, batch: 16, pFlip: 0.1, initialPulse: true, seed: 7 });
      const f = rnnForward(rnn, task.x) as { states: { data: Float32Array }; cells?: { data: Float32Array } };
      const H = 16, rows = 16 * 40;
      const starts = new Float64Array(rows * n);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < H; j++) starts[r * n + j] = f.states.data[r * H + j];
        if (f.cells) for (let j = 0; j < H; j++) starts[r * n + H + j] = f.cells.data[r * H + j];
      }
      const res = findFixedPoints(rnn as AnyRnn as never, { states: starts, nStarts: 128, seed: 2, input: [0, 0, 0] });
      expect(res.points.length).toBeGreaterThanOrEqual(8);
      const y = new Float64Array(n), yp = new Float64Array(n), ym = new Float64Array(n), J = new Float64Array(n * n);
      for (const p of res.points.filter((q) => q.converged)) {
        sys.step(p.x, 0, y);
        let r2 = 0;
        for (let i = 0; i < n; i++) r2 += (y[i] - p.x[i]) ** 2;
        expect(0.5 * r2).toBeCloseTo(p.q, 20);
        expect(Math.sqrt(r2)).toBeLessThan(2e-6);
        sys.jacobian(p.x, 0, J);
        const h = 1e-5;
        let worst = 0;
        for (let l = 0; l < n; l++) {
          const xp = Float64Array.from(p.x), xm = Float64Array.from(p.x);
          xp[l] += h;
          xm[l] -= h;
          sys.step(xp, 0, yp);
          sys.step(xm, 0, ym);
          for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs((yp[i] - ym[i]) / (2 * h) - J[i * n + l]));
        }
        // central differences: O(h²)·|F'''| ≈ 1e-10 truncation, 1e-16/h ≈ 1e-11 round-off
        expect(worst).toBeLessThan(1e-8);
        let tr = 0, sumRe = 0, prRe = 1, prIm = 0;
        for (let i = 0; i < n; i++) tr += J[i * n + i];
        for (let i = 0; i < n; i++) {
          const re = p.eigenvalues.re[i], im = p.eigenvalues.im[i];
          sumRe += re;
          [prRe, prIm] = [prRe * re - prIm * im, prRe * im + prIm * re];
        }
        expect(Math.abs(sumRe - tr)).toBeLessThan(1e-10 * n);
        const d = det(J, n);
        expect(Math.abs(prRe - d)).toBeLessThan(1e-10 * Math.max(1e-300, Math.abs(d)) + 1e-300);
        expect(Math.abs(prIm)).toBeLessThanOrEqual(1e-10 * Math.abs(d) + 1e-300);
      }
    });

    it(`${cell}: detectLimitCycle finds the period-4 cycle of a rotation cell with its known points and Floquet multipliers`, () => {
      const a = 1.5;
      const rnn = rotationCell(cell, a);
      // the cycle (v, v) → (−v, v) → (−v, −v) → (v, −v): v = ψ(v) with ψ = tanh(a·) (GRU) or tanh∘tanh(a·) (LSTM)
      const psi = cell === 'gru' ? (v: number) => Math.tanh(a * v) : (v: number) => Math.tanh(Math.tanh(a * v));
      const v = positiveRoot(psi);
      const c = Math.tanh(a * v); // LSTM: the cell state on the cycle
      // |ψ'(v)| per step, in a conformal (rotation) Jacobian: the monodromy is κ⁴·I on h
      const kappa = cell === 'gru' ? a * (1 - v * v) : a * (1 - c * c) * (1 - v * v);
      const r = detectLimitCycle(rnn as AnyRnn as never, { x0: cell === 'gru' ? [0.3, 0.1] : [0.3, 0.1, 0, 0], input: [0], warmup: 3000 });
      expect(r.kind).toBe('limit-cycle');
      expect(r.period).toBe(4);
      for (let i = 0; i < 4; i++) {
        expect(Math.abs(Math.abs(r.points[i * r.dim]) - v)).toBeLessThan(1e-9);
        expect(Math.abs(Math.abs(r.points[i * r.dim + 1]) - v)).toBeLessThan(1e-9);
        if (cell === 'lstm') expect(Math.abs(Math.abs(r.points[i * r.dim + 2]) - c)).toBeLessThan(1e-9);
      }
      const mu = Math.hypot(r.floquetMultipliers.re[0], r.floquetMultipliers.im[0]);
      const mu2 = Math.hypot(r.floquetMultipliers.re[1], r.floquetMultipliers.im[1]);
      expect(Math.abs(mu - kappa ** 4)).toBeLessThan(1e-9);
      expect(Math.abs(mu2 - kappa ** 4)).toBeLessThan(1e-9);
      expect(Math.abs(r.largestExponent - Math.log(kappa))).toBeLessThan(1e-9);
    });

    it(`${cell}: finiteTimeExponents on the cycle equal ln κ in every window (a conformal Jacobian); their mean is lyapunovSpectrum's estimate`, () => {
      const a = 1.5;
      const rnn = rotationCell(cell, a);
      const psi = cell === 'gru' ? (v: number) => Math.tanh(a * v) : (v: number) => Math.tanh(Math.tanh(a * v));
      const v = positiveRoot(psi);
      const c = Math.tanh(a * v);
      const kappa = cell === 'gru' ? a * (1 - v * v) : a * (1 - c * c) * (1 - v * v);
      const x0 = cell === 'gru' ? [v, v] : [v, v, c, c];
      const ft = finiteTimeExponents(rnn as AnyRnn as never, { x0, input: [0], k: 2, warmup: 0, frameWarmup: 20, window: 8, windows: 10 });
      expect(ft.exponents.length).toBe(10);
      for (const e of ft.exponents) for (const l of e) expect(Math.abs(l - Math.log(kappa))).toBeLessThan(1e-9);
      // a trajectory that is not on a cycle: the mean over windows is the spectrum over the same steps
      const net = load(cell);
      const opts = { k: 4, warmup: 50, frameWarmup: 50, seed: 3, input: [0.2, -0.1, 0] };
      const ft2 = finiteTimeExponents(net as AnyRnn as never, { ...opts, window: 25, windows: 8 });
      const sp = lyapunovSpectrum(net as AnyRnn as never, { ...opts, steps: 200 });
      for (let i = 0; i < 4; i++) {
        const mean = ft2.exponents.reduce((s, e) => s + e[i], 0) / ft2.exponents.length;
        expect(Math.abs(mean - sp.exponents[i])).toBeLessThan(1e-12);
      }
    });

    it(`${cell}: the training callback's spectrum equals a direct lyapunovSpectrum call on the same weights`, async () => {
      const rnn = initRnn({ cell, inputSize: 3, hiddenSize: 8, outputSize: 3, seed: 2 });
      const data = flipFlopTask({ bits: 3, steps: 20, batch: 32, pFlip: 0.1, seed: 4 });
      const held = flipFlopTask({ bits: 3, steps: 60, batch: 3, pFlip: 0.1, seed: 5 }).x;
      const opts = { inputs: held, warmup: 10, frameWarmup: 10 };
      const measure = lyapunovDuringTraining(opts);
      const snapshots: Float64Array[] = [];
      const h = await train(rnn, data, {
        epochs: 2, batchSize: 16, learningRate: 1e-2, loss: 'mse', seed: 1,
        onEpoch: (rec, net) => {
          snapshots.push(Float64Array.from(lyapunovSpectrum(net, opts).exponents));
          return measure(rec, net);
        },
      });
      const direct = lyapunovSpectrum(rnn, opts);
      expect(direct.exponents.length).toBe(cell === 'lstm' ? 16 : 8);
      const last = h.epochs[1] as unknown as { lyapunov: { exponents: Float64Array } };
      expect(Array.from(last.lyapunov.exponents)).toEqual(Array.from(direct.exponents));
      expect(Array.from(snapshots[1])).toEqual(Array.from(direct.exponents));
      expect(Array.from(snapshots[0])).not.toEqual(Array.from(snapshots[1])); // the weights did change
    });
  }
});
