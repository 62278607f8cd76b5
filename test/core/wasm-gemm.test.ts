/**
 * The WebAssembly SIMD gemm backend against the pure-JS kernel and a naive float64 triple loop.
 *
 * The wasm kernel promotes the float32 operands to float64 (exact), sums Σ_p op(A)_ip·op(B)_pj in
 * float64 in the order p = 0..k-1 with separate multiply and add (as the JS kernel does), and rounds
 * fl32(alpha·acc + beta·C_old) once. So the claim tested is the strongest one: its results are
 * bit-identical to the JS backend's (compared with Object.is, element by element), and hence within
 * the JS kernel's derived bound against the naive loop,
 *   |C − C_ref| ≤ 2⁻²⁴·|C_ref| + 2(k+2)·2⁻⁵³·(|alpha|·|A||B| + |beta|·|C₀|)_ij,
 * which a float32 accumulator (error up to k·2⁻²⁴·(|A||B|)_ij) would fail once k is more than a few.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gemmRaw, gemmWasmAvailable, getGemmBackend, matmul, randn, setGemmBackend, type GemmBackend } from '../../src/core/index.js';
import { createRng } from '../../src/core/rng.js';
import { gemmWasm } from '../../src/core/wasm/loader.js';
import { decodeBase64 } from '../../src/core/wasm/instantiate.js';
import { GEMM_WASM_BASE64 } from '../../src/core/wasm/gemm-wasm.js';
import { gemmWasmRaw } from '../../src/core/wasm/gemm-driver.js';

const EPS32 = 2 ** -24;
const EPS64 = 2 ** -53;

type Arr = Float32Array | Float64Array;
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

function randomArray(len: number, seed: number, C: Ctor = Float32Array): Arr {
  const rng = createRng(seed);
  const x = new C(len);
  for (let i = 0; i < len; i++) x[i] = 4 * rng() - 2;
  return x;
}

interface Problem {
  tA: boolean; tB: boolean; m: number; n: number; k: number; alpha: number; beta: number;
  a: Arr; lda: number; b: Arr; ldb: number; c0: Arr; ldc: number;
}

function problem(
  tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number, beta: number, seed: number, pa = 0, pb = 0, pc = 0,
  types: [Ctor, Ctor, Ctor] = [Float32Array, Float32Array, Float32Array],
): Problem {
  const lda = (tA ? m : k) + pa, ldb = (tB ? k : n) + pb, ldc = n + pc;
  return {
    tA, tB, m, n, k, alpha, beta, lda, ldb, ldc,
    a: randomArray((tA ? k : m) * lda, seed, types[0]),
    b: randomArray((tB ? n : k) * ldb, seed + 1, types[1]),
    c0: randomArray(m * ldc, seed + 2, types[2]),
  };
}

function run(p: Problem, which: GemmBackend): Arr {
  setGemmBackend(which);
  const c = p.c0.slice();
  gemmRaw(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc);
  return c;
}

function expectBitIdentical(x: Arr, y: Arr): void {
  expect(x.constructor).toBe(y.constructor);
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect.unreachable(`element ${i}: ${x[i]} vs ${y[i]}`);
}

/** Worst ratio |C − C_ref| / bound over the m×n entries (≤ 1 passes); padding columns must equal c0. */
function worstRatio(p: Problem, c: Arr): number {
  const storage = c instanceof Float32Array ? EPS32 : EPS64;
  let worst = 0;
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let s = 0, sa = 0;
      for (let q = 0; q < p.k; q++) {
        const x = p.tA ? p.a[q * p.lda + i] : p.a[i * p.lda + q];
        const y = p.tB ? p.b[j * p.ldb + q] : p.b[q * p.ldb + j];
        s += x * y;
        sa += Math.abs(x * y);
      }
      const old = p.beta === 0 ? 0 : p.beta * p.c0[i * p.ldc + j];
      const ref = p.alpha * s + old;
      const mag = Math.abs(p.alpha) * sa + Math.abs(old);
      const tol = storage * Math.abs(ref) + 2 * (p.k + 2) * EPS64 * mag + 1e-300;
      worst = Math.max(worst, Math.abs(c[i * p.ldc + j] - ref) / tol);
    }
    for (let j = p.n; j < p.ldc; j++) if (c[i * p.ldc + j] !== p.c0[i * p.ldc + j]) return Infinity;
  }
  return worst;
}

afterEach(() => setGemmBackend('auto'));

describe('WebAssembly SIMD gemm backend', () => {
  it('is available in this runtime (Node ≥ 16.4 has WebAssembly SIMD) and the embedded bytes decode', () => {
    expect(gemmWasmAvailable()).toBe(true);
    const bytes = decodeBase64(GEMM_WASM_BASE64);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it('runs the product in wasm (no silent fallback) with the JS kernel\'s results', () => {
    const p = problem(false, true, 13, 17, 19, 1.5, -1, 3, 1, 2, 3);
    const c = p.c0.slice();
    expect(gemmWasmRaw(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)).toBe(true);
    expectBitIdentical(c, run(p, 'js'));
    expect(worstRatio(p, c)).toBeLessThanOrEqual(1);
  });

  it('decodes base64 like Buffer does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (u) => {
        expect(Array.from(decodeBase64(Buffer.from(u).toString('base64')))).toEqual(Array.from(u));
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('gives bit-identical results to the JS kernel and meets the float64-accumulation bound: all transposes, odd sizes, alpha, beta, padded leading dimensions', () => {
    const dim = fc.oneof(
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 9 }) },
      { weight: 2, arbitrary: fc.constantFrom(1, 2, 3, 5, 7, 11, 13, 17, 31, 37, 61, 67) },
      { weight: 2, arbitrary: fc.integer({ min: 10, max: 80 }) },
    );
    const kdim = fc.oneof(dim, fc.integer({ min: 100, max: 400 }));
    const scalar = fc.constantFrom(1, -1, 0.5, -2.25, 3);
    const betas = fc.constantFrom(0, 1, -1, 0.5, -2.25);
    const pad = fc.constantFrom(0, 0, 1, 3);
    fc.assert(
      fc.property(dim, dim, kdim, fc.boolean(), fc.boolean(), scalar, betas, fc.integer(), pad, pad, pad,
        (m, n, k, tA, tB, alpha, beta, seed, pa, pb, pc) => {
          const p = problem(tA, tB, m, n, k, alpha, beta, seed, pa, pb, pc);
          const cw = run(p, 'wasm');
          const cj = run(p, 'js');
          expectBitIdentical(cw, cj);
          expect(worstRatio(p, cw)).toBeLessThanOrEqual(1);
        }),
      { numRuns: 250, seed: 404 },
    );
  });

  it('cuts a long inner dimension (k > 4096: Gram matrices of tall frames) into chunks alike on both kernels: bit-identical, within the float64-accumulation bound', () => {
    const cases: [boolean, boolean, number, number, number, number, number][] = [
      [true, false, 13, 11, 9000, 1, 0], [true, false, 7, 7, 4097, -2.25, 0.5], [false, true, 5, 9, 12289, 1, 1],
      [false, false, 6, 3, 8193, 0.5, -1], [true, true, 4, 5, 20001, 3, 0],
    ];
    for (const [tA, tB, m, n, k, alpha, beta] of cases) {
      for (const types of [[Float32Array, Float32Array, Float32Array], [Float64Array, Float64Array, Float64Array]] as [Ctor, Ctor, Ctor][]) {
        const p = problem(tA, tB, m, n, k, alpha, beta, k + m, 1, 0, 2, types);
        const cw = run(p, 'wasm');
        expectBitIdentical(cw, run(p, 'js'));
        expect(worstRatio(p, cw)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('handles Float64Array storage and any mix of float32 and float64 operands, bit-identical to the JS kernel', () => {
    const dim = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(13, 31, 37), fc.integer({ min: 10, max: 60 }));
    const kdim = fc.oneof(dim, fc.integer({ min: 200, max: 330 }));
    const ctor = fc.constantFrom<Ctor>(Float32Array, Float64Array);
    fc.assert(
      fc.property(dim, dim, kdim, fc.boolean(), fc.boolean(), fc.constantFrom(1, -0.5, 3), fc.constantFrom(0, 1, -2.25), fc.integer(),
        fc.constantFrom(0, 2), ctor, ctor, ctor,
        (m, n, k, tA, tB, alpha, beta, seed, pad, ca, cb, cc) => {
          const p = problem(tA, tB, m, n, k, alpha, beta, seed, pad, pad, pad, [ca, cb, cc]);
          const cw = run(p, 'wasm');
          expectBitIdentical(cw, run(p, 'js'));
          expect(worstRatio(p, cw)).toBeLessThanOrEqual(1);
        }),
      { numRuns: 150, seed: 505 },
    );
    // -0, NaN payloads and Infinity in float64 operands are carried exactly as in JS
    const p = problem(false, false, 6, 7, 5, 1, 0, 9, 0, 0, 0, [Float64Array, Float64Array, Float64Array]);
    p.a.fill(-0, 0, 5); p.b[3] = Infinity;
    const cw = run(p, 'wasm'), cj = run(p, 'js');
    for (let i = 0; i < cw.length; i++) expect(Object.is(cw[i], cj[i]) || (Number.isNaN(cw[i]) && Number.isNaN(cj[i]))).toBe(true);
  });

  it('crosses its cache blocks (many row and column blocks, large k) in all transpose cases', () => {
    // k = 3001: blocks of 20 rows of op(A) and 40 columns of op(B); m = 45, n = 87 span several.
    for (const [tA, tB] of [[false, false], [true, true], [true, false], [false, true]] as const) {
      const p = problem(tA, tB, 45, 87, 3001, 0.75, -0.5, 7, 3, 2, 5);
      const cw = run(p, 'wasm');
      expectBitIdentical(cw, run(p, 'js'));
      expect(worstRatio(p, cw)).toBeLessThanOrEqual(1);
    }
    // tall-skinny and the RNN shapes (input projection with m > 64 rows per block, the recurrent step)
    for (const [tA, tB, m, n, k] of [[false, true, 301, 23, 28], [false, true, 128, 200, 200], [true, false, 200, 33, 517], [false, false, 130, 201, 199]] as const) {
      const p = problem(tA, tB, m, n, k, 1, 1, 19);
      expectBitIdentical(run(p, 'wasm'), run(p, 'js'));
    }
  });

  it('splits products larger than its 32 MiB memory budget into row or column blocks, with the same bits', () => {
    // spans of A and B of about 19 MB each: too large together, so C is computed in blocks
    for (const [tA, tB, m, n] of [[false, false, 44, 36], [true, true, 36, 44]] as const) {
      const p = problem(tA, tB, m, n, 120_000, 0.5, -1, 23, 0, 0, 3);
      const cw = p.c0.slice();
      expect(gemmWasmRaw(tA, tB, m, n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, cw, p.ldc)).toBe(true);
      expectBitIdentical(cw, run(p, 'js'));
    }
    expect(gemmWasm()!.mem.buffer.byteLength).toBeLessThanOrEqual(32 * 2 ** 20 + 65536);
  });

  it('beta = 0 overwrites NaN in C and alpha = 0 / k = 0 leave A and B unread, as in the JS kernel', () => {
    setGemmBackend('wasm');
    const a = new Float32Array([1, 2, 3, 4, 5, 6]), b = new Float32Array([1, 0, 0, 0, 1, 0, 1, 1, 1]);
    const c = new Float32Array(6).fill(NaN);
    gemmRaw(false, false, 2, 3, 3, 1, a, 3, b, 3, 0, c, 3);
    expect(Array.from(c)).toEqual([4, 5, 3, 10, 11, 6]);
    gemmRaw(false, false, 2, 3, 3, 2, a, 3, b, 3, -1, c, 3);
    expect(Array.from(c)).toEqual([4, 5, 3, 10, 11, 6]);
    const nanA = new Float32Array(6).fill(NaN);
    gemmRaw(false, false, 2, 3, 3, 0, nanA, 3, b, 3, 2, c, 3);
    expect(Array.from(c)).toEqual([8, 10, 6, 20, 22, 12]);
  });

  it('propagates NaN and Infinity in A and B like the JS kernel', () => {
    const p = problem(false, true, 9, 10, 11, 1, 0.5, 31);
    p.a[5] = NaN; p.b[23] = Infinity; p.b[40] = -Infinity;
    const cw = run(p, 'wasm'), cj = run(p, 'js');
    for (let i = 0; i < cw.length; i++) {
      expect(Number.isNaN(cw[i])).toBe(Number.isNaN(cj[i]));
      if (!Number.isNaN(cj[i])) expect(cw[i]).toBe(cj[i]);
    }
    expect(cw.some(Number.isNaN)).toBe(true);
  });

  it('is deterministic: the same inputs give the same bits whatever ran before, and memory does not grow in steady state', () => {
    const p = problem(true, false, 37, 41, 53, -0.5, 1, 5, 1, 2, 3);
    const first = run(p, 'wasm');
    // pollute the module's memory with a larger product full of NaN and odd values
    const big = problem(false, false, 97, 89, 300, 3, 1, 6);
    big.a.fill(NaN); big.c0.fill(-1e30);
    run(big, 'wasm');
    const mem = gemmWasm()!.mem;
    const size = mem.buffer.byteLength;
    expectBitIdentical(run(p, 'wasm'), first);
    run(big, 'wasm');
    run(p, 'wasm');
    expect(mem.buffer.byteLength).toBe(size);
  });

  it('is used by matmul (including aliased out) with the same results as the JS backend', () => {
    const x = randn([64, 48], { seed: 1 }), w = randn([40, 48], { seed: 2 });
    setGemmBackend('wasm');
    const yw = matmul(x, w, { transB: true });
    const sq = randn([50, 50], { seed: 3 });
    const s1 = { shape: [50, 50], data: sq.data.slice() };
    matmul(s1, s1, { transA: true, beta: 0.5, out: s1 }); // out aliases both inputs
    setGemmBackend('js');
    expectBitIdentical(yw.data, matmul(x, w, { transB: true }).data);
    const s2 = { shape: [50, 50], data: sq.data.slice() };
    matmul(s2, s2, { transA: true, beta: 0.5, out: s2 });
    expectBitIdentical(s1.data, s2.data);
  });

  it('falls back to the JS kernel silently where WebAssembly (or SIMD validation) is missing', async () => {
    for (const stub of [undefined, { validate: () => false }]) {
      vi.resetModules();
      vi.stubGlobal('WebAssembly', stub);
      try {
        const fresh = await import('../../src/core/gemm.js');
        expect(fresh.gemmWasmAvailable()).toBe(false);
        expect(() => fresh.setGemmBackend('wasm')).toThrow(/not available/);
        const p = problem(true, false, 21, 19, 33, 1, 0.5, 77);
        const c = p.c0.slice();
        fresh.gemmRaw(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc);
        expect(worstRatio(p, c)).toBeLessThanOrEqual(1);
      } finally {
        vi.unstubAllGlobals();
        vi.resetModules();
      }
    }
  });

  it('setGemmBackend validates its argument and getGemmBackend reports it', () => {
    expect(getGemmBackend()).toBe('auto');
    setGemmBackend('js');
    expect(getGemmBackend()).toBe('js');
    expect(() => setGemmBackend('gpu' as GemmBackend)).toThrow(RangeError);
    expect(getGemmBackend()).toBe('js');
    setGemmBackend('wasm');
    expect(getGemmBackend()).toBe('wasm');
  });
});
