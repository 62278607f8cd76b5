/**
 * Deprecated aliases of the float64 backend switch (`setBackend('float64', …)` in rnn-lyap/core),
 * kept under their old names for existing code.
 */
import { f64Backend, f64WasmAvailable, setF64Backend } from '../core/wasm64/loader.js';

/** @deprecated The choices of `setBackend('float64', choice)`. */
export type LyapunovBackend = 'auto' | 'wasm-fma' | 'wasm' | 'js';

/**
 * True when this engine can run the WebAssembly SIMD kernels.
 *
 * @deprecated Use `float64WasmAvailable()` from rnn-lyap/core.
 *
 * @example
 * ```ts
 * if (!lyapunovWasmAvailable()) console.warn('Lyapunov kernels: plain JS (no WebAssembly SIMD)');
 * ```
 */
export function lyapunovWasmAvailable(): boolean {
  return f64WasmAvailable();
}

/**
 * Selects the implementation of the float64 kernels behind the estimator (the frame product and the
 * Householder QR): `'auto'`, `'wasm-fma'` (fused multiply-adds; WebAssembly relaxed SIMD), `'wasm'`
 * or `'js'`.
 *
 * @deprecated Use `setBackend('float64', backend)` from rnn-lyap/core.
 *
 * @example
 * ```ts
 * setLyapunovBackend('js');   // plain JS kernels
 * setLyapunovBackend('auto'); // back to the default
 * ```
 */
export function setLyapunovBackend(backend: LyapunovBackend): void {
  setF64Backend(backend, 'setLyapunovBackend');
}

/**
 * The backend the kernels use now: `'wasm-fma'`, `'wasm'` or `'js'` (`'wasm-fma'` by default where the
 * engine has WebAssembly relaxed SIMD).
 *
 * @deprecated Use `backend('float64')` from rnn-lyap/core.
 *
 * @example
 * ```ts
 * lyapunovBackend(); // 'wasm-fma' in Node ≥ 22 and Chrome ≥ 114, 'wasm' in Node 20
 * ```
 */
export function lyapunovBackend(): 'wasm-fma' | 'wasm' | 'js' {
  return f64Backend();
}
