// A random tanh RNN for the kernel and backend tests: W_ij ~ N(0, g²/n), two inputs, a small bias.
import { createRng } from '../../src/core/rng.js';
import type { Rnn } from '../../src/rnn/types.js';

export function tanhRnn(n: number, g: number, seed: number): Rnn {
  const rng = createRng(seed);
  const t = (shp: number[], f: () => number) => ({ shape: shp, data: Float32Array.from({ length: shp.reduce((x, y) => x * y, 1) }, f) });
  return {
    activation: 'tanh',
    params: {
      wIn: t([n, 2], () => rng.normal()),
      wRec: t([n, n], () => (g * rng.normal()) / Math.sqrt(n)),
      b: t([n], () => 0.1 * rng.normal()),
      wOut: t([1, n], () => 0),
      bOut: t([1], () => 0),
    },
  } as Rnn;
}
