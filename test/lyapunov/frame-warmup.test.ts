import { describe, expect, it } from 'vitest';
import { defaultFrameWarmup } from '../../src/lyapunov/frame-warmup.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
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
});
