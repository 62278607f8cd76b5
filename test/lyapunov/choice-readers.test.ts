// The one-of-a-list readers of rnn.cell and productPrecision are core's readChoice: a TypeError
// naming the kind (kindOf) for a non-string, a RangeError for another string. Before, both were
// RangeErrors for any kind, and said `typeof v`: 'got object' for null, {} and ['float32'].
import { describe, expect, it } from 'vitest';
import { initRnn, rnnForward, type Rnn } from '../../src/rnn/index.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';

const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
const x = { shape: [1, 4, 2], data: new Float32Array(8) };
const cellList = "rnnForward: rnn.cell: expected 'rnn', 'gru' or 'lstm', got";
/** The error `f` throws, as [class name, message]. */
const thrown = (f: () => unknown): [string, string] => {
  try { f(); } catch (e) { return [(e as Error).constructor.name, (e as Error).message]; }
  return ['none', ''];
};
const precList = "lyapunovSpectrum: productPrecision: expected 'auto', 'float32' or 'float64', got";

describe('rnn.cell', () => {
  it('another kind is a TypeError naming it; another string a RangeError quoting it', () => {
    const cases: [unknown, ErrorConstructor, string][] = [
      [3, TypeError, 'number'], [null, TypeError, 'null'], [{}, TypeError, 'Object'], [['lstm'], TypeError, 'array'], ['LSTM', RangeError, "'LSTM'"],
    ];
    for (const [cell, E, got] of cases) expect(thrown(() => rnnForward({ ...rnn, cell } as unknown as Rnn, x))).toEqual([E.name, `${cellList} ${got}`]);
    expect(rnnForward({ ...rnn, cell: 'rnn' } as Rnn, x).states.shape).toEqual([1, 4, 3]);
  });
});

describe('productPrecision', () => {
  it('another kind is a TypeError naming it; another string a RangeError quoting it', () => {
    const cases: [unknown, ErrorConstructor, string][] = [
      [32, TypeError, 'number'], [{}, TypeError, 'Object'], [['float32'], TypeError, 'array'], ['float16', RangeError, "'float16'"],
    ];
    for (const [productPrecision, E, got] of cases) expect(thrown(() => lyapunovSpectrum(rnn, { steps: 10, productPrecision } as never))).toEqual([E.name, `${precList} ${got}`]);
    // null keeps the options' own refusal; the choices run
    expect(() => lyapunovSpectrum(rnn, { steps: 10, productPrecision: null } as never)).toThrow(TypeError);
    for (const p of ['auto', 'float64'] as const) expect(lyapunovSpectrum(rnn, { steps: 10, productPrecision: p }).exponents).toHaveLength(3);
  });
});
