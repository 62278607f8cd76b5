/**
 * `rnn-lyap/lyapunov`.
 * @packageDocumentation
 */
export {};
