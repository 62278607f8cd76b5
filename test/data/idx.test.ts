import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readIdx, writeIdx } from '../../src/data/index.js';

/** Builds an IDX file byte by byte from the spec, independently of writeIdx. */
function build(code: number, shape: number[], values: number[], set?: (v: DataView, off: number, x: number) => void, width = 1): Uint8Array {
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * width);
  const v = new DataView(out.buffer);
  out[0] = 0; out[1] = 0; out[2] = code; out[3] = shape.length;
  shape.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  values.forEach((x, i) => (set ? set(v, header + i * width, x) : (out[header + i] = x & 0xff)));
  return out;
}

describe('readIdx', () => {
  it('reads ubyte files like MNIST (header bytes checked by hand)', () => {
    // 2 images of 2x3, MNIST-style magic 0x00000803
    const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const r = readIdx(bytes);
    expect(r.type).toBe('ubyte');
    expect(r.shape).toEqual([2, 2, 3]);
    expect(r.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(r.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    // a copy, not a view of the input
    bytes[16] = 99;
    expect(r.data[0]).toBe(0);
    // the same from an ArrayBuffer
    expect(readIdx(bytes.buffer).shape).toEqual([2, 2, 3]);
  });

  it('reads every type code big-endian into the matching typed array', () => {
    const cases: { code: number; type: string; ctor: unknown; width: number; values: number[]; set: (v: DataView, o: number, x: number) => void }[] = [
      { code: 0x08, type: 'ubyte', ctor: Uint8Array, width: 1, values: [0, 7, 128, 255], set: (v, o, x) => v.setUint8(o, x) },
      { code: 0x09, type: 'byte', ctor: Int8Array, width: 1, values: [-128, -1, 0, 127], set: (v, o, x) => v.setInt8(o, x) },
      { code: 0x0b, type: 'short', ctor: Int16Array, width: 2, values: [-32768, -2, 258, 32767], set: (v, o, x) => v.setInt16(o, x, false) },
      { code: 0x0c, type: 'int', ctor: Int32Array, width: 4, values: [-2147483648, -5, 16909060, 2147483647], set: (v, o, x) => v.setInt32(o, x, false) },
      { code: 0x0d, type: 'float', ctor: Float32Array, width: 4, values: [1, -0.5, Math.fround(0.1), Math.fround(3.4e38)], set: (v, o, x) => v.setFloat32(o, x, false) },
      { code: 0x0e, type: 'double', ctor: Float64Array, width: 8, values: [1, -0.5, 0.1, Math.PI], set: (v, o, x) => v.setFloat64(o, x, false) },
    ];
    for (const c of cases) {
      const bytes = build(c.code, [2, 2], c.values, c.set, c.width);
      const r = readIdx(bytes);
      expect(r.type).toBe(c.type);
      expect(r.shape).toEqual([2, 2]);
      expect(r.data).toBeInstanceOf(c.ctor as new () => unknown);
      expect(Array.from(r.data)).toEqual(c.values);
      // and writeIdx produces the same bytes
      expect(Array.from(writeIdx(r))).toEqual(Array.from(bytes));
    }
    // big-endian explicitly: short 0x0102 = 258, float 0x3F800000 = 1
    expect(Array.from(readIdx(new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 1, 0x01, 0x02])).data)).toEqual([258]);
    expect(Array.from(readIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0x80, 0, 0])).data)).toEqual([1]);
  });

  it('reads from a misaligned view into a larger buffer (e.g. a Node Buffer from a pool)', () => {
    const file = build(0x0d, [3], [1.5, -2, 0.25], (v, o, x) => v.setFloat32(o, x, false), 4);
    const big = new Uint8Array(file.length + 10);
    big.set(file, 3);
    const view = big.subarray(3, 3 + file.length);
    const r = readIdx(view);
    expect(Array.from(r.data)).toEqual([1.5, -2, 0.25]);
  });

  it('round-trips writeIdx → readIdx for random arrays of every type', () => {
    const makers: ((n: number, s: number) => Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array)[] = [
      (n, s) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + s) & 255),
      (n, s) => Int8Array.from({ length: n }, (_, i) => ((i * 37 + s) & 255) - 128),
      (n, s) => Int16Array.from({ length: n }, (_, i) => ((i * 7919 + s) % 65536) - 32768),
      (n, s) => Int32Array.from({ length: n }, (_, i) => (i * 2654435761 + s) | 0),
      (n, s) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + s) * 1e3),
      (n, s) => Float64Array.from({ length: n }, (_, i) => Math.cos(i * s) / 7),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, k, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const data = makers[k](n, seed);
          const r = readIdx(writeIdx({ shape, data }));
          expect(r.shape).toEqual(shape);
          expect(r.data.constructor).toBe(data.constructor);
          expect(Array.from(r.data)).toEqual(Array.from(data));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects a wrong magic number (e.g. a gzipped file) with the bytes found', () => {
    const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(() => readIdx(gz)).toThrow(RangeError);
    expect(() => readIdx(gz)).toThrow(/0x00 0x00.*found 0x1F 0x8B/);
  });

  it('rejects an unknown type code, naming the valid ones', () => {
    const bytes = new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 1, 0]);
    expect(() => readIdx(bytes)).toThrow(RangeError);
    expect(() => readIdx(bytes)).toThrow(/type code 0x0A.*0x08 \(ubyte\)/);
  });

  it('rejects zero dimensions and truncated headers', () => {
    expect(() => readIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(/0 dimensions: expected at least 1/);
    expect(() => readIdx(new Uint8Array([0, 0, 8]))).toThrow(/at least 4 bytes.*found 3/);
    expect(() => readIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0]))).toThrow(/3 dimensions need 16 header bytes, found 10/);
    expect(() => readIdx(new Uint8Array(0))).toThrow(RangeError);
  });

  it('rejects a truncated body, saying how many bytes were expected and found', () => {
    const full = build(0x0c, [2, 3], [1, 2, 3, 4, 5, 6], (v, o, x) => v.setInt32(o, x, false), 4);
    const cut = full.subarray(0, full.length - 5);
    expect(() => readIdx(cut)).toThrow(RangeError);
    expect(() => readIdx(cut)).toThrow(/truncated body: dimensions \[2,3\] declare 6 int values \(24 bytes\), found 19 bytes/);
  });

  it('rejects extra trailing bytes as a corrupt file', () => {
    const file = build(0x08, [2], [1, 2]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file);
    expect(() => readIdx(padded)).toThrow(/corrupt file.*2 ubyte values \(2 bytes\), found 5 bytes.*3 extra/);
  });

  it('rejects dimensions whose product overflows the file (without allocating)', () => {
    const bytes = new Uint8Array([0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    expect(() => readIdx(bytes)).toThrow(RangeError);
    expect(() => readIdx(bytes)).toThrow(/\[4294967295,4294967295,4294967295\].*found 3 bytes/);
  });

  it('accepts an empty dimension only when the body is empty', () => {
    const r = readIdx(build(0x08, [0, 28, 28], []));
    expect(r.shape).toEqual([0, 28, 28]);
    expect(r.data.length).toBe(0);
    const withBody = new Uint8Array([...build(0x08, [0, 2], []), 5]);
    expect(() => readIdx(withBody)).toThrow(/corrupt file/);
  });

  it('rejects wrong kinds of argument with a TypeError', () => {
    expect(() => readIdx('train-images-idx3-ubyte' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => readIdx(null as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => readIdx([0, 0, 8, 1] as unknown as Uint8Array)).toThrow(/Uint8Array or an ArrayBuffer.*got Array/);
  });
});

describe('writeIdx', () => {
  it('validates its input', () => {
    expect(() => writeIdx({ shape: [3], data: new Uint8Array(2) })).toThrow(RangeError);
    expect(() => writeIdx({ shape: [], data: new Uint8Array(1) })).toThrow(/1 to 255 dimensions/);
    expect(() => writeIdx({ shape: [2], data: [1, 2] as unknown as Uint8Array })).toThrow(TypeError);
    expect(() => writeIdx({ shape: [1.5], data: new Uint8Array(1) })).toThrow(RangeError);
  });
  it('writes an MNIST-style header', () => {
    const b = writeIdx({ shape: [1, 28, 28], data: new Uint8Array(784) });
    expect(Array.from(b.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]);
    expect(b.length).toBe(16 + 784);
  });
});
