/**
 * The chunked gate input term against the one-step product it replaced (gemmRaw of W_ih by x_t,
 * added to b_ih): the same bits for every step, in any order of access.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gemmRaw } from '../../../src/core/gemm.js';
import { createRng } from '../../../src/core/rng.js';
import { CHUNK, createGateInput } from '../../../src/rnn/gated/gate-input.js';
import type { GatedRnn } from '../../../src/rnn/types.js';

function setup(I: number, GH: number, T: number, seed: number) {
  const rng = createRng(seed);
  const f32 = (len: number) => Float32Array.from({ length: len }, () => rng.normal());
  const rnn = { cell: 'gru', params: { wIn: { shape: [GH, I], data: f32(GH * I) }, bIn: { shape: [GH], data: f32(GH) } } } as unknown as GatedRnn;
  const seq = f32(T * I);
  const expected = (t: number): Float64Array => {
    const gx = Float64Array.from(rnn.params.bIn.data);
    const x = Float64Array.from(seq.subarray(t * I, (t + 1) * I));
    gemmRaw(false, false, GH, 1, I, 1, Float64Array.from(rnn.params.wIn.data), I, x, 1, 1, gx, 1);
    return gx;
  };
  return { rnn, seq, expected };
}

describe('createGateInput (chunked W_ih·x_t + b_ih)', () => {
  it('gives the one-step product bit for bit, for steps visited in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 2 * CHUNK + 7 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), fc.integer(),
        (I, GH, T, order, seed) => {
          const { rnn, seq, expected } = setup(I, GH, T, seed);
          const at = createGateInput(rnn, I, GH, { seq, length: T, constant: new Float64Array(I) }, 'test');
          const ts = [...Array.from({ length: T }, (_, t) => t), ...order.map((v) => v % T)];
          for (const t of ts) expect(Array.from(at(t))).toEqual(Array.from(expected(t)));
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  for (const [I, GH, T] of [[28, 600, 150], [28, 800, 70], [1, 384, 65], [256, 300, 9], [784, 96, 5]] as const) {
    it(`gives the one-step product bit for bit at I = ${I}, G·H = ${GH}, T = ${T}`, () => {
      const { rnn, seq, expected } = setup(I, GH, T, I + GH);
      const at = createGateInput(rnn, I, GH, { seq, length: T, constant: new Float64Array(I) }, 'test');
      for (let t = 0; t < T; t++) {
        const got = at(t), want = expected(t);
        let same = true;
        for (let i = 0; i < GH; i++) if (!Object.is(got[i], want[i])) same = false;
        expect(same, `step ${t}`).toBe(true);
      }
    });
  }

  it('computes a constant input once, as the one-step product', () => {
    const { rnn } = setup(5, 12, 1, 3);
    const c = Float64Array.from([0.5, -1, 2, 0.25, 3]);
    const at = createGateInput(rnn, 5, 12, { seq: undefined, length: undefined, constant: c }, 'test');
    const gx = Float64Array.from(rnn.params.bIn.data);
    gemmRaw(false, false, 12, 1, 5, 1, Float64Array.from(rnn.params.wIn.data), 5, c, 1, 1, gx, 1);
    expect(Array.from(at(0))).toEqual(Array.from(gx));
    expect(at(17)).toBe(at(0));
  });

  it('refuses a step outside the sequence, naming the caller', () => {
    const { rnn, seq } = setup(3, 6, 10, 1);
    const at = createGateInput(rnn, 3, 6, { seq, length: 10, constant: new Float64Array(3) }, 'lyapunovSpectrum');
    at(2);
    expect(() => at(10)).toThrow(/lyapunovSpectrum: time step t must be an integer in \[0, 10\).*got 10/);
    expect(() => at(1.5)).toThrow(RangeError);
    expect(() => at(-1)).toThrow(RangeError);
  });
});
