/**
 * One backend switch for every kernel family: `setBackend(kind, choice)` and `backend(kind)`.
 *
 * Kinds:
 * - `'float64'`: the float64 kernels of core/linalg that have WebAssembly SIMD (f64x2) versions in
 *   core/wasm64 — the products diag(d)·A·Q, the Householder QR of a column-major frame, the gemv over
 *   a resident matrix (used by the Lyapunov estimator and the RNN's DynamicalSystem adapter).
 *   Choices `'auto'` (WebAssembly for dimensions 16…4096: `'wasm-fma'` where the engine has relaxed
 *   SIMD, else `'wasm'` where it has SIMD; else JS), `'wasm-fma'` (the products and the QR with
 *   fused multiply-adds, `f64x2.relaxed_madd`: Node 22+, Chrome 114+, Node 20 with
 *   `--experimental-wasm-relaxed-simd`), `'wasm'` (multiply, then add: the same bits on every engine
 *   and CPU), `'js'`. Results agree to rounding (the sums are ordered and rounded differently); each
 *   is deterministic on one machine, and the RNN gemv (the state update) is bit-identical on all
 *   three, so a trajectory never depends on the backend.
 * - every kernel of the registry (src/core/wasm/registry.ts), e.g. `'rnnRecurrence'` (the fused RNN
 *   forward and BPTT): `'auto'` or a backend it registered (`'wasm-f32'`, `'js'`).
 *
 * The switch is process-wide, like tfjs's setBackend: pass 'auto' to restore the default.
 */
import { f64Backend, f64WasmAvailable, setF64Backend } from './wasm64/loader.js';
import { getKernelBackend, kernelNames, setKernelBackendFor } from './wasm/registry.js';

/** The kernel kind of the float64 WebAssembly SIMD kernels. */
const FLOAT64 = 'float64';

function checkKind(kind: unknown, caller: string): string {
  if (typeof kind !== 'string') throw new TypeError(`${caller}: kind must be a string ('${FLOAT64}' or a registered kernel), got ${kind === null ? 'null' : typeof kind}`);
  if (kind !== FLOAT64 && !kernelNames().includes(kind)) {
    throw new RangeError(`${caller}: unknown kind '${kind}' (known: ${[FLOAT64, ...kernelNames()].join(', ')})`);
  }
  return kind;
}

/**
 * Selects the implementation of a kernel family (see the module comment for the kinds): `'auto'`
 * (the default), `'js'`, `'wasm'` or `'wasm-fma'` for `'float64'`, or any backend a registry kernel
 * registered. A TypeError for a non-string, a RangeError for an unknown kind or choice, an Error
 * (a RangeError for `'float64'`) when the choice cannot run in this engine. The choice is
 * process-wide on this thread; a worker pool (`rnn-lyap/parallel`) passes it to its workers with
 * every call.
 *
 * @example
 * ```ts
 * import { setBackend, backend } from 'rnn-lyap/core';
 * setBackend('float64', 'js');          // plain JS Householder QR and products
 * backend('float64');                   // 'js'
 * setBackend('float64', 'wasm');        // WebAssembly SIMD, multiply then add: the same bits everywhere
 * setBackend('float64', 'auto');        // back to the default ('wasm-fma' where relaxed SIMD runs)
 * setBackend('rnnRecurrence', 'js');    // float64-accumulating RNN kernel, bit-reproducible everywhere
 * setBackend('rnnRecurrence', 'auto');
 * ```
 */
export function setBackend(kind: string, choice: string): void {
  const name = 'setBackend';
  const k = checkKind(kind, name);
  if (k === FLOAT64) setF64Backend(choice, name, 'choice');
  else {
    setKernelBackendFor(k, choice, name, 'choice');
  }
}

/**
 * The implementation a kernel family runs on now: `'wasm-fma'`, `'wasm'` or `'js'` for `'float64'`,
 * the chosen registered backend for a registry kernel (`'wasm-f32-fma'`, `'wasm-f32'`, `'js'`).
 *
 * @example
 * ```ts
 * import { backend } from 'rnn-lyap/core';
 * backend('float64');       // 'wasm-fma' in Node ≥ 22 and Chrome ≥ 114, 'wasm' in Node 20, else 'js'
 * backend('rnnRecurrence'); // 'wasm-f32' where WebAssembly SIMD is available, else 'js'
 * ```
 */
export function backend(kind: string): string {
  const k = checkKind(kind, 'backend');
  return k === FLOAT64 ? f64Backend() : getKernelBackend(k);
}

/**
 * True when the engine runs the float64 WebAssembly SIMD kernels (`setBackend('float64', 'wasm')`
 * is then allowed).
 *
 * @example
 * ```ts
 * import { float64WasmAvailable } from 'rnn-lyap/core';
 * if (!float64WasmAvailable()) console.warn('float64 kernels: plain JS (no WebAssembly SIMD)');
 * ```
 */
export function float64WasmAvailable(): boolean {
  return f64WasmAvailable();
}
