// saveRnn's size guard (src/rnn/json-size.ts): it must count the parameters saveRnn writes for every
// cell (a GRU has 3 gate blocks, an LSTM 4: a vanilla count underestimates them 3–4×, and a large gated
// model then got JSON.stringify's raw 'Invalid string length' instead of the writeSafetensors hint),
// and bound the characters each value takes. Checked against saveRnn's own output, without a huge model.
import { describe, expect, it } from 'vitest';
import { initRnn, saveRnn, type AnyRnn, type RnnCell } from '../../src/index.js';
import { assertJsonFits, jsonSize, MAX_JSON_CHARS } from '../../src/rnn/json-size.js';

const CELLS: RnnCell[] = ['rnn', 'gru', 'lstm'];
const SIZES = [[1, 1, 1], [3, 5, 2], [7, 16, 4], [2, 33, 33], [40, 3, 1]] as const;

/** The values of saveRnn's JSON: every params.*.data entry. */
function valuesInJson(json: string): number {
  const doc = JSON.parse(json) as { params: Record<string, { data: number[] }> };
  return Object.values(doc.params).reduce((n, t) => n + t.data.length, 0);
}

/** A network of the given shapes whose tensors hold no data: the guard reads shapes only. */
function shapesOnly(cell: RnnCell, I: number, H: number, O: number): AnyRnn {
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const t = (...shape: number[]) => ({ shape, data: new Float32Array(0) });
  return cell === 'rnn'
    ? { activation: 'tanh', params: { wIn: t(H, I), wRec: t(H, H), b: t(H), wOut: t(O, H), bOut: t(O) } }
    : { cell, activation: 'tanh', params: { wIn: t(G * H, I), wRec: t(G * H, H), bIn: t(G * H), bRec: t(G * H), wOut: t(O, H), bOut: t(O) } };
}

describe('saveRnn size guard', () => {
  it('counts the values saveRnn writes, for every cell and size', () => {
    for (const cell of CELLS) {
      for (const [I, H, O] of SIZES) {
        const rnn = initRnn({ cell, inputSize: I, hiddenSize: H, outputSize: O, seed: 1 });
        const json = saveRnn(rnn);
        const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
        const want = cell === 'rnn' ? H * I + H * H + H + O * H + O : G * H * (I + H) + 2 * G * H + O * H + O;
        expect(valuesInJson(json), `${cell} ${I},${H},${O}`).toBe(want);
        expect(jsonSize(rnn).values, `${cell} ${I},${H},${O}`).toBe(want);
        expect(json.length, `${cell} ${I},${H},${O}`).toBeLessThanOrEqual(jsonSize(rnn).chars);
      }
    }
  });
  it('bounds the characters of the longest float32 values (25 and a comma), so the bound holds for any weights', () => {
    // the longest: 7 characters of '-0.00000' then 17 digits, e.g. float32 values just above -1e-6
    const worst = [-0.0000010000001111620804, -0.0000010656940503395163, -1.401298464324817e-45, -3.4028234663852886e38];
    expect(worst.map((v) => String(Math.fround(v)).length)).toEqual([25, 25, 22, 23]);
    for (const cell of CELLS) {
      const rnn = initRnn({ cell, inputSize: 3, hiddenSize: 6, outputSize: 2, seed: 2 });
      for (const t of Object.values(rnn.params) as { data: Float32Array }[]) t.data.fill(worst[0]);
      expect(saveRnn(rnn).length, cell).toBeLessThanOrEqual(jsonSize(rnn).chars);
    }
  });
  it('refuses, with the writeSafetensors hint, the model whose bound passes the limit: decided on the real count', () => {
    for (const cell of CELLS) {
      const rnn = initRnn({ cell, inputSize: 4, hiddenSize: 8, outputSize: 2, seed: 3 });
      const { chars, values } = jsonSize(rnn);
      expect(assertJsonFits(rnn, 8, chars)).toEqual({ values, chars });
      expect(() => assertJsonFits(rnn, 8, chars - 1)).toThrow(new RegExp(`^saveRnn: rnn has ${values} parameters \\(H = 8\\); .*writeSafetensors\\(toTorchStateDict\\(rnn, \\{ format: 'tensor' \\}\\)\\)$`));
    }
  });
  it('a GRU or LSTM too large for a JS string is refused by the guard, though its vanilla count would fit', () => {
    // H = 3000, I = O = 1: a vanilla count 9,009,001 values (×16 = 144 MB, under the 2^29 − 24 limit);
    // a GRU writes 27,030,001 and an LSTM 36,039,001: more than a JS string holds at any count of ≥ 20 characters a value
    for (const [cell, values] of [['gru', 27_030_001], ['lstm', 36_039_001]] as const) {
      const big = shapesOnly(cell, 1, 3000, 1);
      expect(jsonSize(big).values).toBe(values);
      expect(values * 20).toBeGreaterThan(MAX_JSON_CHARS);
      expect(() => assertJsonFits(big, 3000)).toThrow(new RegExp(`^saveRnn: rnn has ${values} parameters \\(H = 3000\\); .*save large models as safetensors`));
    }
    expect(() => assertJsonFits(shapesOnly('rnn', 1, 3000, 1), 3000)).not.toThrow();
  });
});
