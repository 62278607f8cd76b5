// rnnForward's [B,T,H] recordings and M-PHATE's [slices, units, features]: the explicit conversion,
// and the refusal of a recording passed as it is.
import { describe, expect, it } from 'vitest';
import { randn } from '../../../src/core/tensor.js';
import { mmPhate, mPhate } from '../../../src/geometry/embedding/multislice.js';
import { multisliceFromStates } from '../../../src/geometry/embedding/multislice-input.js';
import { initRnn } from '../../../src/rnn/init.js';
import { rnnForward } from '../../../src/rnn/forward.js';

const rnn = initRnn({ inputSize: 2, hiddenSize: 6, outputSize: 2, seed: 1, gain: 1.5 });
const x = randn([8, 5, 2], { seed: 2 }); // B = 8 sequences, T = 5 steps
const opts = { seed: 0, intersliceKnn: 2, t: 3, mds: 'classic' as const };

describe('multisliceFromStates', () => {
  const { states } = rnnForward(rnn, x); // [8, 5, 6]
  const [B, T, H] = states.shape;
  it('[B,T,H] → [T,H,B]: out[t][u][b] = states[b][t][u] (index by index)', () => {
    const X = multisliceFromStates(states);
    expect(X.shape).toEqual([T, H, B]);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let u = 0; u < H; u++) {
      expect(X.data[(t * H + u) * B + b]).toBe(states.data[(b * T + t) * H + u]);
    }
  });
  it('times keeps those steps in order (−1 the last); epochs stack as [E,T,H,B]', () => {
    const later = rnnForward(initRnn({ inputSize: 2, hiddenSize: 6, outputSize: 2, seed: 3 }), x).states;
    const X = multisliceFromStates([states, later], { times: [-1, 1] });
    expect(X.shape).toEqual([2, 2, H, B]);
    const all0 = multisliceFromStates(states).data, all1 = multisliceFromStates(later).data;
    const slab = (d: Float64Array, t: number) => Array.from(d.subarray(t * H * B, (t + 1) * H * B));
    expect(Array.from(X.data.subarray(0, H * B))).toEqual(slab(all0, T - 1));
    expect(Array.from(X.data.subarray(H * B, 2 * H * B))).toEqual(slab(all0, 1));
    expect(Array.from(X.data.subarray(3 * H * B, 4 * H * B))).toEqual(slab(all1, 1));
    // a rank-4 [E,B,T,H] is the same as the list
    const stacked = new Float32Array(2 * B * T * H);
    stacked.set(states.data, 0);
    stacked.set(later.data, B * T * H);
    expect(multisliceFromStates({ shape: [2, B, T, H], data: stacked }, { times: [-1, 1] })).toEqual(X);
  });
  it('mPhate of the converted recording embeds units, one node per (time step, unit)', () => {
    const r = mPhate(multisliceFromStates(states), opts);
    expect(r.embedding.length).toBe(2 * T * H);
    expect(Array.from(r.unit.subarray(0, H))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.slice[H]).toBe(1);
  });
  it('refuses what is not a recording, naming the argument', () => {
    expect(() => multisliceFromStates({ shape: [3, 4], data: new Float32Array(12) })).toThrow(/^multisliceFromStates: states must be \[B,T,H\] or \[E,B,T,H\].*got \[3,4\]/);
    expect(() => multisliceFromStates([states, randn([8, 4, 6])])).toThrow(/one shape \[B,T,H\]; states\[0\] is \[8,5,6\], states\[1\] is \[8,4,6\]/);
    expect(() => multisliceFromStates(states, { times: [5] })).toThrow(/times\[0\] must be an integer in \[-5, 4\] \(T = 5\), got 5/);
    expect(() => multisliceFromStates([])).toThrow(RangeError);
    expect(() => multisliceFromStates(states, { time: [0] } as never)).toThrow(/unknown option opts\.time \(did you mean times\?\)/);
  });
});

describe('mPhate and mmPhate refuse an rnnForward recording read as [slices, units, features]', () => {
  it('the states tensor, its data re-wrapped, an LSTM\'s cells', () => {
    const { states } = rnnForward(rnn, x);
    expect(() => mPhate(states, opts)).toThrow(RangeError);
    expect(() => mPhate(states, opts)).toThrow(/^mPhate: X \[8,5,6\] holds hidden states from rnnForward, batch-first \[B,T,H\].*multisliceFromStates/);
    expect(() => mPhate({ shape: [8, 5, 6], data: states.data }, opts)).toThrow(/rnnForward/);
    expect(() => mmPhate({ shape: [1, 8, 5, 6], data: states.data }, opts)).toThrow(/^mmPhate: X \[1,8,5,6\] holds hidden states from rnnForward/);
    const lstm = initRnn({ cell: 'lstm', inputSize: 2, hiddenSize: 6, outputSize: 2, seed: 1 });
    const f = rnnForward(lstm, x);
    expect(() => mPhate(f.states, opts)).toThrow(/rnnForward/);
    expect(() => mPhate(f.cells!, opts)).toThrow(/rnnForward/);
  });
  it('a copy is read as given (the documented escape), like any other tensor', () => {
    const { states } = rnnForward(rnn, x);
    const copy = { shape: states.shape.slice(), data: Float64Array.from(states.data) };
    expect(mPhate(copy, opts).embedding.length).toBe(2 * 8 * 5);
  });
});
