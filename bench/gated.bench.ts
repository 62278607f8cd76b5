/**
 * GRU and LSTM at sequential-MNIST shapes (B=128, T=28, I=28, H=200, O=10), side by side in the same
 * run with PyTorch's nn.GRU / nn.LSTM on one thread (bench/peers/torch_gated.py):
 *
 * 1. Training step: forward + BPTT (the fused gated op) + gradient clipping at norm 1 + Adam,
 *    cross-entropy on the last step. CPU time (process.cpuUsage / time.process_time) in alternating
 *    rounds (ours, then PyTorch, `rounds` times); each side reports its best round mean, so load from
 *    other processes affects both alike.
 * 2. Lyapunov spectrum per step of the cell driven by random inputs, full (GRU: H = 200 exponents,
 *    LSTM: 2H = 400 on [h; c]) and top 8: ours with the library's defaults, PyTorch with a QR every
 *    step (it forms the Jacobian from the gates and calls torch.linalg.qr, as RNN studies do). CPU
 *    time per steady step on both sides: the peer's best chunk; ours a run of 2n steps minus a run of n.
 *
 * The spectra run at H = 128 and 200 (the sizes the spectrum targets name; argument 4, e.g. `200`).
 *
 * Run: `npx tsx bench/gated.bench.ts [steps=12] [warmup=3] [rounds=3] [spectrumH=128,200]` (or `npm run bench -- gated`).
 */
import { createRng } from '../src/core/rng.js';
import { randn, type Tensor } from '../src/core/tensor.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { clipGradNorm, createOptimizer, initRnn, optimizerStep, rnnLoss, type GatedRnn } from '../src/rnn/index.js';
import { setKernelBackend } from '../src/core/wasm/registry.js';
import { printTable, rerunWithRelaxedSimd, runPythonPeer } from './util.js';
import { GATED_F32_FMA } from '../src/rnn/gated/fast.js';

// one run times both float32 builds (Node 20 has relaxed SIMD only behind a flag)
rerunWithRelaxedSimd(GATED_F32_FMA.wasm() !== undefined, import.meta.url);
const hasFma = GATED_F32_FMA.wasm() !== undefined;

const steps = Number(process.argv[2] ?? 12);
const warmup = Number(process.argv[3] ?? 3);
const rounds = Number(process.argv[4] ?? 3);
const perRound = Math.max(1, Math.round(steps / rounds));
const spectrumH = (process.argv[5] ?? '128,200').split(',').map(Number);
const B = 128, T = 28, I = 28, H = 200, O = 10;
type Named = Record<string, never>;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU milliseconds per call (robust to other processes on a shared machine, as the peer's process_time). */
const meanMs = (fn: () => void, n: number) => {
  const t0 = cpuMs();
  for (let i = 0; i < n; i++) fn();
  return (cpuMs() - t0) / n;
};
const zerosLike = (p: GatedRnn['params']): GatedRnn['params'] => {
  const z = (t: Tensor): Tensor => ({ shape: [...t.shape], data: new Float32Array(t.data.length) });
  return { wIn: z(p.wIn), wRec: z(p.wRec), bIn: z(p.bIn), bRec: z(p.bRec), wOut: z(p.wOut), bOut: z(p.bOut) };
};

const trainRows: (string | number)[][] = [];
const x = randn([B, T, I], { seed: 2 });
const labels = Int32Array.from({ length: B }, (_, i) => i % O);
for (const cell of ['gru', 'lstm'] as const) {
  const rnn = initRnn({ cell, inputSize: I, hiddenSize: H, outputSize: O, seed: 1 });
  const opt = createOptimizer({ type: 'adam', lr: 1e-3 }, rnn.params as unknown as Named);
  const grads = zerosLike(rnn.params);
  const oneStep = () => {
    rnnLoss(rnn, { x, labels }, { grads });
    clipGradNorm(grads as unknown as Named, 1);
    optimizerStep(opt, rnn.params as unknown as Named, grads as unknown as Named);
  };
  for (const b of hasFma ? ['wasm-f32', 'wasm-f32-fma'] : ['wasm-f32']) {
    setKernelBackend('gatedRecurrence', b);
    for (let i = 0; i < warmup; i++) oneStep();
  }
  let ours = Infinity, oursFma = Infinity, torchMs = Infinity, version = '';
  for (let r = 0; r < rounds; r++) {
    setKernelBackend('gatedRecurrence', 'wasm-f32');
    ours = Math.min(ours, meanMs(oneStep, perRound));
    if (hasFma) {
      setKernelBackend('gatedRecurrence', 'wasm-f32-fma');
      oursFma = Math.min(oursFma, meanMs(oneStep, perRound));
    }
    const peer = runPythonPeer<{ cpu_ms_per_step: number; torch: string }>('bench/peers/torch_gated.py', [
      'train', cell, String(perRound), '--warmup', String(warmup), '--hidden', String(H), '--batch', String(B), '--steps-per-seq', String(T), '--input', String(I),
    ]);
    if (peer) {
      torchMs = Math.min(torchMs, peer.cpu_ms_per_step);
      version = peer.torch;
    }
  }
  // the float64-accumulating 'js' backend (the kernel before the float32 path), one round
  setKernelBackend('gatedRecurrence', 'js');
  oneStep();
  const js = meanMs(oneStep, Math.max(1, Math.min(perRound, 3)));
  setKernelBackend('gatedRecurrence', 'auto');
  const G = cell === 'lstm' ? 4 : 3;
  const gflop = (2 * B * T * G * H * (3 * H + 2 * I)) / 1e9; // fwd + bwd recurrent + dWrec, input projection + dWin
  const ratio = Number.isFinite(torchMs) ? `${(ours / torchMs).toFixed(2)}×` : 'n/a';
  const jsRatio = Number.isFinite(torchMs) ? `${(js / torchMs).toFixed(2)}×` : 'n/a';
  const fmaRatio = Number.isFinite(torchMs) && hasFma ? `${(oursFma / torchMs).toFixed(2)}×` : 'n/a';
  trainRows.push([cell.toUpperCase(), ours, gflop / (ours / 1e3), ratio, hasFma ? oursFma : 'n/a', fmaRatio, js, jsRatio, Number.isFinite(torchMs) ? torchMs : 'n/a', Number.isFinite(torchMs) ? gflop / (torchMs / 1e3) : 'n/a']);
  if (version) trainRows[trainRows.length - 1].push(version);
}
printTable(
  `GRU / LSTM training step, B=${B} T=${T} I=${I} H=${H} O=${O}, Adam + clip 1, cross-entropy on the last step (best of ${rounds} alternating rounds of ${perRound} steps; Node 20's default backend is 'wasm-f32', 'wasm-f32-fma' with relaxed SIMD)`,
  ['cell', "rnn-lyap 'wasm-f32' CPU ms / step", 'GFLOP/s', 'ratio to PyTorch', "'wasm-f32-fma' CPU ms / step", 'ratio', "rnn-lyap 'js' CPU ms / step", 'ratio', 'PyTorch CPU ms / step (1 thread)', 'GFLOP/s', 'torch'],
  trainRows,
);

const specRows: (string | number)[][] = [];
for (const Hs of spectrumH) for (const cell of ['gru', 'lstm'] as const) {
  const rnn = initRnn({ cell, inputSize: I, hiddenSize: Hs, outputSize: O, seed: 1 });
  const dim = cell === 'lstm' ? 2 * Hs : Hs;
  for (const k0 of [0, 8]) {
    const k = k0 === 0 ? dim : k0;
    const n = k0 === 0 ? (cell === 'lstm' ? 12 : 30) : 150;
    const rng = createRng(3);
    const inputs: Tensor = { shape: [1, 2 * n, I], data: Float32Array.from({ length: 2 * n * I }, () => rng.normal()) };
    // the marginal cost of a step: a run of 2n steps minus a run of n (the call's fixed cost — the
    // weights' copies, the random initial frame and its QR — cancels, as the peer times steady steps)
    const runs = [n, 2 * n].map((steps) => () => lyapunovSpectrum(rnn, { inputs, k, frameWarmup: 0, steps }));
    const best = [Infinity, Infinity];
    for (let r = 0; r < 5; r++) {
      runs.forEach((run, i) => {
        const t0 = cpuMs();
        run();
        if (r > 0) best[i] = Math.min(best[i], cpuMs() - t0);
      });
    }
    const us = ((best[1] - best[0]) * 1000) / n;
    const peer = runPythonPeer<{ us_per_step: number }>('bench/peers/torch_gated.py', ['spectrum', cell, String(k0), String(n), '--hidden', String(Hs), '--input', String(I)]);
    specRows.push([cell.toUpperCase(), String(Hs), String(dim), k === dim ? `${k} (full)` : String(k), us, peer ? peer.us_per_step : 'n/a', peer ? `${(us / peer.us_per_step).toFixed(2)}×` : 'n/a']);
  }
}
printTable(
  `Lyapunov spectrum of a GRU / LSTM driven by N(0,1) inputs, µs per steady step (CPU time) — rnn-lyap: library defaults; PyTorch: analytic J, J·Q, torch.linalg.qr every step, float32, 1 thread`,
  ['cell', 'H', 'state dim', 'k', 'rnn-lyap (µs)', 'PyTorch (µs)', 'ratio'],
  specRows,
);
