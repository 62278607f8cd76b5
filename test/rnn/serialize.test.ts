import { describe, expect, it } from 'vitest';
import { initRnn, loadRnn, rnnForward, saveRnn } from '../../src/rnn/index.js';
import { randn } from '../../src/core/index.js';

describe('saveRnn / loadRnn', () => {
  it('round-trips every float32 value exactly, with metadata', () => {
    const rnn = initRnn({ inputSize: 4, hiddenSize: 9, outputSize: 3, activation: 'relu', init: 'orthogonal', gain: 1.1, seed: 1 });
    const json = saveRnn(rnn, { metadata: { epochs: 3 } });
    const doc = JSON.parse(json);
    expect(doc).toMatchObject({ format: 'rnn-lyap/rnn', version: 1, activation: 'relu', inputSize: 4, hiddenSize: 9, outputSize: 3, metadata: { epochs: 3 } });
    const back = loadRnn(json, { cell: 'rnn' });
    expect(back.activation).toBe('relu');
    for (const k of ['wIn', 'wRec', 'b', 'wOut', 'bOut'] as const) {
      expect(back.params[k].shape).toEqual(rnn.params[k].shape);
      expect(Array.from(back.params[k].data)).toEqual(Array.from(rnn.params[k].data));
    }
    const x = randn([2, 3, 4], { seed: 2 });
    expect(Array.from(rnnForward(back, x).outputs.data)).toEqual(Array.from(rnnForward(rnn, x).outputs.data));
    expect(loadRnn(doc).params.wRec.data).toEqual(back.params.wRec.data);
  });
  it('rejects malformed documents', () => {
    const doc = JSON.parse(saveRnn(initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2 })));
    expect(() => loadRnn('{not json')).toThrow(/not valid JSON/);
    expect(() => loadRnn({ ...doc, format: 'other' })).toThrow(/expected format 'rnn-lyap\/rnn'/);
    expect(() => loadRnn({ ...doc, version: 2 })).toThrow(/unsupported version 2/);
    const nan = structuredClone(doc);
    nan.params.wRec.data[4] = null; // what JSON.stringify makes of NaN
    expect(() => loadRnn(nan)).toThrow(/params\.wRec\.data\[4\] must be a finite number, got null/);
    const short = structuredClone(doc);
    short.params.b.data.pop();
    expect(() => loadRnn(short)).toThrow(/params\.b: shape \[3\] needs 3 values, got 2/);
    const wrong = structuredClone(doc);
    wrong.params.wOut = { shape: [2, 2], data: [1, 2, 3, 4] };
    expect(() => loadRnn(wrong)).toThrow(/wOut: expected shape \[O,3\]/);
  });
});
