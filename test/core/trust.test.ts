import { afterEach, describe, expect, it } from 'vitest';
import {
  createRng, eye, full, gaussian, gemv, matmul, matrix64ToArray, qr, randn, randu, reshape, resolveRng, tensor, toNested, zeros,
} from '../../src/core/index.js';
import { readOptions } from '../../src/core/options.js';

const proto = Object.prototype as Record<string, unknown>;

describe('rng edge values', () => {
  it('gaussian accepts 0 from the rng (no infinite loop) and gives a finite draw', () => {
    const zero = () => 0;
    expect(gaussian(zero)).toBe(0);
    const t = randn([5], { rng: zero });
    expect(Array.from(t.data)).toEqual([0, 0, 0, 0, 0]);
  });
  it('rejects rng values outside [0, 1) or NaN with a RangeError naming rng and the caller', () => {
    for (const bad of [NaN, 1, 1.5, -0.1]) {
      expect(() => randn([3], { rng: () => bad })).toThrow(RangeError);
      expect(() => randn([3], { rng: () => bad })).toThrow(/randn: rng/);
      expect(() => randu([3], { rng: () => bad })).toThrow(/randu: rng/);
      expect(() => gaussian(() => bad)).toThrow(RangeError);
    }
  });
  it('a NaN or infinite seed is one RangeError naming seed; a wrong kind a TypeError', () => {
    expect(() => createRng(NaN)).toThrow(RangeError);
    expect(() => createRng(NaN)).toThrow(/createRng: seed/);
    expect(() => randn([2], { seed: NaN })).toThrow(/randn: seed/);
    expect(() => randn([2], { seed: Infinity })).toThrow(RangeError);
    expect(() => createRng({} as unknown as number)).toThrow(TypeError);
  });
  it('keeps seeded draws bit-identical to the unwrapped generator', () => {
    const a = createRng(5);
    const b = resolveRng({ rng: createRng(5) }, 0, 'x');
    for (let i = 0; i < 100; i++) expect(b()).toBe(a());
  });
  it('randn/randu/full refuse NaN or negative std, low > high, NaN values', () => {
    expect(() => randn([2], { std: NaN })).toThrow(RangeError);
    expect(() => randn([2], { std: -1 })).toThrow(/std must be >= 0/);
    expect(() => randn([2], { mean: NaN })).toThrow(RangeError);
    expect(() => randu([2], { low: 2, high: 1 })).toThrow(/low must be <= high/);
    expect(() => randu([2], { low: NaN })).toThrow(RangeError);
    expect(() => full([2], NaN)).toThrow(RangeError);
    expect(() => full([2], 'a' as unknown as number)).toThrow(TypeError);
  });
});

describe('options are read as own properties only', () => {
  afterEach(() => {
    for (const k of ['out', 'rng', 'seed', 'std', 'transA', 'signal', 'q']) delete proto[k];
  });
  it('a polluted Object.prototype.out does not capture matmul or gemv results', () => {
    const trap = zeros([2, 2]);
    proto.out = trap;
    const a = tensor([[1, 2], [3, 4]]);
    const c = matmul(a, a);
    expect(c).not.toBe(trap);
    expect(Array.from(c.data)).toEqual([7, 10, 15, 22]);
    expect(Array.from(trap.data)).toEqual([0, 0, 0, 0]);
    const y = gemv(a, tensor([1, 1]));
    expect(y).not.toBe(trap);
  });
  it('polluted rng/seed/std/signal change nothing', () => {
    const ref = randn([4], { seed: 1 });
    proto.rng = () => 0.5;
    proto.std = 100;
    proto.signal = { aborted: true };
    proto.transA = true;
    expect(randn([4], { seed: 1 }).data).toEqual(ref.data);
    proto.seed = 99;
    expect(randn([4]).data).toEqual(randn([4], { seed: 0 }).data);
    expect(Array.from(matmul(tensor([[1, 2], [3, 4]]), eye(2)).data)).toEqual([1, 2, 3, 4]);
  });
  it('null options mean defaults; a non-object is a TypeError naming the caller', () => {
    const a = tensor([[1, 2], [3, 4]]);
    expect(Array.from(matmul(a, a, null as never).data)).toEqual([7, 10, 15, 22]);
    expect(() => matmul(a, a, 3 as never)).toThrow(TypeError);
    expect(() => matmul(a, a, 3 as never)).toThrow(/matmul: opts/);
    expect(() => qr(a, null as never)).not.toThrow();
  });
  it('readOptions validates signal and onProgress before any work, and reads getters once', () => {
    expect(() => readOptions({ signal: 'x' }, 'f')).toThrow(TypeError);
    expect(() => readOptions({ signal: 'x' }, 'f')).toThrow(/f: opts.signal/);
    expect(() => readOptions({ onProgress: 3 }, 'f')).toThrow(/f: opts.onProgress must be a function/);
    let reads = 0;
    const o = readOptions({ get k() { reads++; return reads; } } as { k: number }, 'f');
    expect(o.k).toBe(1);
    expect(o.k).toBe(1);
    expect(reads).toBe(1);
    expect(Object.getPrototypeOf(o)).toBe(null);
  });
});

describe('sizes refused before allocating', () => {
  it('matrix64ToArray refuses 1e9 rows and short (ragged) data', () => {
    expect(() => matrix64ToArray({ rows: 1e9, cols: 2, data: new Float64Array(4) })).toThrow(/GB of JS heap/);
    expect(() => matrix64ToArray({ rows: 3, cols: 2, data: new Float64Array(4) })).toThrow(RangeError);
    expect(() => matrix64ToArray({ rows: 1.5, cols: 2, data: new Float64Array(3) })).toThrow(RangeError);
    expect(matrix64ToArray({ rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) })).toEqual([[1, 2], [3, 4]]);
  });
  it('toNested of 5e7×2 is refused with the memory needed (before building any array)', () => {
    const t = { shape: [5e7, 2], data: new Float32Array(1e8) };
    expect(() => toNested(t)).toThrow(RangeError);
    expect(() => toNested(t)).toThrow(/toNested: t.*GB/);
  });
  it('zeros of an impossible shape is a RangeError naming the size, not an engine error', () => {
    expect(() => zeros([1e6, 1e6])).toThrow(/zeros: shape.*needs/);
    expect(() => zeros([2.5])).toThrow(RangeError);
    expect(() => zeros([-1])).toThrow(RangeError);
  });
});

describe('wrong kinds are TypeErrors', () => {
  it('eye and reshape', () => {
    expect(() => eye('3' as unknown as number)).toThrow(TypeError);
    expect(() => eye(2.5)).toThrow(RangeError);
    const t = zeros([2, 3]);
    expect(() => reshape(t, '6' as unknown as number[])).toThrow(TypeError);
    expect(() => reshape(t, ['6'] as unknown as number[])).toThrow(TypeError);
    expect(() => reshape(t, [-1, -1])).toThrow(RangeError);
    expect(reshape(t, [3, -1]).shape).toEqual([3, 2]);
  });
  it('a data getter that changes after validation is read once', () => {
    let n = 0;
    const a = { shape: [2, 2], get data() { n++; return n === 1 ? new Float32Array([1, 2, 3, 4]) : new Float32Array(1); } };
    const c = matmul(a as never, eye(2));
    expect(Array.from(c.data)).toEqual([1, 2, 3, 4]);
  });
});
