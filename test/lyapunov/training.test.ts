import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { finiteTimeExponents, henonMap, lyapunovDuringTraining, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { initRnn, train } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';

function seq(b: number, T: number, i: number, seed: number): Tensor {
  const rng = createRng(seed);
  return { shape: [b, T, i], data: Float32Array.from({ length: b * T * i }, () => rng.normal()) };
}

function smallRnn(seed: number): Rnn {
  return initRnn({ inputSize: 2, hiddenSize: 8, outputSize: 2, activation: 'tanh', gain: 1.5, seed });
}

describe('lyapunovDuringTraining', () => {
  it('returns { lyapunov } equal to lyapunovSpectrum on the held-out inputs (Float64Array, like the spectrum)', () => {
    const rnn = smallRnn(1);
    const inputs = seq(3, 200, 2, 4);
    const cb = lyapunovDuringTraining({ inputs, k: 4, frameWarmup: 20 });
    const out = cb({ epoch: 1 }, rnn);
    const direct = lyapunovSpectrum(rnn, { inputs, k: 4, frameWarmup: 20 });
    expect(out).toBeDefined();
    const l = out?.lyapunov;
    expect(l?.exponents).toEqual(direct.exponents);
    expect(l?.exponents).toBeInstanceOf(Float64Array);
    expect(l?.std).toEqual(direct.std);
    expect(l?.stderr).toEqual(direct.stderr);
    expect(l?.epoch).toBe(1);
    expect(l?.stationary).toBe(false);
    expect(l?.kaplanYorkeDimension).toBe(direct.kaplanYorkeDimension);
    expect(l?.entropy).toBe(direct.entropy);
    expect(l?.sequences).toBe(3);
    expect(l?.steps).toBe(180);
  });

  it('a generator returning values outside [0, 1) is refused, naming lyapunovDuringTraining, at the first measured epoch (where it is first drawn)', () => {
    for (const bad of [() => 1.5, () => NaN, () => -0.5]) {
      const cb = lyapunovDuringTraining({ k: 1, steps: 50, rng: bad });
      expect(() => cb({ epoch: 1 }, smallRnn(3))).toThrow(RangeError);
      expect(() => cb({ epoch: 1 }, smallRnn(3))).toThrow(/lyapunovDuringTraining: rng must return numbers in \[0, 1\)/);
    }
  });

  it('measures every n epochs and plugs into train(), whose records then carry the spectrum', async () => {
    const rnn = smallRnn(2);
    const x = seq(8, 30, 2, 5);
    const targets: Tensor = { shape: [8, 30, 2], data: Float32Array.from(x.data, (v) => Math.tanh(v)) };
    const cb = lyapunovDuringTraining({ inputs: seq(2, 120, 2, 6), k: 2, every: 2 });
    expect(cb({ epoch: 1 }, rnn)).toBeUndefined();
    const hist = await train(rnn, { x, targets }, { epochs: 2, batchSize: 8, loss: 'mse', learningRate: 1e-2, seed: 1, onEpoch: cb });
    const recs = hist.epochs as unknown as { epoch: number; lyapunov?: { exponents: Float64Array } }[];
    expect(recs[0].lyapunov).toBeUndefined();
    expect(recs[1].lyapunov?.exponents.length).toBe(2);
    expect(recs[1].lyapunov?.exponents).toEqual(lyapunovSpectrum(rnn, { inputs: seq(2, 120, 2, 6), k: 2 }).exponents);
  });

  it('records epoch 0 (before training) and, autonomous, measures the attractor rather than h = 0', () => {
    const rnn = initRnn({ inputSize: 1, hiddenSize: 30, outputSize: 1, gain: 3, seed: 4 });
    const cb = lyapunovDuringTraining({ k: 1, steps: 2000, warmup: 300 });
    const e0 = cb({ epoch: 0 }, rnn)?.lyapunov;
    expect(e0?.epoch).toBe(0);
    const direct = lyapunovSpectrum(rnn, { k: 1, steps: 2000, warmup: 300 });
    expect(e0?.exponents).toEqual(direct.exponents);
    expect(e0?.stationary).toBe(false);
    expect(e0?.sequences).toBe(1);
    expect(Number.isNaN(e0?.std[0])).toBe(true); // no spread for one trajectory, never a made-up 0
  });

  it('refuses a bad maxCondition, blockSize, dt or tolerance when made, before any training, naming lyapunovDuringTraining', () => {
    const cases: [Record<string, unknown>, ErrorConstructor, RegExp][] = [
      [{ maxCondition: Number.NaN }, RangeError, /lyapunovDuringTraining: maxCondition: expected a finite number in \[10, Infinity\], got NaN/],
      [{ maxCondition: 5 }, RangeError, /lyapunovDuringTraining: maxCondition: .* got 5/],
      [{ maxCondition: 'big' }, TypeError, /lyapunovDuringTraining: maxCondition: expected a number, got string/],
      // refused as non-finite, not as past the float32 limit
      [{ maxCondition: Infinity, productPrecision: 'float32' }, RangeError, /lyapunovDuringTraining: maxCondition: expected a finite number/],
      [{ blockSize: 0 }, RangeError, /lyapunovDuringTraining: blockSize/],
      [{ dt: -1 }, RangeError, /lyapunovDuringTraining: dt must be > 0/],
      [{ tolerance: 0 }, RangeError, /lyapunovDuringTraining: tolerance must be > 0/],
      [{ tolerance: '1' }, TypeError, /lyapunovDuringTraining: tolerance: expected a number/],
    ];
    for (const [o, kind, msg] of cases) {
      expect(() => lyapunovDuringTraining({ k: 1, steps: 50, ...o } as never)).toThrow(kind);
      expect(() => lyapunovDuringTraining({ k: 1, steps: 50, ...o } as never)).toThrow(msg);
    }
    // lyapunovSpectrum names itself with the same messages
    expect(() => lyapunovSpectrum(smallRnn(1), { k: 1, steps: 50, maxCondition: Infinity, productPrecision: 'float32' })).toThrow(/lyapunovSpectrum: maxCondition: expected a finite number/);
  });

  it('refuses, when made, the options whose faults do not depend on the network (signal, onReorthonormalize, x0/h0 against inputs, the inputs and their length), before any training', () => {
    const inputs = seq(2, 30, 2, 1);
    const nan: Tensor = { shape: [1, 30, 2], data: new Float32Array(60).fill(Number.NaN) };
    const cases: [Record<string, unknown>, ErrorConstructor, RegExp][] = [
      [{ signal: 'stop' }, TypeError, /lyapunovDuringTraining: signal must be an AbortSignal, got string/],
      [{ onReorthonormalize: 3 }, TypeError, /lyapunovDuringTraining: onReorthonormalize must be a function, got number/],
      [{ inputs, x0: [0, 0] }, TypeError, /lyapunovDuringTraining: with inputs give the initial hidden state as h0/],
      [{ h0: [0, 0] }, TypeError, /lyapunovDuringTraining: h0 applies to a run driven by inputs/],
      [{ inputs: { shape: [30], data: new Float32Array(30) } }, RangeError, /lyapunovDuringTraining: inputs must be \[B,T,I\] or \[T,I\]/],
      [{ inputs: { shape: [0, 30, 2], data: new Float32Array(0) } }, RangeError, /lyapunovDuringTraining: inputs must hold at least one sequence/],
      [{ inputs: nan }, RangeError, /lyapunovDuringTraining: inputs has NaN/],
      [{ inputs, warmup: 40 }, RangeError, /lyapunovDuringTraining: the inputs have T = 30 steps, leaving none to count after warmup 40/],
      [{ inputs, steps: 100 }, RangeError, /lyapunovDuringTraining: steps = 100 exceeds the 20 counted steps the inputs allow/],
      [{ inputs: seq(1, 8, 2, 1) }, RangeError, /lyapunovDuringTraining: the inputs have T = 8 steps, too few to align the frame by default/],
    ];
    for (const [o, kind, msg] of cases) {
      expect(() => lyapunovDuringTraining({ k: 1, ...o } as never), JSON.stringify(Object.keys(o))).toThrow(kind);
      expect(() => lyapunovDuringTraining({ k: 1, ...o } as never), JSON.stringify(Object.keys(o))).toThrow(msg);
    }
    // what they may take is still taken: [T,I], a short sequence with an explicit frame warm-up, steps within T
    const rnn = smallRnn(1);
    expect(lyapunovDuringTraining({ k: 1, inputs: { shape: [30, 2], data: inputs.data.slice(0, 60) } })({ epoch: 0 }, rnn)?.lyapunov.steps).toBe(20);
    expect(lyapunovDuringTraining({ k: 1, inputs: seq(1, 8, 2, 1), frameWarmup: 2 })({ epoch: 0 }, rnn)?.lyapunov.steps).toBe(6);
    expect(lyapunovDuringTraining({ k: 1, inputs, steps: 20, h0: [0.1, 0, 0, 0, 0, 0, 0, 0] })({ epoch: 0 }, rnn)?.lyapunov.steps).toBe(20);
  });

  it('rejects a bad cadence', () => {
    expect(() => lyapunovDuringTraining({ every: 0 })).toThrow(RangeError);
  });
});

describe('finiteTimeExponents', () => {
  it('gives one estimate per window whose mean is the whole-run exponent', () => {
    const f = finiteTimeExponents(henonMap(), { window: 50, windows: 40 });
    expect(f.exponents.length).toBe(40);
    expect(f.steps[39]).toBe(2000);
    const whole = lyapunovSpectrum(henonMap(), { steps: 2000 });
    const m0 = f.exponents.reduce((s, e) => s + e[0], 0) / 40;
    expect(m0).toBeCloseTo(whole.exponents[0], 12);
    // every window's pair still sums to ln 0.3 (exact per step): to rounding with a QR every step,
    // to ε·κ (frame condition κ ≤ maxCondition = 1e8, ×50-step windows) with the default interval
    for (const e of f.exponents) expect(Math.abs(e[0] + e[1] - Math.log(0.3))).toBeLessThan(1e-8);
    const each = finiteTimeExponents(henonMap(), { window: 50, windows: 40, reorthEvery: 1 });
    for (const e of each.exponents) expect(e[0] + e[1]).toBeCloseTo(Math.log(0.3), 12);
  });

  it('fits the windows into an RNN input sequence', () => {
    const rnn = smallRnn(3);
    const f = finiteTimeExponents(rnn, { inputs: seq(1, 300, 2, 1), window: 25, k: 2 });
    // T = 300, frame warm-up min(100, 30) = 30 → 270 steps → 10 full windows
    expect(f.exponents.length).toBe(10);
    expect(() => finiteTimeExponents(rnn, { inputs: seq(2, 300, 2, 1), window: 25 })).toThrow(/single sequence/);
  });
});

describe('outrunIntervals reaches the calls built on lyapunovSpectrum', () => {
  // relu units with a negative bias die and revive: with reorthEvery 100 (not redone past 64 steps)
  // some intervals' QRs find the logs spread past ln(1e8) + ln 100, and lyapunovSpectrum counts them
  const n = 64;
  const rng = createRng(3);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const rnn: Rnn = { activation: 'relu', params: { wIn: t([n, 1], () => rng.normal()), wRec: t([n, n], () => (1.3 * rng.normal()) / Math.sqrt(n)), b: t([n], () => -0.3), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
  const inputs = seq(1, 2500, 1, 11);
  const opts = { inputs, seed: 1, warmup: 100, frameWarmup: 100, reorthEvery: 100 };

  it('lyapunovDuringTraining: the count of lyapunovSpectrum, absent where it sets none', () => {
    const direct = lyapunovSpectrum(rnn, opts);
    expect(direct.outrunIntervals).toBeGreaterThan(0);
    expect(lyapunovDuringTraining(opts)({ epoch: 0 }, rnn)?.lyapunov.outrunIntervals).toBe(direct.outrunIntervals);
    expect(lyapunovDuringTraining({ ...opts, reorthEvery: 16 })({ epoch: 0 }, rnn)?.lyapunov).not.toHaveProperty('outrunIntervals');
  });

  it('finiteTimeExponents: the count of the same run', () => {
    const f = finiteTimeExponents(rnn, { ...opts, window: 100 });
    const direct = lyapunovSpectrum(rnn, { ...opts, steps: f.steps[f.steps.length - 1], history: 100 });
    expect(direct.outrunIntervals).toBeGreaterThan(0);
    expect(f.outrunIntervals).toBe(direct.outrunIntervals);
    expect(finiteTimeExponents(rnn, { ...opts, window: 100, reorthEvery: 16 })).not.toHaveProperty('outrunIntervals');
  });
});
