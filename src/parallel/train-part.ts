/**
 * The pool's `train` part: the worker reports the network's parameters with every batch's progress
 * (src/parallel/tasks.ts), and the pool keeps the latest, so that a call that is aborted or fails
 * leaves the caller's `rnn.params` at the last update that reached this thread, as the synchronous
 * `train` leaves them at its last update. @internal
 */
import type { Tensor } from '../core/tensor.js';
import type { TrainHistory } from '../rnn/train.js';
import type { AnyRnn as Rnn, RnnParams } from '../rnn/types.js';
import type { TrainProgressWithParams } from './protocol.js';
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
  /** The trained parameters into `rnn.params`; returns the history. */
  adopt(v: unknown): TrainHistory;
  /** The last parameters the worker reported (if any) into `rnn.params`: for a rejected call. */
  adoptLatest(): void;
}

/** The part that trains `rnn` on a worker with `args` (`[rnn, data, options]` as sent). */
export function trainPart(rnn: Rnn, args: unknown[], onProgress: ((p: unknown) => void) | undefined): TrainPart {
  let latest: RnnParams | undefined;
  return {
    part: {
      task: 'train',
      args,
      // always asked for: the parameters come with the progress
      onProgress: (raw: unknown) => {
        const m = raw as TrainProgressWithParams;
        latest = m.params as RnnParams;
        onProgress?.(m.progress);
      },
    },
    adopt(v) {
      const { history, params } = v as { history: TrainHistory; params: RnnParams };
      copyParams(rnn, params);
      latest = undefined;
      return history;
    },
    adoptLatest() {
      if (latest !== undefined) copyParams(rnn, latest);
      latest = undefined;
    },
  };
}
