/**
 * Checks of the fused multiply-add build of the float32 kernels, run by f32-kernels.test.ts in a
 * child Node started with --experimental-wasm-relaxed-simd (Node 20 has relaxed SIMD only behind
 * that flag). Prints one JSON line: whether the build is available here, the default backend, the
 * gemm's largest error against a float64 oracle in units of (k+1)·ε32·Σ|c|+|a||b| (≤ 1 passes),
 * the rnnLoss agreement with 'js' (≤ 1 passes), and whether c + a·b is rounded once.
 */
import { randn } from '../../../src/core/tensor.js';
import { F32_FMA } from '../../../src/core/wasm/f32-loader.js';
import { getKernelBackend } from '../../../src/core/wasm/registry.js';
import '../../../src/rnn/index.js';
import { GATED_F32_FMA } from '../../../src/rnn/gated/fast.js';
import { backendAgreement, gatedBackendAgreement } from './f32-agreement.js';

const w = F32_FMA.wasm();
if (w === undefined) {
  console.log(JSON.stringify({ available: false, backend: getKernelBackend('rnnRecurrence'), gemm: NaN, agreement: NaN, gated: NaN, gatedBackend: getKernelBackend('gatedRecurrence'), fused: false }));
} else {
  const m = 8, n = 12, k = 37;
  const A = randn([m, k], { seed: 1 }).data, B = randn([k, n], { seed: 2 }).data, C0 = randn([m, n], { seed: 3 }).data;
  let mem = F32_FMA.memory(4 * (m * k + k * n + m * n))!;
  mem.set(A, 0); mem.set(B, m * k); mem.set(C0, m * k + k * n);
  w.gemm(m, n, k, 0, k, 1, 4 * m * k, n, 4 * (m * k + k * n), n, 1);
  mem = F32_FMA.memory(0)!;
  let gemm = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = C0[i * n + j], abs = Math.abs(s);
    for (let p = 0; p < k; p++) { s += A[i * k + p] * B[p * n + j]; abs += Math.abs(A[i * k + p] * B[p * n + j]); }
    gemm = Math.max(gemm, Math.abs(mem[m * k + k * n + i * n + j] - s) / ((k + 1) * 2 ** -24 * abs));
  }
  // c + a·b with a = b = 1 + 2^-12, c = -1: exactly 2^-11 + 2^-24; rounding a·b first loses the 2^-24.
  const a = 1 + 2 ** -12;
  mem = F32_FMA.memory(4 * 24)!;
  mem.fill(0, 0, 24);
  mem[0] = a; mem[4] = a; mem[8] = -1; // A 4×1 (first row a), B 1×4 (first entry a), C 4×4 (C[0,0] = -1)
  w.gemm(4, 4, 1, 0, 1, 1, 16, 4, 32, 4, 1);
  const fused = F32_FMA.memory(0)![8] === 2 ** -11 + 2 ** -24;
  const backend = getKernelBackend('rnnRecurrence');
  const gatedBackend = getKernelBackend('gatedRecurrence');
  const gated = GATED_F32_FMA.wasm() !== undefined ? gatedBackendAgreement('wasm-f32-fma') : NaN;
  console.log(JSON.stringify({ available: true, backend, gemm, agreement: backendAgreement('wasm-f32-fma'), gated, gatedBackend, fused }));
}
