// A data set's h0 under another name (evaluate(rnn, { x, labels, hidden })) was ignored: the loss
// came from zeros, without a word. A near miss of an absent field is now a RangeError naming the
// field meant; other extra fields (a data set's own, as sequentialMnist's permutation) still pass.
import { describe, expect, it } from 'vitest';
import { flipFlopTask } from '../../src/data/index.js';
import { evaluate, initRnn, rnnLoss, train } from '../../src/rnn/index.js';

const data = flipFlopTask({ bits: 2, steps: 6, batch: 8, pFlip: 0.2, seed: 1 });
const net = () => initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, seed: 0 });
const h0 = [0.3, -0.2, 0.1, 0.5];

describe('fields of a data set or batch', () => {
  it('a near miss of h0 is refused, naming h0', () => {
    for (const k of ['hidden', 'h_0', 'H0', 'hO', 'initialState']) {
      expect(() => evaluate(net(), { ...data, [k]: h0 } as never)).toThrow(
        new RangeError(`evaluate: data.${k}: unknown field (did you mean h0?); the fields are x, labels or targets, and h0`),
      );
    }
    expect(() => rnnLoss(net(), { ...data, hidden: h0 } as never)).toThrow(/^rnnLoss: batch\.hidden: unknown field \(did you mean h0\?\)/);
  });
  it('a near miss of targets, labels or x is refused, naming it', async () => {
    await expect(train(net(), { x: data.x, target: data.targets } as never)).rejects.toThrow(/^train: data\.target: unknown field \(did you mean targets\?\)/);
    await expect(train(net(), { inputs: data.x, targets: data.targets } as never)).rejects.toThrow(/^train: data\.inputs: unknown field \(did you mean x\?\)/);
    expect(() => evaluate(net(), { x: data.x, label: [0, 1, 0, 1, 0, 1, 0, 1] } as never)).toThrow(/^evaluate: data\.label: unknown field \(did you mean labels\?\)/);
  });
  it('other extra fields pass, and h0 under its own name changes the loss', () => {
    const plain = evaluate(net(), data).loss;
    expect(evaluate(net(), { ...data, permutation: new Int32Array(3), mask: 1 } as never).loss).toBe(plain);
    expect(evaluate(net(), { ...data, h0 }).loss).not.toBe(plain);
  });
});
