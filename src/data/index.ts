/**
 * `rnn-lyap/data`: the IDX (MNIST) reader and writer, sequential-MNIST transforms (rows, pixels,
 * permuted; cut / hidden / extended), and synthetic sequence tasks (flip-flop, delayed recall).
 * @packageDocumentation
 */
export * from './idx.js';
export * from './sequential-mnist.js';
export * from './tasks.js';
