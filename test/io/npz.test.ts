import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNpy, readNpz, writeNpy } from '../../src/io/index.js';
import { crc32 } from '../../src/io/npz.js';
import { expected, fixture } from './helpers.js';

/** The constructor name of what the promise rejected with, or 'ok'. */
async function settle(p: () => Promise<unknown>): Promise<string> {
  try {
    await p();
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.constructor.name : typeof err;
  }
}

/** A minimal ZIP writer (stored entries only) for the validation tests: names → bytes. */
function zipStored(files: Record<string, Uint8Array>, opts: { crc?: (name: string, c: number) => number; method?: number } = {}): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [], centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = enc.encode(name);
    const c = opts.crc ? opts.crc(name, crc32(data)) : crc32(data);
    const lh = new Uint8Array(30 + n.length + data.length);
    const l = new DataView(lh.buffer);
    l.setUint32(0, 0x04034b50, true); l.setUint16(4, 20, true); l.setUint16(8, opts.method ?? 0, true);
    l.setUint32(14, c, true); l.setUint32(18, data.length, true); l.setUint32(22, data.length, true);
    l.setUint16(26, n.length, true);
    lh.set(n, 30); lh.set(data, 30 + n.length);
    const ch = new Uint8Array(46 + n.length);
    const d = new DataView(ch.buffer);
    d.setUint32(0, 0x02014b50, true); d.setUint16(4, 20, true); d.setUint16(6, 20, true); d.setUint16(10, opts.method ?? 0, true);
    d.setUint32(16, c, true); d.setUint32(20, data.length, true); d.setUint32(24, data.length, true);
    d.setUint16(28, n.length, true); d.setUint32(42, offset, true);
    ch.set(n, 46);
    locals.push(lh); centrals.push(ch);
    offset += lh.length;
  }
  const cdSize = centrals.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(offset + cdSize + 22);
  let at = 0;
  for (const b of [...locals, ...centrals]) { out.set(b, at); at += b.length; }
  const e = new DataView(out.buffer, at);
  e.setUint32(0, 0x06054b50, true); e.setUint16(8, centrals.length, true); e.setUint16(10, centrals.length, true);
  e.setUint32(12, cdSize, true); e.setUint32(16, offset, true);
  return out;
}

describe('readNpz on archives written by NumPy', () => {
  for (const [file, name] of [['npz_stored.npz', 'stored'], ['npz_deflate.npz', 'deflate']] as const) {
    it(`${file} (np.${name === 'stored' ? 'savez' : 'savez_compressed'}) holds exactly what NumPy wrote`, async () => {
      const bytes = fixture(file);
      const before = bytes.slice();
      const arrays = await readNpz(bytes);
      const want = expected.npz[name];
      expect(Object.keys(arrays).sort()).toEqual(Object.keys(want).sort()); // numpy writes keywords, then arr_0, arr_1, …
      for (const [k, e] of Object.entries(want) as [string, { descr: string; shape: number[]; data: unknown[] }][]) {
        expect(arrays[k].dtype).toBe(e.descr);
        expect(arrays[k].shape).toEqual(e.shape);
        const got = Array.from(arrays[k].data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : v));
        expect(got).toEqual(e.data);
      }
      expect(bytes).toEqual(before); // the input is not modified
    });
  }
  it('gives the same arrays as the .npy files of the same data', async () => {
    const { inputs } = await readNpz(fixture('npz_deflate.npz'));
    const { arr_0 } = await readNpz(fixture('npz_stored.npz'));
    const npy = readNpy(fixture('input_3d.npy'));
    expect(inputs.data).toEqual(npy.data);
    expect(arr_0.data).toEqual(npy.data);
  });
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('readNpz refuses bad archives with a message naming the entry', () => {
  const a = writeNpy({ shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) });
  it('reads its own stored archive, and an entry named __proto__ is an own property', async () => {
    const r = await readNpz(zipStored({ 'x.npy': a, '__proto__.npy': a }));
    expect(Object.keys(r)).toEqual(['x', '__proto__']);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Array.from(r.x.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('a CRC mismatch', async () => {
    await expect(readNpz(zipStored({ 'x.npy': a }, { crc: (_, c) => c ^ 1 }))).rejects.toThrow(/^readNpz: entry 'x.npy': CRC-32 mismatch/);
  });
  it('a flipped data byte of a deflated archive', async () => {
    const bytes = fixture('npz_deflate.npz');
    for (const at of [70, 150, 250]) { // inside inputs.npy's deflate stream (bytes 60–302)
      const bad = bytes.slice();
      bad[at] ^= 0x55;
      await expect(readNpz(bad)).rejects.toThrow(/^readNpz: entry '\w+\.npy'/);
    }
  });
  it('not a ZIP, a .npy, a method it does not know, a non-.npy entry, a bad .npy inside', async () => {
    await expect(readNpz(new Uint8Array(10))).rejects.toThrow(/^readNpz: not a \.npz \(ZIP\) file: 10 bytes/);
    await expect(readNpz(a)).rejects.toThrow(/this is a \.npy file: use readNpy/);
    await expect(readNpz(zipStored({ 'x.npy': a }, { method: 12 }))).rejects.toThrow(/^readNpz: entry 'x.npy' uses compression method 12/);
    await expect(readNpz(zipStored({ 'notes.txt': a }))).rejects.toThrow(/^readNpz: entry 'notes.txt' is not a \.npy array/);
    await expect(readNpz(zipStored({ 'x.npy': a.subarray(0, 20) }))).rejects.toThrow(/^readNpz: entry 'x.npy': header length/);
    await expect(readNpz('x' as unknown as Uint8Array)).rejects.toThrow(TypeError);
  });
  it('a central directory whose sizes or offsets lie', async () => {
    const good = zipStored({ 'x.npy': a });
    const cd = good.length - 22 - (46 + 5);
    const lie = (field: number, value: number) => {
      const b = good.slice();
      new DataView(b.buffer).setUint32(cd + field, value, true);
      return b;
    };
    await expect(readNpz(lie(20, 1e9))).rejects.toThrow(/^readNpz: entry 'x.npy': 1000000000 data bytes .* run past/);
    await expect(readNpz(lie(42, 7))).rejects.toThrow(/^readNpz: entry 'x.npy': no local file header at byte 7/);
    await expect(readNpz(lie(24, 3))).rejects.toThrow(/^readNpz: entry 'x.npy' is stored, but its sizes differ/);
  });
  it('every truncation of a NumPy archive is a RangeError', async () => {
    for (const file of ['npz_stored.npz', 'npz_deflate.npz']) {
      const bytes = fixture(file);
      for (let n = 0; n < bytes.length; n += 7) {
        expect(await settle(() => readNpz(bytes.subarray(0, n)))).toBe('RangeError');
      }
    }
  });
  it('random corruption gives a result or a RangeError, never another error', async () => {
    const bytes = fixture('npz_deflate.npz');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), async (flips) => {
        const bad = bytes.slice();
        for (const [at, x] of flips) bad[at] ^= x;
        expect(['ok', 'RangeError']).toContain(await settle(() => readNpz(bad)));
      }),
      { numRuns: 150 },
    );
  });
});
