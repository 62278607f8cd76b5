// Time-first inputs [T,B,I] (PyTorch's default layout) read batch-first are B sequences of T steps.
// With more sequences than steps the run-length errors now say how the inputs were read; before,
// "the inputs have T = 8 steps, too few to align the frame" left the layout to be guessed.
import { describe, expect, it } from 'vitest';
import { initRnn } from '../../src/rnn/index.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';

const rnn = initRnn({ inputSize: 3, hiddenSize: 6, outputSize: 2, seed: 1 });
const tf = (T: number, B: number) => ({ shape: [T, B, 3], data: new Float32Array(T * B * 3).fill(0.1) });
const hint = /; the inputs \[200,8,3\] were read batch-first \[B,T,I\], 200 sequences of 8 steps: if they are time-first \[T,B,I\] \(PyTorch's batch_first=False\), transpose them to \[B,T,I\]$/;

describe('lyapunovSpectrum run-length errors on inputs with more sequences than steps', () => {
  it('too few steps for the default frame warm-up', () => {
    expect(() => lyapunovSpectrum(rnn, { inputs: tf(200, 8) })).toThrow(/^lyapunovSpectrum: the inputs have T = 8 steps, too few to align the frame by default/);
    expect(() => lyapunovSpectrum(rnn, { inputs: tf(200, 8) })).toThrow(hint);
  });
  it('nothing left to count, and steps past the inputs', () => {
    expect(() => lyapunovSpectrum(rnn, { inputs: tf(200, 8), frameWarmup: 8 })).toThrow(hint);
    expect(() => lyapunovSpectrum(rnn, { inputs: tf(200, 8), frameWarmup: 0, steps: 9 })).toThrow(hint);
  });
  it('no hint when the sequences are not more than the steps', () => {
    let msg = '';
    try { lyapunovSpectrum(rnn, { inputs: tf(4, 8) }); } catch (e) { msg = (e as Error).message; }
    expect(msg).toBe('lyapunovSpectrum: the inputs have T = 8 steps, too few to align the frame by default (the default frameWarmup would be 4 steps: ⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100; the exponents would be counted before the frame aligns): pass frameWarmup explicitly (0 allowed)');
  });
});

describe('lyapunovDuringTraining refuses the same inputs up front with the same hint', () => {
  it('names the batch-first reading', async () => {
    const { lyapunovDuringTraining } = await import('../../src/lyapunov/index.js');
    expect(() => lyapunovDuringTraining({ inputs: tf(200, 8) })).toThrow(/^lyapunovDuringTraining: the inputs have T = 8 steps, too few/);
    expect(() => lyapunovDuringTraining({ inputs: tf(200, 8) })).toThrow(hint);
  });
});
