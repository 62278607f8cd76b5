/**
 * The worker side of the pool: runs each `run` message's task and posts its progress and its result
 * or error. Transport-neutral (worker_threads' parentPort or a Web Worker's global scope). @internal
 */
import { adoptBackends } from './backends.js';
import { serializeError, type RunMessage, type WorkerMessage } from './protocol.js';
import { TASKS } from './tasks.js';

/** The two operations the worker needs from its side of the channel. */
export interface WorkerPort {
  post(message: WorkerMessage): void;
  listen(onMessage: (message: RunMessage) => void): void;
}

/** Serves tasks on `port`, one at a time in the order received. */
export function serve(port: WorkerPort): void {
  let chain: Promise<void> = Promise.resolve();
  port.listen((msg) => {
    if (msg === null || typeof msg !== 'object' || msg.type !== 'run') return;
    chain = chain.then(() => runOne(port, msg));
  });
}

async function runOne(port: WorkerPort, msg: RunMessage): Promise<void> {
  const { id } = msg;
  try {
    const task = Object.prototype.hasOwnProperty.call(TASKS, msg.task) ? TASKS[msg.task] : undefined;
    if (!task) throw new TypeError(`pool: unknown task '${String(msg.task)}'`);
    adoptBackends(msg);
    const onProgress = msg.progress ? (p: unknown) => port.post({ type: 'progress', id, progress: p }) : undefined;
    const value = await task(msg.args, onProgress);
    try {
      port.post({ type: 'result', id, value });
    } catch (e) {
      throw new TypeError(`pool: the result of ${msg.task} cannot cross threads (${(e as Error)?.message ?? String(e)})`);
    }
  } catch (e) {
    port.post({ type: 'error', id, error: serializeError(e) });
  }
}

