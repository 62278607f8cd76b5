// lyapunovSpectrum's `inputs` (and `h0`) take every form the other data entry points take (core's
// TensorInput: a Tensor, { shape, data } with any numeric data, an ndarray view, nested arrays), as
// its type now says; it was typed `Tensor` only. Two forms gave silent wrong answers: an ndarray view
// (its strides were dropped, so the raw buffer was read in storage order: λ1 −0.0729 instead of
// 0.0111 on the net below), and an h0 view; nested h0 rows and { shape, data: Float64Array } h0 were
// refused. Every form must give the Float32Array Tensor's exponents bit for bit (h0: the flat
// Float64Array's, whose float64 values are kept).
import { describe, expect, it } from 'vitest';
import { initRnn } from '../../src/rnn/index.js';
import { finiteTimeExponents, lyapunovSpectrum, type LyapunovBatchOptions } from '../../src/lyapunov/index.js';
import type { TensorInput } from '../../src/core/index.js';

const B = 2, T = 12, I = 2, H = 6;
const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 2, seed: 1 });
const flat = Float32Array.from({ length: B * T * I }, (_, j) => Math.sin(j * 0.7));
const tensor = { shape: [B, T, I], data: flat };
const nested = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => Array.from({ length: I }, (_, i) => flat[(b * T + t) * I + i])));
/** The same [B,T,I] values stored [I,T,B] (column-major) and viewed through strides. */
const view = (() => {
  const phys = new Float32Array(B * T * I);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) phys[(i * T + t) * B + b] = flat[(b * T + t) * I + i];
  return { shape: [B, T, I], data: phys, stride: [1, B, T * B], offset: 0 };
})();

describe('lyapunovSpectrum inputs in every TensorInput form', () => {
  const ref = lyapunovSpectrum(rnn, { inputs: tensor });
  const forms: [string, TensorInput][] = [
    ['nested arrays', nested],
    ['{ shape, data: Float64Array }', { shape: [B, T, I], data: Float64Array.from(flat) }],
    ['{ shape, data: number[] }', { shape: [B, T, I], data: Array.from(flat) }],
    ['an ndarray view (strided)', view],
  ];
  for (const [what, inputs] of forms) {
    it(`${what}: the Tensor's exponents bit for bit`, () => {
      const opts: LyapunovBatchOptions = { inputs }; // type-checked: the options take a TensorInput
      const r = lyapunovSpectrum(rnn, opts);
      expect(Array.from(r.exponents)).toEqual(Array.from(ref.exponents));
      expect(r.perSequence.length).toBe(B); // the batch overload's result
    });
  }
  it('finiteTimeExponents reads a strided single sequence through its strides', () => {
    const one = { shape: [1, T, I], data: view.data, stride: [1, B, T * B], offset: 0 }; // sequence 0
    const seq0 = { shape: [T, I], data: flat.slice(0, T * I) };
    const a = finiteTimeExponents(rnn, { inputs: one, window: 2, windows: 3, frameWarmup: 2 });
    const b = finiteTimeExponents(rnn, { inputs: seq0, window: 2, windows: 3, frameWarmup: 2 });
    expect(a.exponents.map((e) => Array.from(e))).toEqual(b.exponents.map((e) => Array.from(e)));
  });
});

describe('lyapunovSpectrum h0 in every TensorInput form', () => {
  const rows = [[0.1, 0.2, 0.3, -0.1, 0.05, 0.4], [0.3, 0.2, 0.1, 0.25, -0.3, 0.0]];
  const ref = lyapunovSpectrum(rnn, { inputs: tensor, h0: Float64Array.from(rows.flat()) });
  const colMajor = new Float32Array(B * H);
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) colMajor[j * B + b] = rows[b][j];
  const forms: [string, TensorInput, boolean][] = [
    ['nested rows', rows, true],
    ['{ shape, data: Float64Array }', { shape: [B, H], data: Float64Array.from(rows.flat()) }, true],
    ['{ shape, data: number[] }', { shape: [B, H], data: rows.flat() }, true],
    // float32 data: the float32 values (as the Float32Array Tensor gives them)
    ['an ndarray view (strided)', { shape: [B, H], data: colMajor, stride: [1, B], offset: 0 }, false],
  ];
  const ref32 = lyapunovSpectrum(rnn, { inputs: tensor, h0: { shape: [B, H], data: Float32Array.from(rows.flat()) } });
  for (const [what, h0, exact] of forms) {
    it(`${what}: the same exponents bit for bit`, () => {
      const r = lyapunovSpectrum(rnn, { inputs: tensor, h0 });
      expect(Array.from(r.exponents)).toEqual(Array.from((exact ? ref : ref32).exponents));
    });
  }
  it('a shaped h0 of the wrong shape still says the shapes it takes', () => {
    expect(() => lyapunovSpectrum(rnn, { inputs: tensor, h0: [[0.1, 0.2]] })).toThrow(/^lyapunovSpectrum: h0 must be \[H\] or \[B,H\] with H = 6, B = 2, got \[1,2\]$/);
    expect(() => lyapunovSpectrum(rnn, { inputs: tensor, h0: [[0.1, 0.2], [0.3]] })).toThrow(RangeError);
  });
});
