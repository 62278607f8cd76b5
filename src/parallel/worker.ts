/**
 * The pool's worker entry in browsers (a module Web Worker). Started by `createPool` from
 * `rnn-lyap/parallel`; exported as `rnn-lyap/parallel/worker` for bundlers, to bundle as an entry point of
 * its own and pass its URL as `workerUrl` (see docs/parallel.md).
 * No Node built-ins and no DOM types.
 * @internal
 * @packageDocumentation
 */
import type { RunMessage, WorkerMessage } from './protocol.js';
import { serve } from './serve.js';

interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: RunMessage }) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
serve({
  post: (m: WorkerMessage) => scope.postMessage(m),
  listen: (cb) => scope.addEventListener('message', (e) => cb(e.data)),
});
