/**
 * NumPy `.npz` archives (`numpy.savez`, `numpy.savez_compressed`): a ZIP file holding one `.npy`
 * file per array. The ZIP reader handles stored and deflated entries (inflated with the platform's
 * `DecompressionStream('deflate-raw')`, which Node ≥ 20 and every current browser have, so the
 * reader is async), ZIP64 sizes and offsets (numpy always writes ZIP64 local headers), and checks
 * every entry's CRC-32 and sizes against the central directory.
 *
 * Takes bytes, never paths, so it runs in browsers as well as in Node.
 */
import { isTorchEntry, otherKind, torchSaveHint } from './foreign.js';
import { asBytes, utf8Decode } from './bytes.js';
import { readNpy, type NpyArray } from './npy.js';

// The pieces of the Streams API used here; the library compiles without the DOM lib.
interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface InflateStream {
  readable: { getReader(): ByteReader };
  writable: { getWriter(): ByteWriter };
}
type InflateStreamCtor = new (format: 'deflate-raw') => InflateStream;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

let crcTable: Int32Array | null = null;

/** CRC-32 (IEEE 802.3, the ZIP checksum) of `b`, as an unsigned 32-bit integer. */
export function crc32(b: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const t = crcTable;
  let c = -1;
  for (let i = 0; i < b.length; i++) c = t[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** One entry of the central directory, sizes and offsets resolved (ZIP64 included). */
interface ZipEntry {
  name: string;
  rawName: Uint8Array;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const fn = 'readNpz';

function u64(dv: DataView, at: number, what: string): number {
  const lo = dv.getUint32(at, true), hi = dv.getUint32(at + 4, true);
  const v = hi * 2 ** 32 + lo;
  if (!Number.isSafeInteger(v)) throw new RangeError(`${fn}: ${what} ${v} is too large`);
  return v;
}

/** Finds the end-of-central-directory record: the last signature that leaves room for its comment. */
function findEocd(src: Uint8Array, dv: DataView): number {
  const min = Math.max(0, src.length - 22 - 0xffff);
  for (let at = src.length - 22; at >= min; at--) {
    if (dv.getUint32(at, true) === SIG_EOCD && at + 22 + dv.getUint16(at + 20, true) === src.length) return at;
  }
  // a ZIP with trailing bytes: accept the last signature found at all
  for (let at = src.length - 22; at >= min; at--) if (dv.getUint32(at, true) === SIG_EOCD) return at;
  return -1;
}

function readDirectory(src: Uint8Array, dv: DataView): { entries: ZipEntry[]; cdStart: number } {
  if (src.length < 22) throw new RangeError(`${fn}: not a .npz (ZIP) file: ${src.length} bytes, a ZIP needs at least 22`);
  const eocd = findEocd(src, dv);
  if (eocd < 0) {
    const other = otherKind(src, 'npz');
    throw new RangeError(`${fn}: not a .npz (ZIP) file: ${other ?? 'no end-of-central-directory record found'}`);
  }
  const disk = dv.getUint16(eocd + 4, true), cdDisk = dv.getUint16(eocd + 6, true);
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdStart = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdStart === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== SIG_ZIP64_LOCATOR) throw new RangeError(`${fn}: ZIP64 end-of-central-directory locator missing before the end record at byte ${eocd}`);
    const at = u64(dv, loc + 8, 'ZIP64 end record offset');
    if (at + 56 > loc || dv.getUint32(at, true) !== SIG_ZIP64_EOCD) throw new RangeError(`${fn}: ZIP64 end-of-central-directory record not found at byte ${at}`);
    count = u64(dv, at + 32, 'entry count');
    cdSize = u64(dv, at + 40, 'central directory size');
    cdStart = u64(dv, at + 48, 'central directory offset');
  } else if (disk !== 0 || cdDisk !== 0) {
    throw new RangeError(`${fn}: multi-disk ZIP archives are not supported`);
  }
  if (cdStart > eocd || cdSize > eocd - cdStart) {
    throw new RangeError(`${fn}: central directory [${cdStart}, ${cdStart + cdSize}) runs past its end record at byte ${eocd} (file of ${src.length} bytes, truncated or not a ZIP)`);
  }
  // each central entry takes at least 46 bytes
  if (count > cdSize / 46) throw new RangeError(`${fn}: the end record claims ${count} entries, the central directory (${cdSize} bytes) holds at most ${Math.floor(cdSize / 46)}`);
  const entries: ZipEntry[] = [];
  const end = cdStart + cdSize;
  let p = cdStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || dv.getUint32(p, true) !== SIG_CENTRAL) throw new RangeError(`${fn}: central directory entry ${i} at byte ${p}: bad signature or truncated`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true), extraLen = dv.getUint16(p + 30, true), commentLen = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > end) throw new RangeError(`${fn}: central directory entry ${i}: name/extra/comment run past the directory`);
    let name: string;
    const rawName = src.subarray(p + 46, p + 46 + nameLen);
    try {
      name = flags & 0x800 ? utf8Decode(rawName) : String.fromCharCode(...rawName);
    } catch {
      throw new RangeError(`${fn}: central directory entry ${i}: name is not valid UTF-8`);
    }
    // ZIP64 extended information (header id 1): the 64-bit values of the fields set to 0xFFFFFFFF
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = dv.getUint16(e, true), len = dv.getUint16(e + 2, true);
      if (e + 4 + len > eEnd) throw new RangeError(`${fn}: entry '${name}': extra field runs past its end`);
      if (id === 1) {
        let q = e + 4;
        const take = (what: string): number => {
          if (q + 8 > e + 4 + len) throw new RangeError(`${fn}: entry '${name}': ZIP64 extra field too short for the ${what}`);
          const v = u64(dv, q, `entry '${name}': ${what}`);
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take('size');
        if (compressedSize === 0xffffffff) compressedSize = take('compressed size');
        if (localOffset === 0xffffffff) localOffset = take('local header offset');
      }
      e += 4 + len;
    }
    entries.push({ name, rawName, method, flags, crc, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, cdStart };
}

/** The entry's stored bytes (still compressed), checked against the buffer and its local header. */
function entryData(src: Uint8Array, dv: DataView, e: ZipEntry, cdStart: number): Uint8Array {
  const at = e.localOffset;
  if (at + 30 > cdStart || dv.getUint32(at, true) !== SIG_LOCAL) {
    throw new RangeError(`${fn}: entry '${e.name}': no local file header at byte ${at} (truncated or corrupt archive)`);
  }
  const nameLen = dv.getUint16(at + 26, true), extraLen = dv.getUint16(at + 28, true);
  const start = at + 30 + nameLen + extraLen;
  if (start > cdStart || e.compressedSize > cdStart - start) {
    throw new RangeError(`${fn}: entry '${e.name}': ${e.compressedSize} data bytes from byte ${start} run past the central directory at byte ${cdStart} (truncated or lying sizes)`);
  }
  const localName = src.subarray(at + 30, at + 30 + nameLen);
  let same = localName.length === e.rawName.length;
  for (let i = 0; same && i < localName.length; i++) same = localName[i] === e.rawName[i];
  if (!same) throw new RangeError(`${fn}: entry '${e.name}': the local header at byte ${at} names another file`);
  return src.subarray(start, start + e.compressedSize);
}

async function inflate(data: Uint8Array, size: number, name: string): Promise<Uint8Array> {
  const Ctor = (globalThis as { DecompressionStream?: InflateStreamCtor }).DecompressionStream;
  if (typeof Ctor !== 'function') {
    throw new TypeError(`${fn}: entry '${name}' is deflated and this platform has no DecompressionStream (Node >= 20 and current browsers do); save with numpy.savez (stored) instead`);
  }
  let ds: InflateStream;
  try {
    ds = new Ctor('deflate-raw');
  } catch {
    throw new TypeError(`${fn}: entry '${name}' is deflated and this platform's DecompressionStream does not support 'deflate-raw'`);
  }
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  // the copy keeps the caller's bytes out of the stream's reach
  writer.write(data.slice()).catch(() => undefined);
  writer.close().catch(() => undefined);
  const out = new Uint8Array(size);
  let got = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value === undefined) continue;
      if (value.length > size - got) {
        await reader.cancel().catch(() => undefined);
        throw new RangeError(`${fn}: entry '${name}' inflates to more than the ${size} bytes its header declares`);
      }
      out.set(value, got);
      got += value.length;
    }
  } catch (err) {
    if (err instanceof RangeError) throw err;
    throw new RangeError(`${fn}: entry '${name}': corrupt deflate data (${(err as Error)?.message ?? String(err)})`);
  }
  if (got !== size) throw new RangeError(`${fn}: entry '${name}' inflates to ${got} bytes, its header declares ${size}`);
  return out;
}

/**
 * The entry names of a ZIP archive (from its central directory, nothing inflated), so a caller can
 * tell an `.npz` (`*.npy` entries) from a `torch.save` file (`<name>/data.pkl`, `<name>/data/0`, …)
 * before reading it. Internal: used by the command line, not on the public surface.
 *
 * @throws RangeError as {@link readNpz} does for a file that is not a readable ZIP.
 * @example
 * ```ts
 * zipEntryNames(readFileSync('sd.npz')); // ['rnn.weight_ih_l0.npy', ...]
 * ```
 */
export function zipEntryNames(bytes: Uint8Array | ArrayBuffer): string[] {
  const src = asBytes(bytes, fn);
  return readDirectory(src, new DataView(src.buffer, src.byteOffset, src.byteLength)).entries.map((e) => e.name);
}

/**
 * Reads a NumPy `.npz` archive (as written by `numpy.savez` or `numpy.savez_compressed`) and
 * resolves to its arrays by name (the entry name without `.npy`: `arr_0`, `arr_1`, … for positional
 * arrays, the keyword for named ones), each decoded by {@link readNpy}. Stored and deflated entries
 * are read (deflate through `DecompressionStream('deflate-raw')`, hence async), ZIP64 records are
 * followed, and every entry's size and CRC-32 is checked against the central directory.
 *
 * @throws TypeError for non-bytes; RangeError (as a rejected promise) for a file that is not a ZIP,
 *   a truncated archive, sizes or offsets that run past the buffer or contradict each other, an
 *   encrypted entry or an unsupported compression method, a CRC mismatch, an entry that is not a
 *   `.npy` file, or an entry readNpy refuses — each message naming the entry. Nothing is read
 *   outside the given bytes, and they are not modified.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readNpz } from 'rnn-lyap/io';
 *
 * // python: np.savez_compressed('data.npz', inputs=x, labels=y)
 * const { inputs, labels } = await readNpz(readFileSync('data.npz'));
 * inputs.shape; // e.g. [64, 28, 28]
 * ```
 */
export async function readNpz(bytes: Uint8Array | ArrayBuffer): Promise<Record<string, NpyArray>> {
  const src = asBytes(bytes, fn);
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const { entries, cdStart } = readDirectory(src, dv);
  const out: Record<string, NpyArray> = {};
  const seen = new Set<string>();
  const pickle = entries.find((e) => isTorchEntry(e.name));
  if (pickle !== undefined) throw new RangeError(`${fn}: not an .npz: ${torchSaveHint(pickle.name)}`);
  for (const e of entries) {
    if (e.name.endsWith('/') && e.size === 0) continue; // a directory entry
    if (!e.name.endsWith('.npy')) throw new RangeError(`${fn}: entry '${e.name}' is not a .npy array (an .npz holds only .npy files)`);
    const key = e.name.slice(0, -4);
    if (seen.has(key)) throw new RangeError(`${fn}: entry '${e.name}' appears twice`);
    seen.add(key);
    if (e.flags & 1) throw new RangeError(`${fn}: entry '${e.name}' is encrypted`);
    const data = entryData(src, dv, e, cdStart);
    let raw: Uint8Array;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw new RangeError(`${fn}: entry '${e.name}' is stored, but its sizes differ (${e.compressedSize} stored, ${e.size} declared)`);
      raw = data;
    } else if (e.method === 8) {
      raw = await inflate(data, e.size, e.name);
    } else {
      throw new RangeError(`${fn}: entry '${e.name}' uses compression method ${e.method} (supported: 0 stored, 8 deflate)`);
    }
    const crc = crc32(raw);
    if (crc !== e.crc) throw new RangeError(`${fn}: entry '${e.name}': CRC-32 mismatch (computed ${crc.toString(16).padStart(8, '0')}, the archive says ${e.crc.toString(16).padStart(8, '0')}): the archive is corrupt`);
    let arr: NpyArray;
    try {
      arr = readNpy(raw);
    } catch (err) {
      const msg = (err as Error).message.replace(/^readNpy: /, '');
      const Ctor = err instanceof TypeError ? TypeError : RangeError;
      throw new Ctor(`${fn}: entry '${e.name}': ${msg}`);
    }
    Object.defineProperty(out, key, { value: arr, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
