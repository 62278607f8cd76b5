import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { detectLimitCycle, findFixedPoints } from '../../src/geometry/index.js';
import { covariantLyapunovVectors, henonMap, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { initRnn } from '../../src/rnn/init.js';
import { rnnSystem } from '../../src/rnn/system.js';
import { isRnnLike, toDynamicalSystem } from '../../src/rnn/to-system.js';
import type { AnyRnn } from '../../src/rnn/types.js';

const seq = (T: number, I: number, seed: number, B = 1): Tensor => {
  const r = createRng(seed);
  return { shape: [B, T, I], data: Float32Array.from({ length: B * T * I }, () => r.normal()) };
};

// every public function that takes systemOrRnn, called with its smallest valid options
const CALLERS: ReadonlyArray<readonly [string, (s: unknown) => unknown]> = [
  ['lyapunovSpectrum', (s) => lyapunovSpectrum(s as never, { steps: 20, warmup: 5, frameWarmup: 2 })],
  ['covariantLyapunovVectors', (s) => covariantLyapunovVectors(s as never, { steps: 10, warmup: 5, frameWarmup: 2, backwardWarmup: 2 })],
  ['findFixedPoints', (s) => findFixedPoints(s as never, { inits: [[0.1, 0.2]] })],
  ['detectLimitCycle', (s) => detectLimitCycle(s as never, { warmup: 10, maxPeriod: 4, exponentSteps: 20 })],
];

describe('toDynamicalSystem: one resolution of systemOrRnn for lyapunov and geometry', () => {
  it('returns a DynamicalSystem as it is, and refuses RNN inputs for it', () => {
    const h = henonMap();
    expect(toDynamicalSystem(h, {}, 'f')).toBe(h);
    expect(() => toDynamicalSystem(h, { input: [1] }, 'f')).toThrow(TypeError);
    expect(() => toDynamicalSystem(h, { input: [1] }, 'f')).toThrow(/^f: input applies to an Rnn only/);
    expect(() => toDynamicalSystem({ ...h, dim: 0 }, {}, 'f')).toThrow(RangeError);
  });

  it('every caller refuses a non-model with a TypeError naming itself, and a malformed Rnn by the field that is wrong', () => {
    for (const [name, run] of CALLERS) {
      for (const bad of [null, 3, {}, { dim: 2 }]) {
        expect(() => run(bad), `${name}(${JSON.stringify(bad)})`).toThrow(TypeError);
        expect(() => run(bad)).toThrow(new RegExp(`^${name}: `));
      }
      // has params, so it is an Rnn: the message names the missing field (not "expected a DynamicalSystem")
      const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed: 1 });
      const noRec = { activation: 'tanh', params: { ...rnn.params, wRec: undefined } };
      expect(() => run(noRec)).toThrow(new RegExp(`^${name}: rnn\\.params\\.wRec`));
      expect(() => run({ ...rnn, activation: 'gelu' })).toThrow(RangeError);
      expect(() => run({ ...rnn, activation: 'gelu' })).toThrow(new RegExp(`^${name}: rnn\\.activation`));
    }
  });

  it('every caller accepts the vanilla and the gated cells', () => {
    for (const cell of [undefined, 'gru', 'lstm'] as const) {
      const rnn = initRnn({ inputSize: 2, hiddenSize: 2, outputSize: 1, seed: 3, ...(cell ? { cell } : {}) }) as AnyRnn;
      expect(isRnnLike(rnn)).toBe(true);
      const dim = cell === 'lstm' ? 4 : 2;
      expect(toDynamicalSystem(rnn, {}, 'f').dim).toBe(dim);
      for (const [name, run] of CALLERS) {
        if (name === 'findFixedPoints') expect(() => findFixedPoints(rnn, { inits: [Array.from({ length: dim }, () => 0.1)] }), `${name} ${cell}`).not.toThrow();
        else expect(() => run(rnn), `${name} ${cell}`).not.toThrow();
      }
    }
  });

  it('reads a constant input in every form the same way (Tensor [I] or [1,I], Float32Array, number[]), bit for bit', () => {
    const rnn = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 1, seed: 2 });
    const u = [0.25, -1, 0.5];
    const x = Float64Array.from({ length: 5 }, (_, i) => Math.sin(i + 1));
    const ref = new Float64Array(5);
    rnnSystem(rnn, { input: u }).step(x, 0, ref);
    const forms: unknown[] = [u, Float32Array.from(u), { shape: [3], data: Float32Array.from(u) }, { shape: [1, 3], data: Float32Array.from(u) }];
    for (const input of forms) {
      const out = new Float64Array(5);
      toDynamicalSystem(rnn, { input }, 'f').step(x, 0, out);
      expect(Array.from(out)).toEqual(Array.from(ref));
    }
    expect(() => toDynamicalSystem(rnn, { input: [1, 2] }, 'f')).toThrow(/^f: input: expected a constant input of length 3, got 2/);
    expect(() => toDynamicalSystem(rnn, { input: [1, NaN, 2] }, 'f')).toThrow(RangeError);
    expect(() => toDynamicalSystem(rnn, { input: 'x' }, 'f')).toThrow(TypeError);
    // the spectrum's errors now name the function the user called, not rnnSystem
    expect(() => lyapunovSpectrum(rnn, { input: [1, 2] } as never)).toThrow(/^lyapunovSpectrum: input/);
  });

  it("an LSTM's h0 has the length of its state [h; c] (2H) in lyapunovSpectrum, and a driven gated run starts at 0 as a vanilla one", () => {
    const H = 3;
    const rnn = initRnn({ cell: 'lstm', inputSize: 2, hiddenSize: H, outputSize: 1, seed: 5 });
    const inputs = seq(30, 2, 7);
    const a = lyapunovSpectrum(rnn, { inputs, frameWarmup: 3 });
    const b = lyapunovSpectrum(rnn, { inputs, frameWarmup: 3, h0: new Float64Array(2 * H) }); // zeros: the default start
    expect(Array.from(b.exponents)).toEqual(Array.from(a.exponents));
    expect(a.exponents.length).toBe(2 * H);
    expect(() => lyapunovSpectrum(rnn, { inputs, frameWarmup: 3, h0: new Float64Array(4 * H) })).toThrow(RangeError);
  });
});

describe('rnnSystem named steps', () => {
  it('jacobianTimes (row-major) is the transpose of jacobianTimesColMajor bit for bit, and J·Q to rounding', () => {
    for (const [H, k] of [[1, 1], [5, 3], [9, 4], [13, 7]] as const) {
      const rnn = initRnn({ inputSize: 2, hiddenSize: H, outputSize: 1, seed: H, gain: 1.5 });
      const sys = rnnSystem(rnn, { inputs: seq(3, 2, H) });
      const x = Float64Array.from({ length: H }, (_, i) => Math.cos(3 * i + 1));
      const r = createRng(k);
      const q = Float64Array.from({ length: H * k }, () => r.normal()); // row-major H×k
      const qc = new Float64Array(H * k); // column-major copy
      for (let i = 0; i < H; i++) for (let j = 0; j < k; j++) qc[j * H + i] = q[i * k + j];
      const row = new Float64Array(H * k);
      const col = new Float64Array(H * k);
      sys.jacobianTimes?.(x, 1, q, k, row);
      sys.jacobianTimesColMajor(x, 1, qc, k, col);
      const J = new Float64Array(H * H);
      sys.jacobian(x, 1, J);
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < k; j++) {
          expect(row[i * k + j]).toBe(col[j * H + i]);
          let s = 0;
          let a = 0;
          for (let l = 0; l < H; l++) {
            s += J[i * H + l] * q[l * k + j];
            a += Math.abs(J[i * H + l] * q[l * k + j]);
          }
          expect(Math.abs(row[i * k + j] - s)).toBeLessThanOrEqual(2 * (H + 1) * 2.220446049250313e-16 * a);
        }
      }
    }
  });
});
