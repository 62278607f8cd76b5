// Reductions over empty inputs: a sum of nothing is 0; a mean of nothing is undefined, and is a
// RangeError at the call (as core `mean` already was) rather than a silent 0 loss, which trained
// nothing and looked like a perfect fit (PyTorch gives nan, which the library reports, never averages).
import { describe, expect, it } from 'vitest';
import { ad, valueAndGrad } from '../../src/autodiff/index.js';
import { mean, sum, tensor } from '../../src/core/index.js';
import { evaluate, initRnn, rnnLoss, train } from '../../src/rnn/index.js';

const empty = (shape: number[]) => tensor(new Float32Array(0), shape);

describe('autodiff reductions over empty inputs', () => {
  it('sum of an empty tensor is 0 with an empty gradient, in core and autodiff alike', () => {
    expect(sum(empty([0]))).toBe(0);
    const { value, grads } = valueAndGrad((p: { w: any }) => ad.sum(p.w))({ w: empty([2, 0]) });
    expect(value).toBe(0);
    expect((grads.w as { shape: number[] }).shape).toEqual([2, 0]);
  });
  it('mean of an empty tensor is a RangeError, as core mean is (it was 0)', () => {
    expect(() => mean(empty([0]))).toThrow(/^mean: a is empty \(shape \[0\]\); the mean is undefined/);
    expect(() => ad.mean(empty([0]))).toThrow(RangeError);
    expect(() => ad.mean(empty([3, 0]))).toThrow(/^mean: a is empty \(shape \[3,0\]\); the mean is undefined/);
    expect(() => valueAndGrad((p: { w: any }) => ad.mean(p.w))({ w: empty([0]) })).toThrow(/^mean: a is empty/);
  });
  it('the mean of n entries keeps its value and its gradient 1/n', () => {
    for (const n of [1, 3, 7]) {
      const w = tensor(Array.from({ length: n }, (_, i) => i + 1));
      const { value, grads } = valueAndGrad((p: { w: any }) => ad.mean(p.w))({ w });
      expect(value).toBe((n + 1) / 2);
      for (const g of (grads.w as { data: Float32Array }).data) expect(g).toBe(Math.fround(1 / n));
    }
  });
  it('mse and softmaxCrossEntropy over nothing are RangeErrors (they were 0)', () => {
    expect(() => ad.mse(empty([0, 2]), empty([0, 2]))).toThrow(/^mse: pred is empty \(shape \[0,2\]\); the mean is undefined/);
    expect(() => ad.softmaxCrossEntropy(empty([0, 3]), new Int32Array(0))).toThrow(/^softmaxCrossEntropy: logits \[0,3\] hold no rows/);
  });
});

describe('RNN losses over an empty batch name the function called', () => {
  const rnn = initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 2, seed: 1 });
  it('rnnLoss refuses a batch of no sequences or of targets without values (loss 0 before)', () => {
    expect(() => rnnLoss(rnn, { x: empty([0, 3, 1]), labels: new Int32Array(0) })).toThrow(/^rnnLoss: batch\.x \[0,3,1\] holds no sequences/);
    expect(() => rnnLoss(rnn, { x: empty([0, 3, 1]), targets: empty([0, 3, 2]) }, { loss: 'mse' })).toThrow(/^rnnLoss: batch\.targets \[0,3,2\] holds no values/);
    expect(() => rnnLoss(rnn, { x: empty([2, 0, 1]), targets: empty([2, 0, 2]) }, { loss: 'mse' })).toThrow(/^rnnLoss: batch\.targets \[2,0,2\] holds no values/);
  });
  it('train and evaluate refuse sequences whose targets hold no values (train took a step of loss 0)', async () => {
    const data = { x: empty([2, 0, 1]), targets: empty([2, 0, 2]) };
    await expect(train(rnn, data, { epochs: 1, loss: 'mse' })).rejects.toThrow(/^train: data\.targets \[2,0,2\] hold no values/);
    expect(() => evaluate(rnn, data, { loss: 'mse' })).toThrow(/^evaluate: data\.targets \[2,0,2\] hold no values/);
  });
  it('a data set of no sequences is still reported as count 0 with a NaN loss', () => {
    const r = evaluate(rnn, { x: empty([0, 3, 1]), labels: new Int32Array(0) });
    expect(r.count).toBe(0);
    expect(r.loss).toBeNaN();
  });
});
