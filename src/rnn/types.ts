/**
 * An RNN as plain data. The vanilla cell:
 * h_t = φ(wIn·x_t + wRec·h_{t−1} + b), y_t = wOut·h_t + bOut; inputs batch-first [B,T,I].
 * The gated cells (GRU, LSTM) follow PyTorch's nn.GRU / nn.LSTM one to one.
 */
import type { Tensor } from '../core/tensor.js';

/** The pointwise nonlinearity φ. */
export type Activation = 'tanh' | 'relu' | 'identity';

/** The recurrent cell: vanilla ('rnn'), GRU or LSTM. */
export type RnnCell = 'rnn' | 'gru' | 'lstm';

/** The five parameters: wIn [H,I], wRec [H,H], b [H], wOut [O,H], bOut [O]. */
export interface RnnParams {
  wIn: Tensor;
  wRec: Tensor;
  b: Tensor;
  wOut: Tensor;
  bOut: Tensor;
}

/** A vanilla RNN: an activation and its parameters (`cell` absent or 'rnn'). */
export interface Rnn {
  cell?: 'rnn';
  activation: Activation;
  params: RnnParams;
  /** Free-form notes kept by saveRnn / loadRnn (epochs, accuracy, …). */
  metadata?: Record<string, unknown>;
}

/**
 * Parameters of a gated cell, in PyTorch's layout and gate order (LSTM i, f, g, o: G = 4; GRU r, z,
 * n: G = 3): wIn [G·H, I] (`weight_ih_l0`), wRec [G·H, H] (`weight_hh_l0`), bIn [G·H]
 * (`bias_ih_l0`), bRec [G·H] (`bias_hh_l0`), readout wOut [O, H], bOut [O].
 */
export interface GatedRnnParams {
  wIn: Tensor;
  wRec: Tensor;
  bIn: Tensor;
  bRec: Tensor;
  wOut: Tensor;
  bOut: Tensor;
}

/**
 * A GRU or an LSTM (PyTorch's equations). `activation` is always 'tanh' (the candidate/cell
 * nonlinearity; the gates are logistic sigmoids). An LSTM's dynamical state is [h; c] (2H).
 */
export interface GatedRnn {
  cell: 'gru' | 'lstm';
  activation: 'tanh';
  params: GatedRnnParams;
}

/** The recurrent parameters alone: wIn [H,I], wRec [H,H], b [H] (no readout). */
export interface RecurrentParams {
  wIn: Tensor;
  wRec: Tensor;
  b: Tensor;
  wOut?: undefined;
  bOut?: undefined;
}

/**
 * A vanilla RNN without a readout (no wOut, bOut): the dynamics alone, e.g. a reservoir or a network
 * whose readout lives elsewhere. rnnForward, statesAt, rnnSystem and the spectra run on it (its
 * outputs are `[B,T,0]`); rnnLoss, evaluate, train and predict refuse it with a clear error.
 */
export interface RecurrentRnn {
  cell?: 'rnn';
  activation: Activation;
  params: RecurrentParams;
  metadata?: Record<string, unknown>;
}

/** Any RNN the library trains and analyses. */
export type AnyRnn = Rnn | GatedRnn;
