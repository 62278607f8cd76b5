import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { wasmGatedProduct, wasmGemvResident } from '../../../src/core/wasm64/kernels-wasm.js';
import { f64FmaWasm, f64MulAddWasm } from '../../../src/core/wasm64/loader.js';

const builds = [['wasm', f64MulAddWasm()], ['wasm-fma', f64FmaWasm()]] as const;
const EPS = 2 ** -52;

describe('float64 wasm kernels of the gated system', () => {
  for (const [name, ex] of builds) {
    it.skipIf(ex === undefined)(`${name}: gemvPairs over an m×n matrix (m, n odd and even) is bit for bit the scalar loop`, () => {
      const rng = createRng(1);
      for (const [m, n] of [[7, 5], [12, 4], [9, 9], [60, 20], [3, 1], [1, 6]]) {
        const w = Float64Array.from({ length: m * n }, () => rng.normal());
        const x = Float64Array.from({ length: n }, () => rng.normal());
        const out = new Float64Array(m);
        wasmGemvResident(ex!, m, n, w, x, out);
        for (let i = 0; i < m; i++) {
          let s = 0;
          for (let l = 0; l < n; l++) s += w[i * n + l] * x[l];
          expect(out[i]).toBe(s);
        }
        // a second call with the same resident matrix and a new x
        x.reverse();
        wasmGemvResident(ex!, m, n, w, x, out);
        let s0 = 0;
        for (let l = 0; l < n; l++) s0 += w[l] * x[l];
        expect(out[0]).toBe(s0);
      }
    });

    it.skipIf(ex === undefined)(`${name}: wasmGatedProduct = (row-scaled sum of the blocks [+ diag])·Q_h within c·n·ε, one and two row blocks, odd n`, () => {
      const rng = createRng(2);
      for (const [n, G, t0, t1, k, withDiag] of [[5, 3, 3, 0, 3, true], [8, 4, 4, 3, 5, false], [11, 4, 4, 3, 1, false], [6, 3, 3, 0, 6, false]] as const) {
        const w = Float64Array.from({ length: G * n * n }, () => rng.normal());
        const c0 = Float64Array.from({ length: t0 * n }, () => rng.normal());
        const c1 = Float64Array.from({ length: Math.max(1, t1 * n) }, () => rng.normal());
        const diag = withDiag ? Float64Array.from({ length: n }, () => rng.normal()) : undefined;
        const rows = t1 > 0 ? 2 * n : n;
        const ldq = rows; // the frame's leading dimension is the state dimension
        const q = Float64Array.from({ length: ldq * k }, () => rng.normal());
        const out = new Float64Array(rows * k).fill(NaN);
        wasmGatedProduct(ex!, n, w, w.length, t0, c0, t1, c1, diag, q, ldq, k, out);
        for (let r = 0; r < rows; r++) {
          const blk = r < n ? 0 : 1, rr = r % n, terms = blk === 0 ? t0 : t1, c = blk === 0 ? c0 : c1;
          const J = new Float64Array(n);
          for (let l = 0; l < n; l++) {
            let v = 0;
            for (let g = 0; g < terms; g++) v += c[g * n + rr] * w[g * n * n + rr * n + l];
            J[l] = v;
          }
          if (blk === 0 && diag !== undefined) J[rr] += diag[rr];
          for (let j = 0; j < k; j++) {
            let s = 0, bound = 0;
            for (let l = 0; l < n; l++) {
              s += J[l] * q[j * ldq + l];
              bound += Math.abs(J[l] * q[j * ldq + l]);
            }
            expect(Math.abs(out[j * rows + r] - s)).toBeLessThanOrEqual(4 * n * EPS * bound);
          }
        }
      }
    });
  }
});
