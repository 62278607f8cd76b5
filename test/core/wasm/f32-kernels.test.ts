import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { f32FmaWasm, f32Memory, f32Wasm } from '../../../src/core/wasm/f32-loader.js';
import { getKernelBackend, setKernelBackend } from '../../../src/core/wasm/registry.js';
import { randn } from '../../../src/core/tensor.js';
import { backendAgreement } from './f32-agreement.js';

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
  const out: number[] = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 9.01, 52.5, 60, 0.55];
  for (let u = 0; u < 0x100000000; u += 4099) {
    u32[0] = u;
    out.push(f32[0]);
  }
  while (out.length % 4) out.push(0);
  return Float32Array.from(out);
}

describe.skipIf(w === undefined)('float32 WebAssembly activations', () => {
  const xs = sweep();
  it('tanh and its derivative are within 1 ulp of Math.tanh / 1/cosh² rounded to float32, over the whole float32 range', () => {
    const [t, d] = runAct(0, xs);
    let worstT = 0, worstD = 0;
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i];
      const ref = Math.fround(Math.tanh(a));
      if (Number.isNaN(a)) { expect(t[i]).toBeNaN(); continue; }
      worstT = Math.max(worstT, ulps(t[i], ref));
      const c = Math.cosh(a);
      const refD = Math.fround(Number.isFinite(c) ? 1 / (c * c) : 0);
      worstD = Math.max(worstD, ulps(d[i], refD));
    }
    expect(worstT).toBeLessThanOrEqual(1);
    expect(worstD).toBeLessThanOrEqual(2);
    expect(Object.is(t[1], -0)).toBe(true);
  });
  it('sigmoid and its derivative are within 2 ulp of the float64 formula rounded to float32', () => {
    const [s, d] = runAct(1, xs);
    let worstS = 0, worstD = 0;
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i];
      if (Number.isNaN(a)) { expect(s[i]).toBeNaN(); continue; }
      const e = Math.exp(-Math.abs(a));
      const ref = Math.fround(a >= 0 ? 1 / (1 + e) : e / (1 + e));
      worstS = Math.max(worstS, ulps(s[i], ref));
      worstD = Math.max(worstD, ulps(d[i], Math.fround(e / ((1 + e) * (1 + e)))));
    }
    expect(worstS).toBeLessThanOrEqual(2);
    expect(worstD).toBeLessThanOrEqual(2);
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
// checks in a child Node with the flag on (fma-child.ts prints them as JSON on its last line).
const here = dirname(fileURLToPath(import.meta.url));
const child = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', join(here, 'fma-child.ts')], {
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
