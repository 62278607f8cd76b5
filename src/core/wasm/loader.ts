/**
 * Lazy, synchronous loader of the WebAssembly SIMD gemm module (bytes in gemm-wasm.ts, compiled from
 * gemm.wat by scripts/build-wasm.mjs). No Node built-ins and no DOM types: the few WebAssembly
 * members used are typed locally, and `WebAssembly` is looked up on `globalThis`, so the library
 * still loads (and falls back to pure JS) where WebAssembly or its SIMD extension is missing.
 */
import { GEMM_WASM_BASE64 } from './gemm-wasm.js';
import { instantiateWasm, type WasmMemory } from './instantiate.js';

export type { WasmMemory } from './instantiate.js';

/** Exports of gemm.wat (addresses are byte offsets into `mem`; see the .wat for the contracts). */
export interface GemmWasmExports {
  mem: WasmMemory;
  pack(src: number, rs: number, cs: number, rows: number, k: number, r0: number, count: number, dst: number): void;
  pack64(src: number, rs: number, cs: number, rows: number, k: number, r0: number, count: number, dst: number): void;
  kernel(
    k: number, mc: number, nc: number, ap: number, bp: number, c: number, ldc: number, alpha: number, beta: number,
    acc: number, ldacc: number, mode: number, c64: number,
  ): void;
}

let state: 'untried' | 'ready' | 'unavailable' = 'untried';
let exportsCache: GemmWasmExports | undefined;

/**
 * The instantiated module, or undefined when WebAssembly (or its SIMD extension) is unavailable.
 * Instantiated synchronously on the first call; the outcome is cached.
 */
export function gemmWasm(): GemmWasmExports | undefined {
  if (state === 'untried') {
    state = 'unavailable';
    exportsCache = instantiateWasm<GemmWasmExports>(GEMM_WASM_BASE64);
    if (exportsCache !== undefined) state = 'ready';
  }
  return exportsCache;
}
