// Time-first inputs [T,B,I] with their B labels: read batch-first, x is T sequences of B steps, and
// the label count matches x's second dimension. The message said only "expected 28 labels (one per
// batch row), got 64"; it now names the layout and the transpose.
import { describe, expect, it } from 'vitest';
import { evaluate, initRnn, train } from '../../src/rnn/index.js';

const [T, B, I] = [5, 7, 3];
const x = { shape: [T, B, I], data: new Float32Array(T * B * I).fill(0.1) }; // time-first
const labels = new Int32Array(B);
const net = () => initRnn({ inputSize: I, hiddenSize: 4, outputSize: 2, seed: 0 });

describe('labels against time-first inputs', () => {
  it('names the batch-first reading and the transpose', async () => {
    const msg = 'train: data.labels: expected 5 labels (one per sequence of x [5,7,3], read batch-first [B,T,I]), got 7, which is x\'s T: if x is time-first [T,B,I] (PyTorch\'s batch_first=False), transpose it to [B,T,I]';
    await expect(train(net(), { x, labels })).rejects.toThrow(new RangeError(msg));
    expect(() => evaluate(net(), { x, labels })).toThrow(/^evaluate: data\.labels: expected 5 labels .* transpose it to \[B,T,I\]$/);
  });
  it('another count keeps the plain message', () => {
    expect(() => evaluate(net(), { x, labels: new Int32Array(6) })).toThrow(new RangeError('evaluate: data.labels: expected 5 labels (one per batch row), got 6'));
  });
});
