/**
 * The pool's worker entry in browsers (a module Web Worker). Started by `createPool` from
 * `rnn-lyap/parallel`; bundle it as a worker (see docs/parallel.md) or pass its URL as `workerUrl`.
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
