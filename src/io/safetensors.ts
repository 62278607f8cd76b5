/**
 * The safetensors format, bytes in and out: an 8-byte little-endian header length N, N bytes of JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`, then little-endian data.
 */

/** A tensor read from a file: its shape, dtype and values (float types as Float32Array/Float64Array). */
export interface IoTensor {
  shape: number[];
  dtype: string;
  data: Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;
}

// TextEncoder/TextDecoder exist in Node and browsers; typed here because the build's lib has no DOM
const G = globalThis as unknown as {
  TextDecoder: new () => { decode(b: Uint8Array): string };
  TextEncoder: new () => { encode(s: string): Uint8Array };
};

const SIZES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, U64: 8, I32: 4, U32: 4, I16: 2, U16: 2, I8: 1, U8: 1, BOOL: 1 };

function half(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1, e = (bits >> 10) & 0x1f, m = bits & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function decode(dtype: string, view: DataView, off: number, n: number): IoTensor['data'] {
  switch (dtype) {
    case 'F64': { const o = new Float64Array(n); for (let i = 0; i < n; i++) o[i] = view.getFloat64(off + 8 * i, true); return o; }
    case 'F32': { const o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = view.getFloat32(off + 4 * i, true); return o; }
    case 'F16': { const o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = half(view.getUint16(off + 2 * i, true)); return o; }
    case 'BF16': {
      const o = new Float32Array(n), u = new Uint32Array(o.buffer);
      for (let i = 0; i < n; i++) u[i] = view.getUint16(off + 2 * i, true) << 16;
      return o;
    }
    case 'I64': { const o = new BigInt64Array(n); for (let i = 0; i < n; i++) o[i] = view.getBigInt64(off + 8 * i, true); return o; }
    case 'U64': { const o = new BigUint64Array(n); for (let i = 0; i < n; i++) o[i] = view.getBigUint64(off + 8 * i, true); return o; }
    case 'I32': { const o = new Int32Array(n); for (let i = 0; i < n; i++) o[i] = view.getInt32(off + 4 * i, true); return o; }
    case 'U32': { const o = new Uint32Array(n); for (let i = 0; i < n; i++) o[i] = view.getUint32(off + 4 * i, true); return o; }
    case 'I16': { const o = new Int16Array(n); for (let i = 0; i < n; i++) o[i] = view.getInt16(off + 2 * i, true); return o; }
    case 'U16': { const o = new Uint16Array(n); for (let i = 0; i < n; i++) o[i] = view.getUint16(off + 2 * i, true); return o; }
    case 'I8': { const o = new Int8Array(n); for (let i = 0; i < n; i++) o[i] = view.getInt8(off + i); return o; }
    default: { const o = new Uint8Array(n); for (let i = 0; i < n; i++) o[i] = view.getUint8(off + i); return o; }
  }
}

/**
 * Reads a safetensors file. Every header entry is checked against the buffer (known dtype, integer
 * shape, offsets inside the data section and matching shape × dtype size); nothing is read past the
 * buffer. Errors name the tensor.
 *
 * @example
 * ```ts
 * import { readSafetensors } from 'rnn-lyap';
 * const bytes = new Uint8Array(8 + 2);
 * new DataView(bytes.buffer).setBigUint64(0, 2n, true);
 * bytes.set([123, 125], 8); // header "{}"
 * const tensors = readSafetensors(bytes); // {}
 * ```
 */
export function readSafetensors(bytes: Uint8Array): Record<string, IoTensor> {
  const name = 'readSafetensors';
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name}: expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 8) throw new RangeError(`${name}: truncated file: ${bytes.length} bytes, need at least 8 for the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = Number(view.getBigUint64(0, true));
  if (hlen > bytes.length - 8) throw new RangeError(`${name}: truncated file: the header claims ${hlen} bytes but only ${bytes.length - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(new G.TextDecoder().decode(bytes.subarray(8, 8 + hlen)));
  } catch (err) {
    throw new RangeError(`${name}: the header is not valid JSON: ${(err as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new RangeError(`${name}: the header must be a JSON object`);
  const base = 8 + hlen, dataLen = bytes.length - base;
  const out: Record<string, IoTensor> = {};
  for (const [key, v] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') continue;
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== 'object') throw new RangeError(`${name}: tensor '${key}': header entry must be an object`);
    if (typeof e.dtype !== 'string' || !(e.dtype in SIZES)) throw new RangeError(`${name}: tensor '${key}': unknown dtype '${String(e.dtype)}' (known: ${Object.keys(SIZES).join(', ')})`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new RangeError(`${name}: tensor '${key}': shape must be an array of non-negative integers, got ${JSON.stringify(e.shape)}`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1]) {
      throw new RangeError(`${name}: tensor '${key}': data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(off)}`);
    }
    if (off[1] > dataLen) throw new RangeError(`${name}: tensor '${key}': data_offsets [${off[0]}, ${off[1]}] run past the ${dataLen} data bytes (truncated file or a lying header)`);
    const n = (e.shape as number[]).reduce((a, b) => a * b, 1);
    const size = SIZES[e.dtype];
    if (n * size !== off[1] - off[0]) throw new RangeError(`${name}: tensor '${key}': shape [${(e.shape as number[]).join(',')}] of ${e.dtype} needs ${n * size} bytes, data_offsets give ${off[1] - off[0]}`);
    out[key] = { shape: (e.shape as number[]).slice(), dtype: e.dtype, data: decode(e.dtype, view, base + off[0], n) };
  }
  return out;
}

/**
 * Writes tensors (Float32Array → F32, Float64Array → F64) as a safetensors file.
 *
 * @example
 * ```ts
 * import { readSafetensors, writeSafetensors } from 'rnn-lyap';
 * const bytes = writeSafetensors({ w: { shape: [2], data: new Float32Array([1, 2]) } });
 * readSafetensors(bytes).w.data; // Float32Array [1, 2]
 * ```
 */
export function writeSafetensors(tensors: Record<string, { shape: readonly number[]; data: Float32Array | Float64Array }>, metadata?: Record<string, string>): Uint8Array {
  const name = 'writeSafetensors';
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = metadata;
  let off = 0;
  const keys = Object.keys(tensors);
  for (const k of keys) {
    const t = tensors[k];
    if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) throw new TypeError(`${name}: tensor '${k}': data must be a Float32Array or Float64Array`);
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new RangeError(`${name}: tensor '${k}': shape [${t.shape.join(',')}] needs ${n} values, got ${t.data.length}`);
    const bytes = t.data.length * t.data.BYTES_PER_ELEMENT;
    header[k] = { dtype: t.data instanceof Float32Array ? 'F32' : 'F64', shape: [...t.shape], data_offsets: [off, off + bytes] };
    off += bytes;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const hb = new G.TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + off);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const k of keys) {
    const d = tensors[k].data;
    if (d instanceof Float32Array) for (let i = 0; i < d.length; i++, p += 4) view.setFloat32(p, d[i], true);
    else for (let i = 0; i < d.length; i++, p += 8) view.setFloat64(p, d[i], true);
  }
  return out;
}
