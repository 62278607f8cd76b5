import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { f32FmaWasm, f32Memory, f32Wasm } from '../../../src/core/wasm/f32-loader.js';
import { getKernelBackend, setKernelBackend } from '../../../src/core/wasm/registry.js';
import { randn } from '../../../src/core/tensor.js';
import { backendAgreement, h0AbsentEqualsZero } from './f32-agreement.js';

const w = f32Wasm();
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Distance in float32 ulps (ordered integer representation). */
function ulps(a: number, b: number): number {
  const key = (v: number) => {
    f32[0] = v;
    const u = u32[0];
    return u & 0x80000000 ? -(u & 0x7fffffff) : u;
  };
  return Math.abs(key(a) - key(b));
}

/** Runs the wasm activation `kind` over `xs`, returning [φ(x), φ'(x)]. */
function runAct(kind: number, xs: Float32Array): [Float32Array, Float32Array] {
  const n = xs.length; // multiple of 4
  const m = f32Memory(8 * n)!;
  m.set(xs, 0);
  w!.act(kind, 0, n, 4 * n);
  const m2 = f32Memory(8 * n)!;
  return [m2.slice(0, n), m2.slice(n, 2 * n)];
}

/** Every 4099th float32 bit pattern (all signs and exponents), plus specials. */
function sweep(): Float32Array {
  const out: number[] = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 9.01, 52.5, 60, 0.55, 0.75, -0.75, 44, -44, 104, -104];
  for (let u = 0; u < 0x100000000; u += 4099) {
    u32[0] = u;
    out.push(f32[0]);
  }
  return pad4(out);
}

/** Every `stride`-th float32 from lo to hi (positive, ascending bit patterns), and their negatives. */
function dense(lo: number, hi: number, stride: number): Float32Array {
  f32[0] = lo;
  const from = u32[0];
  f32[0] = hi;
  const to = u32[0];
  const out: number[] = [];
  for (let u = from; u < to; u += stride) {
    u32[0] = u;
    out.push(f32[0], -f32[0]);
  }
  return pad4(out);
}

function pad4(out: number[]): Float32Array {
  while (out.length % 4) out.push(0);
  return Float32Array.from(out);
}

/** Largest ulp errors of the wasm tanh / tanh' over xs (derivative only where |x| < 44). */
function tanhErrors(xs: Float32Array): { value: number; derivative: number } {
  const [t, d] = runAct(0, xs);
  let value = 0, derivative = 0;
  for (let i = 0; i < xs.length; i++) {
    const a = xs[i];
    if (Number.isNaN(a)) continue;
    value = Math.max(value, ulps(t[i], Math.fround(Math.tanh(a))));
    if (Math.abs(a) < 44) {
      const c = Math.cosh(a);
      derivative = Math.max(derivative, ulps(d[i], Math.fround(1 / (c * c))));
    }
  }
  return { value, derivative };
}

/** The same for σ and σ' against the float64 formula rounded to float32. */
function sigmoidErrors(xs: Float32Array): { value: number; derivative: number } {
  const [s, d] = runAct(1, xs);
  let value = 0, derivative = 0;
  for (let i = 0; i < xs.length; i++) {
    const a = xs[i];
    if (Number.isNaN(a)) continue;
    const e = Math.exp(-Math.abs(a));
    value = Math.max(value, ulps(s[i], Math.fround(a >= 0 ? 1 / (1 + e) : e / (1 + e))));
    derivative = Math.max(derivative, ulps(d[i], Math.fround(e / ((1 + e) * (1 + e)))));
  }
  return { value, derivative };
}

// The kernel computes in float32 (f32x4); scripts/fit-act.py emulates it bit for bit and, over every
// float32, finds the same bounds as asserted here (tanh 1 ulp, tanh' 3, σ 2, σ' 3).
describe.skipIf(w === undefined)('float32 WebAssembly activations', () => {
  const xs = sweep();
  it('tanh is within 1 ulp of Math.tanh rounded to float32 and tanh\' within 3 ulp of 1/cosh², over the whole float32 range', () => {
    const whole = tanhErrors(xs);
    // densely where tanh is neither x nor ±1: every 61st float32 of ±[2^-14, 46]
    const hard = tanhErrors(dense(2 ** -14, 46, 61));
    expect(Math.max(whole.value, hard.value)).toBeLessThanOrEqual(1);
    expect(Math.max(whole.derivative, hard.derivative)).toBeLessThanOrEqual(3);
  });
  it("tanh' is 0 for |x| ≥ 44 (where 1/cosh² < 2.5e-38); ±0, ±∞ and NaN are exact", () => {
    const big = Float32Array.from([44, -44, 44.5, 51, 60, 1e10, 3e38, Infinity, -Infinity, -1e10, 0, -0, NaN, 1e-45, -1e-45, 2 ** -20]);
    const [t, d] = runAct(0, big);
    for (let i = 0; i < 10; i++) {
      expect(d[i]).toBe(0);
      expect(t[i]).toBe(Math.sign(big[i]));
      const c = Math.cosh(big[i]);
      expect(Number.isFinite(c) ? 1 / (c * c) : 0).toBeLessThan(2.5e-38);
    }
    expect(Object.is(t[10], 0) && Object.is(t[11], -0)).toBe(true);
    expect(d[10]).toBe(1);
    expect(t[12]).toBeNaN();
    expect(d[12]).toBeNaN();
    expect([t[13], t[14], t[15]]).toEqual([big[13], big[14], big[15]]);
  });
  it("sigmoid is within 2 ulp and σ' within 3 ulp of the float64 formula rounded to float32, subnormal results included", () => {
    const whole = sigmoidErrors(xs);
    // densely where σ is neither 1/2, 0 nor 1: every 127th float32 of ±[2^-26, 110]
    const hard = sigmoidErrors(dense(2 ** -26, 110, 127));
    expect(Math.max(whole.value, hard.value)).toBeLessThanOrEqual(2);
    expect(Math.max(whole.derivative, hard.derivative)).toBeLessThanOrEqual(3);
    const [s, d] = runAct(1, Float32Array.from([Infinity, -Infinity, NaN, -0, -95, -103, -104, -200]));
    expect([s[0], s[1], d[0], d[1], s[3], d[3]]).toEqual([1, 0, 0, 0, 0.5, 0.25]);
    expect(s[2]).toBeNaN();
    expect(d[2]).toBeNaN();
    expect(ulps(s[4], Math.fround(Math.exp(-95)))).toBeLessThanOrEqual(2); // a subnormal result
    expect(s[5]).toBeGreaterThan(0);
    expect([s[6], s[7]]).toEqual([0, 0]);
  });
  it('gemm equals a float64 oracle within k·ε32 relative to Σ|a||b|', () => {
    const m = 8, n = 12, k = 37;
    const A = randn([m, k], { seed: 1 }).data, B = randn([k, n], { seed: 2 }).data, C0 = randn([m, n], { seed: 3 }).data;
    const mem = f32Memory(4 * (m * k + k * n + m * n))!;
    mem.set(A, 0); mem.set(B, m * k); mem.set(C0, m * k + k * n);
    w!.gemm(m, n, k, 0, k, 1, 4 * m * k, n, 4 * (m * k + k * n), n, 1);
    const C = f32Memory(0)!.slice(m * k + k * n, m * k + k * n + m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = C0[i * n + j], abs = Math.abs(s);
      for (let p = 0; p < k; p++) { s += A[i * k + p] * B[p * n + j]; abs += Math.abs(A[i * k + p] * B[p * n + j]); }
      expect(Math.abs(C[i * n + j] - s)).toBeLessThanOrEqual((k + 1) * 2 ** -24 * abs);
    }
  });
});

describe.skipIf(w === undefined)("the 'rnnRecurrence' kernel backends", () => {
  it("the default is 'wasm-f32-fma' where the engine has relaxed SIMD, else 'wasm-f32'", () => {
    expect(getKernelBackend('rnnRecurrence')).toBe(f32FmaWasm() !== undefined ? 'wasm-f32-fma' : 'wasm-f32');
  });
  it("'wasm-f32' loss and gradients agree with 'js' (float64 accumulation) within c·T·(I+H)·ε32", () => {
    expect(backendAgreement('wasm-f32')).toBeLessThanOrEqual(1);
  });
  it("without h0, 'wasm-f32' (which skips the products with h0 = 0) gives the same loss and gradients as with h0 = 0 given", () => {
    expect(h0AbsentEqualsZero('wasm-f32')).toBe(0);
  });
  it('refuses unknown kernels and backends', () => {
    expect(() => setKernelBackend('nope', 'js')).toThrow(RangeError);
    expect(() => setKernelBackend('rnnRecurrence', 'gpu')).toThrow(/no backend 'gpu'/);
  });
  it.skipIf(f32FmaWasm() !== undefined)("'wasm-f32-fma' is refused, saying so, where the engine lacks relaxed SIMD", () => {
    expect(() => setKernelBackend('rnnRecurrence', 'wasm-f32-fma')).toThrow(/not available/);
    expect(getKernelBackend('rnnRecurrence')).toBe('wasm-f32');
  });
});

// The fused multiply-add build needs relaxed SIMD, which Node 20 has only behind a V8 flag: run its
// checks in a child Node with relaxed SIMD (fma-child.ts prints them as JSON on its last line). The
// flag only where this engine lacks it: Node 22 has relaxed SIMD on and refuses the flag.
const here = dirname(fileURLToPath(import.meta.url));
const flag = f32FmaWasm() === undefined ? ['--experimental-wasm-relaxed-simd'] : [];
const child = spawnSync(process.execPath, [...flag, '--import', 'tsx', join(here, 'fma-child.ts')], {
  encoding: 'utf8', cwd: join(here, '../../..'), timeout: 120_000,
});
const fma = child.status === 0 ? (JSON.parse(child.stdout.trim().split('\n').pop()!) as { available: boolean; backend: string; gemm: number; agreement: number; gated: number; gatedBackend: string; fused: boolean }) : undefined;

describe.skipIf(w === undefined)("'wasm-f32-fma' (relaxed SIMD, in a child Node with --experimental-wasm-relaxed-simd)", () => {
  it('the child ran', () => {
    expect(child.stderr ?? '').toBe('');
    expect(fma).toBeDefined();
  });
  it.skipIf(fma === undefined || !fma.available)('is the default there, and its gemm is within k·ε32 of a float64 oracle', () => {
    expect(fma!.backend).toBe('wasm-f32-fma');
    expect(fma!.gemm).toBeLessThanOrEqual(1);
  });
  it.skipIf(fma === undefined || !fma.available)("its loss and gradients agree with 'js' within c·T·(I+H)·ε32", () => {
    expect(fma!.agreement).toBeLessThanOrEqual(1);
  });
  it.skipIf(fma === undefined || !fma.available)("the gated cells' 'wasm-f32-fma' is their default there and agrees with 'js' on states, cells, loss and gradients", () => {
    expect(fma!.gatedBackend).toBe('wasm-f32-fma');
    expect(fma!.gated).toBeLessThanOrEqual(1);
  });
  it.skipIf(fma === undefined || !fma.available || !cpuHasFma())('rounds once: on an FMA CPU its products differ from multiply-then-add where rounding twice loses bits', () => {
    expect(fma!.fused).toBe(true);
  });
});

function cpuHasFma(): boolean {
  try {
    return /\bfma\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}
