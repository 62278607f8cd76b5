// rnnForward(rnn, x, { h0 }) — the options style of train's data and of lyapunovSpectrum — puts an
// object where h0 itself belongs. It was refused as "h0: expected a Tensor with an array 'shape',
// got undefined", which does not say what to change; now the message says to pass h0 itself.
import { describe, expect, it } from 'vitest';
import { initRnn, predict, rnnForward } from '../../src/rnn/index.js';

const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 3, seed: 1 });
const x = [[[0.1, 0.2], [0.3, -0.1], [0, 0.5]]]; // [1,3,2]
const h0 = [0.1, -0.2, 0.3, 0];

describe('rnnForward/predict given { h0 } as the third argument', () => {
  it('is a TypeError saying to pass h0 itself', () => {
    expect(() => rnnForward(rnn, x, { h0 } as never)).toThrow(
      new TypeError('rnnForward: the third argument is h0 itself ([B,H] or [H]), not an options object: got { h0 }; call rnnForward(rnn, x, h0)'),
    );
    expect(() => predict(rnn, x, { h0 } as never)).toThrow(/^predict: the third argument is h0 itself/);
  });
  it('h0 given as it should be still runs, and differs from zeros', () => {
    const a = rnnForward(rnn, x, h0).states.data;
    const b = rnnForward(rnn, x).states.data;
    expect(a.length).toBe(12);
    expect(a[0]).not.toBe(b[0]);
  });
});
