// sequentialMnist options that used to be dropped or misread silently.
import { describe, expect, it } from 'vitest';
import { sequentialMnist } from '../../src/data/index.js';

const N = 3;
const data = Uint8Array.from({ length: N * 784 }, (_, i) => (i * 7) % 256);
const images = { shape: [N, 28, 28], data };
const labels = new Uint8Array([1, 2, 3]);
const reversed = Array.from({ length: 784 }, (_, i) => 783 - i);

describe('sequentialMnist: a permutation is never dropped silently', () => {
  it("refuses opts.permutation unless variant is 'permuted' (pixels + permutation used to read pixels in order)", () => {
    expect(() => sequentialMnist(images, labels, { variant: 'pixels', permutation: reversed })).toThrow(/permutation.*'permuted'/);
    expect(() => sequentialMnist(images, labels, { permutation: reversed })).toThrow(RangeError);
    expect(sequentialMnist(images, labels, { variant: 'permuted', permutation: reversed }).x.data[0]).toBe(Math.fround(data[783] / 255));
  });

  it('refuses opts.permutation together with opts.seed or opts.rng (the seed used to be ignored)', () => {
    expect(() => sequentialMnist(images, labels, { variant: 'permuted', permutation: reversed, seed: 3 })).toThrow(/either opts\.permutation or opts\.seed/);
    expect(() => sequentialMnist(images, labels, { variant: 'permuted', permutation: reversed, rng: Math.random })).toThrow(/either opts\.permutation or opts\.rng/);
  });
});

describe('sequentialMnist: byte pixels of any byte array are scaled to [0, 1]', () => {
  it('a Uint8ClampedArray (canvas ImageData in a browser) is divided by 255 like a Uint8Array', () => {
    const clamped = sequentialMnist({ shape: [N, 28, 28], data: new Uint8ClampedArray(data) }, labels);
    const plain = sequentialMnist(images, labels);
    expect(clamped.x.data).toEqual(plain.x.data);
    expect(Math.max(...clamped.x.data)).toBeLessThanOrEqual(1);
  });
});

describe('sequentialMnist: opts.modification refuses unknown keys', () => {
  it('a misspelt or extra key of { kind, n } is a RangeError naming it', () => {
    expect(() => sequentialMnist(images, labels, { modification: { kind: 'cut', n: 3, rows: 5 } as never })).toThrow(/opts\.modification\.rows/);
    expect(() => sequentialMnist(images, labels, { modification: { kind: 'hidden', N: 3 } as never })).toThrow(/opts\.modification\.N \(did you mean n\?\)/);
    expect(sequentialMnist(images, labels, { modification: { kind: 'cut', n: 3 } }).x.shape).toEqual([N, 3, 28]);
  });

  it('reads kind and n as own properties only (an inherited kind or n was used although unknown keys are checked on own ones)', () => {
    const inherited = Object.create({ kind: 'cut', n: 3 }) as { kind: 'cut'; n: number };
    expect(() => sequentialMnist(images, labels, { modification: inherited })).toThrow(/opts\.modification\.kind/);
    const half = Object.assign(Object.create({ n: 3 }) as object, { kind: 'hidden' }) as { kind: 'hidden'; n: number };
    expect(() => sequentialMnist(images, labels, { modification: half })).toThrow(RangeError);
    expect(() => sequentialMnist(images, labels, { modification: [] as never })).toThrow(TypeError);
  });
});
