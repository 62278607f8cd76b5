import { describe, expect, it } from 'vitest';
import { gradientCheck } from '../../src/autodiff/index.js';
import { flipFlopTask, sequentialMnist } from '../../src/data/index.js';

describe('data and autodiff: wrong kinds and polluted options', () => {
  it('sequentialMnist offset/limit of the wrong kind are TypeErrors', () => {
    const images = { shape: [2, 28, 28], data: new Uint8Array(2 * 784) };
    const labels = new Uint8Array([1, 2]);
    expect(() => sequentialMnist(images, labels, { offset: '1' as unknown as number })).toThrow(TypeError);
    expect(() => sequentialMnist(images, labels, { limit: '1' as unknown as number })).toThrow(TypeError);
    expect(() => sequentialMnist(images, labels, { offset: 1.5 })).toThrow(RangeError);
  });
  it("gradientCheck's h/rtol/atol of the wrong kind are TypeErrors", () => {
    const f = (() => { throw new Error('not reached'); }) as never;
    expect(() => gradientCheck(f, {}, { h: '1' as unknown as number })).toThrow(TypeError);
    expect(() => gradientCheck(f, {}, { rtol: '1' as unknown as number })).toThrow(TypeError);
    expect(() => gradientCheck(f, {}, { atol: NaN })).toThrow(RangeError);
  });
  it('a polluted Object.prototype.steps or .rng does not reach flipFlopTask', () => {
    const ref = flipFlopTask({ batch: 2, steps: 7, seed: 1 });
    const proto = Object.prototype as Record<string, unknown>;
    proto.steps = 1e9;
    proto.rng = () => 0.5;
    try {
      const again = flipFlopTask({ batch: 2, steps: 7, seed: 1 });
      expect(again.x.data).toEqual(ref.x.data);
    } finally {
      delete proto.steps;
      delete proto.rng;
    }
  });
});
