/**
 * `rnn-lyap/data`.
 * @packageDocumentation
 */
export {};
