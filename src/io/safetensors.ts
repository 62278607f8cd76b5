/**
 * The safetensors format (Hugging Face): an 8-byte little-endian u64 header length N, N bytes of
 * UTF-8 JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {..} }`, then
 * the tensor bytes, little-endian, row-major, offsets relative to the end of the header.
 *
 * Takes and returns bytes, never paths, so it runs in browsers as well as in Node.
 */
import { firstOverflowed } from '../core/float32-range.js';
import { checkOptionKeys, readOptions } from '../core/options.js';
import { SAFETENSORS_TO_TENSORS_KEYS, WRITE_SAFETENSORS_KEYS } from './option-keys.js';
import type { Tensor } from '../core/tensor.js';
import { otherKind } from './foreign.js';
import { asBytes, copyAligned, halfToNumber, shapeSize, utf8Decode, utf8Encode } from './bytes.js';

/** The dtypes of a safetensors file this library reads. */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** The values of one tensor: F16 and BF16 widen to Float32Array, BOOL reads as Uint8Array (0/1). */
export type SafetensorsData =
  | Float64Array | Float32Array | BigInt64Array | BigUint64Array
  | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** One tensor of a safetensors file: the dtype as stored, its shape, its values. */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: SafetensorsData;
}

/** A decoded safetensors file: tensors by name (header order) and the `__metadata__` strings. */
export interface SafetensorsFile {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** Options of {@link writeSafetensors}. */
export interface WriteSafetensorsOptions {
  /** String-to-string metadata, stored as `__metadata__`. */
  metadata?: Record<string, string>;
}

const ITEM: Record<SafetensorsDtype, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function decode(src: Uint8Array, at: number, n: number, dtype: SafetensorsDtype): SafetensorsData {
  const buf = copyAligned(src, at, n, ITEM[dtype], true);
  switch (dtype) {
    case 'F64': return new Float64Array(buf);
    case 'F32': return new Float32Array(buf);
    case 'I64': return new BigInt64Array(buf);
    case 'U64': return new BigUint64Array(buf);
    case 'I32': return new Int32Array(buf);
    case 'U32': return new Uint32Array(buf);
    case 'I16': return new Int16Array(buf);
    case 'U16': return new Uint16Array(buf);
    case 'I8': return new Int8Array(buf);
    case 'U8': return new Uint8Array(buf);
    case 'BOOL': {
      const b = new Uint8Array(buf);
      for (let i = 0; i < n; i++) b[i] = b[i] ? 1 : 0;
      return b;
    }
    case 'F16': {
      const h = new Uint16Array(buf), out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToNumber(h[i]);
      return out;
    }
    case 'BF16': {
      const h = new Uint16Array(buf), bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = h[i] << 16;
      return new Float32Array(bits.buffer);
    }
  }
}

/**
 * Reads a `.safetensors` file (e.g. written by `safetensors.torch.save_file(model.state_dict(), path)`).
 * Every tensor is copied into its own aligned typed array; the input is not modified.
 *
 * @throws TypeError for non-bytes or a header of the wrong kinds; RangeError for a truncated file, a
 *   header length past the end, bad JSON, an unknown dtype, offsets out of order, overlapping or
 *   outside the data, or a byte span that does not match shape × item size.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readSafetensors } from 'rnn-lyap/io';
 *
 * const file = readSafetensors(readFileSync('model.safetensors'));
 * file.tensors['rnn.weight_hh_l0'];   // { dtype: 'F32', shape: [8, 8], data: Float32Array(64) }
 * ```
 */
export function readSafetensors(bytes: Uint8Array | ArrayBuffer): SafetensorsFile {
  const fn = 'readSafetensors';
  const src = asBytes(bytes, fn);
  if (src.length < 8) throw new RangeError(`${fn}: file too short for the 8-byte header length (${src.length} bytes)`);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const hi = view.getUint32(4, true), lo = view.getUint32(0, true);
  const headerLen = hi * 2 ** 32 + lo;
  const other = otherKind(src, 'safetensors');
  if (headerLen > src.length - 8) {
    throw new RangeError(other !== null ? `${fn}: not a safetensors file: ${other}` : `${fn}: header length ${headerLen} runs past the end of the file (${src.length - 8} bytes after the length)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(utf8Decode(src.subarray(8, 8 + headerLen)));
  } catch (err) {
    throw new RangeError(other !== null ? `${fn}: not a safetensors file: ${other}` : `${fn}: header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new TypeError(`${fn}: header must be a JSON object, got ${Array.isArray(header) ? 'array' : header === null ? 'null' : typeof header}`);
  }
  const h = header as Record<string, unknown>;
  const base = 8 + headerLen, span = src.length - base;
  const metadata: Record<string, string> = {};
  if (own(h, '__metadata__')) {
    const m = h.__metadata__;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new TypeError(`${fn}: __metadata__ must be an object of strings`);
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string') throw new TypeError(`${fn}: __metadata__ '${k}' must be a string, got ${typeof v}`);
      metadata[k] = v;
    }
  }
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number; n: number }[] = [];
  for (const name of Object.keys(h)) {
    if (name === '__metadata__') continue;
    const what = `${fn}: tensor '${name}'`;
    const e = h[name];
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new TypeError(`${what}: entry must be an object`);
    const { dtype, shape, data_offsets: offs } = e as Record<string, unknown>;
    if (typeof dtype !== 'string' || !own(ITEM, dtype)) throw new RangeError(`${what}: unknown dtype '${String(dtype)}' (known: ${Object.keys(ITEM).join(', ')})`);
    const n = shapeSize(shape, what);
    if (!Array.isArray(offs) || offs.length !== 2) throw new TypeError(`${what}: data_offsets must be [begin, end]`);
    const [begin, end] = offs as unknown[];
    if (typeof begin !== 'number' || typeof end !== 'number' || !Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < begin) {
      throw new RangeError(`${what}: data_offsets must be integers 0 <= begin <= end, got [${String(begin)}, ${String(end)}]`);
    }
    if (end > span) throw new RangeError(`${what}: data_offsets [${begin}, ${end}] run past the data (${span} bytes)`);
    const item = ITEM[dtype as SafetensorsDtype];
    if (end - begin !== n * item) {
      throw new RangeError(`${what}: shape [${(shape as number[]).join(',')}] × ${item} bytes (${dtype}) = ${n * item} bytes, but data_offsets span ${end - begin}`);
    }
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: [...(shape as number[])], begin, end, n });
  }
  // As the reference reader: sorted by offset, the tensors tile the data exactly (no gap, no overlap).
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectAt = 0, prev = '';
  for (const t of sorted) {
    if (t.begin !== expectAt) {
      const why = t.begin < expectAt ? `overlap '${prev}'` : `leave a gap after ${prev ? `'${prev}'` : 'the header'}`;
      throw new RangeError(`${fn}: tensor '${t.name}': data_offsets [${t.begin}, ${t.end}] ${why} (expected begin ${expectAt})`);
    }
    expectAt = t.end;
    prev = t.name;
  }
  if (expectAt !== span) throw new RangeError(`${fn}: the tensors cover ${expectAt} bytes of data but the file holds ${span}`);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const t of entries) tensors[t.name] = { dtype: t.dtype, shape: t.shape, data: decode(src, base + t.begin, t.n, t.dtype) };
  return { tensors, metadata };
}

/**
 * Writes F32 (Float32Array) and F64 (Float64Array) tensors as a `.safetensors` file, readable by
 * `safetensors.torch.load_file`. The header is padded with spaces to a multiple of 8 bytes, tensors
 * are laid out in the order given.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { writeSafetensors } from 'rnn-lyap/io';
 *
 * const bytes = writeSafetensors({ w: { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } }, { metadata: { format: 'pt' } });
 * writeFileSync('w.safetensors', bytes);
 * ```
 */
export function writeSafetensors(
  tensors: Record<string, { shape: readonly number[]; data: Float32Array | Float64Array }>,
  opts: WriteSafetensorsOptions = {},
): Uint8Array {
  const fn = 'writeSafetensors';
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors)) throw new TypeError(`${fn}: tensors must be an object of named tensors`);
  // undefined or null: the defaults; own properties only
  const o = readOptions(opts as WriteSafetensorsOptions | null | undefined, fn);
  checkOptionKeys(o, WRITE_SAFETENSORS_KEYS, fn); // a misspelt { meta } would drop the metadata
  const header: Record<string, unknown> = {};
  const metadata = o.metadata;
  if (metadata !== undefined) {
    // an array would write its entries under the keys "0", "1", …, and a Map (or another class's
    // instance) its own enumerable properties only: {} for a Map
    const proto = metadata !== null && typeof metadata === 'object' ? Object.getPrototypeOf(metadata) : undefined;
    if (proto !== Object.prototype && proto !== null) {
      const got = metadata === null ? 'null' : Array.isArray(metadata) ? 'an array' : typeof metadata === 'object' ? `a ${proto?.constructor?.name ?? 'non-plain object'}` : typeof metadata;
      throw new TypeError(`${fn}: opts.metadata must be an object of strings, got ${got}`);
    }
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new TypeError(`${fn}: opts.metadata['${k}'] must be a string, got ${typeof v}`);
    header.__metadata__ = { ...metadata };
  }
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const name of Object.keys(tensors)) {
    if (name === '__metadata__') throw new RangeError(`${fn}: '__metadata__' is reserved and cannot name a tensor`);
    const what = `${fn}: tensor '${name}'`;
    const t = tensors[name];
    if (t === null || typeof t !== 'object') throw new TypeError(`${what}: must be { shape, data }`);
    if (Array.isArray(t)) {
      // toTorchStateDict's default format (JSON-ready nested arrays) passed as it is
      throw new TypeError(`${what}: expected { shape, data: Float32Array | Float64Array }, got a nested array; from toTorchStateDict pass { format: 'tensor' }`);
    }
    const n = shapeSize(t.shape, what);
    const data = t.data;
    const dtype = data instanceof Float32Array ? 'F32' : data instanceof Float64Array ? 'F64' : null;
    if (dtype === null) throw new TypeError(`${what}: data must be a Float32Array or Float64Array`);
    if (data.length !== n) throw new RangeError(`${what}: shape [${t.shape.join(',')}] has ${n} elements, data has ${data.length}`);
    const b = new Uint8Array(data.byteLength);
    const view = new DataView(b.buffer);
    if (dtype === 'F32') for (let i = 0; i < n; i++) view.setFloat32(4 * i, data[i], true);
    else for (let i = 0; i < n; i++) view.setFloat64(8 * i, data[i], true);
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + b.length] };
    parts.push(b);
    offset += b.length;
  }
  let json = utf8Encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) {
    const padded = new Uint8Array(json.length + pad).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An integer or BOOL tensor of a safetensors file, as stored (I64/U64 as BigInt64Array/BigUint64Array: exact). */
export interface SafetensorsIntegerTensor {
  dtype: Exclude<SafetensorsDtype, 'F64' | 'F32' | 'F16' | 'BF16'>;
  shape: number[];
  data: Exclude<SafetensorsData, Float32Array | Float64Array>;
}

/** Options of {@link safetensorsToTensors}. */
export interface SafetensorsToTensorsOptions {
  /**
   * What to do with integer and BOOL tensors (e.g. a BatchNorm's `num_batches_tracked`, a step
   * counter): `'refuse'` (default) is a RangeError naming them; `'keep'` returns them as
   * {@link SafetensorsIntegerTensor}s beside the float `Tensor`s (so `fromTorchStateDict`'s
   * every-tensor-is-used check sees them); `'skip'` leaves them out, deliberately.
   */
  integers?: 'refuse' | 'keep' | 'skip';
}

/**
 * F64 values rounded to float32; a finite value beyond float32's range (|x| ≥ 2^128 − 2^103, which
 * would round to ±Infinity) is a RangeError naming the tensor, the position and the value.
 */
function roundF64(d: Float64Array, key: string, shape: readonly number[], name: string): Float32Array {
  // the copy first, then one branch-free pass over its bits (half the time of a Math.fround per entry before the copy)
  const out = new Float32Array(d);
  const i = firstOverflowed(out, d);
  if (i >= 0) {
    throw new RangeError(`${name}: tensor '${key}' (F64 [${shape.join(',')}]) holds ${d[i]} at flat index ${i}, beyond float32's range (±3.4028235e38): it would round to ${Math.fround(d[i])}`);
  }
  return out;
}

/**
 * The tensors of a safetensors file as the library's `Tensor`s (`{ shape, data: Float32Array }`,
 * F64 rounded to float32, a finite value beyond float32's range refused, F16/BF16 widened), ready for `fromTorchStateDict`. A `Tensor` is float
 * only, so an integer or BOOL tensor never vanishes silently: by default it is a RangeError naming
 * it (dtype and shape); `{ integers: 'keep' }` returns it as stored (a {@link SafetensorsIntegerTensor},
 * with its `dtype`), `{ integers: 'skip' }` leaves it out.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { fromTorchStateDict } from 'rnn-lyap';
 * import { readSafetensors, safetensorsToTensors } from 'rnn-lyap/io';
 *
 * const file = readSafetensors(readFileSync('model.safetensors'));
 * const rnn = fromTorchStateDict(safetensorsToTensors(file));            // float tensors only, else a RangeError
 * const all = safetensorsToTensors(file, { integers: 'keep' });          // + e.g. 'bn.num_batches_tracked' (I64)
 * ```
 */
export function safetensorsToTensors(file: SafetensorsFile, opts?: { integers?: 'refuse' | 'skip' }): Record<string, Tensor>;
export function safetensorsToTensors(file: SafetensorsFile, opts: { integers: 'keep' }): Record<string, Tensor | SafetensorsIntegerTensor>;
export function safetensorsToTensors(file: SafetensorsFile, opts?: SafetensorsToTensorsOptions): Record<string, Tensor | SafetensorsIntegerTensor>;
export function safetensorsToTensors(file: SafetensorsFile, options?: SafetensorsToTensorsOptions): Record<string, Tensor | SafetensorsIntegerTensor> {
  const name = 'safetensorsToTensors';
  if (file === null || typeof file !== 'object' || file.tensors === null || typeof file.tensors !== 'object') {
    throw new TypeError(`${name}: file must be the result of readSafetensors ({ tensors, metadata })`);
  }
  const opts = readOptions(options, name);
  checkOptionKeys(opts, SAFETENSORS_TO_TENSORS_KEYS, name);
  const mode = opts.integers ?? 'refuse';
  if (typeof mode !== 'string') throw new TypeError(`${name}: opts.integers must be 'refuse', 'keep' or 'skip', got ${typeof mode}`);
  if (mode !== 'refuse' && mode !== 'keep' && mode !== 'skip') throw new RangeError(`${name}: opts.integers must be 'refuse', 'keep' or 'skip', got '${String(mode)}'`);
  const out: Record<string, Tensor | SafetensorsIntegerTensor> = {};
  const ints: string[] = [];
  for (const [key, t] of Object.entries(file.tensors)) {
    if (t.data instanceof Float32Array) out[key] = { shape: [...t.shape], data: t.data.slice() };
    else if (t.data instanceof Float64Array) out[key] = { shape: [...t.shape], data: roundF64(t.data, key, t.shape, name) };
    else if (mode === 'keep') out[key] = { dtype: t.dtype as SafetensorsIntegerTensor['dtype'], shape: [...t.shape], data: t.data.slice() };
    else if (mode === 'refuse') ints.push(`'${key}' (${t.dtype} [${t.shape.join(',')}])`);
  }
  if (ints.length > 0) {
    const shown = ints.slice(0, 6).join(', ') + (ints.length > 6 ? ` and ${ints.length - 6} more` : '');
    throw new RangeError(
      `${name}: file holds ${ints.length === 1 ? 'an integer tensor' : `${ints.length} integer tensors`}, which a float Tensor cannot hold: ${shown}; ` +
        "pass { integers: 'keep' } to get them as stored (fromTorchStateDict then names any it does not use) or { integers: 'skip' } to leave them out",
    );
  }
  return out;
}
