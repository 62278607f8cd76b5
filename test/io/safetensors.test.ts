import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/io/index.js';
import { fromTorchStateDict, initRnn, toTorchStateDict, type GatedRnn } from '../../src/rnn/index.js';

describe('safetensors', () => {
  it('round-trips F32 and F64 exactly and feeds fromTorchStateDict', () => {
    const rnn = initRnn({ cell: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const sd = toTorchStateDict(rnn, { format: 'tensor' }) as Record<string, { shape: number[]; data: Float32Array }>;
    const bytes = writeSafetensors({ ...sd, extra: { shape: [2], data: new Float64Array([Math.PI, -1e-300]) } });
    const back = readSafetensors(bytes);
    expect(back.extra.dtype).toBe('F64');
    expect(Array.from(back.extra.data as Float64Array)).toEqual([Math.PI, -1e-300]);
    delete (back as Record<string, unknown>).extra;
    const again = fromTorchStateDict(back as never) as unknown as GatedRnn;
    expect(again.cell).toBe('lstm');
    expect(Array.from(again.params.wRec.data)).toEqual(Array.from(rnn.params.wRec.data));
  });
  it('names the tensor when the header lies, and never reads past the buffer (fuzzed)', () => {
    const good = writeSafetensors({ w: { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } });
    expect(() => readSafetensors(good.subarray(0, good.length - 1))).toThrow(/'w'.*run past/);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(good.length), (junk, cut) => {
      const b = new Uint8Array([...good.subarray(0, cut), ...junk]);
      try { readSafetensors(b); } catch (e) { expect(e).toBeInstanceOf(RangeError); }
    }), { numRuns: 300 });
  });
});
