// The fused multiply-add build of the float64 kernels ('wasm-fma'): in this process, the switch and
// its errors; in a child Node with relaxed SIMD (Node 20 with --experimental-wasm-relaxed-simd, or
// this Node where it has it; f64-fma-child.ts prints its
// checks as JSON on its last line), the kernels against the JS reference, one rounding per
// multiply-add, the unfused state update, and the spectra against the 'wasm' build.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { backend, setBackend } from '../../../src/core/backend.js';
import { f64FmaWasmAvailable, f64WasmAvailable } from '../../../src/core/wasm64/loader.js';
import { lyapunovBackend, setLyapunovBackend } from '../../../src/lyapunov/backend.js';
import type { Report } from './f64-fma-child.js';

afterEach(() => setBackend('float64', 'auto'));

describe("setBackend('float64', 'wasm-fma') in this engine", () => {
  it("'auto' is 'wasm-fma' exactly where relaxed SIMD validates, else 'wasm', else 'js'", () => {
    setBackend('float64', 'auto');
    expect(backend('float64')).toBe(f64FmaWasmAvailable() ? 'wasm-fma' : f64WasmAvailable() ? 'wasm' : 'js');
    expect(lyapunovBackend()).toBe(backend('float64'));
  });
  it.runIf(f64WasmAvailable())("'wasm' stays selectable and reported as such", () => {
    setBackend('float64', 'wasm');
    expect(backend('float64')).toBe('wasm');
    setLyapunovBackend('wasm');
    expect(lyapunovBackend()).toBe('wasm');
  });
  it.runIf(!f64FmaWasmAvailable())("without relaxed SIMD 'wasm-fma' is refused with a RangeError that says where it runs, and nothing changes", () => {
    setBackend('float64', 'js');
    expect(() => setBackend('float64', 'wasm-fma')).toThrow(
      /^setBackend: 'wasm-fma' requested but this engine cannot run WebAssembly relaxed SIMD \(Node 22\+, Chrome 114\+, or Node 20 with --experimental-wasm-relaxed-simd\)$/,
    );
    expect(() => setLyapunovBackend('wasm-fma')).toThrow(RangeError);
    expect(backend('float64')).toBe('js');
  });
  it.runIf(f64FmaWasmAvailable())("with relaxed SIMD 'wasm-fma' can be forced", () => {
    setBackend('float64', 'wasm-fma');
    expect(backend('float64')).toBe('wasm-fma');
  });
  it('an unknown choice names the four', () => {
    expect(() => setBackend('float64', 'fma')).toThrow(/^setBackend: choice must be 'auto', 'wasm-fma', 'wasm' or 'js', got 'fma'$/);
  });
});

const here = dirname(fileURLToPath(import.meta.url));
// the flag only where this engine lacks relaxed SIMD (Node 20): Node 22 has it on and refuses the flag
const flag = f64FmaWasmAvailable() ? [] : ['--experimental-wasm-relaxed-simd'];
const child = spawnSync(process.execPath, [...flag, '--import', 'tsx', join(here, 'f64-fma-child.ts')], {
  encoding: 'utf8', cwd: join(here, '../../..'), timeout: 120_000,
});
const r = child.status === 0 ? (JSON.parse(child.stdout.trim().split('\n').pop()!) as Report) : undefined;
const ran = r !== undefined && r.available;

describe.runIf(f64WasmAvailable())("'wasm-fma' (relaxed SIMD, in a child Node that has it)", () => {
  it('the child ran', () => {
    expect(child.stderr ?? '').toBe('');
    expect(r).toBeDefined();
  });
  it.skipIf(!ran)("is what 'auto' picks there", () => {
    expect(r!.auto).toBe('wasm-fma');
  });
  it.skipIf(!ran)('A·Q (gemmTN) equals the JS kernel within 2·n·ε·Σ|a||q| per entry (both within γ_n of the exact sum)', () => {
    expect(r!.gemm).toBeLessThanOrEqual(1);
  });
  it.skipIf(!ran)('the QR (log R and Q) and the factored frame (pairs of reflectors, m·Q) equal the JS kernels within the c·n·ε of the wasm build', () => {
    expect(r!.qrLogR).toBeLessThanOrEqual(1);
    expect(r!.qrQ).toBeLessThanOrEqual(1);
    expect(r!.factored).toBeLessThanOrEqual(1);
    expect(r!.qrDiffers).toBe(true); // and the fused QR is not the 'wasm' build's, bit for bit
  });
  it.skipIf(!ran)("the 'wasm' build rounds c + a·b twice (the case below is a real test)", () => {
    expect(r!.mulAddRoundsTwice).toBe(true);
  });
  it.skipIf(!ran || !r!.cpuFma)('rounds once: on an FMA CPU dot and gemmTN give c + a·b = −1 + (1+2⁻³⁰)² exactly (2⁻²⁹ + 2⁻⁶⁰)', () => {
    expect(r!.dotFused).toBe(true);
    expect(r!.gemmFused).toBe(true);
  });
  it.skipIf(!ran)("rnnSystem.step is bit-identical to 'js' (the gemv of the state update is not fused: the trajectory never depends on the backend)", () => {
    expect(r!.stepIdentical).toBe(true);
  });
  it.skipIf(!ran)("spectra agree with the 'wasm' build's: QR every step within 1e-11·(1+|λ|), the default interval within n·ε·κ·(1+|λ|); deterministic", () => {
    // same trajectory (bit-identical states), so only the frame's rounding differs: per step, log R_jj
    // agree to ~n·ε·κ(J_t) ≤ 64·2.2e-16·10³ ≈ 1.4e-11 (g = 1.6, n ≤ 64), and a mean over steps is no
    // larger; with the default interval the un-orthonormalized product amplifies it by up to
    // κ ≤ CHECKED_MAX_CONDITION = 1e10 in the smallest directions (the bound test/lyapunov/wasm.test.ts
    // uses for 'wasm' against 'js')
    expect(r!.spectrumEvery).toBeLessThanOrEqual(1);
    expect(r!.spectrumDefault).toBeLessThanOrEqual(1);
    expect(r!.deterministic).toBe(true);
  });
});
