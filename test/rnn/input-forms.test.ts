// rnnSystem's `inputs` (and so every systemOrRnn analysis' `inputs`) and the constant `input` of
// every systemOrRnn analysis (toDynamicalSystem's readConstantInput) take every form core's toTensor
// takes, as lyapunovSpectrum's inputs do. Before, rnnSystem read `inputs` with assertTensor: an
// ndarray view's buffer was read in storage order, its strides dropped (λ1 −0.3191 instead of −0.2474
// on the 6-unit net below), and nested arrays or float64 data were refused; readConstantInput read a
// view's buffer likewise (a reversed view of [0.3, −0.7] gave λ1 −0.9219 instead of −0.3684) and
// refused nested rows. Every form must give the Float32Array Tensor's answers bit for bit (a
// constant input's float64 values stay float64). And an activation of another kind is named by core's
// kindOf, as the library's other messages name it.
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import type { TensorInput } from '../../src/core/index.js';
import { findFixedPoints } from '../../src/geometry/index.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { initRnn, rnnSystem, type RnnSystem } from '../../src/rnn/index.js';
import { toDynamicalSystem } from '../../src/rnn/to-system.js';
import type { AnyRnn } from '../../src/rnn/types.js';
import { assertActivation } from '../../src/autodiff/rnn-op.js';

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

describe('a constant input in every form (readConstantInput)', () => {
  const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 1, gain: 1.5, seed: 3 });
  const u32 = Float32Array.from([0.3, -0.7]);
  const spectrum = (input: unknown): number[] =>
    Array.from(lyapunovSpectrum(rnn, { input: input as never, k: 2, steps: 200, warmup: 100, seed: 1 }).exponents);
  const ref = spectrum({ shape: [I], data: u32 });
  const forms: [string, unknown][] = [
    ['a Float64Array', Float64Array.from(u32)],
    ['nested rows [[u]]', [Array.from(u32)]],
    ['an array of one Float32Array row', [u32]],
    ['{ shape: [1,I], data: Float64Array }', { shape: [1, I], data: Float64Array.from(u32) }],
    ['{ shape: [I], data: number[] }', { shape: [I], data: Array.from(u32) }],
    ['a reversed ndarray view', ndarray(Float32Array.from([u32[1], u32[0]]), [I]).step(-1)],
    ['a transposed [1,I] ndarray view', ndarray(Float32Array.from(u32), [I, 1]).transpose(1, 0)],
    ['a strided view skipping entries', { data: Float32Array.from([u32[0], 9, u32[1], 9]), shape: [I], stride: [2], offset: 0 }],
  ];
  for (const [what, input] of forms) {
    it(`${what}: the Float32Array Tensor's exponents bit for bit`, () => {
      expect(spectrum(input)).toEqual(ref);
    });
  }
  it('float64 values stay float64 in every float64 form (a reversed view of [0.3, −0.7] gave λ1 −0.9219 for −0.3684)', () => {
    const u = Float64Array.from([0.3, -0.7]); // not float32 values
    const step = (input: unknown): number[] => {
      const out = new Float64Array(H);
      toDynamicalSystem(rnn, { input }, 'f').step(Float64Array.from({ length: H }, (_, i) => 0.2 * i - 0.5), 0, out);
      return Array.from(out);
    };
    const want = step(u);
    expect(step(Float32Array.from(u))).not.toEqual(want); // the check can tell float32 from float64
    for (const input of [
      [Array.from(u)], { shape: [1, I], data: u }, { shape: [I], data: Array.from(u) },
      ndarray(Float64Array.from([u[1], u[0]]), [I]).step(-1), ndarray(Float64Array.from(u), [I, 1]).transpose(1, 0),
      { data: Array.from(u).reverse(), shape: [I], stride: [-1], offset: 1 },
    ]) expect(step(input)).toEqual(want);
    expect(spectrum(ndarray(Float64Array.from([u[1], u[0]]), [I]).step(-1))).toEqual(spectrum(u));
    expect(spectrum(u)[0]).toBeCloseTo(-0.3684, 4);
  });
  it("rnnSystem's own input takes the same forms (it refused all but flat arrays: 'input must be a Float64Array or number[]')", () => {
    const x = Float64Array.from({ length: H }, (_, i) => 0.2 * i - 0.5);
    const step = (input: unknown, r: AnyRnn = rnn): number[] => {
      const sys = rnnSystem(r, { input: input as never });
      const out = new Float64Array(sys.dim);
      sys.step(sys.dim === H ? x : Float64Array.from({ length: sys.dim }, (_, i) => 0.1 * i), 0, out);
      return Array.from(out);
    };
    const gru = initRnn({ cell: 'gru', inputSize: I, hiddenSize: H, outputSize: 1, seed: 3 });
    for (const r of [rnn, gru]) {
      const want = step({ shape: [I], data: u32 }, r);
      expect(step(Float64Array.from(u32), r)).toEqual(want);
      for (const [, input] of forms) expect(step(input, r)).toEqual(want);
    }
    expect(() => rnnSystem(rnn, { input: [[1, 2, 3]] })).toThrow(/^rnnSystem: input: expected a constant input of shape \[2\] or \[1,2\], got \[1,3\]$/);
    expect(() => rnnSystem(rnn, { input: [1] })).toThrow(/^rnnSystem: input: expected a constant input of length 2, got 1$/);
  });
  it('findFixedPoints reads a view of its input through the strides', () => {
    const opts = { inits: [new Float64Array(H)], seed: 1 };
    const a = findFixedPoints(rnn, { ...opts, input: ndarray(Float32Array.from([u32[1], u32[0]]), [I]).step(-1) });
    const b = findFixedPoints(rnn, { ...opts, input: { shape: [I], data: u32 } });
    expect(a.points.map((p) => Array.from(p.x))).toEqual(b.points.map((p) => Array.from(p.x)));
  });
  it('refusals name the argument, the shapes taken, and a wrong kind by kindOf', () => {
    const f = (input: unknown) => () => toDynamicalSystem(rnn, { input }, 'f');
    expect(f([[1, 2, 3]])).toThrow(/^f: input: expected a constant input of shape \[2\] or \[1,2\], got \[1,3\]$/);
    expect(f({ shape: [2, 1], data: new Float32Array(2) })).toThrow(/^f: input: expected a constant input of shape \[2\] or \[1,2\], got \[2,1\]$/);
    expect(f([1, 2, 3])).toThrow(/^f: input: expected a constant input of length 2, got 3$/);
    expect(f({ shape: [2], data: 'ab' })).toThrow(TypeError);
    expect(f([[1, NaN]])).toThrow(/^f: input: expected finite values, found NaN at index 1$/);
    expect(f(null)).toThrow(/^f: input: expected a Tensor \[I\], a Float64Array or a number array, got null$/);
    expect(f('x')).toThrow(/got string$/);
  });
});

describe('assertActivation (and the adapters\' own check) names another kind as core does (kindOf)', () => {
  it("null, {}, [] and a number: 'got null', 'got Object', 'got array', 'got number' (null and {} said 'object')", () => {
    const msg = (v: unknown): string => { try { assertActivation(v, 'initRnn: activation'); } catch (e) { expect(e).toBeInstanceOf(TypeError); return (e as Error).message; } return ''; };
    expect(msg(null)).toBe("initRnn: activation: expected 'tanh', 'relu' or 'identity', got null");
    expect(msg({})).toBe("initRnn: activation: expected 'tanh', 'relu' or 'identity', got Object");
    expect(msg(['tanh'])).toBe("initRnn: activation: expected 'tanh', 'relu' or 'identity', got array");
    expect(msg(1)).toBe("initRnn: activation: expected 'tanh', 'relu' or 'identity', got number");
    expect(() => initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 1, activation: {} as never })).toThrow(/^initRnn: activation: expected 'tanh', 'relu' or 'identity', got Object$/);
    const rnn = initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 1 });
    // the adapter's own check said "rnn.activation must be one of tanh, relu, identity, got null", a RangeError for any kind
    expect(() => lyapunovSpectrum({ ...rnn, activation: null as never }, { steps: 10 })).toThrow(new TypeError("lyapunovSpectrum: rnn.activation: expected 'tanh', 'relu' or 'identity', got null"));
    expect(() => rnnSystem({ ...rnn, activation: 'gelu' as never })).toThrow(new RangeError("rnnSystem: rnn.activation: expected 'tanh', 'relu' or 'identity', got 'gelu'"));
    expect(() => rnnSystem(null as never)).toThrow(/^rnnSystem: expected an Rnn \{ activation, params \}, got null$/);
    expect(() => assertActivation('gelu', 'f')).toThrow(new RangeError("f: expected 'tanh', 'relu' or 'identity', got 'gelu'"));
    expect(() => assertActivation('relu', 'f')).not.toThrow();
  });
});
