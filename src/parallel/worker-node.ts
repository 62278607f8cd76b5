/**
 * The pool's worker entry under Node (worker_threads). Started by `createPool` from `rnn-lyap/parallel`.
 * @internal
 * @packageDocumentation
 */
// @ts-ignore -- typed structurally below: the shipped declarations must not need @types/node
import * as workerThreads from 'node:worker_threads';
import type { RunMessage, WorkerMessage } from './protocol.js';
import { serve } from './serve.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: RunMessage) => void): void;
}
const port = (workerThreads as unknown as { parentPort: ParentPort | null }).parentPort;
if (port === null) throw new Error('rnn-lyap/parallel: the worker entry runs only inside a worker thread started by createPool');
serve({
  post: (m: WorkerMessage) => port.postMessage(m),
  listen: (cb) => port.on('message', cb),
});
