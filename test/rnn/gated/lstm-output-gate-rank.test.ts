import { describe, expect, it } from 'vitest';
import { covariantLyapunovVectors } from '../../../src/lyapunov/clv.js';
import { lyapunovSpectrum } from '../../../src/lyapunov/spectrum.js';
import { initRnn } from '../../../src/rnn/init.js';
import { rnnSystem } from '../../../src/rnn/system.js';
import type { GatedRnn } from '../../../src/rnn/types.js';

// An LSTM unit whose output gate has no recurrent weights (a zero row of W_ho): its h row of J,
// βo·W_ho + γ·∂c′/∂h | γ·f, is then exactly γ times its c row, ∂c′/∂h | f, at every state. J has no
// zero row or column, yet rank J = 2H − (zero rows of W_ho) (det J = Π f·Π βo·det W_ho = 0): the lost
// exponents are −∞ whatever the state.
function lstmWithZeroOutputRows(H: number, rows: readonly number[], seed: number): GatedRnn {
  const rnn = initRnn({ cell: 'lstm', inputSize: 2, hiddenSize: H, outputSize: 1, seed }) as GatedRnn;
  for (const m of rows) for (let c = 0; c < H; c++) rnn.params.wRec.data[(3 * H + m) * H + c] = 0;
  return rnn;
}
const L = 400;
const inputs = { shape: [1, L, 2], data: new Float32Array(2 * L).map((_, i) => Math.sin(0.9 * i)) };

describe('an LSTM whose output gate has no recurrent weights in some unit', () => {
  it('the dense Jacobian has no zero row, but its h rows are γ times its c rows: rank 2H − z', () => {
    const rnn = lstmWithZeroOutputRows(3, [0, 1, 2], 1);
    const sys = rnnSystem(rnn, { inputs });
    const x = new Float64Array([0.3, -0.2, 0.1, 0.5, -0.4, 0.2]);
    const J = new Float64Array(36);
    sys.jacobian(x, 5, J);
    for (let m = 0; m < 3; m++) {
      expect(J.subarray(m * 6, m * 6 + 6).some((v) => v !== 0)).toBe(true);
      const g = J[m * 6 + 3 + m] / J[(3 + m) * 6 + 3 + m]; // γ·f / f
      for (let c = 0; c < 6; c++) expect(Math.abs(J[m * 6 + c] - g * J[(3 + m) * 6 + c])).toBeLessThan(1e-15);
    }
  });

  it('lyapunovSpectrum gives the lost exponents as −∞ (W_ho = 0: λ4 was −37.165, rounding), the others unchanged', () => {
    const rnn = lstmWithZeroOutputRows(3, [0, 1, 2], 1);
    const s = lyapunovSpectrum(rnn, { inputs });
    expect(Array.from(s.exponents.subarray(3))).toEqual([-Infinity, -Infinity, -Infinity]);
    for (const v of s.exponents.subarray(0, 3)) expect(Number.isFinite(v)).toBe(true);
    // the top three, resolved either way, are those of one QR of J·Q per step (k = 3 is not rank-limited)
    const top = lyapunovSpectrum(rnn, { inputs, k: 3, reorthEvery: 1 });
    for (let i = 0; i < 3; i++) expect(Math.abs(s.exponents[i] - top.exponents[i])).toBeLessThan(1e-9);
    // one zero row: one exponent lost
    const one = lyapunovSpectrum(lstmWithZeroOutputRows(4, [2], 3), { inputs });
    expect(one.exponents.filter((v) => v === -Infinity).length).toBe(1);
    expect(Number.isFinite(one.exponents[6])).toBe(true);
  });

  it('covariantLyapunovVectors refuses k past the rank, naming k ≤ 3 (it said "R_44 … exactly 0" at a window step); k = 3 works', () => {
    const rnn = lstmWithZeroOutputRows(3, [0, 1, 2], 1);
    expect(() => covariantLyapunovVectors(rnn, { inputs })).toThrow(/rank ≤ 3 < k = 6 \(exactly zero rows or columns of one of the factors it is taken as.*ask for k ≤ 3/);
    const r = covariantLyapunovVectors(rnn, { inputs, k: 3 });
    const s = lyapunovSpectrum(rnn, { inputs, k: 3, reorthEvery: 1 });
    for (let i = 0; i < 3; i++) expect(Math.abs(r.clvExponents[i] - s.exponents[i])).toBeLessThan(0.05);
  });
});
