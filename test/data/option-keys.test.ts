// Unknown options of the data folder's functions are refused, naming the option they most likely mean.
import { describe, expect, it } from 'vitest';
import { delayedRecallTask, flipFlopTask, sequentialMnist } from '../../src/data/index.js';

describe('unknown options in data', () => {
  it('flipFlopTask: p_flip → pFlip, n_bits → bits, batch_size → batch', () => {
    expect(() => flipFlopTask({ p_flip: 0.1 } as never)).toThrow(/^flipFlopTask: unknown option opts\.p_flip \(did you mean pFlip\?\)$/);
    expect(() => flipFlopTask({ n_bits: 2 } as never)).toThrow(/did you mean bits\?/);
    expect(() => flipFlopTask({ batch_size: 2 } as never)).toThrow(/did you mean batch\?/);
  });
  it('delayedRecallTask: delays → delay, input_size → inputSize', () => {
    expect(() => delayedRecallTask({ delays: 2 } as never)).toThrow(/^delayedRecallTask: unknown option opts\.delays \(did you mean delay\?\)$/);
    expect(() => delayedRecallTask({ input_size: 2 } as never)).toThrow(/did you mean inputSize\?/);
  });
  it('sequentialMnist: varient → variant', () => {
    const images = { shape: [2, 28, 28], data: new Uint8Array(2 * 784) };
    expect(() => sequentialMnist(images, new Uint8Array([3, 7]), { varient: 'permuted' } as never)).toThrow(/^sequentialMnist: unknown option opts\.varient \(did you mean variant\?\)$/);
  });
});
