/**
 * The pool's scheduler, independent of the platform and of the tasks: a FIFO of jobs over a fixed
 * number of worker slots, and `runParts`, which runs the parts of one split call, aggregates their
 * progress and cancels the rest when one fails or the call is aborted (terminating and respawning
 * the workers it used). No Node built-ins and no DOM types.
 */
import { throwIfAborted, type AbortSignalLike } from '../core/errors.js';
import { callerBackends } from './backends.js';
import { deserializeError, type RunMessage, type WorkerMessage } from './protocol.js';

/** One worker as the pool sees it. */
export interface WorkerHandle {
  post(message: RunMessage): void;
  /** Stops the worker at once (whatever it is computing). */
  terminate(): void | Promise<unknown>;
  /** Keeps the process alive while busy (Node); idle workers do not hold it open. */
  setBusy?(busy: boolean): void;
}

/** How a platform starts a worker: messages go to `onMessage`, a crash or load failure to `onFail`. */
export type SpawnWorker = (onMessage: (m: WorkerMessage) => void, onFail: (e: Error) => void) => WorkerHandle;

interface Job {
  id: number;
  task: string;
  args: unknown[];
  onProgress: ((p: unknown) => void) | undefined;
  /** The float64 backend choice when the call was made (the worker adopts it). */
  float64: string;
  /** The forced kernel backends when the call was made (adopted too). */
  kernels: Record<string, string>;
  /**
   * What the calling thread's choices resolved to (followed by a worker whose 'auto' differs);
   * undefined when the pool lets each worker resolve its own 'auto' (PoolOptions.backends 'workers').
   */
  resolved?: { float64: string; kernels: Record<string, string> };
  resolve(v: unknown): void;
  reject(e: unknown): void;
  slot: Slot | undefined;
  done: boolean;
}

interface Slot {
  handle: WorkerHandle;
  job: Job | undefined;
}

/** A part of a call that was cancelled because another part failed first, or the call was aborted. */
export const CANCELLED = Symbol('cancelled');

export const MAX_WORKERS = 256;

/** The handle of a slot whose worker is about to be started. */
const STARTING: WorkerHandle = { post() {}, terminate() {} };

/** Runs `f` on a later turn of the event loop (a timer: both Node and browsers have one). */
function later(f: () => void): void {
  (globalThis as unknown as { setTimeout(f: () => void, ms: number): unknown }).setTimeout(f, 0);
}

/** The scheduler: a FIFO of jobs over a fixed number of worker slots. @internal */
export class Scheduler {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  closed = false;

  /** `followCaller`: send what the calling thread's 'auto' backends resolved to (PoolOptions.backends 'caller'). */
  constructor(private readonly spawn: SpawnWorker, size: number, private readonly followCaller = true) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  get size(): number {
    return this.slots.length;
  }

  private start(): Slot {
    const slot: Slot = { handle: undefined as unknown as WorkerHandle, job: undefined };
    slot.handle = this.spawn(
      (m) => this.onMessage(slot, m),
      (e) => this.onFail(slot, e),
    );
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    const job = slot.job;
    if (!job || m.id !== job.id) return;
    if (m.type === 'progress') {
      job.onProgress?.(m.progress);
      return;
    }
    this.release(slot);
    this.failures = 0;
    job.done = true;
    if (m.type === 'result') job.resolve(m.value);
    else job.reject(deserializeError(m.error));
    this.pump();
  }

  private failures = 0;
  private broken: Error | undefined;

  private onFail(slot: Slot, e: Error): void {
    const job = slot.job;
    if (!this.slots.includes(slot)) return; // already replaced
    // a worker that cannot even start (a wrong workerUrl) would be respawned forever: after a few
    // failures in a row without a finished job the pool gives up and says why
    if (++this.failures > 3 * this.slots.length) {
      this.broken = new Error(`pool: the workers keep failing (${e.message}); check workerUrl`);
      if (job && !job.done) {
        job.done = true;
        job.reject(e);
      }
      void this.close(this.broken);
      return;
    }
    this.replace(slot);
    if (job && !job.done) {
      job.done = true;
      job.reject(e);
    }
    this.pump();
  }

  private release(slot: Slot): void {
    slot.job = undefined;
    slot.handle.setBusy?.(false);
  }

  /**
   * Terminates the slot's worker at once and starts a fresh one in its place on the next turn of the
   * event loop, so that a cancelled call rejects before the cost of starting a worker is paid.
   */
  private replace(slot: Slot): void {
    const old = slot.handle;
    slot.job = undefined;
    void Promise.resolve(old.terminate()).catch(() => undefined);
    if (this.closed) return;
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const waiting: Slot = { handle: STARTING, job: undefined };
    this.slots[i] = waiting;
    later(() => {
      const j = this.slots.indexOf(waiting);
      if (j < 0 || this.closed) return;
      this.slots[j] = this.start();
      this.pump();
    });
  }

  run(task: string, args: unknown[], onProgress?: (p: unknown) => void): { promise: Promise<unknown>; cancel(): void } {
    let job!: Job;
    const promise = new Promise<unknown>((resolve, reject) => {
      job = { id: this.nextId++, task, args, onProgress, ...callerBackends(this.followCaller), resolve, reject, slot: undefined, done: false };
    });
    if (this.closed) {
      job.done = true;
      job.reject(this.broken ?? new Error('pool: the pool is closed'));
    } else {
      this.queue.push(job);
      this.pump();
    }
    const cancel = () => {
      if (job.done) return;
      job.done = true;
      const q = this.queue.indexOf(job);
      if (q >= 0) this.queue.splice(q, 1);
      const slot = this.slots.find((s) => s.job === job);
      if (slot) this.replace(slot);
      job.reject(CANCELLED);
      this.pump();
    };
    return { promise, cancel };
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job || slot.handle === STARTING) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.handle.setBusy?.(true);
      try {
        slot.handle.post({ type: 'run', id: job.id, task: job.task, args: job.args, progress: job.onProgress !== undefined, float64: job.float64, kernels: job.kernels, resolved: job.resolved });
      } catch (e) {
        // arguments that cannot be cloned (a DataCloneError): the call fails, the worker stays
        this.release(slot);
        job.done = true;
        job.reject(e);
      }
    }
  }

  async close(reason?: Error): Promise<void> {
    this.closed = true;
    const err = reason ?? new Error('pool: the pool was closed');
    for (const job of this.queue.splice(0)) {
      job.done = true;
      job.reject(err);
    }
    const stops: Promise<unknown>[] = [];
    for (const slot of this.slots) {
      const job = slot.job;
      slot.job = undefined;
      if (job && !job.done) {
        job.done = true;
        job.reject(err);
      }
      stops.push(Promise.resolve(slot.handle.terminate()).catch(() => undefined));
    }
    await Promise.all(stops);
  }
}

export interface Part {
  task: string;
  args: unknown[];
  onProgress?: (p: unknown) => void;
}

/** The abort error a synchronous call throws for `signal` (its reason, or an AbortError naming `name`). */
export function abortError(signal: AbortSignalLike, name: string): unknown {
  try {
    throwIfAborted(signal, name);
  } catch (e) {
    return e;
  }
  return new Error(`${name}: aborted`);
}

export interface EventSignal extends AbortSignalLike {
  addEventListener?(type: 'abort', listener: () => void, opts?: { once?: boolean }): void;
  removeEventListener?(type: 'abort', listener: () => void): void;
}

/**
 * Runs `parts` across the pool and combines their results. When parts fail, the error of the first
 * failing part (in order) wins, as in the synchronous loop that would have stopped there; later parts
 * are cancelled. An abort of `signal` rejects at once and cancels every part.
 */
export function runParts<R>(
  sched: Scheduler, name: string, signal: AbortSignalLike | undefined, parts: Part[], combine: (results: unknown[]) => R | Promise<R>,
  onPartDone?: (index: number) => void,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const runs = parts.map((p) => sched.run(p.task, p.args, p.onProgress));
    const results: unknown[] = new Array(parts.length);
    const state: ('pending' | 'ok' | 'failed')[] = parts.map(() => 'pending');
    const errors: unknown[] = new Array(parts.length);
    let first = Infinity;
    let finished = false;
    const sig = signal as EventSignal | undefined;
    const onAbort = () => {
      if (finished) return;
      finish();
      reject(abortError(signal!, name));
      for (const r of runs) r.cancel();
    };
    const finish = () => {
      finished = true;
      sig?.removeEventListener?.('abort', onAbort);
    };
    const check = () => {
      if (finished) return;
      if (first < Infinity) {
        for (let i = 0; i < first; i++) if (state[i] === 'pending') return;
        finish();
        reject(errors[first]);
        return;
      }
      if (state.every((s) => s === 'ok')) {
        finish();
        Promise.resolve()
          .then(() => combine(results))
          .then(resolve, reject);
      }
    };
    runs.forEach((r, i) => {
      r.promise.then(
        (v) => {
          results[i] = v;
          state[i] = 'ok';
          if (!finished) onPartDone?.(i);
          check();
        },
        (e) => {
          if (e === CANCELLED) return;
          state[i] = 'failed';
          errors[i] = e;
          if (i < first) {
            first = i;
            for (let j = i + 1; j < runs.length; j++) if (state[j] === 'pending') runs[j].cancel();
          }
          check();
        },
      );
    });
    if (sig) {
      if (typeof sig.addEventListener === 'function') sig.addEventListener('abort', onAbort, { once: true });
      if (sig.aborted) onAbort();
    }
    check(); // no parts at all
  });
}
