/**
 * `rnn-lyap/geometry`.
 * @packageDocumentation
 */
export {};
