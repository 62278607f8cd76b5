import { describe, expect, it } from 'vitest';
import { randn, toTensor } from '../../src/core/index.js';
import { initRnn, rnnForward, rnnLoss, evaluate } from '../../src/rnn/index.js';

describe('toTensor, the one input normaliser', () => {
  const want = [1, 2, 3, 4, 5, 6];

  it('accepts a Tensor (no copy), nested arrays, { shape, data } with any numeric typed array or number[], typed-array rows and ndarray views', () => {
    const t = { shape: [2, 3], data: new Float32Array(want) };
    expect(toTensor(t, 'f: x').data).toBe(t.data);
    const forms: unknown[] = [
      [[1, 2, 3], [4, 5, 6]],
      { shape: [2, 3], data: new Float64Array(want) },
      { shape: [2, 3], data: new Uint8Array(want) },
      { shape: [2, 3], data: new Int32Array(want) },
      { shape: [2, 3], data: want.slice() },
      [new Float64Array([1, 2, 3]), new Float32Array([4, 5, 6])],
      // the transposed view of [[1,4],[2,5],[3,6]] (ndarray layout)
      { data: new Float64Array([1, 4, 2, 5, 3, 6]), shape: [2, 3], stride: [1, 2], offset: 0 },
    ];
    for (const f of forms) {
      const r = toTensor(f, 'f: x');
      expect(r.shape).toEqual([2, 3]);
      expect(Array.from(r.data)).toEqual(want);
    }
    expect(toTensor(new Float64Array(want), 'f: x').shape).toEqual([6]);
  });

  it('names the caller and uses TypeError for kinds, RangeError for shapes, ranks and (with finite) NaN', () => {
    expect(() => toTensor(42, 'f: x')).toThrow(TypeError);
    expect(() => toTensor(null, 'f: x')).toThrow(/^f: x: expected a Tensor/);
    expect(() => toTensor({ shape: [2], data: new BigInt64Array(2) }, 'f: x')).toThrow(TypeError);
    expect(() => toTensor({ shape: [2, 'a'], data: [1, 2] }, 'f: x')).toThrow(TypeError);
    expect(() => toTensor({ shape: [2], data: ['a', 1] }, 'f: x')).toThrow(/f: x: data\[0\] must be a number/);
    expect(() => toTensor({ shape: [3], data: [1, 2] }, 'f: x')).toThrow(/f: x: shape \[3\] holds 3 elements but data has length 2/);
    expect(() => toTensor({ shape: [-1, 2], data: [1, 2] }, 'f: x')).toThrow(RangeError);
    expect(() => toTensor([[1, 2], [3]], 'f: x')).toThrow(/f: x\[1\]: ragged array/);
    expect(() => toTensor([new Float32Array(2), new Float32Array(3)], 'f: x')).toThrow(/f: x\[1\]: ragged rows/);
    expect(() => toTensor([1, 2], 'f: x', { rank: [2, 3], dims: '[B,T,I]' })).toThrow(/f: x: expected rank 2 or rank 3 \[B,T,I\], got shape \[2\]/);
    expect(() => toTensor([1, NaN], 'f: x', { finite: true })).toThrow(/f: x: expected finite values, found NaN at flat index 1/);
    expect(toTensor([1, NaN], 'f: x').data[1]).toBeNaN();
  });

  it('feeds the RNN entry points: the same numbers in any form give the same results', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const x = randn([2, 4, 2], { seed: 2 });
    const nested = [0, 1].map((b) => [0, 1, 2, 3].map((t) => [0, 1].map((i) => x.data[(b * 4 + t) * 2 + i])));
    const f64 = { shape: [2, 4, 2], data: Float64Array.from(x.data) };
    const ref = rnnForward(rnn, x).states.data;
    expect(rnnForward(rnn, nested).states.data).toEqual(ref);
    expect(rnnForward(rnn, f64, [0, 0, 0]).states.data).toEqual(ref);
    const labels = new Uint8Array([0, 1]);
    expect(rnnLoss(rnn, { x: nested, labels }).loss).toBe(rnnLoss(rnn, { x, labels }).loss);
    expect(evaluate(rnn, { x: f64, labels }).loss).toBe(evaluate(rnn, { x, labels }).loss);
    expect(() => rnnForward(rnn, 'x' as never)).toThrow(/^rnnForward: x: expected a Tensor/);
  });
});

describe('labels as readIdx returns them', () => {
  it('{ shape: [N], data: Uint8Array } is read as its data by rnnLoss, evaluate and train', async () => {
    const { train } = await import('../../src/rnn/index.js');
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const x = randn([2, 4, 2], { seed: 2 });
    const idx = { shape: [2], data: new Uint8Array([1, 0]), type: 'ubyte' };
    expect(rnnLoss(rnn, { x, labels: idx }).loss).toBe(rnnLoss(rnn, { x, labels: [1, 0] }).loss);
    expect(evaluate(rnn, { x, labels: idx }).loss).toBe(evaluate(rnn, { x, labels: [1, 0] }).loss);
    await expect(train(rnn, { x, labels: idx }, { epochs: 1 })).resolves.toBeDefined();
    expect(() => rnnLoss(rnn, { x, labels: { shape: [3], data: new Uint8Array(2) } as never })).toThrow(/rnnLoss: batch\.labels: expected an integer typed array/);
  });
});
