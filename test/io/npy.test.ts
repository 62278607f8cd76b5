import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../src/io/index.js';
import { parsePyDict } from '../../src/io/py-literal.js';
import { assertCorruptionsRefusedCleanly, expected, fixture, outcome } from './helpers.js';

/** A v1 .npy file with the given header text and data bytes, for the validation tests. */
function build(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const h = new TextEncoder().encode(header);
  const pre = version === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0], 0);
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  out.set(h, pre);
  out.set(data, pre + h.length);
  return out;
}

describe('readNpy on files written by numpy.save', () => {
  const ctor: Record<string, unknown> = { f4_le: Float32Array, f8_be: Float64Array, i4_le: Int32Array, u1: Uint8Array, input_3d: Float32Array, b1: Uint8Array };
  for (const name of Object.keys(ctor)) {
    it(`${name} (${expected.npy[name].descr}) matches exactly`, () => {
      const a = readNpy(fixture(`${name}.npy`));
      const e = expected.npy[name];
      expect(a.dtype).toBe(e.descr);
      expect(a.shape).toEqual(e.shape);
      expect(a.fortranOrder).toBe(false);
      expect(a.data).toBeInstanceOf(ctor[name]);
      expect(Array.from(a.data as Float64Array)).toEqual(e.data);
    });
  }
  it('reads float16 (<f2, >f2) as the exact float32 values numpy wrote, ±inf, -0 and NaN included', () => {
    for (const name of ['f2_le', 'f2_be']) {
      const a = readNpy(fixture(`${name}.npy`));
      expect(a.dtype).toBe(expected.npy[name].descr);
      expect(a.shape).toEqual([3, 3]);
      expect(a.data).toBeInstanceOf(Float32Array);
      expect(Array.from(a.data as Float32Array)).toEqual(expected.npy[name].data);
      expect(Object.is(a.data[5], -0)).toBe(true);
    }
    const special = readNpy(build("{'descr': '<f2', 'fortran_order': False, 'shape': (3,)}", new Uint8Array([0x00, 0x7c, 0x00, 0xfc, 0x00, 0x7e]))).data;
    expect(Array.from(special as Float32Array)).toEqual([Infinity, -Infinity, NaN]);
  });
  it('refuses a structured dtype naming it, with what to do', () => {
    expect(() => readNpy(fixture('structured.npy'))).toThrow(/^readNpy: structured dtypes \(a list of fields, .*\) are not supported; save each field as its own array$/);
  });
  it('reads format version 2.0 (u32 header length) the same as 1.0', () => {
    const v2 = readNpy(fixture('input_3d_v2.npy'));
    expect(v2.shape).toEqual([2, 5, 4]);
    expect(v2.data).toEqual(readNpy(fixture('input_3d.npy')).data);
  });
  it('reads Fortran order into C order, as numpy.load returns it (np.asfortranarray(np.arange(n).reshape(shape)) is 0, 1, 2, … in C order)', () => {
    const f2 = readNpy(fixture('fortran.npy'));
    expect([f2.dtype, f2.shape, Array.from(f2.data as Float64Array), f2.fortranOrder]).toEqual(['<f8', [2, 3], [0, 1, 2, 3, 4, 5], false]);
    const fh = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/torch-first-hour/${name}`, import.meta.url)));
    const f3 = readNpy(fh('fortran_3d_f4.npy'));
    expect([f3.shape, Array.from(f3.data as Float32Array)]).toEqual([[2, 3, 4], Array.from({ length: 24 }, (_, i) => i)]);
    const be = readNpy(fh('fortran_2d_i8_be.npy'));
    expect([be.dtype, be.shape, Array.from(be.data as BigInt64Array)]).toEqual(['>i8', [3, 2], [-3n, -2n, -1n, 0n, 1n, 2n]]);
  });
  it('accepts an ArrayBuffer and an unaligned view; converts big-endian to native', () => {
    const bytes = fixture('f8_be.npy');
    const big = new Uint8Array(bytes.length + 1);
    big.set(bytes, 1);
    expect(Array.from(readNpy(big.subarray(1)).data as Float64Array)).toEqual(expected.npy.f8_be.data);
    expect(readNpy(bytes.slice().buffer).shape).toEqual([4]);
    expect(Array.from(readNpy(build("{'descr': '>i2', 'fortran_order': False, 'shape': (2,)}", new Uint8Array([1, 2, 0xff, 0xfe]))).data as Int16Array)).toEqual([258, -2]);
  });
});

describe('writeNpy', () => {
  it('writes what numpy.save writes, byte for byte', () => {
    for (const name of ['f4_le', 'i4_le', 'u1', 'input_3d']) {
      const a = readNpy(fixture(`${name}.npy`));
      expect(writeNpy(a as never)).toEqual(fixture(`${name}.npy`));
    }
  });
  it('round-trips every supported type and shape exactly; header v1, data at a multiple of 64', () => {
    const ctors = [Float32Array, Float64Array, Int32Array, Uint8Array] as const;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer(), (shape, c, seed) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = new ctors[c](n);
        for (let i = 0; i < n; i++) data[i] = c < 2 ? Math.sin(seed + i) * 1e3 : (seed * 7919 + i * 104729) % 1e6;
        const bytes = writeNpy({ shape, data });
        expect(bytes[6]).toBe(1);
        const hl = bytes[8] | (bytes[9] << 8);
        expect((10 + hl) % 64).toBe(0);
        expect(bytes[10 + hl - 1]).toBe(0x0a);
        const back = readNpy(bytes);
        expect(back.shape).toEqual(shape);
        expect(back.data).toEqual(data);
      }),
      { numRuns: 100, seed: 5 },
    );
  });
  it('refuses what it cannot write', () => {
    expect(() => writeNpy({ shape: [2], data: new Int16Array(2) as never })).toThrow(/^writeNpy: data must be/);
    expect(() => writeNpy({ shape: [3], data: new Float32Array(2) })).toThrow(RangeError);
    expect(() => writeNpy({ shape: [1.5], data: new Float32Array(1) })).toThrow(RangeError);
    expect(() => writeNpy(null as never)).toThrow(TypeError);
  });
});

describe('the .npy header parser', () => {
  it('parses the dicts numpy writes, in any key order and quoting', () => {
    expect(parsePyDict("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5, 4), }", 'f')).toEqual({ descr: '<f4', fortran_order: false, shape: [2, 5, 4] });
    expect(parsePyDict('{"shape": (), "fortran_order": True, "descr": "|u1"}', 'f')).toEqual({ descr: '|u1', fortran_order: true, shape: [] });
    expect(parsePyDict("{'shape': (3L,), 'x': None, 'y': [1, -2]}  \n", 'f')).toEqual({ shape: [3], x: null, y: [1, -2] });
  });
  it('refuses anything else with a RangeError', () => {
    for (const bad of ['', "{'a': 1", "{'a' 1}", "{'a': foo}", "{'a': 1} x", "{1: 2}", "{'a': '\\x'}", "{'a': 1, 'a': 2}", "{'a': (1 2)}"]) {
      expect(() => parsePyDict(bad, 'readNpy')).toThrow(RangeError);
    }
    // no prototype pollution through the header
    const d = parsePyDict("{'__proto__': 1}", 'f');
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(Object.keys(d)).toEqual(['__proto__']);
  });
});

describe('readNpy validation', () => {
  const ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  const cases: [string, Uint8Array, ErrorConstructor, RegExp][] = [
    ['not bytes', [1, 2] as never, TypeError, /bytes must be/],
    ['too short', new Uint8Array(4), RangeError, /too short/],
    ['bad magic', (() => { const b = build(ok, new Uint8Array(8)); b[1] = 0; return b; })(), RangeError, /magic/],
    ['version 4', build(ok, new Uint8Array(8), 4), RangeError, /unsupported .npy version 4/],
    ['header length past the end', (() => { const b = build(ok, new Uint8Array(8)); b[9] = 0xff; return b; })(), RangeError, /header length \d+ runs past the end/],
    ['header not a dict', build('[1, 2]', new Uint8Array(8)), RangeError, /must start with/],
    ['unknown dtype', build("{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}", new Uint8Array(8)), RangeError, /unsupported dtype '<c8'/],
    ['structured dtype', build("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}", new Uint8Array(4)), RangeError, /structured dtypes .* are not supported/],
    ['missing fortran_order', build("{'descr': '<f4', 'shape': (1,)}", new Uint8Array(4)), TypeError, /fortran_order/],
    ['negative dim', build("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", new Uint8Array(4)), RangeError, /non-negative integers/],
    ['shape not a tuple', build("{'descr': '<f4', 'fortran_order': False, 'shape': 3}", new Uint8Array(12)), TypeError, /shape must be an array/],
    ['too few data bytes', build(ok, new Uint8Array(7)), RangeError, /needs 8 data bytes, the file holds 7/],
  ];
  for (const [what, bytes, Kind, msg] of cases) {
    it(`${what} → ${Kind.name}`, () => {
      expect(() => readNpy(bytes)).toThrow(Kind);
      expect(() => readNpy(bytes)).toThrow(msg);
      expect(() => readNpy(bytes)).toThrow(/^readNpy: /);
    });
  }
  it('fuzz: truncations and byte flips of valid files only ever throw TypeError/RangeError', () => {
    assertCorruptionsRefusedCleanly(['f8_be.npy', 'input_3d_v2.npy', 'b1.npy'].map(fixture), readNpy, 11);
  });
});
