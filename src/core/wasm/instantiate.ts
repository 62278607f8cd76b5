/**
 * Shared by the WebAssembly loaders: base64 decoding without Buffer/atob, and a synchronous
 * instantiation that returns undefined (so callers fall back to JS) when WebAssembly, its SIMD
 * extension, or compilation itself (e.g. under a CSP) is unavailable. No Node built-ins and no DOM
 * types: the few WebAssembly members used are typed here and looked up on `globalThis`.
 */

/** The WebAssembly.Memory members the kernels use. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: unknown };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64. */
export function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const lut = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) lut[B64.charCodeAt(i)] = i;
  let len = s.length;
  while (len > 0 && s[len - 1] === '=') len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let acc = 0, bits = 0, o = 0;
  for (let i = 0; i < len; i++) {
    const v = lut[s.charCodeAt(i) & 127];
    if (v < 0) throw new Error(`decodeBase64: invalid character at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** True when a global `WebAssembly` object exists. */
export function hasWebAssembly(): boolean {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly !== undefined;
}

/**
 * Compiles and instantiates a module given as base64, synchronously; undefined when the engine
 * lacks WebAssembly, rejects the bytes (no SIMD), or refuses compilation.
 */
export function instantiateWasm<T>(base64: string, imports: object = {}): T | undefined {
  try {
    const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (api === undefined || typeof api.validate !== 'function') return undefined;
    const bytes = decodeBase64(base64);
    if (!api.validate(bytes)) return undefined;
    return new api.Instance(new api.Module(bytes), imports).exports as T;
  } catch {
    return undefined;
  }
}
