/**
 * The CSR × dense products in WebAssembly (the default where the float64 kernels run there) give the
 * JS loops' bits: csrTimesDenseUnrolled and csrPowerColumns against the same calls on the 'js'
 * float64 backend, on random sparse matrices with empty rows, short rows (fewer than four entries)
 * and odd column counts, and more rows than the dense kernels' 4096.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/core/backend.js';
import { createRng } from '../../../src/core/rng.js';
import { f64WasmAvailable } from '../../../src/core/wasm64/loader.js';
import { csrFromCoo, csrPowerColumns, csrTimesDenseUnrolled, type Csr } from '../../../src/geometry/embedding/sparse.js';

function randomCsr(rows: number, cols: number, density: number, seed: number): Csr {
  const rng = createRng(seed);
  const r: number[] = [], c: number[] = [], v: number[] = [];
  for (let i = 0; i < rows; i++) {
    if (i % 7 === 3) continue; // an empty row
    const k = i % 5 === 1 ? 1 + (i % 3) : Math.max(1, Math.round(density * cols * (0.5 + rng())));
    for (let e = 0; e < k; e++) {
      r.push(i);
      c.push(Math.floor(rng() * cols));
      v.push(rng.normal());
    }
  }
  return csrFromCoo(rows, cols, Int32Array.from(r), Int32Array.from(c), Float64Array.from(v), v.length);
}

const bits = (a: Float64Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

describe.skipIf(!f64WasmAvailable())('CSR products in WebAssembly', () => {
  afterEach(() => setBackend('float64', 'auto'));

  for (const [rows, cols, p, density] of [[40, 30, 4, 0.2], [120, 90, 5, 0.05], [64, 200, 64, 0.1], [300, 300, 110, 0.03], [6000, 6000, 12, 0.001]] as const) {
    it(`csrTimesDenseUnrolled ${rows}×${cols} by ${cols}×${p}: the JS loop's bits`, () => {
      const A = randomCsr(rows, cols, density, rows + p);
      const rng = createRng(p);
      const B = Float64Array.from({ length: cols * p }, () => rng.normal());
      const w = new Float64Array(rows * p).fill(NaN), j = new Float64Array(rows * p).fill(NaN);
      csrTimesDenseUnrolled(A, B, p, w);
      setBackend('float64', 'js');
      csrTimesDenseUnrolled(A, B, p, j);
      expect(bits(w)).toEqual(bits(j));
    });
  }

  for (const [m, t, c0, c] of [[50, 1, 0, 50], [80, 4, 16, 33], [200, 7, 128, 64], [257, 3, 256, 1]] as const) {
    it(`csrPowerColumns m = ${m}, t = ${t}, columns ${c0}…${c0 + c - 1}: the JS loop's bits`, () => {
      const A = randomCsr(m, m, 0.05, m + t);
      const w = new Float64Array(m * c), wk = new Float64Array(m * c);
      const j = new Float64Array(m * c), jk = new Float64Array(m * c);
      csrPowerColumns(A, t, c0, c, w, wk);
      setBackend('float64', 'js');
      csrPowerColumns(A, t, c0, c, j, jk);
      expect(bits(w)).toEqual(bits(j));
      expect(j.some((x) => x !== 0)).toBe(true);
    });
  }
});
