// Bit-for-bit comparison: every number and typed array becomes the hex of its bytes (so -0, NaN
// payloads and the last ulp all count), objects keep their own keys.
export function bits(v: unknown): unknown {
  if (typeof v === 'number') {
    const b = new Float64Array([v]);
    return `f64:${Buffer.from(b.buffer).toString('hex')}`;
  }
  if (ArrayBuffer.isView(v)) {
    const u = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return `${v.constructor.name}:${Buffer.from(u).toString('hex')}`;
  }
  if (Array.isArray(v)) return v.map(bits);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (typeof x !== 'function') out[k] = bits(x);
    }
    return out;
  }
  return v;
}

/** The error `f` throws (fails the test when it does not throw). */
export function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the synchronous call to throw');
}
