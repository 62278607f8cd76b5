/**
 * Agreement of the gated cells (GRU, LSTM) with PyTorch, as figures: forward states and readouts,
 * loss, gradients, one-step Jacobian of the full state against autograd, and the Lyapunov spectrum
 * against a float64 reference with a QR of the whole frame every step — on both training backends
 * ('wasm-f32': float32 accumulation; 'js': float64 accumulation of float32 data).
 *
 * 1. The committed fixture test/fixtures/gated/torch-gated-small.json (written by PyTorch in float64,
 *    B=3 T=6 I=3 H=5; needs no Python).
 * 2. A live comparison at a larger network (B=16 T=28 I=28 H=32 O=10; spectrum over 1500 driven steps, the first 500 aligning the frame)
 *    against bench/peers/torch_gated_agreement.py — skipped when /usr/bin/python3 has no torch.
 *
 * Errors: "abs" is max |ours − torch|, "rel" is that divided by max |torch| over the tensor; for the
 * gradients the worst tensor is shown.
 *
 * Run: `npx tsx bench/gated-agreement.ts`
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/core/rng.js';
import { tensor, type Tensor } from '../src/core/tensor.js';
import { setKernelBackend } from '../src/core/wasm/registry.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { fromTorchStateDict, initRnn, rnnForward, rnnLoss, rnnSystem, toTorchStateDict, type AnyRnn, type GatedRnn } from '../src/rnn/index.js';
import { printTable, runPythonPeer } from './util.js';

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
const err = (a: ArrayLike<number>, b: ArrayLike<number>): { abs: number; rel: number } => {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let abs = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    abs = Math.max(abs, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { abs, rel: abs / (scale || 1) };
};
const worst = (es: { abs: number; rel: number }[]) => ({ abs: Math.max(...es.map((e) => e.abs)), rel: Math.max(...es.map((e) => e.rel)) });
const e2 = (x: number) => x.toExponential(1);
const cellOf = (e: { abs: number; rel: number }) => `${e2(e.abs)} / ${e2(e.rel)}`;

const KEYS: Record<string, string> = { wIn: 'rnn.weight_ih_l0', wRec: 'rnn.weight_hh_l0', bIn: 'rnn.bias_ih_l0', bRec: 'rnn.bias_hh_l0', wOut: 'fc.weight', bOut: 'fc.bias' };

interface Reference {
  states: number[]; outputs: number[]; cells?: number[]; ce: number; grads: Record<string, number[]>;
  jacobians: { state: number[]; u: number; J: number[] }[];
  spectrum: { inputs: Tensor; frameWarmup: number; exponents: number[] };
}

/** Our figures against a reference, for one backend. */
function compare(rnn: GatedRnn, x: Tensor, labels: ArrayLike<number>, ref: Reference, driveOf: (u: number) => { inputs?: Tensor; input?: number[] }): (string | number)[] {
  const f = rnnForward(rnn, x) as { states: Tensor; outputs: Tensor; cells?: Tensor };
  const ce = rnnLoss(rnn, { x, labels: Int32Array.from(labels) });
  const g = ce.grads as unknown as Record<string, Tensor>;
  const grads = worst(Object.entries(KEYS).map(([k, n]) => err(g[k].data, ref.grads[n])));
  const jac = worst(ref.jacobians.map((j) => {
    const sys = rnnSystem(rnn, driveOf(j.u) as never);
    const J = new Float64Array(sys.dim * sys.dim);
    sys.jacobian(Float64Array.from(j.state), 0, J);
    return err(J, j.J);
  }));
  const sp = lyapunovSpectrum(rnn, { inputs: ref.spectrum.inputs, frameWarmup: ref.spectrum.frameWarmup, reorthEvery: 1 });
  const spe = err(sp.exponents, ref.spectrum.exponents);
  const top = err(sp.exponents.subarray(0, 4), ref.spectrum.exponents.slice(0, 4));
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  return [
    cellOf(err(f.states.data, ref.states)) + (ref.cells && f.cells ? `; c ${cellOf(err(f.cells.data, ref.cells))}` : ''),
    cellOf(err(f.outputs.data, ref.outputs)),
    e2(Math.abs(ce.loss - ref.ce)),
    cellOf(grads),
    cellOf(jac),
    `${e2(top.abs)} / ${e2(spe.abs)} / ${e2(Math.abs(sum(sp.exponents) - sum(ref.spectrum.exponents)))} (λ1 ${ref.spectrum.exponents[0].toFixed(4)})`,
  ];
}

const header = ['cell / backend', 'states abs / rel', 'readouts abs / rel', 'CE loss abs', 'gradients abs / rel (worst tensor)', 'Jacobian abs / rel', 'spectrum max |Δλ| top 4 / all, |Δ Σλ|'];

function both(label: string, run: () => (string | number)[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const b of ['wasm-f32', 'js']) {
    setKernelBackend('gatedRecurrence', b);
    try {
      rows.push([`${label} / ${b}`, ...run()]);
    } finally {
      setKernelBackend('gatedRecurrence', 'auto');
    }
  }
  return rows;
}

// 1. the committed fixture
const fx = JSON.parse(readFileSync(new URL('../test/fixtures/gated/torch-gated-small.json', import.meta.url), 'utf8'));
const fxRows: (string | number)[][] = [];
for (const c of fx.cases) {
  const rnn = fromTorchStateDict(c.state_dict) as AnyRnn as GatedRnn;
  const ref: Reference = {
    states: flat(c.states), outputs: flat(c.outputs), cells: c.cells ? flat(c.cells) : undefined, ce: c.ce,
    grads: Object.fromEntries(Object.entries(c.grads_ce as Record<string, unknown>).map(([k, v]) => [k, flat(v)])),
    jacobians: c.jacobians.map((j: { u: number[]; state: number[]; J: unknown }, i: number) => ({ state: j.state, u: i, J: flat(j.J) })),
    spectrum: { inputs: tensor([c.spectrum.inputs]), frameWarmup: c.spectrum.frameWarmup, exponents: c.spectrum.exponents },
  };
  fxRows.push(...both(c.cell.toUpperCase(), () => compare(rnn, tensor(fx.x), fx.labels, ref, (i) => ({ input: c.jacobians[i].u }))));
}
printTable(`Gated cells vs PyTorch float64 autograd — committed fixture (B=${fx.B} T=${fx.T} I=${fx.I} H=${fx.H}; torch ${fx.torch}; spectrum ${fx.cases[0].spectrum.inputs.length} steps)`, header, fxRows);

// 2. live, larger network
const B = 16, T = 28, I = 28, H = 32, O = 10, TS = 1500, FW = 500;
const liveRows: (string | number)[][] = [];
const dir = mkdtempSync(join(tmpdir(), 'gated-agreement-'));
try {
  for (const cell of ['gru', 'lstm'] as const) {
    const rnn = initRnn({ cell, inputSize: I, hiddenSize: H, outputSize: O, seed: 5, gain: 2 }) as GatedRnn;
    const rng = createRng(6);
    const x: Tensor = { shape: [B, T, I], data: Float32Array.from({ length: B * T * I }, () => rng.normal()) };
    const labels = Array.from({ length: B }, (_, i) => i % O);
    const us: Tensor = { shape: [1, TS, I], data: Float32Array.from({ length: TS * I }, () => rng.normal()) };
    const nested = (t: Tensor, rows: number) => Array.from({ length: rows }, (_, r) => Array.from(t.data.subarray((r * t.data.length) / rows, ((r + 1) * t.data.length) / rows)));
    const file = join(dir, `${cell}.json`);
    writeFileSync(file, JSON.stringify({
      cell, state_dict: toTorchStateDict(rnn), labels, frame_warmup: FW,
      x: Array.from({ length: B }, (_, b) => nested({ shape: [T, I], data: x.data.subarray(b * T * I, (b + 1) * T * I) }, T)),
      spectrum_inputs: nested({ shape: [TS, I], data: us.data }, TS),
    }));
    const peer = runPythonPeer<{ torch: string; states: number[]; outputs: number[]; ce: number; grads: Record<string, number[]>; jacobians: { t: number; state: number[]; J: number[] }[]; spectrum: number[] }>(
      'bench/peers/torch_gated_agreement.py', [file]);
    if (peer === undefined) break;
    const seq0: Tensor = { shape: [1, T, I], data: x.data.subarray(0, T * I) };
    const ref: Reference = {
      states: peer.states, outputs: peer.outputs, ce: peer.ce, grads: peer.grads,
      jacobians: peer.jacobians.map((j) => ({ state: j.state, u: Math.min(j.t + 1, T - 1), J: j.J })),
      spectrum: { inputs: us, frameWarmup: FW, exponents: peer.spectrum },
    };
    liveRows.push(...both(cell.toUpperCase(), () => compare(rnn, x, labels, ref, (u) => {
      const row = Array.from(seq0.data.subarray(u * I, (u + 1) * I));
      return { input: row };
    })));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (liveRows.length > 0) {
  printTable(`Gated cells vs PyTorch float64 autograd — live (B=${B} T=${T} I=${I} H=${H} O=${O}, wRec gain 2; spectrum ${TS} driven steps, ${FW} not counted)`, header, liveRows);
}
