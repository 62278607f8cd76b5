/**
 * RNN training step: forward + BPTT (the fused `ad.rnn` op) + gradient clipping + Adam, cross-entropy
 * on the last step, for the sequential-MNIST network (B=128, T=28, I=28, H=200, O=10), side by side in
 * the same run with PyTorch's CPU nn.RNN on one thread (bench/peers/torch_rnn_train.py).
 *
 * The two are timed in alternating rounds (ours, then PyTorch, `rounds` times) and each side reports
 * its best round mean, so that load from other processes on a shared machine affects both alike.
 *
 * Run: `npx tsx bench/rnn-train.bench.ts [steps=30] [warmup=5] [rounds=3]` (or `npm run bench -- rnn-train`).
 *
 * Both WebAssembly float32 backends are timed: 'wasm-f32' (multiply, then add; Node 20's default)
 * and 'wasm-f32-fma' (fused multiply-add through relaxed SIMD; the default where the engine has it,
 * Node 22+ and Chrome 114+). On a Node without relaxed SIMD the bench re-runs itself with
 * `--experimental-wasm-relaxed-simd` so that one run measures both.
 */
import { f32FmaWasm } from '../src/core/wasm/f32-loader.js';
import { getKernelBackend, setKernelBackend } from '../src/core/wasm/registry.js';

import { randn } from '../src/core/tensor.js';
import { clipGradNorm, createOptimizer, evaluate, initRnn, optimizerStep, rnnLoss, train, type RnnParams } from '../src/rnn/index.js';
import { printTable, rerunWithRelaxedSimd, runPythonPeer } from './util.js';

rerunWithRelaxedSimd(f32FmaWasm() !== undefined, import.meta.url);

const steps = Number(process.argv[2] ?? 30);
const warmup = Number(process.argv[3] ?? 5);
const rounds = Number(process.argv[4] ?? 3);
const perRound = Math.max(1, Math.round(steps / rounds));

const B = 128, T = 28, I = 28, H = 200, O = 10;
const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: O, init: 'pytorch', seed: 1 });
const x = randn([B, T, I], { seed: 2 });
const labels = Int32Array.from({ length: B }, (_, i) => i % O);
type Named = Record<string, never>;
const opt = createOptimizer({ type: 'adam', lr: 1e-3 }, rnn.params as unknown as Named);
const grads: RnnParams = {
  wIn: { shape: [H, I], data: new Float32Array(H * I) }, wRec: { shape: [H, H], data: new Float32Array(H * H) },
  b: { shape: [H], data: new Float32Array(H) }, wOut: { shape: [O, H], data: new Float32Array(O * H) }, bOut: { shape: [O], data: new Float32Array(O) },
};
const oneStep = () => {
  rnnLoss(rnn, { x, labels }, { grads });
  clipGradNorm(grads as unknown as Named, 1);
  optimizerStep(opt, rnn.params as unknown as Named, grads as unknown as Named);
};
const meanMs = (fn: () => void, n: number) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t0) / n;
};

const defaultBackend = getKernelBackend('rnnRecurrence');
const backends = f32FmaWasm() !== undefined ? ['wasm-f32', 'wasm-f32-fma'] : ['wasm-f32'];
const ours = new Map<string, number>();
for (const b of backends) {
  setKernelBackend('rnnRecurrence', b);
  for (let i = 0; i < warmup; i++) oneStep();
  ours.set(b, Infinity);
}
let torchMs = Infinity, torchVersion = '';
for (let r = 0; r < rounds; r++) {
  for (const b of backends) {
    setKernelBackend('rnnRecurrence', b);
    ours.set(b, Math.min(ours.get(b)!, meanMs(oneStep, perRound)));
  }
  setKernelBackend('rnnRecurrence', 'auto');
  const peer = runPythonPeer<{ ms_per_step: number; torch: string }>('bench/peers/torch_rnn_train.py', [
    String(perRound), '--warmup', String(warmup), '--hidden', String(H), '--batch', String(B), '--steps-per-seq', String(T), '--input', String(I),
  ]);
  if (peer) {
    torchMs = Math.min(torchMs, peer.ms_per_step);
    torchVersion = peer.torch;
  }
}
const lossOnly = meanMs(() => rnnLoss(rnn, { x, labels }, { grads }), perRound);
const forward = meanMs(() => evaluate(rnn, { x, labels }, { batchSize: B }), perRound);

// the whole train() loop, per batch (gathering shuffled batches included)
const nb = 8;
const big = randn([B * nb, T, I], { seed: 3 });
const bigLabels = Int32Array.from({ length: B * nb }, (_, i) => i % O);
const net2 = initRnn({ inputSize: I, hiddenSize: H, outputSize: O, init: 'pytorch', seed: 1 });
const h = await train(net2, { x: big, labels: bigLabels }, { epochs: 1, batchSize: B, clipNorm: 1, learningRate: 1e-3 });
const trainLoop = h.epochs[0].timeMs / nb;

const gflop = (2 * B * H * T * (3 * H + 2 * I)) / 1e9; // fwd + bwd recurrent, dWrec, input projection, dWin
const hasTorch = Number.isFinite(torchMs);
const ratio = (ms: number) => (hasTorch ? `${(ms / torchMs).toFixed(1)}×` : 'n/a');
printTable(
  `RNN training step, B=${B} T=${T} I=${I} H=${H} O=${O}, Adam + clip 1, cross-entropy on the last step (best of ${rounds} alternating rounds of ${perRound} steps)`,
  ['implementation', 'ms / step', 'GFLOP/s', 'ratio to PyTorch'],
  [
    ...backends.map((b) => {
      const ms = ours.get(b)!;
      const note = b === 'wasm-f32' ? 'Node 20 default' : 'default with relaxed SIMD: Node 22+, Chrome 114+';
      return [`rnn-lyap '${b}' (${note}): rnnLoss + clipGradNorm + optimizerStep`, ms, gflop / (ms / 1e3), ratio(ms)];
    }),
    [`rnn-lyap: train(), per batch (one epoch of 8), '${defaultBackend}'`, trainLoop, gflop / (trainLoop / 1e3), ratio(trainLoop)],
    [`PyTorch ${torchVersion || '(absent)'} nn.RNN + Adam, 1 thread`, torchMs, gflop / (torchMs / 1e3), hasTorch ? '1×' : 'n/a'],
  ],
);
printTable(`rnn-lyap, parts of the step (same network, '${defaultBackend}')`, ['part', 'ms'], [
  ['rnnLoss: forward + BPTT + cross-entropy', lossOnly],
  ['forward only (evaluate, one batch)', forward],
  [`gemm work per step`, `${(gflop).toFixed(2)} GFLOP`],
]);
