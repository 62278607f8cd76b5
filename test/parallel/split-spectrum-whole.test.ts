// The pool splits a driven spectrum's [B,T,I] batch by sequences; two kinds of batch now run whole.
// (1) A run length the warm-ups refuse: split, each worker threw about its own share, so time-first
// inputs [12,8,3] read batch-first lost the layout hint (a share of [6,8,3] has B ≤ T) and [200,8,3]
// named "[100,8,3] ... 100 sequences". The pool now rejects with the synchronous call's message.
// (2) An ndarray view: split by slicing its buffer, which dropped the strides (wrong exponents).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRnn, lyapunovSpectrum } from '../../src/index.js';
import { createPool, type Pool } from '../../src/parallel/index.js';
import { bits, errorOf } from './helpers.js';

let pool: Pool;
beforeAll(() => {
  pool = createPool({ workers: 2 });
});
afterAll(async () => {
  await pool?.close();
});

const rnn = initRnn({ inputSize: 3, hiddenSize: 6, outputSize: 2, seed: 1 });
const tf = (T: number, B: number) => ({ shape: [T, B, 3], data: Float32Array.from({ length: T * B * 3 }, (_, j) => Math.sin(j)) });

describe('pool.lyapunovSpectrum on a batch whose run length is refused', () => {
  for (const [T, B, opts] of [[12, 8, {}], [200, 8, {}], [12, 8, { frameWarmup: 8 }], [200, 8, { frameWarmup: 0, steps: 9 }]] as const) {
    it(`[${T},${B},3] ${JSON.stringify(opts)}: the synchronous message, hint included`, async () => {
      const o = { inputs: tf(T, B), ...opts };
      const sync = errorOf(() => lyapunovSpectrum(rnn, o));
      expect(sync.message).toMatch(new RegExp(`the inputs \\[${T},${B},3\\] were read batch-first \\[B,T,I\\], ${T} sequences of ${B} steps`));
      await expect(pool.lyapunovSpectrum(rnn, o)).rejects.toThrow(sync.message);
    });
  }
});

describe('pool.lyapunovSpectrum on an ndarray view', () => {
  it('equals the synchronous call bit for bit (the view read through its strides)', async () => {
    const B = 4, T = 30, I = 3;
    const phys = Float32Array.from({ length: B * T * I }, (_, j) => Math.cos(j * 0.37));
    const view = { shape: [B, T, I], data: phys, stride: [1, B, T * B], offset: 0 }; // stored [I,T,B]
    const plain = { shape: [B, T, I], data: new Float32Array(B * T * I) };
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) plain.data[(b * T + t) * I + i] = phys[b + B * t + T * B * i];
    const sync = lyapunovSpectrum(rnn, { inputs: plain });
    expect(bits(lyapunovSpectrum(rnn, { inputs: view }))).toEqual(bits(sync));
    expect(bits(await pool.lyapunovSpectrum(rnn, { inputs: view }))).toEqual(bits(sync));
  });
});
