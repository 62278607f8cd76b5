// colNormsSq (f64.wat): the frame's squared column norms in WebAssembly, bit for bit the JS loop of
// lyapunov/qr-frame.ts (four partial sums over i mod 4, the tail into the first, then
// (s0 + s1) + (s2 + s3)), in both builds (the fused build leaves this function unfused), over
// lengths with every tail and entries from subnormal to overflowing, NaN and ±Infinity included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { f64FmaWasm, f64MulAddWasm } from '../../../src/core/wasm64/loader.js';
import { wasmColumnNormsSq } from '../../../src/core/wasm64/kernels-wasm.js';

/** The JS loop, as qr-frame.ts has it. */
function reference(n: number, k: number, a: Float64Array): Float64Array {
  const out = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const c = j * n, end = c + n;
    let i = c;
    for (; i + 3 < end; i += 4) {
      s0 += a[i] * a[i]; s1 += a[i + 1] * a[i + 1]; s2 += a[i + 2] * a[i + 2]; s3 += a[i + 3] * a[i + 3];
    }
    for (; i < end; i++) s0 += a[i] * a[i];
    out[j] = (s0 + s1) + (s2 + s3);
  }
  return out;
}

const entry = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 5e-324, -2.5e-320, 1e-160, 1e154, -3e200, Infinity, -Infinity, NaN) },
);

const builds = [['wasm', f64MulAddWasm()], ['wasm-fma', f64FmaWasm()]] as const;

describe('colNormsSq: the JS loop bit for bit', () => {
  for (const [name, ex] of builds) {
    it.runIf(ex !== undefined)(`${name} build`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 6 }), fc.array(entry, { minLength: 420, maxLength: 420 }), (n, k, vals) => {
          const a = Float64Array.from(vals.slice(0, n * k));
          const out = new Float64Array(k);
          wasmColumnNormsSq(ex as NonNullable<typeof ex>, n, k, a, out);
          const want = reference(n, k, a);
          for (let j = 0; j < k; j++) expect(Object.is(out[j], want[j]), `column ${j} of ${n}×${k}: ${out[j]} vs ${want[j]}`).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }
});
