/**
 * smacofRaw in two dimensions with its pass in WebAssembly (the default where the float64 kernels run
 * there) against the JS pass (`setBackend('float64', 'js')`): the same iterations, stress and layout
 * to rounding; and an `onIter` callback that runs another kernel (overwriting the wasm scratch that
 * holds D) changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/core/backend.js';
import { symmetricEigenRaw } from '../../../src/core/linalg/symmetric-eigen.js';
import { createRng } from '../../../src/core/rng.js';
import { f64WasmAvailable } from '../../../src/core/wasm64/loader.js';
import { smacofRaw } from '../../../src/geometry/embedding/mds.js';

function problem(n: number, seed: number): { D: Float64Array; Y0: Float64Array } {
  const rng = createRng(seed);
  const X = Float64Array.from({ length: n * 5 }, () => rng.normal());
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < 5; k++) s += (X[i * 5 + k] - X[j * 5 + k]) ** 2;
      D[i * n + j] = Math.sqrt(s);
    }
  }
  if (n > 3) D[1] = D[n] = 0; // a coincident target pair (the 1e-5 guard is on the embedding distance)
  return { D, Y0: Float64Array.from({ length: n * 2 }, () => rng.normal()) };
}

describe.skipIf(!f64WasmAvailable())('smacofRaw: the two-dimensional pass in WebAssembly', () => {
  afterEach(() => setBackend('float64', 'auto'));

  for (const n of [32, 33, 150]) {
    it(`n = ${n}: the JS pass's iterations, stress and layout to rounding`, () => {
      const { D, Y0 } = problem(n, n);
      const a = Float64Array.from(Y0), b = Float64Array.from(Y0);
      const ra = smacofRaw(D, n, a, 2, 200, 1e-9);
      setBackend('float64', 'js');
      const rb = smacofRaw(D, n, b, 2, 200, 1e-9);
      setBackend('float64', 'auto');
      expect(ra.iterations).toBe(rb.iterations);
      // each pass sums n terms per entry in another order (≤ n·ε relative apart), and the Guttman
      // transform does not amplify that (it is a majorization step): at most iterations·n·ε
      const tol = ra.iterations * n * 2 ** -52;
      expect(Math.abs(ra.stress - rb.stress)).toBeLessThanOrEqual(tol * rb.stress);
      const big = Math.max(...Array.from(b, Math.abs));
      for (let i = 0; i < 2 * n; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * big);
    });
  }

  it('an onIter callback that runs another kernel changes nothing (D is copied in again)', () => {
    const n = 64;
    const { D, Y0 } = problem(n, 3);
    const a = Float64Array.from(Y0), b = Float64Array.from(Y0);
    const other = Float64Array.from({ length: 40 * 40 }, (_, e) => ((e % 40) === Math.floor(e / 40) ? 2 : 0.1));
    smacofRaw(D, n, a, 2, 50, 0);
    smacofRaw(D, n, b, 2, 50, 0, () => symmetricEigenRaw(40, other, new Float64Array(40), null));
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
