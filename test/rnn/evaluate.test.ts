// A forward pass that overflows (finite weights and inputs, states past float32's range) gives NaN
// logits; their argmax is no class, so the accuracy is NaN beside the NaN loss. It used to count every
// such sequence as a prediction of class 0 (a relu network reported accuracy 0.4 with loss NaN).
import { describe, expect, it } from 'vitest';
import { initRnn, evaluate, rnnLoss, train } from '../../src/rnn/index.js';

function overflowing() {
  const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, activation: 'relu', seed: 1 });
  rnn.params.wRec.data.fill(0);
  for (let i = 0; i < 3; i++) rnn.params.wRec.data[i * 4] = 1e10;
  rnn.params.wIn.data.fill(1);
  return rnn;
}
const x = { shape: [5, 6, 2], data: new Float32Array(60).fill(1) };
const labels = Int32Array.from([0, 1, 0, 1, 0]); // three of class 0: the old count gave 0.6

describe('accuracy of a forward pass that overflowed', () => {
  it('evaluate and rnnLoss report NaN, not the share of class-0 labels', () => {
    const rnn = overflowing();
    const e = evaluate(rnn, { x, labels }, { batchSize: 2 });
    expect(e.loss).toBeNaN();
    expect(e.accuracy).toBeNaN();
    const r = rnnLoss(rnn, { x, labels });
    expect(r.loss).toBeNaN();
    expect(r.accuracy).toBeNaN();
  });
  it('train records valAccuracy NaN for a validation set that overflows', async () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, activation: 'relu', seed: 1 });
    const validation = { x: { shape: [5, 6, 2], data: new Float32Array(60).fill(3e38) }, labels };
    const h = await train(rnn, { x, labels }, { epochs: 1, validation });
    expect(h.epochs[0].valLoss).toBeNaN();
    expect(h.epochs[0].valAccuracy).toBeNaN();
  });
  it('a finite loss keeps its accuracy', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const e = evaluate(rnn, { x, labels });
    expect(Number.isFinite(e.loss)).toBe(true);
    expect([0, 0.2, 0.4, 0.6, 0.8, 1]).toContain(e.accuracy);
  });
});
