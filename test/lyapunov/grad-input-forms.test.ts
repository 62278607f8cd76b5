// lyapunovValueAndGrad's `inputs` and flossingLossAndGrad's `inputs` take every form core's toTensor
// takes, read as lyapunovSpectrum reads them. Before, both read them with assertTensor: an ndarray
// view's buffer was read in storage order, its strides dropped (λ1 −0.3191 instead of −0.2474 on the
// 6-unit net below), and nested arrays or float64 data were refused. Every form must give the
// Float32Array Tensor's exponents and gradients bit for bit. And lyapunovValueAndGrad's run-length
// refusal says when frameWarmup was the default, in lyapunovSpectrum's words.
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import type { TensorInput } from '../../src/core/index.js';
import { flossingLossAndGrad, lyapunovSpectrum, lyapunovValueAndGrad, type LyapunovGradOptions } from '../../src/lyapunov/index.js';
import { initRnn } from '../../src/rnn/index.js';
import type { AnyRnn } from '../../src/rnn/types.js';

const B = 2, T = 20, I = 2, H = 6;
const flat = Float32Array.from({ length: B * T * I }, (_, j) => Math.sin(j * 0.7) * 2);
const at = (b: number, t: number, i: number): number => flat[(b * T + t) * I + i];
/** The [B,T,I] values stored [I,T,B] (column-major), viewed back by transposing. */
const physITB = Float32Array.from({ length: B * T * I }, (_, j) => at(j % B, Math.floor(j / B) % T, Math.floor(j / (B * T))));
/** The [B,T,I] values stored with time reversed, viewed in order by a negative time stride. */
const physRev = Float32Array.from({ length: B * T * I }, (_, j) => at(Math.floor(j / (T * I)), T - 1 - (Math.floor(j / I) % T), j % I));

const forms: [string, TensorInput][] = [
  ['nested arrays', Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => [at(b, t, 0), at(b, t, 1)]))],
  ['{ shape, data: Float64Array }', { shape: [B, T, I], data: Float64Array.from(flat) }],
  ['{ shape, data: number[] }', { shape: [B, T, I], data: Array.from(flat) }],
  ['a transposed ndarray view', ndarray(physITB, [I, T, B]).transpose(2, 1, 0)],
  ['a time-reversed ndarray view', ndarray(physRev, [B, T, I]).step(1, -1)],
  ['a hand-made strided view of float64 data', { data: Float64Array.from(physITB), shape: [B, T, I], stride: [1, B, B * T], offset: 0 }],
];

const nets: [string, AnyRnn][] = [
  ['vanilla', initRnn({ inputSize: I, hiddenSize: H, outputSize: 1, gain: 1.5, seed: 3 })],
  ['lstm', initRnn({ cell: 'lstm', inputSize: I, hiddenSize: H, outputSize: 1, seed: 3 })],
];

/** Exponents, per-sequence exponents and ∂(λ1 + ½λ2)/∂params as one comparable record. */
function record(rnn: AnyRnn, inputs: TensorInput): number[] {
  const opts: LyapunovGradOptions = { inputs, k: 2, frameWarmup: 2 }; // type-checked: inputs is a TensorInput
  const r = lyapunovValueAndGrad(rnn, opts);
  const g = r.backward([1, 0.5]) as unknown as Record<string, { data: Float32Array }>;
  return [...r.exponents, ...r.perSequence.flatMap((p) => [...p]), ...Object.keys(g).sort().flatMap((key) => [...g[key].data])];
}

describe('lyapunovValueAndGrad inputs in every TensorInput form', () => {
  for (const [cell, rnn] of nets) {
    const ref = record(rnn, { shape: [B, T, I], data: flat });
    for (const [what, inputs] of forms) {
      it(`${cell}, ${what}: the Float32Array Tensor's exponents and gradients bit for bit`, () => {
        expect(record(rnn, inputs)).toEqual(ref);
      });
    }
  }
  it("a single sequence [T,I] as a view: λ1 is lyapunovSpectrum's Tensor one, as before (−0.2474, was −0.3191 for the view)", () => {
    const rnn = nets[0][1];
    const one = ndarray(physITB, [I, T, B]).transpose(2, 1, 0).pick(0, null, null); // [T,I], strides [B, B·T]
    const g = lyapunovValueAndGrad(rnn, { inputs: one, k: 1, frameWarmup: 2 }).exponents[0];
    const s = lyapunovValueAndGrad(rnn, { inputs: { shape: [T, I], data: flat.slice(0, T * I) }, k: 1, frameWarmup: 2 }).exponents[0];
    expect(g).toBe(s);
    expect(g).toBeCloseTo(-0.2474, 4);
    // and the spectrum of the same run agrees to rounding (its own oracle: QR propagation without the tape)
    expect(lyapunovSpectrum(rnn, { inputs: one, k: 1, frameWarmup: 2 }).exponents[0]).toBeCloseTo(g, 10);
  });
  it('a bad form is refused naming lyapunovValueAndGrad: inputs', () => {
    const rnn = nets[0][1];
    expect(() => lyapunovValueAndGrad(rnn, { inputs: [[[1, 2, 3]]] })).toThrow(/^lyapunovValueAndGrad: inputs must be \[B,T,I\] or \[T,I\] with I = 2 \(the RNN's input size\), got \[1,1,3\]$/);
    expect(() => lyapunovValueAndGrad(rnn, { inputs: 'x' as never })).toThrow(TypeError);
    expect(() => lyapunovValueAndGrad(rnn, { inputs: { shape: [1, 2, 2], data: [0, 1, NaN, 2] }, frameWarmup: 0 })).toThrow(/^lyapunovValueAndGrad: inputs has NaN at flat index 2$/);
    expect(() => lyapunovValueAndGrad(rnn, { inputs: { shape: [1, 0, 2], data: [] }, frameWarmup: 0 })).toThrow(/^lyapunovValueAndGrad: inputs must hold at least one step/);
  });
});

describe('flossingLossAndGrad inputs in every TensorInput form', () => {
  for (const [cell, rnn] of nets) {
    const run = (inputs: TensorInput): number[] => {
      const r = flossingLossAndGrad(rnn, inputs, { k: 2, frameWarmup: 2 });
      const g = r.grads as unknown as Record<string, { data: Float32Array }>;
      return [r.loss, ...r.exponents, ...Object.keys(g).sort().flatMap((key) => [...g[key].data])];
    };
    const ref = run({ shape: [B, T, I], data: flat });
    for (const [what, inputs] of forms) {
      it(`${cell}, ${what}: the Float32Array Tensor's loss, exponents and gradients bit for bit`, () => {
        expect(run(inputs)).toEqual(ref);
      });
    }
  }
  it("reads each property of inputs once (a getter's second value is never used)", () => {
    for (const stride of [undefined, [T * I, I, 1]]) {
      const reads = { data: 0, shape: 0, stride: 0 };
      const inputs = {
        get data() { reads.data++; return reads.data === 1 ? flat : new Float32Array(flat.length).fill(NaN); },
        get shape() { reads.shape++; return [B, T, I]; },
        get stride() { reads.stride++; return stride; },
        offset: 0,
      };
      const r = flossingLossAndGrad(nets[0][1], inputs as never, { k: 2, frameWarmup: 2 });
      expect(reads).toEqual({ data: 1, shape: 1, stride: 1 });
      expect(Number.isFinite(r.loss)).toBe(true);
    }
  });
  it('a [T,I] sequence is still refused (flossing takes [B,T,I])', () => {
    expect(() => flossingLossAndGrad(nets[0][1], { shape: [T, I], data: flat.slice(0, T * I) })).toThrow(/^flossingLossAndGrad: inputs: expected shape \[B,T,2\]/);
  });
});

describe("lyapunovValueAndGrad's run-length refusal names a default frameWarmup", () => {
  const rnn = nets[0][1];
  const msg = (f: () => unknown): string => { try { f(); } catch (e) { expect(e).toBeInstanceOf(RangeError); return (e as Error).message; } return ''; };
  it('says the default and its rule, as lyapunovSpectrum does (it said "T = 20 steps leave none …", as if 10 had been passed)', () => {
    const inputs = { shape: [1, T, I], data: flat.slice(0, T * I) };
    expect(msg(() => lyapunovValueAndGrad(rnn, { inputs, warmup: 15 }))).toBe(
      'lyapunovValueAndGrad: the inputs have T = 20 steps, leaving none to count after warmup 15 and frameWarmup 10 (the default for T = 20: ⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100): pass a smaller frameWarmup (0 allowed)',
    );
    // lyapunovSpectrum's words for the same run
    expect(msg(() => lyapunovSpectrum(rnn, { inputs, warmup: 15 }))).toBe(msg(() => lyapunovValueAndGrad(rnn, { inputs, warmup: 15 })).replace('lyapunovValueAndGrad', 'lyapunovSpectrum'));
  });
  it('a passed frameWarmup is not called the default; an autonomous run says "the run has"', () => {
    const inputs = { shape: [1, T, I], data: flat.slice(0, T * I) };
    expect(msg(() => lyapunovValueAndGrad(rnn, { inputs, warmup: 15, frameWarmup: 10 }))).toBe('lyapunovValueAndGrad: the inputs have T = 20 steps, leaving none to count after warmup 15 and frameWarmup 10');
    expect(msg(() => lyapunovValueAndGrad(rnn, { steps: 20, warmup: 18 }))).toBe(
      'lyapunovValueAndGrad: the run has T = 20 steps, leaving none to count after warmup 18 and frameWarmup 10 (the default for T = 20: ⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100): pass a smaller frameWarmup (0 allowed)',
    );
  });
});
