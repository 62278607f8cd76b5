/**
 * symmetricEigenRaw's tridiagonalization with its two O(n²)-per-step passes in WebAssembly (the
 * default where the float64 kernels run there) against the pure-JS passes (`setBackend('float64',
 * 'js')`): eigenvalues within 2·n·ε·max|λ|, eigenvectors with residual ‖Av − λv‖ and orthogonality at
 * backward-error level; and a progress tick that runs another kernel in the middle (overwriting the
 * wasm scratch) makes the call redo the reduction in JS instead of returning garbage.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/core/backend.js';
import { symmetricEigenRaw } from '../../../src/core/linalg/symmetric-eigen.js';
import { f64WasmAvailable } from '../../../src/core/wasm64/loader.js';
import { createRng } from '../../../src/core/rng.js';

const EPS = 2 ** -52;

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = rng.normal();
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

function eig(n: number, a: Float64Array, backend: 'auto' | 'js', tick?: () => void): { values: Float64Array; vectors: Float64Array } {
  setBackend('float64', backend);
  const values = new Float64Array(n), vectors = new Float64Array(n * n);
  symmetricEigenRaw(n, a, values, vectors, undefined, tick);
  setBackend('float64', 'auto');
  return { values, vectors };
}

describe.skipIf(!f64WasmAvailable())('symmetricEigenRaw: WebAssembly tridiagonalization passes', () => {
  afterEach(() => setBackend('float64', 'auto'));

  for (const n of [32, 33, 64, 97, 160]) {
    it(`n = ${n}: eigenvalues as the JS passes give, eigenvectors at backward-error level`, () => {
      const a = randomSymmetric(n, n);
      const w = eig(n, a, 'auto');
      const j = eig(n, a, 'js');
      const big = Math.max(...Array.from(j.values, Math.abs));
      for (let i = 0; i < n; i++) expect(Math.abs(w.values[i] - j.values[i])).toBeLessThanOrEqual(2 * n * EPS * big);
      // residual and orthogonality of the wasm path's vectors (row-major, column c pairs with values[c])
      let res = 0, orth = 0;
      for (let c = 0; c < n; c++) {
        for (let r = 0; r < n; r++) {
          let s = 0;
          for (let l = 0; l < n; l++) s += a[r * n + l] * w.vectors[l * n + c];
          res = Math.max(res, Math.abs(s - w.values[c] * w.vectors[r * n + c]));
        }
        for (let c2 = c; c2 < n; c2++) {
          let s = 0;
          for (let r = 0; r < n; r++) s += w.vectors[r * n + c] * w.vectors[r * n + c2];
          orth = Math.max(orth, Math.abs(s - (c === c2 ? 1 : 0)));
        }
      }
      expect(res).toBeLessThanOrEqual(4 * n * EPS * big);
      expect(orth).toBeLessThanOrEqual(4 * n * EPS);
    });
  }

  it('a progress tick that runs another kernel mid-way: the reduction is redone in JS (the JS result, bit for bit)', () => {
    const n = 48;
    const a = randomSymmetric(n, 5);
    const other = randomSymmetric(40, 6);
    let ticks = 0;
    const otherValues = new Float64Array(40);
    const w = eig(n, a, 'auto', () => {
      if (ticks++ === 10) symmetricEigenRaw(40, other, otherValues, null); // reuses the wasm scratch
    });
    const j = eig(n, a, 'js');
    expect(Array.from(w.values)).toEqual(Array.from(j.values));
    expect(Array.from(w.vectors)).toEqual(Array.from(j.vectors));
    const o = eig(40, other, 'js').values;
    for (let i = 0; i < 40; i++) expect(Math.abs(otherValues[i] - o[i])).toBeLessThanOrEqual(80 * EPS * 20);
  });

  it('a tick that throws (an abort) passes the error through', () => {
    const a = randomSymmetric(40, 7);
    const boom = new Error('aborted');
    expect(() => eig(40, a, 'auto', () => { throw boom; })).toThrow(boom);
  });
});
