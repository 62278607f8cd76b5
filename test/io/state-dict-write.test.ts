// docs/training.md said to save large models with writeSafetensors(toTorchStateDict(rnn)); the
// default format of toTorchStateDict is nested arrays (for JSON), which writeSafetensors refused as
// "tensor 'rnn.weight_ih_l0': shape must be an array, got undefined". The doc now passes
// { format: 'tensor' }, and the message for a nested array says so.
import { describe, expect, it } from 'vitest';
import { readSafetensors, safetensorsToTensors, writeSafetensors } from '../../src/io/index.js';
import { fromTorchStateDict, initRnn, toTorchStateDict } from '../../src/rnn/index.js';

const rnn = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 2, seed: 1 });

describe('writeSafetensors of a state dict', () => {
  it('nested arrays are refused with the format to pass', () => {
    expect(() => writeSafetensors(toTorchStateDict(rnn) as never)).toThrow(
      new TypeError("writeSafetensors: tensor 'rnn.weight_ih_l0': expected { shape, data: Float32Array | Float64Array }, got a nested array; from toTorchStateDict pass { format: 'tensor' }"),
    );
  });
  it("{ format: 'tensor' } writes it, and it reads back bit for bit", () => {
    const back = fromTorchStateDict(safetensorsToTensors(readSafetensors(writeSafetensors(toTorchStateDict(rnn, { format: 'tensor' })))));
    expect(Array.from(back.params.wRec.data)).toEqual(Array.from(rnn.params.wRec.data));
  });
});
