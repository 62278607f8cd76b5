// rnnSystem's `inputs` (and so every systemOrRnn analysis' `inputs`) take every form core's toTensor
// takes, as lyapunovSpectrum's inputs do. Before, rnnSystem read `inputs` with assertTensor: an
// ndarray view's buffer was read in storage order, its strides dropped (λ1 −0.3191 instead of −0.2474
// on the 6-unit net below), and nested arrays or float64 data were refused. Every form must give the
// Float32Array Tensor's answers bit for bit.
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import type { TensorInput } from '../../src/core/index.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { initRnn, rnnSystem, type RnnSystem } from '../../src/rnn/index.js';

const T = 20, I = 2, H = 6;
const flat = Float32Array.from({ length: T * I }, (_, j) => Math.sin(j * 0.7) * 2);
const at = (t: number, i: number): number => flat[t * I + i];
/** The [T,I] values stored [I,T] (time fastest), viewed back as [1,T,I] / [T,I] by transposing. */
const physIT = Float32Array.from({ length: T * I }, (_, j) => at(j % T, Math.floor(j / T)));
/** The [T,I] values stored with time reversed, viewed in order by a negative time stride. */
const physRev = Float32Array.from({ length: T * I }, (_, j) => at(T - 1 - Math.floor(j / I), j % I));

const sequenceForms: [string, TensorInput][] = [
  ['a Tensor [T,I]', { shape: [T, I], data: flat }],
  ['nested arrays [1][T][I]', [Array.from({ length: T }, (_, t) => [at(t, 0), at(t, 1)])]],
  ['nested arrays [T][I]', Array.from({ length: T }, (_, t) => [at(t, 0), at(t, 1)])],
  ['an array of Float32Array rows [T][I]', Array.from({ length: T }, (_, t) => flat.slice(t * I, (t + 1) * I))],
  ['{ shape, data: Float64Array }', { shape: [1, T, I], data: Float64Array.from(flat) }],
  ['{ shape, data: number[] }', { shape: [1, T, I], data: Array.from(flat) }],
  ['a transposed ndarray view [1,T,I]', ndarray(physIT, [1, I, T]).transpose(0, 2, 1)],
  ['a transposed ndarray view [T,I]', ndarray(physIT, [I, T]).transpose(1, 0)],
  ['a time-reversed ndarray view [T,I]', ndarray(physRev, [T, I]).step(-1)],
  ['a hand-made strided view of float64 data', { data: Float64Array.from(physIT), shape: [T, I], stride: [1, T], offset: 0 }],
];

/** Every state and J·Q of the driven map, and its spectrum, as one comparable record. */
function trace(sys: RnnSystem): number[] {
  const out: number[] = [];
  let x = Float64Array.from({ length: sys.dim }, (_, i) => 0.1 * (i + 1));
  const q = Float64Array.from({ length: sys.dim * 2 }, (_, i) => Math.cos(i));
  const jq = new Float64Array(sys.dim * 2);
  for (let t = 0; t < T; t++) {
    const y = new Float64Array(sys.dim);
    sys.step(x, t, y);
    sys.jacobianTimesColMajor(x, t, q, 2, jq);
    out.push(...y, ...jq);
    x = y;
  }
  out.push(...lyapunovSpectrum(sys, { k: 2, frameWarmup: 2 }).exponents);
  return out;
}

describe('rnnSystem inputs in every TensorInput form', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    const rnn = cell === 'rnn'
      ? initRnn({ inputSize: I, hiddenSize: H, outputSize: 1, gain: 1.5, seed: 3 })
      : initRnn({ cell, inputSize: I, hiddenSize: H, outputSize: 1, seed: 3 });
    const ref = trace(rnnSystem(rnn, { inputs: { shape: [1, T, I], data: flat } }));
    for (const [what, inputs] of sequenceForms) {
      it(`${cell}, ${what}: the Float32Array Tensor's states, J·Q and exponents bit for bit`, () => {
        const sys = rnnSystem(rnn, { inputs }); // type-checked: the options take a TensorInput
        expect(sys.length).toBe(T);
        expect(trace(sys)).toEqual(ref);
      });
    }
  }
  it('a view through lyapunovSpectrum(rnnSystem(...)) gives the Tensor λ1 (was −0.3191 for −0.2474)', () => {
    const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 1, gain: 1.5, seed: 3 });
    const l1 = (inputs: TensorInput): number => lyapunovSpectrum(rnnSystem(rnn, { inputs }), { k: 1, frameWarmup: 2 }).exponents[0];
    expect(l1(ndarray(physIT, [I, T]).transpose(1, 0))).toBe(l1({ shape: [T, I], data: flat }));
    expect(l1({ shape: [T, I], data: flat })).toBeCloseTo(-0.2474, 4);
  });
  it("reads each property of a view once (a getter's second value is never used)", () => {
    const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 1, seed: 3 });
    const reads = { data: 0, shape: 0, stride: 0, offset: 0 };
    const view = {
      get data() { reads.data++; return reads.data === 1 ? physIT : new Float32Array(1); },
      get shape() { reads.shape++; return [T, I]; },
      get stride() { reads.stride++; return [1, T]; },
      get offset() { reads.offset++; return 0; },
    };
    expect(trace(rnnSystem(rnn, { inputs: view }))).toEqual(trace(rnnSystem(rnn, { inputs: { shape: [T, I], data: flat } })));
    expect(reads).toEqual({ data: 1, shape: 1, stride: 1, offset: 1 });
  });
  it('a bad form is still refused with the shapes it takes, naming rnnSystem', () => {
    const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 1, seed: 3 });
    expect(() => rnnSystem(rnn, { inputs: [[[1, 2, 3]]] })).toThrow(/^rnnSystem: inputs must be \[1,T,I\] or \[T,I\] with I = 2 \(the RNN's input size\), got \[1,1,3\]$/);
    expect(() => rnnSystem(rnn, { inputs: [[1, 2], [3]] })).toThrow(RangeError);
    expect(() => rnnSystem(rnn, { inputs: { data: new Float32Array(4), shape: [2, 2], stride: [1, 3], offset: 0 } })).toThrow(/^rnnSystem: inputs: .*outside data of length 4/);
    expect(() => rnnSystem(rnn, { inputs: [[1, NaN]] })).toThrow(/^rnnSystem: inputs has NaN at flat index 1$/);
  });
});
