/** The validation helpers every public wrapper relies on: kinds, messages, and what passes. */
import { describe, expect, it } from 'vitest';
import {
  assertFinite, assertInteger, assertNumber, assertRank, assertRng, assertShape, assertTensor, firstNonFinite,
  formatShape, throwIfAborted, type Tensor,
} from '../../src/core/index.js';

const t23: Tensor = { shape: [2, 3], data: new Float32Array(6) };

describe('formatShape', () => {
  it('prints shapes compactly', () => {
    expect(formatShape([2, 3])).toBe('[2,3]');
    expect(formatShape([])).toBe('[]');
  });
});

describe('assertTensor', () => {
  it('accepts consistent tensors, including empty and rank-0 ones', () => {
    expect(() => assertTensor(t23, 'x')).not.toThrow();
    expect(() => assertTensor({ shape: [], data: new Float32Array(1) }, 'x')).not.toThrow();
    expect(() => assertTensor({ shape: [0, 4], data: new Float32Array(0) }, 'x')).not.toThrow();
  });
  it('throws TypeError for wrong kinds, naming the argument and what it got', () => {
    expect(() => assertTensor(null, 'f: a')).toThrow(new TypeError('f: a: expected a Tensor { shape, data: Float32Array }, got null'));
    expect(() => assertTensor(3, 'f: a')).toThrow(/f: a: .*got number/);
    expect(() => assertTensor({ shape: 'x', data: new Float32Array(1) }, 'f: a')).toThrow(/array 'shape', got string/);
    expect(() => assertTensor({ shape: [1], data: new Float64Array(1) }, 'f: a')).toThrow(/Float32Array 'data', got Float64Array/);
    expect(() => assertTensor({ shape: [1], data: [1] }, 'f: a')).toThrow(/got Array/);
    expect(() => assertTensor({ shape: [1] }, 'f: a')).toThrow(/got undefined/);
  });
  it('throws RangeError for bad or inconsistent shapes', () => {
    expect(() => assertTensor({ shape: [-1], data: new Float32Array(0) }, 'f: a')).toThrow(RangeError);
    expect(() => assertTensor({ shape: [1.5], data: new Float32Array(1) }, 'f: a')).toThrow(/must hold non-negative integers/);
    expect(() => assertTensor({ shape: [2, 2], data: new Float32Array(3) }, 'f: a')).toThrow(
      new RangeError('f: a: shape [2,2] holds 4 elements but data has length 3'),
    );
  });
});

describe('assertRank and assertShape', () => {
  it('check ranks', () => {
    expect(() => assertRank(t23, 2, 'x')).not.toThrow();
    expect(() => assertRank(t23, 1, 'f: v', 'vector')).toThrow(new RangeError('f: v: expected a rank-1 tensor vector, got shape [2,3]'));
  });
  it('check shapes with -1 wildcards', () => {
    expect(() => assertShape([2, 3], [2, -1], 'x')).not.toThrow();
    expect(() => assertShape([2, 3], [3, -1], 'f: w', '[H,I]')).toThrow(new RangeError('f: w: expected shape [3,*] [H,I], got [2,3]'));
    expect(() => assertShape([2, 3], [2, 3, 1], 'x')).toThrow(RangeError);
    expect(() => assertShape([], [], 'x')).not.toThrow();
  });
});

describe('finiteness', () => {
  it('finds the first NaN or infinity', () => {
    expect(firstNonFinite([1, 2, 3])).toBe(-1);
    expect(firstNonFinite(new Float32Array([1, Infinity, NaN]))).toBe(1);
    expect(firstNonFinite([0, -Infinity])).toBe(1);
    expect(firstNonFinite([])).toBe(-1);
  });
  it('finds the first NaN or infinity at every position of Float32Array / Float64Array (the blocked scans), as the plain loop does', () => {
    for (const n of [0, 1, 7, 8, 9, 16, 17, 41]) {
      for (let pos = -1; pos < n; pos++) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const a = Float32Array.from({ length: n }, (_, i) => [1, -0, 3e38, -1e-45][i % 4]);
          if (pos >= 0) a[pos] = bad;
          if (pos >= 0 && pos + 2 < n) a[pos + 2] = NaN;
          for (const d of [a, Float64Array.from(a), Array.from(a)]) expect(firstNonFinite(d)).toBe(pos);
        }
      }
    }
  });
  it('assertFinite names the argument, the value and the index', () => {
    expect(() => assertFinite(new Float32Array([1, 2]), 'x')).not.toThrow();
    expect(() => assertFinite([0, 0, NaN], 'f: w')).toThrow(new RangeError('f: w: expected finite values, found NaN at flat index 2'));
  });
});

describe('scalar checks', () => {
  it('assertInteger', () => {
    expect(() => assertInteger(3, 'k', 0, 5)).not.toThrow();
    expect(() => assertInteger('3', 'k')).toThrow(new TypeError('k: expected an integer, got string'));
    expect(() => assertInteger(2.5, 'k')).toThrow(RangeError);
    expect(() => assertInteger(-1, 'k', 0)).toThrow(new RangeError('k: expected an integer >= 0, got -1'));
    expect(() => assertInteger(9, 'k', 0, 5)).toThrow(new RangeError('k: expected an integer in [0, 5], got 9'));
  });
  it('assertNumber', () => {
    expect(() => assertNumber(0.5, 'lr', 0, 1)).not.toThrow();
    expect(() => assertNumber(NaN, 'lr')).toThrow(RangeError);
    expect(() => assertNumber(Infinity, 'lr')).toThrow(/lr: expected a finite number/);
    expect(() => assertNumber(2, 'lr', 0, 1)).toThrow(new RangeError('lr: expected a finite number in [0, 1], got 2'));
    expect(() => assertNumber(null, 'lr')).toThrow(new TypeError('lr: expected a number, got object'));
  });
  it('assertRng', () => {
    expect(() => assertRng(Math.random)).not.toThrow();
    expect(() => assertRng(42, 'opts.rng')).toThrow(new TypeError('opts.rng: expected a function () => number in [0,1), got number'));
  });
});

describe('throwIfAborted', () => {
  it('does nothing without a signal or before abort', () => {
    expect(() => throwIfAborted(undefined, 'train')).not.toThrow();
    expect(() => throwIfAborted(new AbortController().signal, 'train')).not.toThrow();
  });
  it('rethrows an Error reason, otherwise throws an AbortError naming the operation', () => {
    const c = new AbortController();
    const reason = new Error('stop now');
    c.abort(reason);
    expect(() => throwIfAborted(c.signal, 'train')).toThrow(reason);
    let caught: unknown;
    try {
      throwIfAborted({ aborted: true, reason: 'user' }, 'lyapunovSpectrum');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe('AbortError');
    expect((caught as Error).message).toBe('lyapunovSpectrum: aborted');
  });
});
