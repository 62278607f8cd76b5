import { describe, expect, it } from 'vitest';
import { randn } from '../../src/core/tensor.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { initRnn } from '../../src/rnn/init.js';
import { rnnForward } from '../../src/rnn/forward.js';

describe('lyapunovSpectrum h0 of a gated network, as rnnForward and train take it', () => {
  const lstm = initRnn({ cell: 'lstm', inputSize: 3, hiddenSize: 8, outputSize: 2, seed: 4 });
  const inputs = randn([3, 60, 3], { seed: 5 });
  const h = randn([3, 8], { seed: 6 });
  const full = { shape: [3, 16], data: new Float32Array(48) };
  for (let b = 0; b < 3; b++) full.data.set(h.data.subarray(b * 8, (b + 1) * 8), b * 16); // [h; c = 0]
  it('an LSTM h0 of width H is [h; 0]: the same spectrum as the full state [B,2H] with c = 0', () => {
    const a = lyapunovSpectrum(lstm, { inputs, h0: h, k: 4 });
    const b = lyapunovSpectrum(lstm, { inputs, h0: full, k: 4 });
    expect(Array.from(a.exponents)).toEqual(Array.from(b.exponents));
    // the same starting state rnnForward uses for [B,H]
    const f1 = rnnForward(lstm, inputs, h).outputs.data, f2 = rnnForward(lstm, inputs, full).outputs.data;
    expect(Array.from(f1)).toEqual(Array.from(f2));
    // and it matters: from zeros the finite-time exponents differ
    const z = lyapunovSpectrum(lstm, { inputs, k: 4 });
    expect(z.exponents[0]).not.toBe(a.exponents[0]);
    // shared [H] = every row, flat length H too
    const row = { shape: [8], data: h.data.slice(0, 8) };
    const shared = lyapunovSpectrum(lstm, { inputs, h0: row, k: 2 });
    const flat = lyapunovSpectrum(lstm, { inputs, h0: Float64Array.from(row.data), k: 2 });
    expect(Array.from(flat.exponents)).toEqual(Array.from(shared.exponents));
  });
  it('names H and 2H in the message', () => {
    expect(() => lyapunovSpectrum(lstm, { inputs, h0: randn([3, 7], { seed: 1 }) })).toThrow(
      /lyapunovSpectrum: h0 must be \[H\], \[B,H\] \(h, with c = 0\), \[2H\] or \[B,2H\] \(\[h; c\]\) with H = 8, B = 3, got \[3,7\]/,
    );
    expect(() => lyapunovSpectrum(lstm, { inputs, h0: new Float64Array(24) })).toThrow(/h0 must have 2H = 16 or B·2H = 48 entries \(the LSTM state \[h; c\] with H = 8; h alone as a Tensor \[B,H\] or a flat \[H\]\), got 24/);
    const gru = initRnn({ cell: 'gru', inputSize: 3, hiddenSize: 8, outputSize: 2, seed: 4 });
    expect(() => lyapunovSpectrum(gru, { inputs, h0: randn([3, 16], { seed: 1 }) })).toThrow(/h0 must be \[H\] or \[B,H\] with H = 8, B = 3, got \[3,16\]/);
  });
});

describe('a driven system (rnnSystem with inputs) sets the run length, as inputs do', () => {
  it('lyapunovSpectrum(rnnSystem(rnn, { inputs })) equals lyapunovSpectrum(rnn, { inputs }) (it ran 10 000 steps past the inputs and threw)', async () => {
    const { rnnSystem } = await import('../../src/rnn/system.js');
    const rnn = initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 2, gain: 1.5, seed: 1 });
    const x = randn([400, 3], { seed: 2 });
    const a = lyapunovSpectrum(rnnSystem(rnn, { inputs: x }), {});
    const b = lyapunovSpectrum(rnn, { inputs: x });
    expect(a.steps).toBe(360);
    expect(Array.from(a.exponents)).toEqual(Array.from(b.exponents));
    expect(() => lyapunovSpectrum(rnnSystem(rnn, { inputs: x }), { steps: 1000 })).toThrow(/steps = 1000 exceeds the 360 counted steps the inputs allow/);
  });
});

describe('inputs in any form rnnForward takes', () => {
  it('float64 data and nested arrays give the float32 tensor\'s spectrum bit for bit (they were refused)', () => {
    const rnn = initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 2, gain: 1.5, seed: 1 });
    const x = randn([2, 100, 3], { seed: 2 });
    const a = lyapunovSpectrum(rnn, { inputs: x, k: 2 });
    const b = lyapunovSpectrum(rnn, { inputs: { shape: x.shape, data: Float64Array.from(x.data) } as never, k: 2 });
    const nested = [0, 1].map((i) => Array.from({ length: 100 }, (_, t) => Array.from(x.data.subarray((i * 100 + t) * 3, (i * 100 + t + 1) * 3))));
    const c = lyapunovSpectrum(rnn, { inputs: nested as never, k: 2 });
    expect(Array.from(b.exponents)).toEqual(Array.from(a.exponents));
    expect(Array.from(c.exponents)).toEqual(Array.from(a.exponents));
  });
});
