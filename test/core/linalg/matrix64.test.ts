/**
 * Matrix inputs accepted by every linear-algebra routine: conversion is exact (float32 → float64
 * is exact) and copies; validation errors name the argument, the expected and the actual shape.
 */
import { describe, expect, it } from 'vitest';
import { matrix64ToArray, tensor, toMatrix64 } from '../../../src/core/index.js';

describe('toMatrix64 / matrix64ToArray', () => {
  it('converts Tensors, { rows, cols, data } and nested arrays exactly, into fresh copies', () => {
    const t = tensor([[0.1, 2], [3, 4]]);
    const m = toMatrix64(t);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(2);
    expect(m.data[0]).toBe(Math.fround(0.1)); // float32 value widened exactly
    m.data[1] = 99;
    expect(t.data[1]).toBe(2);
    const src = { rows: 1, cols: 3, data: new Float64Array([1, 2, 3]) };
    const c = toMatrix64(src);
    expect(c.data).not.toBe(src.data);
    expect(matrix64ToArray(c)).toEqual([[1, 2, 3]]);
    expect(matrix64ToArray(toMatrix64([[1, 2], [3, 4], [5, 6]]))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(matrix64ToArray(toMatrix64({ shape: [2, 1], data: new Float64Array([7, 8]) }))).toEqual([[7], [8]]);
  });

  it('rejects wrong kinds with TypeError and wrong shapes/values with RangeError, naming the argument', () => {
    expect(() => toMatrix64(null as never, 'x')).toThrow(/^x: expected a matrix .* got null$/);
    expect(() => toMatrix64('m' as never, 'x')).toThrow(TypeError);
    expect(() => toMatrix64([1, 2] as never, 'x')).toThrow(/x: expected nested arrays of numbers \(an array of rows\), got row 0 of kind number/);
    expect(() => toMatrix64([[1], 2] as never, 'x')).toThrow(/x: expected nested arrays of numbers, got row 1 of kind number/);
    expect(() => toMatrix64([[1, 2], [3, 4, 5]], 'x')).toThrow(/x: ragged array, row 0 has length 2 but row 1 has length 3/);
    expect(() => toMatrix64([[1, null as never]], 'x')).toThrow(/x: expected a number at \[0,1\], got null/);
    expect(() => toMatrix64([[]], 'x')).toThrow(RangeError);
    expect(() => toMatrix64({ rows: 2, cols: 2, data: new Int32Array(4) } as never, 'x')).toThrow(/data is Int32Array/);
    expect(() => toMatrix64({ rows: '2', cols: 2, data: new Float64Array(4) } as never, 'x')).toThrow(TypeError);
    expect(() => toMatrix64({ rows: 1.5, cols: 2, data: new Float64Array(3) }, 'x')).toThrow(/x: dimensions must be non-negative integers, got \[1.5,2\]/);
    expect(() => toMatrix64({ shape: [2, 3], data: new Float32Array(5) } as never, 'x')).toThrow(/x: shape \[2,3\] holds 6 elements but data has length 5/);
    expect(() => toMatrix64({ data: new Float64Array(1) } as never, 'x')).toThrow(/neither 'shape' nor 'rows'\/'cols'/);
    expect(() => toMatrix64({ rows: 1, cols: 2, data: new Float64Array([1, -Infinity]) }, 'x')).toThrow(
      /x: expected finite values, found -Infinity at \[0,1\] of the 1×2 matrix/,
    );
  });
});
