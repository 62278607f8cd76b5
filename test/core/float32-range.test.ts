import { describe, expect, it } from 'vitest';
import { firstBeyondFloat32, firstOverflowed } from '../../src/core/float32-range.js';
import * as L from '../../src/index.js';

describe('firstBeyondFloat32', () => {
  it('finds the first finite value that float32 rounds to ±Infinity: from 2^128 − 2^103 (the midpoint above FLT_MAX = 2^128 − 2^104, a tie to even)', () => {
    const mid = 2 ** 128 - 2 ** 103;
    const below = mid - 2 ** (127 - 52); // the double just under the midpoint rounds to FLT_MAX
    expect(Math.fround(below)).toBe(2 ** 128 - 2 ** 104);
    expect(firstBeyondFloat32([1, below, -below, Infinity, NaN])).toBe(-1); // inf and NaN are not "beyond": they are what they are
    expect(firstBeyondFloat32(Float64Array.of(0, below, -mid, mid))).toBe(2);
    expect(firstBeyondFloat32(new Float32Array([Infinity, 1]))).toBe(-1);
  });
  it('firstOverflowed (the scan of the float32 copy) agrees with firstBeyondFloat32 on every length around its blocks of four', () => {
    const mid = 2 ** 128 - 2 ** 103;
    for (let n = 1; n <= 9; n++) {
      for (let at = 0; at < n; at++) {
        // a given Infinity and NaN before the overflow, at every offset in the block, are not "beyond"
        const d = Float64Array.from({ length: n }, (_, i) => (i === at ? -mid : i < at && i % 2 === 0 ? Infinity : i < at ? NaN : i));
        expect(firstOverflowed(new Float32Array(d), d)).toBe(firstBeyondFloat32(d));
        expect(firstOverflowed(new Float32Array(d), d)).toBe(at);
        d[at] = Infinity;
        expect(firstOverflowed(new Float32Array(d), d)).toBe(-1);
      }
    }
  });
});

describe('user numbers beyond float32 are refused where they become float32, not stored as ±Infinity', () => {
  const mid = 2 ** 128 - 2 ** 103; // the first double that float32 rounds to Infinity (see above)
  const below = mid - 2 ** (127 - 52); // rounds to FLT_MAX: accepted
  const FLT_MAX = 2 ** 128 - 2 ** 104;
  const rnn = () => L.initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 1, seed: 1 });
  const calls: Array<[string, RegExp, (v: number) => { data: Float32Array } | unknown]> = [
    ['tensor (nested)', /^tensor: values\[1\]\[0\] = /, (v) => L.tensor([[1], [v]])],
    ['tensor (Float64Array)', /^tensor: values\[2\] = /, (v) => L.tensor(Float64Array.of(0, 1, v))],
    ['tensor (with a shape)', /^tensor: values\[1\] = /, (v) => L.tensor([1, v], [2])],
    ['tensor (Float64Array with a shape)', /^tensor: values\[3\] = /, (v) => L.tensor(Float64Array.of(0, 1, 2, v), [2, 2])],
    ['toTensor (Float64Array)', /^f: x\[4\] = /, (v) => L.toTensor(Float64Array.of(0, 1, 2, 3, v), 'f: x')],
    ['toTensor ({ shape, data: Float64Array })', /^f: x: data\[1\] = /, (v) => L.toTensor({ shape: [2], data: Float64Array.of(1, v) }, 'f: x')],
    ['toTensor ({ shape, data: number[] })', /^f: x: data\[0\] = /, (v) => L.toTensor({ shape: [1], data: [v] }, 'f: x')],
    ['toTensor (typed-array rows)', /^f: x\[0\]\[1\] = /, (v) => L.toTensor([Float64Array.of(1, v)], 'f: x')],
    ['toTensor (ndarray view)', /^f: x: data\[1\] = /, (v) => L.toTensor({ data: [1, v], shape: [2], stride: [1], offset: 0 }, 'f: x')],
    ['full', /^full: value = /, (v) => L.full([2], v)],
    ['rnnForward inputs', /^rnnForward: x\[0\]\[0\]\[0\] = /, (v) => L.rnnForward(rnn(), [[[v]]]).states],
    ['loadRnn', /^loadRnn: params\.wRec\.data\[1\] = /, (v) => {
      const doc = JSON.parse(L.saveRnn(rnn()));
      doc.params.wRec.data[1] = v;
      return L.loadRnn(doc).params.wRec;
    }],
  ];
  it.each(calls)('%s', (_, message, call) => {
    for (const v of [mid, -mid, 1e39]) {
      expect(() => call(v)).toThrow(RangeError);
      expect(() => call(v)).toThrow(message);
      expect(() => call(v)).toThrow(new RegExp(`= ${String(v).replace(/[.+]/g, '\\$&')} is beyond float32's range`));
    }
    // the largest double that still rounds to FLT_MAX is accepted and stored as FLT_MAX
    const ok = call(below) as { data: Float32Array } | undefined;
    if (ok !== undefined && (ok as { data?: unknown }).data instanceof Float32Array && _ !== 'rnnForward inputs') {
      expect(Array.from(ok.data)).toContain(FLT_MAX);
    }
  });
  it('keeps NaN and ±Infinity given as such (the routines that need finite data report them)', () => {
    expect(Array.from(L.tensor([NaN, Infinity, -Infinity]).data)).toEqual([NaN, Infinity, -Infinity]);
    expect(Array.from(L.toTensor(Float64Array.of(Infinity), 'f: x').data)).toEqual([Infinity]);
    expect(() => L.toTensor(Float64Array.of(Infinity), 'f: x', { finite: true })).toThrow(/^f: x: expected finite values/);
  });
  it('names the first finite value beyond float32 in a Float64Array, past ±Infinity and NaN given as such, wherever it sits', () => {
    for (const n of [1, 3, 4, 5, 8, 1001]) {
      for (const [at, given] of [0, 1, n >> 1, n - 2, n - 1].filter((i) => i >= 0 && i < n).flatMap((i) => [[i, false], [i, true]] as const)) {
        const src = new Float64Array(n + 3).fill(0.5).subarray(2, n + 2); // a view at an offset
        if (given) for (let i = 0; i < at; i += 3) src[i] = [Infinity, NaN, -Infinity][(i / 3) % 3];
        src[at] = -1e39;
        if (at + 1 < n) src[at + 1] = 1e39;
        const before = Array.from(src);
        expect(() => L.tensor(src)).toThrow(new RegExp(`^tensor: values\\[${at}\\] = -1e\\+39 is beyond`));
        expect(() => L.tensor(src, [n])).toThrow(new RegExp(`^tensor: values\\[${at}\\] = -1e\\+39 is beyond`));
        expect(() => L.toTensor(src, 'f: x')).toThrow(new RegExp(`^f: x\\[${at}\\] = -1e\\+39 is beyond`));
        expect(() => L.toTensor({ shape: [n], data: src }, 'f: x')).toThrow(new RegExp(`^f: x: data\\[${at}\\] = -1e\\+39 is beyond`));
        expect(Array.from(src)).toEqual(before);
        src[at] = Infinity; // given as such: kept
        if (at + 1 < n) src[at + 1] = 0;
        expect(Array.from(L.tensor(src).data)).toEqual(Array.from(src, Math.fround));
        expect(Array.from(L.toTensor({ shape: [n], data: src }, 'f: x').data)).toEqual(Array.from(src, Math.fround));
      }
    }
  });
  it('refuses draws and scaled weights that leave float32 (randn, randu, initRnn gain)', () => {
    expect(() => L.randn([100], { std: 3e38, seed: 1 })).toThrow(/^randn: the draw at index \d+ \(mean 0, std 3e\+38\) = .* is beyond float32's range/);
    expect(L.randn([100], { std: 1e30, seed: 1 }).data.every(Number.isFinite)).toBe(true);
    expect(() => L.randu([2], { high: 1e39 })).toThrow(/^randu: high = 1e\+39 is beyond float32's range/);
    expect(() => L.randu([2], { low: -mid, high: 0 })).toThrow(/^randu: low = /);
    for (const init of ['normal', 'orthogonal', 'identity', 'pytorch'] as const) {
      expect(() => L.initRnn({ inputSize: 1, hiddenSize: 3, outputSize: 1, init, gain: 1e39 })).toThrow(/^initRnn: gain 1e\+39 makes wRec\[\d+\] = .* is beyond float32's range/);
    }
    for (const cell of ['gru', 'lstm'] as const) {
      for (const init of ['pytorch', 'orthogonal'] as const) {
        expect(() => L.initRnn({ cell, init, inputSize: 1, hiddenSize: 3, outputSize: 1, gain: 1e39 })).toThrow(/^initRnn: gain 1e\+39 makes wRec\[/);
      }
    }
    expect(L.initRnn({ inputSize: 1, hiddenSize: 3, outputSize: 1, init: 'identity', gain: 3e38 }).params.wRec.data[0]).toBe(Math.fround(3e38));
  });
});
