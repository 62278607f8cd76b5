/**
 * A vanilla RNN as plain data:
 * h_t = φ(wIn·x_t + wRec·h_{t−1} + b), y_t = wOut·h_t + bOut; inputs batch-first [B,T,I].
 */
import type { Tensor } from '../core/tensor.js';

/** The pointwise nonlinearity φ. */
export type Activation = 'tanh' | 'relu' | 'identity';

/** The five parameters: wIn [H,I], wRec [H,H], b [H], wOut [O,H], bOut [O]. */
export interface RnnParams {
  wIn: Tensor;
  wRec: Tensor;
  b: Tensor;
  wOut: Tensor;
  bOut: Tensor;
}

/** A vanilla RNN: an activation and its parameters. */
export interface Rnn {
  activation: Activation;
  params: RnnParams;
  /** Free-form notes kept by saveRnn / loadRnn (epochs, accuracy, …). */
  metadata?: Record<string, unknown>;
}
