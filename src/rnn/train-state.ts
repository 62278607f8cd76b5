/**
 * The optimizer state a training run starts from: a fresh one from `opts.optimizer`, the caller's
 * `optimizerState`, or the state carried by `resume`. With either of the last two, an
 * `opts.optimizer` that is also given must describe the same optimizer (type and hyperparameters):
 * it used to be dropped without a word, so a resumed Adam run asked to continue as SGD, or with
 * another weight decay, kept its old settings. Its `lr`, like `opts.learningRate`, sets the base rate.
 */
import { checkExclusive } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { createOptimizer, loadOptimizerState, type OptimizerSpec, type OptimizerState } from './optim.js';

/** The options of `train` that choose the optimizer state. */
interface StateOptions {
  optimizer?: OptimizerSpec;
  learningRate?: number;
  optimizerState?: OptimizerState;
  resume?: unknown;
}

/** What {@link startState} resolved. */
export interface StartState {
  state: OptimizerState;
  /** The epochs of the resumed history, copied (empty for a new run). */
  previous: unknown[];
  /** The base learning rate: `opts.learningRate`, else the spec's own `lr`, else the state's. */
  baseLr: number;
}

const HYPER: Record<'adam' | 'sgd', readonly (keyof OptimizerState)[]> = {
  adam: ['beta1', 'beta2', 'eps', 'weightDecay'],
  sgd: ['momentum', 'dampening', 'nesterov', 'weightDecay'],
};

/** Refuses an `opts.optimizer` that differs from the continued state in type or a hyperparameter. */
function assertSameOptimizer(spec: OptimizerSpec, params: Record<string, Tensor>, state: OptimizerState, from: string): void {
  const want = createOptimizer(spec, params); // validates the spec as a new run would
  const diff = want.type !== state.type ? [`type '${want.type}' (the state is '${state.type}')`]
    : HYPER[state.type].filter((k) => !Object.is(want[k], state[k])).map((k) => `${k} ${String(want[k])} (the state has ${String(state[k])})`);
  if (diff.length > 0) {
    throw new RangeError(
      `train: opts.optimizer asks for ${diff.join(', ')}, but ${from} continues the optimizer it holds; drop opts.optimizer (or pass the same settings), or start a new optimizer without ${from}`,
    );
  }
}

/** The optimizer state, the earlier epochs and the base learning rate of a run (nothing is mutated). */
export function startState(opts: StateOptions, params: Record<string, Tensor>): StartState {
  let state: OptimizerState;
  let previous: unknown[] = [];
  let from: string | undefined;
  if (opts.resume !== undefined) {
    const r = opts.resume as { epochs?: unknown; optimizer?: unknown } | null;
    if (r === null || typeof r !== 'object' || !Array.isArray(r.epochs)) throw new TypeError('train: resume must be the TrainHistory of an earlier run (or its parsed JSON)');
    checkExclusive(opts, 'resume', 'optimizerState', 'train', { hint: 'resume carries its own optimizer state' });
    state = loadOptimizerState(r.optimizer);
    previous = r.epochs.slice();
    from = 'opts.resume';
  } else if (opts.optimizerState !== undefined) {
    state = opts.optimizerState;
    if (state === null || typeof state !== 'object' || (state.type !== 'adam' && state.type !== 'sgd')) {
      throw new TypeError('train: optimizerState must come from createOptimizer or a previous TrainHistory');
    }
    from = 'opts.optimizerState';
  } else {
    state = createOptimizer(opts.optimizer ?? 'adam', params);
  }
  let specLr: number | undefined;
  if (from !== undefined && opts.optimizer !== undefined) {
    assertSameOptimizer(opts.optimizer, params, state, from);
    const spec = opts.optimizer;
    if (typeof spec === 'object' && spec !== null && Object.prototype.hasOwnProperty.call(spec, 'lr')) specLr = spec.lr;
  }
  return { state, previous, baseLr: opts.learningRate ?? specLr ?? state.lr };
}
