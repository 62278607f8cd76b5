import { afterEach, describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/core/backend.js';
import { createRng } from '../../../src/core/rng.js';
import { f64FmaWasmAvailable, f64WasmAvailable } from '../../../src/core/wasm64/loader.js';
import { initRnn, rnnSystem, type GatedRnn } from '../../../src/rnn/index.js';

const EPS = 2 ** -52;
const backends = ['js', ...(f64WasmAvailable() ? ['wasm'] : []), ...(f64FmaWasmAvailable() ? ['wasm-fma'] : [])] as const;

afterEach(() => setBackend('float64', 'auto'));

/** A gated cell with H = 24 (above the size at which 'auto' moves to the wasm kernels), driven by a sequence. */
function setup(cell: 'gru' | 'lstm') {
  const H = 24, I = 3, T = 6;
  const rnn = initRnn({ cell, inputSize: I, hiddenSize: H, outputSize: 2, seed: 5 }) as GatedRnn;
  const rng = createRng(9);
  for (const d of [rnn.params.wRec.data, rnn.params.bRec.data, rnn.params.bIn.data]) for (let i = 0; i < d.length; i++) d[i] += 0.4 * rng.normal();
  const inputs = { shape: [1, T, I], data: Float32Array.from({ length: T * I }, () => rng.normal()) };
  const dim = cell === 'lstm' ? 2 * H : H;
  const x = Float64Array.from({ length: dim }, () => 0.8 * rng.normal());
  return { rnn, inputs, dim, x, rng };
}

describe('gated system: the recurrent term and the frame product on every float64 backend', () => {
  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell}: step is bit-identical on every backend (the wasm gemv sums as the JS loop does)`, () => {
      const { rnn, inputs, dim, x } = setup(cell);
      const outs = backends.map((b) => {
        setBackend('float64', b);
        const sys = rnnSystem(rnn, { inputs });
        const out = new Float64Array(dim);
        sys.step(x, 2, out);
        return out;
      });
      for (const o of outs) expect(Array.from(o)).toEqual(Array.from(outs[0]));
    });

    it(`${cell}: jacobianTimesColMajor equals jacobian()·Q within c·n·ε·|J|·|Q| on every backend, for k = 1, 7 and dim`, () => {
      const { rnn, inputs, dim, x, rng } = setup(cell);
      for (const b of backends) {
        setBackend('float64', b);
        const sys = rnnSystem(rnn, { inputs });
        const J = new Float64Array(dim * dim);
        sys.jacobian(x, 3, J);
        for (const k of [1, 7, dim]) {
          const q = Float64Array.from({ length: dim * k }, () => rng.normal()); // column-major dim×k
          const out = new Float64Array(dim * k).fill(NaN);
          sys.jacobianTimesColMajor(x, 3, q, k, out);
          for (let j = 0; j < k; j++) {
            for (let i = 0; i < dim; i++) {
              let s = 0, bound = 0;
              for (let l = 0; l < dim; l++) {
                s += J[i * dim + l] * q[j * dim + l];
                bound += Math.abs(J[i * dim + l] * q[j * dim + l]);
              }
              expect(Math.abs(out[j * dim + i] - s)).toBeLessThanOrEqual(8 * dim * EPS * bound + 1e-300);
            }
          }
        }
      }
    });
  }

  it('the full spectrum with a QR every step agrees across backends to rounding', async () => {
    const { lyapunovSpectrum } = await import('../../../src/lyapunov/index.js');
    for (const cell of ['gru', 'lstm'] as const) {
      const { rnn, dim } = setup(cell);
      const rng = createRng(4);
      const inputs = { shape: [1, 300, 3], data: Float32Array.from({ length: 900 }, () => rng.normal()) };
      const res = backends.map((b) => {
        setBackend('float64', b);
        return lyapunovSpectrum(rnn, { inputs, k: dim, frameWarmup: 0, reorthEvery: 1 });
      });
      // (with the default interval the trailing exponents move by up to 1e-3 with rounding, as the
      // frame's conditioning grows to the guard's bound between QRs: within their standard error,
      // which test/lyapunov/default-interval.test.ts checks)
      for (const r of res) for (let i = 0; i < dim; i++) expect(Math.abs(r.exponents[i] - res[0].exponents[i])).toBeLessThan(1e-11);
    }
  });
});
