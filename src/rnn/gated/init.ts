/**
 * Initial parameters of a GRU or an LSTM: PyTorch's defaults (every weight and bias U(−1/√H, 1/√H),
 * the readout as nn.Linear: U(−1/√H, 1/√H)), with `gain` scaling wRec, or `init: 'orthogonal'`
 * (each gate's H×H block of wRec gain × a Haar-random orthogonal matrix).
 */
import type { Tensor } from '../../core/tensor.js';
import type { GatedRnn } from '../types.js';
import { beyondFloat32Error } from '../../core/float32-range.js';

/** Draws the parameters (order: wIn, wRec, bIn, bRec, wOut, bOut). @internal */
export function initGated(
  cell: 'gru' | 'lstm', I: number, H: number, O: number, gain: number, orthogonalInit: ((n: number, rng: () => number) => Float64Array) | null, rng: () => number,
): GatedRnn {
  const G = cell === 'lstm' ? 4 : 3;
  const k = 1 / Math.sqrt(H);
  const u = () => (2 * rng() - 1) * k;
  const make = (shape: number[], f: (i: number) => number, scaled = false): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = f(i);
      data[i] = v;
      if (scaled && !Number.isFinite(data[i])) throw beyondFloat32Error(`initRnn: gain ${gain} makes wRec[${i}]`, v);
    }
    return { shape, data };
  };
  const wIn = make([G * H, I], u);
  let wRec: Tensor;
  if (orthogonalInit !== null) {
    wRec = { shape: [G * H, H], data: new Float32Array(G * H * H) };
    for (let g = 0; g < G; g++) {
      const q = orthogonalInit(H, rng);
      for (let i = 0; i < H * H; i++) {
        const j = g * H * H + i;
        wRec.data[j] = gain * q[i];
        if (!Number.isFinite(wRec.data[j])) throw beyondFloat32Error(`initRnn: gain ${gain} makes wRec[${j}]`, gain * q[i]);
      }
    }
  } else {
    wRec = make([G * H, H], () => gain * u(), true);
  }
  const bIn = make([G * H], u);
  const bRec = make([G * H], u);
  const wOut = make([O, H], u);
  const bOut = make([O], u);
  return { cell, activation: 'tanh', params: { wIn, wRec, bIn, bRec, wOut, bOut } };
}
