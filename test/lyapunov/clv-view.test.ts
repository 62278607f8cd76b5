// covariantLyapunovVectors reads `inputs` through its strides: a transposed ndarray view gives the
// Float32Array Tensor's exponents, CLV exponents and vectors bit for bit.
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { covariantLyapunovVectors } from '../../src/lyapunov/index.js';
import { initRnn } from '../../src/rnn/index.js';

const T = 40, I = 2, H = 6;
const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 1, gain: 1.5, seed: 3 });
const flat = Float32Array.from({ length: T * I }, (_, j) => Math.sin(j * 0.7) * 2);
const physIT = Float32Array.from({ length: T * I }, (_, j) => flat[(j % T) * I + Math.floor(j / T)]); // stored [I,T]

describe('covariantLyapunovVectors inputs as an ndarray view', () => {
  it("a transposed view [T,I] gives the Tensor's results bit for bit", () => {
    const opts = { k: 2, frameWarmup: 5, backwardWarmup: 5, steps: 20, seed: 1 };
    const ref = covariantLyapunovVectors(rnn, { ...opts, inputs: { shape: [T, I], data: flat } });
    const got = covariantLyapunovVectors(rnn, { ...opts, inputs: ndarray(physIT, [I, T]).transpose(1, 0) as never });
    expect(Array.from(got.exponents)).toEqual(Array.from(ref.exponents));
    expect(Array.from(got.clvExponents)).toEqual(Array.from(ref.clvExponents));
    expect(Array.from(got.vectors.data)).toEqual(Array.from(ref.vectors.data));
  });
});
