/**
 * The 3-bit flip-flop task (Sussillo & Barak 2013), generated here so the RNN tests do not depend on
 * src/data: each of `bits` input channels carries sparse ±1 pulses; each output must hold the sign of
 * the last pulse on its channel (0 before the first).
 */
import { createRng } from '../../src/core/index.js';
import type { Tensor } from '../../src/core/index.js';

export function flipFlop(n: number, T: number, opts: { bits?: number; p?: number; seed?: number } = {}): { x: Tensor; targets: Tensor } {
  const bits = opts.bits ?? 3;
  const p = opts.p ?? 0.1;
  const rng = createRng(opts.seed ?? 0);
  const x = new Float32Array(n * T * bits);
  const y = new Float32Array(n * T * bits);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < bits; k++) {
      let state = 0;
      for (let t = 0; t < T; t++) {
        const i = (s * T + t) * bits + k;
        if (t === 0 || rng() < p) {
          const v = rng() < 0.5 ? -1 : 1;
          x[i] = v;
          state = v;
        }
        y[i] = state;
      }
    }
  }
  return { x: { shape: [n, T, bits], data: x }, targets: { shape: [n, T, bits], data: y } };
}
