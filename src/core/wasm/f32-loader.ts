/**
 * Lazy, synchronous loaders of the float32 WebAssembly SIMD kernels, and growable views of each
 * module's memory for callers that keep their operands there. No Node built-ins and no DOM types.
 *
 * Two builds of the same kernels (both from f32.wat, by scripts/build-wasm.mjs):
 * - `f32Wasm`: multiply, then add (f32x4.mul + f32x4.add), rounded twice; the same bits on every
 *   engine and CPU.
 * - `f32FmaWasm`: the gemm's multiply-adds as `f32x4.relaxed_madd` (WebAssembly relaxed SIMD), one
 *   fused multiply-add instruction per lane where the CPU has FMA (rounded once, so the bits differ
 *   from f32Wasm's by float32 rounding, and may differ between CPUs with and without FMA). Available
 *   where the engine has relaxed SIMD: Chrome 114+, Node 22+, or Node 20 run with
 *   `--experimental-wasm-relaxed-simd`.
 * Each has its own module instance and memory.
 */
import { F32_FMA_WASM_BASE64 } from './f32-fma-wasm.js';
import { F32_WASM_BASE64 } from './f32-wasm.js';

export { F32_FMA_WASM_BASE64, F32_WASM_BASE64 };
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
  /** One LSTM step's element-wise part over `rows` rows (gates [rows, 4hp] in place; cp, cn, tc, hn [rows, hp]). */
  lstmfwd(g: number, cp: number, cn: number, tc: number, hn: number, rows: number, hp: number): void;
  /** One GRU step's element-wise part (gx, gh, g [rows, 3hp]; ghn, h0, hn [rows, hp]). */
  grufwd(gx: number, gh: number, g: number, ghn: number, h0: number, hn: number, rows: number, hp: number): void;
  /** The BPTT of one LSTM step's element-wise part (g, da [rows, 4hp]; the rest [rows, hp]; cc updated). */
  lstmbwd(g: number, ds: number, carry: number, cc: number, cp: number, tc: number, da: number, rows: number, hp: number): void;
  /** The BPTT of one GRU step's element-wise part (g, dx, dr [rows, 3hp]; the rest [rows, hp]; carry ← dh⊙z). */
  grubwd(g: number, ds: number, carry: number, ghn: number, h0: number, dx: number, dr: number, rows: number, hp: number): void;
}

/** One build of the float32 kernels: its instance (made on first use) and a view of its memory. */
export interface F32Module {
  /** The instantiated kernels, or undefined where this build cannot run (outcome cached). */
  wasm(): F32WasmExports | undefined;
  /**
   * A Float32Array over the module's whole memory after making it at least `bytes` long; undefined
   * when the module is unavailable or the memory cannot grow. Views taken earlier are stale after
   * a call that grows the memory, so take a fresh one after every call.
   */
  memory(bytes: number): Float32Array | undefined;
}

/**
 * A new instance of one build of the float32 kernels (instantiated on first use), with its own
 * memory. Callers that keep operands in the module's memory across calls (an arena) take their own
 * instance so that no other caller overwrites them.
 */
export function createF32Module(base64: string): F32Module {
  let state: 'untried' | 'ready' | 'unavailable' = 'untried';
  let cache: F32WasmExports | undefined;
  let view: Float32Array = new Float32Array(0);
  const wasm = (): F32WasmExports | undefined => {
    if (state === 'untried') {
      state = 'unavailable';
      cache = instantiateWasm<F32WasmExports>(base64);
      if (cache !== undefined) state = 'ready';
    }
    return cache;
  };
  const memory = (bytes: number): Float32Array | undefined => {
    const w = wasm();
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
  };
  return { wasm, memory };
}

/** The multiply-then-add build (the same bits everywhere). */
export const F32_MUL_ADD: F32Module = createF32Module(F32_WASM_BASE64);

/** The fused multiply-add build (relaxed SIMD; where the engine has it). */
export const F32_FMA: F32Module = createF32Module(F32_FMA_WASM_BASE64);

/**
 * The instantiated float32 kernels (multiply-then-add build), or undefined where WebAssembly SIMD
 * is unavailable (instantiated on the first call; the outcome is cached).
 *
 * @example
 * ```ts
 * const w = f32Wasm(); // undefined without WebAssembly SIMD
 * ```
 */
export function f32Wasm(): F32WasmExports | undefined {
  return F32_MUL_ADD.wasm();
}

/**
 * The fused multiply-add build of the float32 kernels, or undefined where the engine lacks
 * WebAssembly relaxed SIMD (Node 20 without `--experimental-wasm-relaxed-simd`).
 *
 * @example
 * ```ts
 * const fast = f32FmaWasm() ?? f32Wasm();
 * ```
 */
export function f32FmaWasm(): F32WasmExports | undefined {
  return F32_FMA.wasm();
}

/** {@link F32Module.memory} of the multiply-then-add build. */
export function f32Memory(bytes: number): Float32Array | undefined {
  return F32_MUL_ADD.memory(bytes);
}

/**
 * The arena of one fast path in one module instance: the layout of the problem whose operands sit in
 * the module's memory, and a count of the forward passes run there (a backward pass whose forward
 * pass is older recomputes it). Kept per instance, since each has its own memory.
 */
export interface F32Arena<L> {
  layout: L | null;
  generation: number;
}

/**
 * The instance's kernels, its arena re-laid out (memory grown and zeroed) when `fits` refuses the
 * current layout, and a fresh view of its memory; null when the module is unavailable, the layout
 * needs more than `maxBytes`, or the memory cannot grow.
 */
export function takeArena<L extends { bytes: number }>(
  mod: F32Module, arenas: Map<F32Module, F32Arena<L>>, fits: (l: L) => boolean, make: () => L, maxBytes: number,
): { w: F32WasmExports; l: L; m: Float32Array; s: F32Arena<L> } | null {
  const w = mod.wasm();
  if (w === undefined) return null;
  let s = arenas.get(mod);
  if (s === undefined) arenas.set(mod, (s = { layout: null, generation: 0 }));
  let l = s.layout;
  if (l === null || !fits(l)) {
    l = make();
    if (l.bytes > maxBytes) return null;
    const m = mod.memory(l.bytes);
    if (m === undefined) return null;
    m.fill(0, 0, l.bytes / 4);
    s.layout = l;
  }
  const m = mod.memory(l.bytes);
  return m === undefined ? null : { w, l, m, s };
}
