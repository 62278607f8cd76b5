/**
 * Interop with the real `ndarray` package: its views (transposed, stepped, negative strides,
 * offset, hi/lo windows, picks) are read into contiguous tensors element by element against
 * `view.get(...)`, written back through `view.set` semantics, and tensors are wrapped without copies.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { fromNdarray, rowMajorStrides, tensor, toNdarray, toNested, writeToNdarray, type NdarrayView, type Tensor } from '../../src/core/index.js';

/** All index tuples of a shape in row-major order. */
function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const rec = (prefix: number[]) => {
    if (prefix.length === shape.length) {
      out.push(prefix);
      return;
    }
    for (let i = 0; i < shape[prefix.length]; i++) rec([...prefix, i]);
  };
  rec([]);
  return out;
}

const base = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return ndarray(Float64Array.from({ length: n }, (_, i) => i + 0.5), shape);
};

describe('fromNdarray', () => {
  it('reads transposed, stepped (negative), offset and hi/lo views element for element', () => {
    const a = base([4, 5, 3]);
    const views = {
      plain: a,
      transposed: a.transpose(2, 0, 1),
      reversed: a.step(-1, 2, -1),
      window: a.hi(3, 4, 2).lo(1, 1, 0),
      mixed: a.lo(1, 0, 1).step(1, -2, 1).transpose(1, 2, 0),
      picked: a.pick(null, 2, null),
      scalar: a.pick(3, 4, 2),
      empty: a.hi(0, 5, 3),
    };
    for (const [name, v] of Object.entries(views)) {
      const t = fromNdarray(v);
      expect(t.shape, name).toEqual(v.shape);
      const expected = indices(v.shape).map((ix) => Math.fround(v.get(...ix)));
      expect(Array.from(t.data), name).toEqual(expected);
    }
  });

  it('agrees with ndarray on random views (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: -2, max: 2 }).filter((s) => s !== 0), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }),
        fc.func(fc.boolean()),
        (shape, steps, los, flip) => {
          let v = base(shape);
          v = v.lo(...los.slice(0, shape.length).map((l, d) => Math.min(l, shape[d] - 1)));
          v = v.step(...steps.slice(0, shape.length));
          if (flip(shape) && shape.length > 1) v = v.transpose(...shape.map((_, d) => shape.length - 1 - d));
          const t = fromNdarray(v);
          expect(Array.from(t.data)).toEqual(indices(v.shape).map((ix) => Math.fround(v.get(...ix))));
        },
      ),
      { numRuns: 100, seed: 1 },
    );
  });

  it('accepts plain arrays as data and rejects bad views with TypeError / RangeError', () => {
    expect(toNested(fromNdarray({ data: [1, 2, 3, 4], shape: [2, 2], stride: [1, 2], offset: 0 }))).toEqual([[1, 3], [2, 4]]);
    expect(() => fromNdarray(null as unknown as NdarrayView)).toThrow(TypeError);
    expect(() => fromNdarray({ data: 'abc', shape: [3], stride: [1], offset: 0 } as unknown as NdarrayView)).toThrow(/'data' must be an array/);
    expect(() => fromNdarray({ data: [1, 'x'], shape: [2], stride: [1], offset: 0 } as unknown as NdarrayView)).toThrow(/data\[1\] must be a number/);
    expect(() => fromNdarray({ data: [1, 2], shape: [2], stride: [1, 1], offset: 0 })).toThrow(/shape \[2\] and stride \[1,1\] must have the same length/);
    expect(Array.from(fromNdarray({ data: [1, 2, 3], shape: [2], stride: [2], offset: 0 }).data)).toEqual([1, 3]);
    expect(() => fromNdarray({ data: [1, 2], shape: [2], stride: [2], offset: 0 })).toThrow(
      /shape \[2\], stride \[2\], offset 0 reach indices 0\.\.2, outside data of length 2/,
    );
    expect(() => fromNdarray({ data: [1, 2, 3], shape: [3], stride: [-1], offset: 1 })).toThrow(RangeError);
    expect(() => fromNdarray({ data: [1, 2], shape: [1.5], stride: [1], offset: 0 })).toThrow(RangeError);
    expect(() => fromNdarray({ data: [1, 2], shape: [1], stride: [1], offset: 0.5 })).toThrow(/offset must be an integer/);
  });
});

describe('toNdarray', () => {
  it('gives a no-copy view that the ndarray package wraps', () => {
    const t = tensor([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]);
    const v = toNdarray(t);
    expect(v.data).toBe(t.data);
    expect(v.stride).toEqual([6, 3, 1]);
    const nd = ndarray(v.data, v.shape, v.stride, v.offset);
    for (const ix of indices(t.shape)) expect(nd.get(...ix)).toBe(t.data[ix[0] * 6 + ix[1] * 3 + ix[2]]);
    nd.set(1, 0, 2, -1);
    expect(t.data[9 - 1]).toBe(-1);
    // round trip through a transposed view
    expect(toNested(fromNdarray(nd.transpose(0, 2, 1).transpose(0, 2, 1)))).toEqual(toNested(t));
    expect(rowMajorStrides([])).toEqual([]);
    expect(toNdarray(tensor(5, [])).shape).toEqual([]);
  });
});

describe('writeToNdarray', () => {
  it('writes into strided views of the ndarray package', () => {
    const img = ndarray(new Float64Array(12), [3, 4]);
    const t = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);
    expect(writeToNdarray(t, img.transpose(1, 0))).toBeDefined();
    expect(indices([3, 4]).map((ix) => img.get(...ix))).toEqual([1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]);
    // reversed, stepped window: only the selected entries change
    const buf = ndarray(new Float32Array(20).fill(-1), [4, 5]);
    const win = buf.hi(3, 5).lo(1, 0).step(-1, 2);
    const w: Tensor = { shape: win.shape.slice(), data: Float32Array.from({ length: win.size }, (_, i) => i) };
    writeToNdarray(w, win);
    expect(fromNdarray(win).data).toEqual(w.data);
    let changed = 0;
    for (let i = 0; i < 20; i++) if (buf.data[i] !== -1) changed++;
    expect(changed).toBe(w.data.length);
  });

  it('is correct when the view overlaps the tensor (in-place transpose through a view)', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const v = toNdarray(t);
    const nd = ndarray(v.data, v.shape, v.stride, v.offset);
    writeToNdarray(t, nd.transpose(1, 0));
    expect(toNested(t)).toEqual([[1, 4, 7], [2, 5, 8], [3, 6, 9]]);
  });

  it('rejects shape mismatches naming both shapes and leaves the target unchanged', () => {
    const img = ndarray(new Float64Array(6).fill(3), [2, 3]);
    expect(() => writeToNdarray(tensor([[1, 2], [3, 4], [5, 6]]), img)).toThrow(
      /writeToNdarray: view shape \[2,3\] must equal the shape of t \[3,2\]/,
    );
    expect(Array.from(img.data)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(() => writeToNdarray({ shape: [2] } as unknown as Tensor, img)).toThrow(TypeError);
  });
});
