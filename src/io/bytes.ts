/** Byte helpers shared by the safetensors and .npy readers (no Node built-ins). */

/** The bytes as a Uint8Array view (no copy), or a TypeError naming `fn`. */
export function asBytes(bytes: unknown, fn: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError(`${fn}: bytes must be a Uint8Array or ArrayBuffer, got ${bytes === null ? 'null' : typeof bytes}`);
}

/** True when this machine stores numbers little-endian (every current browser and Node target). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Copies `n` elements of `size` bytes from `src[offset..]` into a fresh, aligned buffer, reversing
 * each element's bytes when the file's byte order differs from the machine's.
 */
export function copyAligned(src: Uint8Array, offset: number, n: number, size: number, littleEndian: boolean): ArrayBuffer {
  const buf = new ArrayBuffer(n * size);
  const dst = new Uint8Array(buf);
  dst.set(src.subarray(offset, offset + n * size));
  if (size > 1 && littleEndian !== LITTLE_ENDIAN) {
    for (let i = 0; i < dst.length; i += size) {
      for (let a = i, b = i + size - 1; a < b; a++, b--) {
        const t = dst[a];
        dst[a] = dst[b];
        dst[b] = t;
      }
    }
  }
  return buf;
}

/** IEEE half precision (bits) to a number. */
export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Checks a shape is an array of non-negative safe integers; returns the element count. */
export function shapeSize(shape: unknown, what: string): number {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: shape must be an array, got ${shape === null ? 'null' : typeof shape}`);
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`${what}: shape must hold non-negative integers, got [${shape.map(String).join(',')}]`);
    }
    n *= d;
    if (!Number.isSafeInteger(n)) throw new RangeError(`${what}: shape [${shape.join(',')}] has too many elements`);
  }
  return n;
}

// TextDecoder/TextEncoder are globals in every browser and in Node >= 11, but the library compiles
// without the DOM lib, so their (tiny) shapes are declared here.
declare const TextDecoder: new (label: 'utf-8', opts: { fatal: boolean }) => { decode(b: Uint8Array): string };
declare const TextEncoder: new () => { encode(s: string): Uint8Array };

/** Strict UTF-8 decoding (throws a TypeError on malformed input). */
export const utf8Decode = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b);

/** UTF-8 encoding. */
export const utf8Encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Latin-1 decoding: each byte is the code point of one character. */
export function latin1Decode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}
