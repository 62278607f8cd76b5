/**
 * The IDX file format of MNIST (LeCun et al.): a 4-byte magic number `0x00 0x00 <type> <rank>`,
 * `rank` big-endian uint32 dimensions, then the values in row-major order, big-endian.
 *
 * Takes and returns bytes, never paths, so it runs in browsers as well as in Node.
 */
import { formatShape } from '../core/errors.js';

/** The element types of the IDX format. */
export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

/** A typed array as held by an IDX file. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file: its shape, its values (the typed array matching `type`), and the type. */
export interface IdxArray {
  shape: number[];
  data: IdxData;
  type: IdxType;
}

interface TypeInfo {
  type: IdxType;
  code: number;
  bytes: number;
}

const TYPES: readonly TypeInfo[] = [
  { type: 'ubyte', code: 0x08, bytes: 1 },
  { type: 'byte', code: 0x09, bytes: 1 },
  { type: 'short', code: 0x0b, bytes: 2 },
  { type: 'int', code: 0x0c, bytes: 4 },
  { type: 'float', code: 0x0d, bytes: 4 },
  { type: 'double', code: 0x0e, bytes: 8 },
];

const hex = (v: number): string => `0x${v.toString(16).padStart(2, '0').toUpperCase()}`;

function toBytes(bytes: unknown, name: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) {
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const kind = bytes === null ? 'null' : typeof bytes === 'object' ? ((bytes as object).constructor?.name ?? 'object') : typeof bytes;
  throw new TypeError(`${name}: expected a Uint8Array or an ArrayBuffer holding an IDX file, got ${kind}`);
}

/**
 * Decodes an IDX file (the format of the MNIST files `train-images-idx3-ubyte` etc.; not gzipped).
 *
 * Checks the magic number, the type code (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float,
 * 0x0E double), the rank (at least 1) and that the body holds exactly the number of values the
 * dimensions declare. A truncated or corrupt file throws a `RangeError` naming what was expected and
 * what was found; a wrong kind of argument throws a `TypeError`. The values are copied into a fresh
 * typed array in native byte order (`Uint8Array` for ubyte, `Int8Array` for byte, `Int16Array`,
 * `Int32Array`, `Float32Array`, `Float64Array`). A dimension of size 0 gives an empty array.
 *
 * @param bytes - the file's bytes (a Node `Buffer` works too, as does any view into a larger buffer).
 * @example
 * ```ts
 * // in Node: bytes from fs; in a browser: new Uint8Array(await (await fetch(url)).arrayBuffer())
 * const images = readIdx(readFileSync('train-images-idx3-ubyte'));
 * images.shape; // [60000, 28, 28]
 * images.data;  // Uint8Array of 47,040,000 pixels
 * ```
 */
export function readIdx(bytes: Uint8Array | ArrayBuffer): IdxArray {
  const u8 = toBytes(bytes, 'readIdx: bytes');
  const n = u8.byteLength;
  if (n < 4) {
    throw new RangeError(`readIdx: truncated header: expected at least 4 bytes (the magic number), found ${n}`);
  }
  if (u8[0] !== 0 || u8[1] !== 0) {
    throw new RangeError(
      `readIdx: bad magic number: expected the first two bytes to be 0x00 0x00, found ${hex(u8[0])} ${hex(u8[1])}` +
        ' (is the file gzipped? IDX files are often distributed as .gz)',
    );
  }
  const info = TYPES.find((t) => t.code === u8[2]);
  if (info === undefined) {
    throw new RangeError(
      `readIdx: unknown data type code ${hex(u8[2])}: expected one of ${TYPES.map((t) => `${hex(t.code)} (${t.type})`).join(', ')}`,
    );
  }
  const rank = u8[3];
  if (rank === 0) {
    throw new RangeError('readIdx: the magic number declares 0 dimensions: expected at least 1');
  }
  const headerBytes = 4 + 4 * rank;
  if (n < headerBytes) {
    throw new RangeError(
      `readIdx: truncated header: ${rank} dimensions need ${headerBytes} header bytes, found ${n}`,
    );
  }
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  const bodyBytes = n - headerBytes;
  const expected = count * info.bytes;
  if (expected !== bodyBytes) {
    const what = `dimensions ${formatShape(shape)} declare ${count} ${info.type} values (${expected} bytes)`;
    if (expected > bodyBytes) {
      throw new RangeError(`readIdx: truncated body: ${what}, found ${bodyBytes} bytes after the ${headerBytes}-byte header`);
    }
    throw new RangeError(
      `readIdx: corrupt file: ${what}, found ${bodyBytes} bytes after the ${headerBytes}-byte header (${bodyBytes - expected} extra)`,
    );
  }
  return { shape, data: decodeBody(view, headerBytes, count, info.type), type: info.type };
}

/** Fills `out` with big-endian items of `size` bytes, `get(byteOffset)` reading one (IDX is big-endian). */
function readBigEndian<A extends Int16Array | Int32Array | Float32Array | Float64Array>(out: A, size: number, get: (at: number) => number): A {
  for (let i = 0; i < out.length; i++) out[i] = get(size * i);
  return out;
}

function decodeBody(view: DataView, off: number, count: number, type: IdxType): IdxData {
  switch (type) {
    case 'ubyte':
      return new Uint8Array(view.buffer, view.byteOffset + off, count).slice();
    case 'byte':
      return new Int8Array(view.buffer, view.byteOffset + off, count).slice();
    case 'short':
      return readBigEndian(new Int16Array(count), 2, (at) => view.getInt16(off + at, false));
    case 'int':
      return readBigEndian(new Int32Array(count), 4, (at) => view.getInt32(off + at, false));
    case 'float':
      return readBigEndian(new Float32Array(count), 4, (at) => view.getFloat32(off + at, false));
    case 'double':
      return readBigEndian(new Float64Array(count), 8, (at) => view.getFloat64(off + at, false));
  }
}

function typeOfData(data: unknown): TypeInfo | undefined {
  if (data instanceof Uint8Array) return TYPES[0];
  if (data instanceof Int8Array) return TYPES[1];
  if (data instanceof Int16Array) return TYPES[2];
  if (data instanceof Int32Array) return TYPES[3];
  if (data instanceof Float32Array) return TYPES[4];
  if (data instanceof Float64Array) return TYPES[5];
  return undefined;
}

/**
 * Encodes an array as an IDX file (the inverse of {@link readIdx}). The element type follows the
 * typed array: `Uint8Array` → ubyte, `Int8Array` → byte, `Int16Array` → short, `Int32Array` → int,
 * `Float32Array` → float, `Float64Array` → double. A `Tensor` works too (its data are float32).
 *
 * @example
 * ```ts
 * const bytes = writeIdx({ shape: [2, 2], data: new Uint8Array([0, 64, 128, 255]) });
 * readIdx(bytes).shape; // [2, 2]
 * ```
 */
export function writeIdx(array: { readonly shape: readonly number[]; readonly data: IdxData }): Uint8Array {
  if (array === null || typeof array !== 'object') {
    throw new TypeError(`writeIdx: array: expected { shape, data }, got ${array === null ? 'null' : typeof array}`);
  }
  const { shape, data } = array;
  if (!Array.isArray(shape)) throw new TypeError(`writeIdx: array.shape: expected an array of dimensions, got ${typeof shape}`);
  const info = typeOfData(data);
  if (info === undefined) {
    throw new TypeError(
      'writeIdx: array.data: expected a Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or Float64Array',
    );
  }
  if (shape.length < 1 || shape.length > 255) {
    throw new RangeError(`writeIdx: array.shape: expected 1 to 255 dimensions, got ${shape.length}`);
  }
  let count = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new RangeError(`writeIdx: array.shape: dimensions must be integers in [0, 2^32 - 1], got ${formatShape(shape)}`);
    }
    count *= d;
  }
  if (count !== data.length) {
    throw new RangeError(`writeIdx: array: shape ${formatShape(shape)} holds ${count} values but data has length ${data.length}`);
  }
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * info.bytes);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  for (let i = 0; i < shape.length; i++) view.setUint32(4 + 4 * i, shape[i], false);
  switch (info.type) {
    case 'ubyte':
      out.set(data as Uint8Array, header);
      break;
    case 'byte':
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.length), header);
      break;
    case 'short':
      for (let i = 0; i < count; i++) view.setInt16(header + 2 * i, data[i], false);
      break;
    case 'int':
      for (let i = 0; i < count; i++) view.setInt32(header + 4 * i, data[i], false);
      break;
    case 'float':
      for (let i = 0; i < count; i++) view.setFloat32(header + 4 * i, data[i], false);
      break;
    case 'double':
      for (let i = 0; i < count; i++) view.setFloat64(header + 8 * i, data[i], false);
      break;
  }
  return out;
}
