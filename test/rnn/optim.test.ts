import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/core/index.js';
import { clipGradNorm, createOptimizer, gradNorm, learningRateAt, optimizerStep, type OptimizerSpec } from '../../src/rnn/index.js';

const EPS32 = 2 ** -24;
const fx = JSON.parse(readFileSync(new URL('./fixtures/torch-rnn-small.json', import.meta.url), 'utf8'));

const specs: Record<string, OptimizerSpec> = {
  adam: { type: 'adam', lr: 0.01 },
  adam_wd: { type: 'adam', lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1 },
  sgd: { type: 'sgd', lr: 0.1 },
  sgd_momentum: { type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.1 },
  sgd_nesterov: { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
};

describe('optimizers against torch.optim traces (fixture)', () => {
  for (const run of fx.optim.runs) {
    it(`${run.name}: six steps match PyTorch`, () => {
      const p = { w: tensor(fx.optim.p0 as number[]) };
      const opt = createOptimizer(specs[run.name], p);
      let scale = 1;
      for (const v of fx.optim.p0) scale = Math.max(scale, Math.abs(v));
      run.trace.forEach((want: number[], s: number) => {
        optimizerStep(opt, p, { w: tensor(fx.optim.grads[s] as number[]) });
        // float32 parameters and gradients: a few ε32 of rounding per step, accumulated over the steps
        for (let i = 0; i < want.length; i++) expect(Math.abs(p.w.data[i] - want[i])).toBeLessThan(8 * (s + 1) * EPS32 * scale);
      });
      expect(opt.step).toBe(6);
    });
  }
  it('Adam moves each coordinate by lr·sign(g) on its first step (bias correction)', () => {
    const p = { w: tensor([1, -2, 3]) };
    const opt = createOptimizer('adam', p);
    optimizerStep(opt, p, { w: tensor([0.5, -4, 1e-3]) }, 0.1);
    expect(Array.from(p.w.data)).toEqual([0.9, -1.9, 2.9].map((v, i) => Math.fround(v + (i === 2 ? 0.1 * 1e-8 / (1e-3 + 1e-8) : 0))));
  });
  it('checks shapes before writing anything', () => {
    const p = { w: tensor([1, 2]), b: tensor([3]) };
    const opt = createOptimizer('adam', p);
    expect(() => optimizerStep(opt, p, { w: tensor([1, 1]), b: tensor([1, 1]) })).toThrow(/grads\.b must have the shape of params\.b \[1\], got \[2\]/);
    expect(Array.from(p.w.data)).toEqual([1, 2]);
    expect(opt.step).toBe(0);
    expect(() => createOptimizer({ type: 'adam', beta1: 1 }, p)).toThrow(/beta1/);
    expect(() => createOptimizer({ type: 'sgd', nesterov: true }, p)).toThrow(/nesterov/);
  });
});

describe('gradient clipping', () => {
  it('scales to maxNorm/(norm + 1e-6) when above, returns the norm before clipping, leaves small gradients alone', () => {
    const g = { a: tensor([3, 0]), b: tensor([4]) };
    expect(gradNorm(g)).toBe(5);
    expect(clipGradNorm(g, 1)).toBe(5);
    const c = 1 / (5 + 1e-6);
    expect(Array.from(g.a.data)).toEqual([Math.fround(3 * c), 0]);
    expect(Array.from(g.b.data)).toEqual([Math.fround(4 * c)]);
    expect(Math.abs(gradNorm(g) - 1)).toBeLessThan(4 * EPS32);
    const small = { a: tensor([0.3, 0.4]) };
    expect(clipGradNorm(small, 1)).toBeCloseTo(0.5, 7);
    expect(Array.from(small.a.data)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    const bad = { a: tensor([NaN, 1]) };
    expect(clipGradNorm(bad, 1)).toBeNaN();
  });
  it('scales by min(1, maxNorm/(norm + 1e-6)) as clip_grad_norm_ does, also at and just below maxNorm', () => {
    // torch.nn.utils.clip_grad_norm_ (1.13) multiplies by the clamped coefficient whatever the norm:
    // a norm of exactly maxNorm is scaled by maxNorm/(maxNorm + 1e-6), and with maxNorm = 1e-6 a norm
    // of 5e-7 by 2/3 (torch: [3e-7, 4e-7] → [2.0e-7, 2.6667e-7]); these were left unscaled
    const tiny = { a: tensor([3e-7, 4e-7]) };
    clipGradNorm(tiny, 1e-6);
    expect(tiny.a.data[0]).toBeCloseTo(1.9999998812636477e-7, 13);
    expect(tiny.a.data[1]).toBeCloseTo(2.6666666030905617e-7, 13);
    const at = { a: tensor([0.6, 0.8]) };
    clipGradNorm(at, 1);
    expect(Math.abs(at.a.data[0] - 0.5999994277954102)).toBeLessThan(2 * EPS32);
    expect(Math.abs(at.a.data[1] - 0.7999992370605469)).toBeLessThan(2 * EPS32);
  });
});

describe('learning-rate schedules', () => {
  const info = { epoch: 0, step: 0, baseLr: 0.1, epochs: 10, stepsPerEpoch: 5, totalSteps: 50 };
  it('constant, step decay, cosine annealing and functions', () => {
    expect(learningRateAt(undefined, info)).toBe(0.1);
    expect(learningRateAt('constant', { ...info, epoch: 7 })).toBe(0.1);
    expect(learningRateAt({ type: 'step', stepSize: 3 }, { ...info, epoch: 7 })).toBeCloseTo(0.1 * 0.01, 15);
    expect(learningRateAt({ type: 'step', stepSize: 3, gamma: 0.5 }, { ...info, epoch: 2 })).toBe(0.1);
    expect(learningRateAt({ type: 'cosine' }, info)).toBe(0.1);
    expect(learningRateAt({ type: 'cosine', minLr: 0.01 }, { ...info, step: 25 })).toBeCloseTo(0.055, 15);
    expect(learningRateAt({ type: 'cosine', minLr: 0.01 }, { ...info, step: 50 })).toBeCloseTo(0.01, 15);
    expect(learningRateAt(({ epoch, baseLr }) => baseLr / (1 + epoch), { ...info, epoch: 4 })).toBeCloseTo(0.02, 15);
    expect(() => learningRateAt(() => NaN, info)).toThrow(/finite number >= 0, got NaN at epoch 0, step 0/);
    expect(() => learningRateAt({ type: 'step', stepSize: 0 }, info)).toThrow(/stepSize/);
  });
});

describe('a refused step changes nothing', () => {
  it('an update that would overflow float32 throws and leaves parameters, moments and the step count as they were; the next step is that of a fresh run', () => {
    for (const spec of [{ type: 'adam', lr: 1e-3 }, { type: 'sgd', lr: 1e-3, momentum: 0.9 }] as OptimizerSpec[]) {
      const mk = () => ({ a: tensor([1, -2, 3]), b: tensor([3.4e38, 0.5]) });
      const p = mk(), q = mk();
      const opt = createOptimizer(spec, p), ref = createOptimizer(spec, q);
      const g = { a: tensor([0.1, 0.2, -0.3]), b: tensor([-1, 1]) };
      optimizerStep(opt, p, g);
      optimizerStep(ref, q, g);
      const before = JSON.stringify([Array.from(p.a.data), Array.from(p.b.data), opt]);
      expect(() => optimizerStep(opt, p, g, 1e36)).toThrow(/would make params\.b non-finite \(Infinity at flat index 0.*unchanged/);
      expect(JSON.stringify([Array.from(p.a.data), Array.from(p.b.data), opt])).toBe(before);
      optimizerStep(opt, p, g);
      optimizerStep(ref, q, g);
      expect(Array.from(p.a.data)).toEqual(Array.from(q.a.data));
      expect(Array.from(p.b.data)).toEqual(Array.from(q.b.data));
      expect(opt.step).toBe(2);
    }
  });
});

describe('parameters that share memory', () => {
  it('are refused by createOptimizer and optimizerStep (tied weights would be stepped twice from the same values), naming both; views that do not overlap are fine', () => {
    const buf = new Float32Array(6).fill(0.5);
    const tied = { a: { shape: [4], data: buf.subarray(0, 4) }, b: { shape: [3], data: buf.subarray(3, 6) } };
    expect(() => createOptimizer('adam', tied)).toThrow(/createOptimizer: params\.a and params\.b share memory/);
    const apart = { a: { shape: [3], data: buf.subarray(0, 3) }, b: { shape: [3], data: buf.subarray(3, 6) } };
    const opt = createOptimizer('sgd', apart);
    optimizerStep(opt, apart, { a: tensor([1, 1, 1]), b: tensor([2, 2, 2]) });
    expect(Array.from(buf)).toEqual([0.49, 0.49, 0.49, 0.48, 0.48, 0.48].map(Math.fround));
    const same = { a: apart.a, b: { shape: [3], data: buf.subarray(0, 3) } };
    const before = Array.from(buf);
    expect(() => optimizerStep(opt, same, { a: tensor([1, 1, 1]), b: tensor([1, 1, 1]) })).toThrow(/optimizerStep: params\.a and params\.b share memory/);
    expect(Array.from(buf)).toEqual(before);
  });
});
