/**
 * `rnn-lyap/autodiff`.
 * @packageDocumentation
 */
export {};
