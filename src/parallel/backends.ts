/**
 * The kernel backends a pooled call runs on: the calling thread's choices, and what its `'auto'`
 * choices resolved to, so that a worker whose own `'auto'` would resolve otherwise (WebAssembly
 * allowed in the worker but blocked on the page, by a Content-Security-Policy sent with the page
 * only) runs what the synchronous call runs, or says why it cannot; unless the pool was created
 * with `backends: 'workers'`, when only the forced choices cross. @internal
 */
import { f64Backend, f64BackendChoice, setF64Backend } from '../core/wasm64/loader.js';
import { adoptKernelBackends, forcedKernelBackends, getKernelBackend, kernelNames, setKernelBackendFor } from '../core/wasm/registry.js';
import type { RunMessage } from './protocol.js';

type Backends = Pick<RunMessage, 'float64' | 'kernels' | 'resolved'>;

/**
 * The calling thread's backend choices and, with `resolved` (the default), their resolutions, as a
 * call carries them. Without: each worker resolves its own 'auto' (and this thread resolves nothing).
 */
export function callerBackends(resolved = true): Required<Pick<Backends, 'float64' | 'kernels'>> & Pick<Backends, 'resolved'> {
  return {
    float64: f64BackendChoice(),
    kernels: forcedKernelBackends(),
    resolved: resolved
      ? { float64: f64Backend(), kernels: Object.fromEntries(kernelNames().map((name) => [name, getKernelBackend(name)])) }
      : undefined,
  };
}

const CALLER = 'pool (the kernel backends of the calling thread)';

function mismatch(what: string, theirs: string, mine: string, hint: string): Error {
  return new Error(
    `pool: the calling thread runs ${what} on '${theirs}' but this worker would run them on '${mine}' and cannot run ` +
      `'${theirs}', so the pooled result would differ from the synchronous one. Is WebAssembly blocked in the worker ` +
      "only (a worker script served with a Content-Security-Policy without 'wasm-unsafe-eval')? Serve the page and " +
      `the worker script with the same policy, or choose a backend both run: ${hint} on the calling thread`,
  );
}

/** Adopts the calling thread's choices, then its resolutions of `'auto'` where this thread's differ. */
export function adoptBackends(msg: Backends): void {
  if (typeof msg.float64 === 'string' && msg.float64 !== f64BackendChoice()) setF64Backend(msg.float64, 'pool (the float64 backend of the calling thread)');
  const forced = msg.kernels !== null && typeof msg.kernels === 'object' ? msg.kernels : undefined;
  if (forced) adoptKernelBackends(forced, CALLER);
  const r = msg.resolved;
  if (r === null || typeof r !== 'object') return;
  if (f64BackendChoice() === 'auto' && typeof r.float64 === 'string' && r.float64 !== f64Backend()) {
    // 'js' is what 'auto' runs where WebAssembly is missing; another build forced here would take
    // dimensions 'auto' keeps on JS, so only 'js' can be matched
    if (r.float64 !== 'js') throw mismatch('the float64 kernels', r.float64, f64Backend(), "setBackend('float64', 'js')");
    setF64Backend('js', CALLER);
  }
  const names = kernelNames();
  for (const [name, theirs] of Object.entries(r.kernels ?? {})) {
    if ((forced && Object.hasOwn(forced, name)) || !names.includes(name)) continue;
    const mine = getKernelBackend(name);
    if (mine === theirs) continue;
    try {
      setKernelBackendFor(name, theirs, CALLER);
    } catch {
      throw mismatch(`kernel '${name}'`, theirs, mine, `setBackend('${name}', 'js')`);
    }
  }
}
