/**
 * The NumPy `.npy` format: magic `\x93NUMPY`, major/minor version bytes, the header length (u16
 * little-endian in v1, u32 in v2/v3), a Python-literal dict `{'descr', 'fortran_order', 'shape'}`
 * padded with spaces and ended by '\n', then the values.
 *
 * Takes and returns bytes, never paths, so it runs in browsers as well as in Node.
 */
import { otherKind } from './foreign.js';
import { asBytes, copyAligned, halfToNumber, latin1Decode, shapeSize, utf8Decode } from './bytes.js';
import { parsePyDict } from './py-literal.js';

/**
 * The dtypes (`descr`) this library reads; '>' big-endian ones are converted to native order, and
 * float16 ('<f2', '>f2') is widened to float32 (exactly).
 */
export type NpyDtype =
  | '<f2' | '>f2' | '<f4' | '>f4' | '<f8' | '>f8' | '|u1' | '|i1' | '<i2' | '>i2' | '<u2' | '>u2'
  | '<i4' | '>i4' | '<u4' | '>u4' | '<i8' | '>i8' | '<u8' | '>u8' | '|b1';

/** The values of a .npy array (bool reads as Uint8Array of 0/1, float16 as Float32Array). */
export type NpyData =
  | Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A decoded .npy array, C (row-major) order. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
  fortranOrder: false;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Kind = 'f2' | 'f4' | 'f8' | 'u1' | 'i1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8' | 'b1';
const SIZE: Record<Kind, number> = { f2: 2, f4: 4, f8: 8, u1: 1, i1: 1, b1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8 };

function view(buf: ArrayBuffer, kind: Kind): NpyData {
  switch (kind) {
    case 'f2': return Float32Array.from(new Uint16Array(buf), halfToNumber);
    case 'f4': return new Float32Array(buf);
    case 'f8': return new Float64Array(buf);
    case 'u1': return new Uint8Array(buf);
    case 'i1': return new Int8Array(buf);
    case 'i2': return new Int16Array(buf);
    case 'u2': return new Uint16Array(buf);
    case 'i4': return new Int32Array(buf);
    case 'u4': return new Uint32Array(buf);
    case 'i8': return new BigInt64Array(buf);
    case 'u8': return new BigUint64Array(buf);
    case 'b1': {
      const b = new Uint8Array(buf);
      for (let i = 0; i < b.length; i++) b[i] = b[i] ? 1 : 0;
      return b;
    }
  }
}

/**
 * Reads a `.npy` file (as written by `numpy.save`), versions 1.0, 2.0 and 3.0. The values are copied
 * into a fresh aligned typed array in the machine's byte order.
 *
 * @throws TypeError for non-bytes; RangeError for a bad magic string, a truncated file, a header
 *   that does not parse, an unsupported dtype, or too few data bytes. A Fortran-order array
 *   (`fortran_order: True`) is read into C order, as `numpy.load` returns it.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readNpy } from 'rnn-lyap/io';
 *
 * const x = readNpy(readFileSync('inputs.npy'));   // { dtype: '<f4', shape: [2, 5, 4], data: Float32Array(40), fortranOrder: false }
 * ```
 */
export function readNpy(bytes: Uint8Array | ArrayBuffer): NpyArray {
  const fn = 'readNpy';
  const src = asBytes(bytes, fn);
  if (src.length < 10) throw new RangeError(`${fn}: file too short for a .npy preamble (${src.length} bytes, need at least 10)`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (src[i] !== MAGIC[i]) {
      const other = otherKind(src, 'npy');
      throw new RangeError(`${fn}: not a .npy file (magic string \\x93NUMPY not found)${other === null ? '' : `: ${other}`}`);
    }
  }
  const major = src[6];
  if (major < 1 || major > 3) throw new RangeError(`${fn}: unsupported .npy version ${major}.${src[7]} (expected 1.x, 2.x or 3.x)`);
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (major > 1 && src.length < 12) throw new RangeError(`${fn}: file too short for a v${major} preamble (${src.length} bytes, need 12)`);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (headerLen > src.length - start) throw new RangeError(`${fn}: header length ${headerLen} runs past the end of the file (${src.length - start} bytes left)`);
  const raw = src.subarray(start, start + headerLen);
  let text: string;
  try {
    text = major === 3 ? utf8Decode(raw) : latin1Decode(raw);
  } catch {
    throw new RangeError(`${fn}: header is not valid UTF-8 text`);
  }
  const dict = parsePyDict(text, fn);
  const { descr, fortran_order: fortran, shape } = dict;
  if (Array.isArray(descr)) {
    throw new RangeError(`${fn}: structured dtypes (a list of fields, ${JSON.stringify(descr).slice(0, 80)}) are not supported; save each field as its own array`);
  }
  if (typeof descr !== 'string') throw new TypeError(`${fn}: header 'descr' must be a string, got ${JSON.stringify(descr ?? null)}`);
  const m = /^([<>|=])([a-z]\d)$/.exec(descr);
  const kind = m?.[2] as Kind | undefined;
  if (!m || kind === undefined || !Object.prototype.hasOwnProperty.call(SIZE, kind) || (SIZE[kind] === 1) !== (m[1] === '|' || m[1] === '=')) {
    throw new RangeError(`${fn}: unsupported dtype '${descr}' (supported: <f2 <f4 <f8 |u1 |i1 <i2 <u2 <i4 <u4 <i8 <u8 |b1, and the '>' forms of those wider than a byte)`);
  }
  if (m[1] === '=' ) throw new RangeError(`${fn}: unsupported dtype '${descr}' ('=' native order is not portable; numpy writes '<', '>' or '|')`);
  if (typeof fortran !== 'boolean') throw new TypeError(`${fn}: header 'fortran_order' must be True or False, got ${JSON.stringify(fortran ?? null)}`);
  const n = shapeSize(shape, `${fn}: header`);
  const size = SIZE[kind];
  const at = start + headerLen;
  const have = src.length - at;
  if (have < n * size) throw new RangeError(`${fn}: shape [${(shape as number[]).join(',')}] of '${descr}' needs ${n * size} data bytes, the file holds ${have}`);
  const stored = view(copyAligned(src, at, n, size, m[1] !== '>'), kind);
  const data = fortran ? toRowMajor(stored, shape as number[]) : stored;
  return { dtype: descr as NpyDtype, shape: [...(shape as number[])], data, fortranOrder: false };
}

/**
 * A Fortran-order (column-major) array's values in C (row-major) order, as numpy.load gives them:
 * `np.save` writes `fortran_order: True` for an F-contiguous array, e.g. a transposed torch weight
 * (`v.numpy()` of `W.t()`) in `np.savez(**state_dict)`.
 */
function toRowMajor(src: NpyData, shape: readonly number[]): NpyData {
  const d = shape.length;
  if (d < 2 || src.length === 0) return src;
  const out = new (src.constructor as new (n: number) => NpyData)(src.length);
  const colStride = new Array<number>(d); // the column-major stride of each axis
  for (let k = 0, s = 1; k < d; k++) [colStride[k], s] = [s, s * shape[k]];
  const idx = new Array<number>(d).fill(0);
  let f = 0; // the column-major offset of idx
  for (let c = 0; c < src.length; c++) {
    (out as unknown as number[])[c] = (src as unknown as number[])[f];
    for (let k = d - 1; k >= 0; k--) { // next row-major index: the last axis moves fastest
      if (++idx[k] < shape[k]) { f += colStride[k]; break; }
      f -= (shape[k] - 1) * colStride[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** An array {@link writeNpy} can write. */
export interface NpyInput {
  shape: readonly number[];
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
}

/**
 * Writes a `.npy` file (version 1.0, little-endian, C order) readable by `numpy.load`: Float32Array
 * → '<f4', Float64Array → '<f8', Int32Array → '<i4', Uint8Array → '|u1'. The header is padded with
 * spaces so the data starts at a multiple of 64 bytes, and ends with '\n', as numpy writes it.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { writeNpy } from 'rnn-lyap/io';
 *
 * writeFileSync('exponents.npy', writeNpy({ shape: [3], data: new Float64Array([0.1, -0.5, -2]) }));
 * // python: numpy.load('exponents.npy')
 * ```
 */
export function writeNpy(array: NpyInput): Uint8Array {
  const fn = 'writeNpy';
  if (array === null || typeof array !== 'object') throw new TypeError(`${fn}: array must be { shape, data }`);
  const { shape, data } = array;
  const n = shapeSize(shape, `${fn}: array`);
  const [descr, size] =
    data instanceof Float32Array ? ['<f4', 4] : data instanceof Float64Array ? ['<f8', 8]
      : data instanceof Int32Array ? ['<i4', 4] : data instanceof Uint8Array ? ['|u1', 1] : [null, 0];
  if (descr === null) throw new TypeError(`${fn}: data must be a Float32Array, Float64Array, Int32Array or Uint8Array`);
  if (data.length !== n) throw new RangeError(`${fn}: shape [${shape.join(',')}] has ${n} elements, data has ${data.length}`);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  if (total - 10 > 0xffff) throw new RangeError(`${fn}: shape too long for a version 1.0 header`);
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + n * size);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, total);
  for (let i = 0; i < n; i++) {
    if (size === 1) dv.setUint8(i, data[i]);
    else if (descr === '<i4') dv.setInt32(4 * i, data[i], true);
    else if (size === 4) dv.setFloat32(4 * i, data[i], true);
    else dv.setFloat64(8 * i, data[i], true);
  }
  return out;
}
