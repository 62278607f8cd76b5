/**
 * The pool's `train` part: the worker reports the network's parameters as it trains (with a signal,
 * at most every SNAPSHOT_MS) and when it stops (src/parallel/tasks.ts), and the pool keeps the
 * latest, so that a call that fails leaves the caller's `rnn.params` at its last update, as the
 * synchronous `train` leaves them, and an aborted one at the last snapshot that reached this thread
 * (≤ SNAPSHOT_MS of training before it). @internal
 */
import type { Tensor } from '../core/tensor.js';
import type { TrainHistory } from '../rnn/train.js';
import type { AnyRnn as Rnn, RnnParams } from '../rnn/types.js';
import type { TrainProgressWithParams, TrainReport } from './protocol.js';
import type { Part } from './scheduler.js';

/** Copies `params` (as a worker sent them) into the caller's `rnn.params`, in place. */
function copyParams(rnn: Rnn, params: RnnParams): void {
  const own = rnn.params as unknown as Record<string, Tensor>;
  const got = params as unknown as Record<string, Tensor>;
  for (const k of Object.keys(own)) {
    if (own[k] && got[k] && own[k].data && got[k].data) (own[k].data as Float32Array).set(got[k].data as Float32Array);
  }
}

/** A train part for `rnn`, and what to do when the call settles. */
export interface TrainPart {
  part: Part;
  /** The trained parameters (the worker's last report) into `rnn.params`; returns the history. */
  adopt(v: unknown): TrainHistory;
  /** The last parameters the worker reported (if any) into `rnn.params`: for a rejected call. */
  adoptLatest(): void;
}

/**
 * The part that trains `rnn` on a worker with `args` (`[rnn, data, options]` as sent); with a
 * `signal` the worker sends snapshots of the parameters as it trains (an abort can come at any time),
 * and it always sends the last ones when it stops.
 */
export function trainPart(rnn: Rnn, args: unknown[], onProgress: ((p: unknown) => void) | undefined, signal: unknown): TrainPart {
  let latest: RnnParams | undefined;
  const report: TrainReport = { progress: onProgress !== undefined, snapshots: signal !== undefined };
  return {
    part: {
      task: 'train',
      args: [args[0], args[1], args[2], report],
      // always asked for: the parameters come over the progress channel
      onProgress: (raw: unknown) => {
        const m = raw as TrainProgressWithParams;
        if (m.params !== undefined) latest = m.params as RnnParams;
        if (m.progress !== undefined) onProgress?.(m.progress);
      },
    },
    adopt(v) {
      // the last progress message, which precedes the result on the same channel, held the trained parameters
      if (latest === undefined) throw new Error('pool.train: the worker sent no trained parameters');
      copyParams(rnn, latest);
      latest = undefined;
      return (v as { history: TrainHistory }).history;
    },
    adoptLatest() {
      if (latest !== undefined) copyParams(rnn, latest);
      latest = undefined;
    },
  };
}
