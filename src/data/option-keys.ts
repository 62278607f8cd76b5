/**
 * The known options of the data folder's public functions, typed from their option interfaces so
 * a list cannot drift from its interface (see `optionKeys`). Internal: not re-exported. @internal
 */
import { optionKeys } from '../core/options.js';
import type { SequenceModification, SequentialMnistOptions } from './sequential-mnist.js';
import type { DelayedRecallOptions, FlipFlopOptions } from './tasks.js';

export const FLIP_FLOP_KEYS = optionKeys<FlipFlopOptions>({ bits: true, steps: true, batch: true, pFlip: true, initialPulse: true, seed: true, rng: true });

export const DELAYED_RECALL_KEYS = optionKeys<DelayedRecallOptions>({ delay: true, steps: true, batch: true, inputSize: true, distribution: true, seed: true, rng: true });

export const SEQUENTIAL_MNIST_KEYS = optionKeys<SequentialMnistOptions>({ variant: true, modification: true, seed: true, rng: true, permutation: true, offset: true, limit: true });

export const MODIFICATION_KEYS = optionKeys<SequenceModification>({ kind: true, n: true });
