/**
 * `rnn-lyap/parallel` under Node: a pool of worker_threads running the library's long computations
 * off the main thread (see {@link Pool}). Browsers get the Web Worker build of the same API through
 * the package's conditional exports.
 * @packageDocumentation
 */
// @ts-ignore -- typed structurally below: the shipped declarations must not need @types/node
import * as workerThreads from 'node:worker_threads';
// @ts-ignore -- as above
import * as nodeOs from 'node:os';
// @ts-ignore -- as above
import * as nodeUrl from 'node:url';
import { createPoolWith, readWorkers, type Pool, type PoolOptions, type SpawnWorker } from './pool.js';
import type { RunMessage, WorkerMessage } from './protocol.js';

// The WHATWG URL and import.meta.url, typed here: the sources compile without DOM or Node types.
interface URL {
  readonly href: string;
  readonly pathname: string;
}
declare const URL: new (url: string, base?: string) => URL;
const moduleUrl = (): string => (import.meta as unknown as { url: string }).url;

export { systemFromModule } from './module-system.js';
export type {
  MapOptions, MapProgress, Pool, PoolFixedPointProgress, PoolOptions, PoolSystem, PoolTasks, PooledPhateEmbedding,
} from './pool.js';

interface NodeWorker {
  postMessage(message: RunMessage): void;
  on(event: 'message', listener: (m: WorkerMessage) => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}
type WorkerCtor = new (spec: string | URL, opts?: { eval?: boolean }) => NodeWorker;
const { Worker } = workerThreads as unknown as { Worker: WorkerCtor };
const os = nodeOs as unknown as { availableParallelism?: () => number; cpus(): unknown[] };
const { pathToFileURL } = nodeUrl as unknown as { pathToFileURL(p: string): URL };

// In the CommonJS build `__filename` is this file; in ESM it is absent (vitest defines it for the source).
declare const __filename: string | undefined;

/** The worker script next to this module: the built `worker-node.js`, or from the sources (through tsx) `worker-node.ts`. */
function defaultWorker(): { url: URL; source: boolean } {
  const here = typeof __filename === 'string' ? pathToFileURL(__filename).href : moduleUrl();
  const source = /\.[cm]?ts$/.test(new URL(here).pathname);
  return { url: new URL(source ? './worker-node.ts' : './worker-node.js', here), source };
}

function toUrl(u: string | { readonly href: string }): URL {
  if (typeof u !== 'string') return new URL(u.href);
  return /^[a-z][a-z0-9+.-]*:/i.test(u) && !/^[a-z]:[\\/]/i.test(u) ? new URL(u) : pathToFileURL(u);
}

/**
 * Creates a pool of `workers` worker threads (default: the cores available minus one, at least 1).
 * Every method takes the arguments and options of the synchronous function of the same name and
 * resolves to the same result, bit for bit; `signal` cancels a call at once, `onProgress` reports
 * over all workers. Idle workers do not keep the process alive; `close()` stops them.
 *
 * @example
 * ```ts
 * import { initRnn, randn } from 'rnn-lyap';
 * import { createPool } from 'rnn-lyap/parallel';
 *
 * const rnn = initRnn({ inputSize: 2, hiddenSize: 16, outputSize: 1, activation: 'tanh', gain: 1.5, seed: 1 });
 * const inputs = randn([8, 100, 2], { seed: 2 }); // 8 sequences, split across the workers
 * const pool = createPool({ workers: 2 });
 * const { exponents, std } = await pool.lyapunovSpectrum(rnn, { inputs, k: 4 });
 * await pool.close();
 * ```
 */
export function createPool(opts?: PoolOptions): Pool {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const { workers, workerUrl, backends } = readWorkers(opts, cores - 1);
  const target = workerUrl !== undefined ? { url: toUrl(workerUrl), source: /\.[cm]?ts$/.test(toUrl(workerUrl).pathname) } : defaultWorker();
  const spawn: SpawnWorker = (onMessage, onFail) => {
    // TypeScript sources (tests, tsx) run through tsx's loader, registered inside the worker
    const w = target.source
      ? new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(target.url.href)}); });`, { eval: true })
      : new Worker(target.url);
    let stopped = false;
    w.on('message', onMessage);
    w.on('error', (e) => {
      if (!stopped) onFail(e instanceof Error ? e : new Error(String(e)));
    });
    w.on('exit', (code) => {
      if (!stopped) onFail(new Error(`pool: a worker exited unexpectedly (code ${code})`));
    });
    w.unref();
    return {
      post: (m) => w.postMessage(m),
      terminate: () => {
        stopped = true;
        return w.terminate();
      },
      setBusy: (busy) => (busy ? w.ref() : w.unref()),
    };
  };
  return createPoolWith(spawn, workers, backends);
}
