/**
 * `rnn-lyap/parallel` in browsers: the pool of {@link Pool} over module Web Workers. Chosen by the
 * package's conditional exports wherever the `node` condition does not apply. No Node built-ins and
 * no DOM types (the few Worker members used are typed here).
 * @packageDocumentation
 */
import { createPoolWith, readWorkers, type Pool, type PoolOptions, type SpawnWorker } from './pool.js';
import type { RunMessage, WorkerMessage } from './protocol.js';

// The WHATWG URL and import.meta.url, typed here: the sources compile without DOM or Node types.
interface URL {
  readonly href: string;
  readonly pathname: string;
}
declare const URL: new (url: string, base?: string) => URL;

export { systemFromModule } from './module-system.js';
export type {
  MapOptions, MapProgress, Pool, PoolFixedPointProgress, PoolOptions, PoolSystem, PoolTasks, PooledPhateEmbedding,
} from './pool.js';

interface WebWorker {
  postMessage(message: RunMessage): void;
  onmessage: ((e: { data: WorkerMessage }) => void) | null;
  onerror: ((e: { message?: string; preventDefault?(): void }) => void) | null;
  terminate(): void;
}
type WebWorkerCtor = new (url: string | { readonly href: string }, opts?: { type?: 'module' | 'classic'; name?: string }) => WebWorker;
// The global Worker, typed here (no DOM types). It is written out literally below, as
// `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`: that exact form is what
// Vite and webpack recognize to bundle the worker script with its imports. A URL computed apart from
// the constructor is only an asset to them (Vite copies or inlines dist/parallel/worker.js alone,
// without the chunks it imports, and the worker fails to load).
declare const Worker: WebWorkerCtor | undefined;

// Defined by the build (tsup.config.ts) as true in the CommonJS build, dist/parallel/browser.cjs, and
// false in the ESM one; undefined where the sources run as they are (vitest, tsx, test bundles).
// CommonJS has no import.meta.url: rollup would put in its place a shim that requires Node's 'url',
// which browser bundlers refuse, so the branch that reads it must drop out of that build, and the
// CommonJS pool needs a workerUrl.
declare const __RNN_LYAP_CJS__: boolean | undefined;
const COMMONJS = typeof __RNN_LYAP_CJS__ === 'boolean' && __RNN_LYAP_CJS__;

/**
 * Creates a pool of `workers` module Web Workers (default: `navigator.hardwareConcurrency` − 1, at
 * least 1). The worker script defaults to `worker.js` next to this module (bundlers that understand
 * `new URL('./worker.js', import.meta.url)` ship it); pass `workerUrl` to point elsewhere, e.g. to
 * your bundle of `rnn-lyap/parallel/worker`. Without import.meta.url (the CommonJS build, loaded by
 * `require`, or a classic-script bundle) there is no default, and a missing `workerUrl` is a TypeError.
 *
 * @example
 * ```ts no-run
 * import { createPool } from 'rnn-lyap/parallel';
 * const pool = createPool({ workers: 2, workerUrl: '/assets/rnn-lyap-worker.js' });
 * const history = await pool.train(rnn, data, { epochs: 5, seed: 1, signal: stopButton.signal });
 * ```
 */
export function createPool(opts?: PoolOptions): Pool {
  const g = globalThis as unknown as { navigator?: { hardwareConcurrency?: number } };
  const cores = g.navigator?.hardwareConcurrency ?? 2;
  const { workers, workerUrl, backends } = readWorkers(opts, cores - 1);
  if (typeof Worker !== 'function') throw new TypeError('createPool: this environment has no Web Worker (globalThis.Worker)');
  if (workerUrl === undefined && (COMMONJS || typeof (import.meta as unknown as { url?: unknown }).url !== 'string')) {
    throw new TypeError(noDefaultWorker(COMMONJS));
  }
  const spawn: SpawnWorker = (onMessage, onFail) => {
    const w = COMMONJS || workerUrl !== undefined
      ? new Worker(workerUrl!, { type: 'module', name: 'rnn-lyap-pool' })
      : new Worker(new URL('./worker.js', (import.meta as unknown as { url: string }).url), { type: 'module', name: 'rnn-lyap-pool' });
    let stopped = false;
    w.onmessage = (e) => onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault?.();
      if (!stopped) onFail(new Error(e.message ? `pool: a worker failed: ${e.message}` : loadFailure(workerUrl)));
    };
    return {
      post: (m) => w.postMessage(m),
      terminate: () => {
        stopped = true;
        w.terminate();
      },
    };
  };
  return createPoolWith(spawn, workers, backends);
}

/**
 * What a worker's error event without a message means: the script did not load (browsers give no
 * reason then; the console has it), and what to do about it.
 */
function loadFailure(workerUrl: string | { readonly href: string } | undefined): string {
  const which = workerUrl === undefined
    ? "the default worker script (./worker.js next to rnn-lyap/parallel's module)"
    : `the worker script at workerUrl ${typeof workerUrl === 'string' ? workerUrl : workerUrl.href}`;
  return `pool: a worker failed to load ${which}; the browser gives no reason (look in its console for a 404, ` +
    'an import that did not resolve, or a Content-Security-Policy refusal). Vite and webpack builds ship the ' +
    "worker themselves (Vite's dev server only with optimizeDeps.exclude: ['rnn-lyap']); with other bundlers, " +
    `${BUNDLE_WORKER} (docs/parallel.md, "Workers and their script")`;
}

const BUNDLE_WORKER = "bundle 'rnn-lyap/parallel/worker' as an entry point of its own and pass its URL as createPool({ workerUrl })";

/**
 * Why there is no default worker script: this module has no URL of its own to find `worker.js` from,
 * since it is the CommonJS build (required rather than imported) or bundled into a classic script
 * (esbuild's iife format empties import.meta).
 */
function noDefaultWorker(commonJs: boolean): string {
  const why = commonJs
    ? "rnn-lyap/parallel was loaded through require(), whose CommonJS build has no import.meta.url to find its worker script from; import it instead (import { createPool } from 'rnn-lyap/parallel', which Vite and webpack ship the worker for), or"
    : "this module has no import.meta.url (bundled into a classic script, e.g. esbuild --format=iife) to find its worker script from;";
  return `createPool: opts.workerUrl is required here: ${why} ${BUNDLE_WORKER} (docs/parallel.md, "Workers and their script")`;
}
