/**
 * Lazy, synchronous loader of the float32 WebAssembly SIMD kernels (bytes in f32-wasm.ts, compiled
 * from f32.wat by scripts/build-wasm.mjs), and a growable view of the module's memory for callers
 * that keep their operands there. No Node built-ins and no DOM types.
 */
import { F32_WASM_BASE64 } from './f32-wasm.js';
import { instantiateWasm, type WasmMemory } from './instantiate.js';

/** Exports of f32.wat (addresses are byte offsets into `mem`; see the .wat for the contracts). */
export interface F32WasmExports {
  mem: WasmMemory;
  gemm(m: number, n: number, k: number, a: number, ra: number, ca: number, b: number, ldb: number, c: number, ldc: number, beta: number): void;
  rows(dst: number, rows: number, n: number, ld: number, src: number): void;
  colsum(src: number, rows: number, n: number, ld: number, acc: number): void;
  addmul(x: number, y: number, d: number, n: number): void;
  /** kind 0 = tanh, 1 = sigmoid; d = 0 skips the derivative. */
  act(kind: number, x: number, n: number, d: number): void;
}

let state: 'untried' | 'ready' | 'unavailable' = 'untried';
let cache: F32WasmExports | undefined;
let view: Float32Array = new Float32Array(0);

/**
 * The instantiated float32 kernels, or undefined where WebAssembly SIMD is unavailable
 * (instantiated on the first call; the outcome is cached).
 *
 * @example
 * ```ts
 * const w = f32Wasm(); // undefined without WebAssembly SIMD
 * ```
 */
export function f32Wasm(): F32WasmExports | undefined {
  if (state === 'untried') {
    state = 'unavailable';
    cache = instantiateWasm<F32WasmExports>(F32_WASM_BASE64);
    if (cache !== undefined) state = 'ready';
  }
  return cache;
}

/**
 * A Float32Array over the module's whole memory after making it at least `bytes` long; undefined
 * when the module is unavailable or the memory cannot grow. Views taken earlier are stale after a
 * call that grows the memory, so take a fresh one after every call.
 */
export function f32Memory(bytes: number): Float32Array | undefined {
  const w = f32Wasm();
  if (w === undefined) return undefined;
  const mem = w.mem;
  if (mem.buffer.byteLength < bytes) {
    try {
      mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
    } catch {
      return undefined;
    }
  }
  if (view.buffer !== mem.buffer) view = new Float32Array(mem.buffer);
  return view;
}
