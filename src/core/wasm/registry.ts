/**
 * A registry of kernel implementations per backend, in the style of tfjs-core's kernel_registry:
 * each kernel (by name) has implementations registered under backend names with a priority and an
 * availability test. The backend of a kernel is chosen once, on its first use, as the available
 * backend of highest priority, unless {@link setKernelBackend} named one; the choice is cached, so
 * the hot loops dispatch through one lookup and no per-call tests.
 *
 * Kernels registered by the library:
 * - `'rnnRecurrence'` (the fused vanilla-RNN forward and BPTT of `ad.rnn`, `rnnLoss`, `train`,
 *   `rnnForward`): `'wasm-f32'` (priority 2; float32 SIMD gemm with float32 accumulation, as PyTorch,
 *   and vectorised tanh within 1 ulp; used for float32 data and tanh) and `'js'` (priority 1; the
 *   float64-accumulating kernel, bit for bit the same as the recurrence built from `matmul` and
 *   `tanh`, and the same result on every platform; also what 'wasm-f32' falls back to for float64
 *   data, relu or identity).
 * - `'gatedRecurrence'` (the fused GRU / LSTM forward and BPTT, registered by rnn/gated/op.ts):
 *   `'wasm-f32'` (priority 2; the same float32 gemm and σ/tanh on its own instance of the module) and
 *   `'js'` (priority 1; float64 accumulation, the same result on every platform).
 */

interface Entry {
  priority: number;
  available: () => boolean;
  impl: unknown;
}

const kernels = new Map<string, Map<string, Entry>>();
const chosen = new Map<string, { backend: string; impl: unknown }>();
const forced = new Map<string, string>();

/** Registers `impl` as kernel `name` on `backend` (replacing an earlier registration). */
export function registerKernel<F>(name: string, backend: string, priority: number, available: () => boolean, impl: F): void {
  let m = kernels.get(name);
  if (m === undefined) kernels.set(name, (m = new Map()));
  m.set(backend, { priority, available, impl });
  chosen.delete(name);
}

function resolve(name: string): { backend: string; impl: unknown } {
  const m = kernels.get(name);
  if (m === undefined) throw new Error(`getKernel: no kernel named '${name}' is registered`);
  const want = forced.get(name);
  if (want !== undefined) {
    const e = m.get(want);
    if (e === undefined || !e.available()) throw new Error(`getKernel: backend '${want}' of kernel '${name}' is not available here`);
    return { backend: want, impl: e.impl };
  }
  let best: { backend: string; impl: unknown } | undefined;
  let bestPriority = -Infinity;
  for (const [backend, e] of m) {
    if (e.priority > bestPriority && e.available()) {
      best = { backend, impl: e.impl };
      bestPriority = e.priority;
    }
  }
  if (best === undefined) throw new Error(`getKernel: no backend of kernel '${name}' is available here`);
  return best;
}

/** The implementation of kernel `name` on its chosen backend (chosen on the first call, then cached). */
export function getKernel<F>(name: string): F {
  let c = chosen.get(name);
  if (c === undefined) chosen.set(name, (c = resolve(name)));
  return c.impl as F;
}

/** Names of the registered kernels. */
export function kernelNames(): string[] {
  return [...kernels.keys()];
}

/** {@link setKernelBackend} with errors naming `caller`. @internal */
export function setKernelBackendFor(name: string, backend: string, caller: string, what = 'backend'): void {
  if (typeof name !== 'string') throw new TypeError(`${caller}: name must be a kernel name (a string), got ${name === null ? 'null' : typeof name}`);
  if (typeof backend !== 'string') throw new TypeError(`${caller}: ${what} must be a string ('auto' or a registered backend), got ${backend === null ? 'null' : typeof backend}`);
  const m = kernels.get(name);
  if (m === undefined) throw new RangeError(`${caller}: no kernel named '${String(name)}' (registered: ${[...kernels.keys()].join(', ')})`);
  if (backend === 'auto') forced.delete(name);
  else {
    const e = m.get(backend);
    if (e === undefined) throw new RangeError(`${caller}: kernel '${name}' has no backend '${String(backend)}' (registered: ${[...m.keys()].join(', ')})`);
    if (!e.available()) throw new Error(`${caller}: backend '${backend}' of kernel '${name}' is not available in this runtime`);
    forced.set(name, backend);
  }
  chosen.delete(name);
}

/** The kernels whose backend was forced (not `'auto'`), with their backends; a pool's workers adopt them. @internal */
export function forcedKernelBackends(): Record<string, string> {
  return Object.fromEntries(forced);
}

/**
 * Makes the forced choices exactly `choices` (every other kernel back to `'auto'`), with errors
 * naming `caller`: a pool worker adopting its caller's choices. @internal
 */
export function adoptKernelBackends(choices: Record<string, string>, caller: string): void {
  for (const name of [...forced.keys()]) if (!Object.hasOwn(choices, name)) setKernelBackendFor(name, 'auto', caller);
  for (const [name, b] of Object.entries(choices)) if (forced.get(name) !== b) setKernelBackendFor(name, b, caller);
}

/**
 * Selects the backend of one kernel (`'auto'`: the available backend of highest priority, the
 * default). Throws a RangeError for an unknown kernel or backend and an Error when the backend
 * cannot run here.
 *
 * @deprecated Use `setBackend(name, backend)` (src/core/backend.ts), the one switch for every
 * kernel family; this alias stays.
 *
 * @example
 * ```ts
 * import { setKernelBackend } from 'rnn-lyap';
 * setKernelBackend('rnnRecurrence', 'js');   // float64 accumulation, bit-reproducible everywhere
 * setKernelBackend('rnnRecurrence', 'auto'); // back to the default (WebAssembly float32 SIMD where available)
 * ```
 */
export function setKernelBackend(name: string, backend: string): void {
  setKernelBackendFor(name, backend, 'setKernelBackend');
}

/**
 * The backend kernel `name` runs on (resolving the choice if it was not made yet).
 *
 * @deprecated Use `backend(name)` (src/core/backend.ts); this alias stays.
 *
 * @example
 * ```ts
 * import { getKernelBackend } from 'rnn-lyap';
 * getKernelBackend('rnnRecurrence'); // 'wasm-f32' where WebAssembly SIMD is available, else 'js'
 * ```
 */
export function getKernelBackend(name: string): string {
  if (typeof name !== 'string') throw new TypeError(`getKernelBackend: name must be a kernel name (a string), got ${name === null ? 'null' : typeof name}`);
  if (!kernels.has(name)) throw new RangeError(`getKernelBackend: no kernel named '${name}' (registered: ${[...kernels.keys()].join(', ')})`);
  let c = chosen.get(name);
  if (c === undefined) chosen.set(name, (c = resolve(name)));
  return c.backend;
}
