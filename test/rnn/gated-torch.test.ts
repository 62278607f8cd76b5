import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/core/index.js';
import { fromTorchStateDict, rnnForward, rnnLoss, rnnSystem, toTorchStateDict, type AnyRnn, type GatedRnn } from '../../src/rnn/index.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';

const EPS32 = 2 ** -24;
const fx = JSON.parse(readFileSync(new URL('../fixtures/gated/torch-gated-small.json', import.meta.url), 'utf8'));
const { T, I, H } = fx;
const x = tensor(fx.x);
const targets = tensor(fx.targets);
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

/** max |a − b| / max(1, max|b|). */
function relErr(a: ArrayLike<number>, b: number[]): number {
  expect(a.length).toBe(b.length);
  let scale = 1, worst = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}

const TORCH_NAMES: Record<string, string> = { wIn: 'rnn.weight_ih_l0', wRec: 'rnn.weight_hh_l0', bIn: 'rnn.bias_ih_l0', bRec: 'rnn.bias_hh_l0', wOut: 'fc.weight', bOut: 'fc.bias' };

describe('gated cells against PyTorch autograd (float64 fixture)', () => {
  for (const c of fx.cases) {
    const G = c.cell === 'lstm' ? 4 : 3;
    // float32 depth-T recurrence of (I+H+2)-term sums, each gate a few roundings: a few ε32 per term per step
    const tol = 8 * T * (I + H + 2) * EPS32;
    const rnn = fromTorchStateDict(c.state_dict) as AnyRnn as GatedRnn;
    it(`${c.cell}: the state dict maps one to one (cell detected from weight_hh_l0's ${G}H rows) and back`, () => {
      expect(rnn.cell).toBe(c.cell);
      expect(rnn.params.wRec.shape).toEqual([G * H, H]);
      const back = toTorchStateDict(rnn);
      for (const k of Object.keys(c.state_dict)) expect(flat(back[k])).toEqual(flat(c.state_dict[k]).map(Math.fround));
    });
    it(`${c.cell}: states, cells, readouts, losses and gradients match`, () => {
      const f = rnnForward(rnn, x);
      expect(relErr(f.states.data, flat(c.states))).toBeLessThanOrEqual(tol);
      expect(relErr(f.outputs.data, flat(c.outputs))).toBeLessThanOrEqual(tol);
      if (c.cell === 'lstm') expect(relErr(f.cells!.data, flat(c.cells))).toBeLessThanOrEqual(tol);
      const f0 = rnnForward(rnn, x, tensor(c.h0));
      expect(relErr(f0.states.data, flat(c.states_h0))).toBeLessThanOrEqual(tol);
      const ce = rnnLoss(rnn, { x, labels: fx.labels });
      expect(Math.abs(ce.loss - c.ce)).toBeLessThanOrEqual(tol * Math.max(1, c.ce));
      const mse = rnnLoss(rnn, { x, targets });
      expect(Math.abs(mse.loss - c.mse)).toBeLessThanOrEqual(tol * Math.max(1, c.mse));
      for (const [k, name] of Object.entries(TORCH_NAMES)) {
        expect(relErr((ce.grads as unknown as Record<string, { data: Float32Array }>)[k].data, flat(c.grads_ce[name]))).toBeLessThanOrEqual(2 * tol);
        expect(relErr((mse.grads as unknown as Record<string, { data: Float32Array }>)[k].data, flat(c.grads_mse[name]))).toBeLessThanOrEqual(2 * tol);
      }
    });
    it(`${c.cell}: one-step map and Jacobian on the full state match autograd; jacobianTimes agrees with J·Q`, () => {
      for (const j of c.jacobians) {
        const sys = rnnSystem(rnn, { input: j.u });
        const dim = sys.dim;
        expect(dim).toBe(c.cell === 'lstm' ? 2 * H : H);
        const s = Float64Array.from(j.state);
        const nx = new Float64Array(dim);
        sys.step(s, 0, nx);
        // float64 arithmetic on float32 weights (the fixture's weights are those float32 values)
        expect(relErr(nx, j.next)).toBeLessThanOrEqual(64 * dim * 2 ** -52);
        const J = new Float64Array(dim * dim);
        sys.jacobian(s, 0, J);
        expect(relErr(J, flat(j.J))).toBeLessThanOrEqual(64 * dim * 2 ** -52);
        const k = 3;
        const q = Float64Array.from({ length: dim * k }, (_, i) => Math.sin(i + 1));
        const want = new Float64Array(dim * k);
        for (let r = 0; r < dim; r++) for (let cc = 0; cc < k; cc++) { let a = 0; for (let l = 0; l < dim; l++) a += J[r * dim + l] * q[l * k + cc]; want[r * k + cc] = a; }
        const got = new Float64Array(dim * k);
        sys.jacobianTimes!(s, 0, q, k, got);
        expect(relErr(got, Array.from(want))).toBeLessThanOrEqual(64 * dim * 2 ** -52);
        const qc = new Float64Array(dim * k);
        for (let r = 0; r < dim; r++) for (let cc = 0; cc < k; cc++) qc[cc * dim + r] = q[r * k + cc];
        const gotc = new Float64Array(dim * k);
        sys.jacobianTimesColMajor(s, 0, qc, k, gotc);
        for (let r = 0; r < dim; r++) for (let cc = 0; cc < k; cc++) expect(Math.abs(gotc[cc * dim + r] - want[r * k + cc])).toBeLessThanOrEqual(64 * dim * 2 ** -52);
      }
    });
    it(`${c.cell}: the Lyapunov spectrum (${c.cell === 'lstm' ? '2H' : 'H'} exponents) matches a float64 QR-every-step reference`, () => {
      const sp = c.spectrum;
      const r = lyapunovSpectrum(rnn, { inputs: tensor([sp.inputs]), frameWarmup: sp.frameWarmup, reorthEvery: 1 });
      expect(r.exponents.length).toBe(sp.exponents.length);
      // the sum is frame-independent (mean log|det J|): float64 round-off only
      const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
      expect(Math.abs(sum(r.exponents) - sum(sp.exponents))).toBeLessThanOrEqual(1e-9);
      // each exponent: the reference starts from the identity frame, ours from a random one; after
      // frameWarmup = 100 steps the frames agree up to exp(−gap·100), far below 1e-6 for these gaps
      for (let i = 0; i < sp.exponents.length; i++) expect(Math.abs(r.exponents[i] - sp.exponents[i])).toBeLessThanOrEqual(1e-6);
    });
  }
});
