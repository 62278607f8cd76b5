import { describe, expect, it } from 'vitest';
import { defaultFrameWarmup } from '../../src/lyapunov/frame-warmup.js';
import { finiteTimeExponents, lyapunovSpectrum, lyapunovValueAndGrad } from '../../src/lyapunov/index.js';
import { initRnn } from '../../src/rnn/init.js';

describe('defaultFrameWarmup', () => {
  it('⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100', () => {
    const want: [number, number][] = [[10, 5], [12, 6], [20, 10], [28, 10], [99, 10], [100, 10], [150, 15], [999, 99], [1000, 100], [1e6, 100]];
    for (const [T, w] of want) expect(defaultFrameWarmup(T)).toBe(w);
  });

  it('lyapunovSpectrum on 28-step sequences (sequential MNIST rows) aligns the frame over 10 steps, not 2', () => {
    const rnn = initRnn({ inputSize: 28, hiddenSize: 16, outputSize: 10, seed: 1 });
    const x = { shape: [2, 28, 28], data: Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => Math.sin(i)) };
    const r = lyapunovSpectrum(rnn, { inputs: x });
    expect([r.frameWarmup, r.steps]).toEqual([10, 18]);
  });

  it('one rule below T = 10: the spectrum, the finite-time and the differentiable exponents refuse to count before the frame aligns, unless frameWarmup is given', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed: 1 });
    const x = (T: number) => ({ shape: [1, T, 2], data: Float32Array.from({ length: 2 * T }, (_, i) => Math.sin(i)) });
    const refusal = (name: string, run: string, T: number) =>
      new RegExp(`^${name}: ${run} T = ${T} steps, too few to align the frame by default \\(the default frameWarmup would be ${defaultFrameWarmup(T)} steps: ⌊T/10⌋, at least min\\(10, ⌊T/2⌋\\), at most 100; the exponents would be counted before the frame aligns\\): pass frameWarmup explicitly \\(0 allowed\\)$`);
    for (const T of [1, 5, 9]) {
      expect(() => lyapunovSpectrum(rnn, { inputs: x(T) })).toThrow(refusal('lyapunovSpectrum', 'the inputs have', T));
      // lyapunovValueAndGrad took ⌊T/2⌋ here, and with T = 1 counted a step with no warm-up
      expect(() => lyapunovValueAndGrad(rnn, { inputs: x(T) })).toThrow(refusal('lyapunovValueAndGrad', 'the inputs have', T));
      expect(() => lyapunovValueAndGrad(rnn, { steps: T })).toThrow(refusal('lyapunovValueAndGrad', 'the run has', T));
      expect(() => finiteTimeExponents(rnn, { inputs: x(T), window: 1 })).toThrow(RangeError);
      expect(lyapunovValueAndGrad(rnn, { inputs: x(T), frameWarmup: 0 }).steps).toBe(T);
      expect(lyapunovSpectrum(rnn, { inputs: x(T), frameWarmup: 0 }).exponents).toHaveLength(4);
    }
    expect(lyapunovValueAndGrad(rnn, { inputs: x(10) }).steps).toBe(5);
    // null is refused as by the other calls (it said 'frameWarmup: expected an integer, got object')
    expect(() => lyapunovValueAndGrad(rnn, { inputs: x(20), frameWarmup: null as never })).toThrow(/^lyapunovValueAndGrad: opts\.frameWarmup must not be null \(omit it, or pass undefined, for the default\)$/);
  });

  it('a run-length error says when frameWarmup was the default, and which value that was', () => {
    // before: 'leaving none to count after warmup 15 and frameWarmup 10', as if 10 had been passed
    const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed: 1 });
    const x = (T: number) => ({ shape: [1, T, 2], data: Float32Array.from({ length: 2 * T }, (_, i) => Math.sin(i)) });
    const msg = (f: () => unknown) => {
      try { f(); } catch (e) { return (e as Error).message; }
      return 'no error';
    };
    expect(msg(() => lyapunovSpectrum(rnn, { inputs: x(20), warmup: 15 }))).toBe(
      'lyapunovSpectrum: the inputs have T = 20 steps, leaving none to count after warmup 15 and frameWarmup 10 (the default for T = 20: ⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100): pass a smaller frameWarmup (0 allowed)',
    );
    expect(msg(() => lyapunovSpectrum(rnn, { inputs: x(28), steps: 30 }))).toBe(
      'lyapunovSpectrum: steps = 30 exceeds the 18 counted steps the inputs allow (T = 28 − warmup 0 − frameWarmup 10, the default for T = 28: ⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100)',
    );
    expect(msg(() => lyapunovSpectrum(rnn, { inputs: x(8) }))).toMatch(/\(the default frameWarmup would be 4 steps: /);
    // a frameWarmup the caller passed is not called the default
    expect(msg(() => lyapunovSpectrum(rnn, { inputs: x(20), warmup: 15, frameWarmup: 10 }))).toBe('lyapunovSpectrum: the inputs have T = 20 steps, leaving none to count after warmup 15 and frameWarmup 10');
    expect(msg(() => lyapunovSpectrum(rnn, { inputs: x(28), steps: 30, frameWarmup: 10 }))).toBe('lyapunovSpectrum: steps = 30 exceeds the 18 counted steps the inputs allow (T = 28 − warmup 0 − frameWarmup 10)');
  });
});
