/**
 * A PyTorch user's first hour, against real PyTorch: modules saved as docs/pytorch.md says (safetensors
 * through examples/pytorch/save_safetensors.py, or np.savez(**state_dict)), loaded as the docs load them,
 * compared with what PyTorch computed. Fixture: scripts/fixtures/torch-first-hour.py (torch 1.13).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/core/index.js';
import { fromTorchStateDict, rnnForward, rnnSystem, toTorchStateDict, type AnyRnn, type TorchValue } from '../../src/rnn/index.js';
import { readNpy, readNpz, readSafetensors, safetensorsToTensors } from '../../src/io/index.js';

const EPS32 = 2 ** -24;
const EPS64 = 2 ** -52;
const dir = new URL('../fixtures/torch-first-hour/', import.meta.url);
const fx = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));
const { I, H, T } = fx as { I: number; H: number; T: number };

interface Case {
  name: string; cell: 'rnn' | 'gru' | 'lstm'; module: 'layer' | 'cell'; activation: 'tanh' | 'relu'; bias: boolean;
  batch_first: boolean; readout: boolean; dtype: string; format: string; file: string; x: string; x_shape: number[];
  states: number[]; outputs: number[]; O: number;
  jacobians: { u: number[]; state: number[]; next: number[]; J: number[] }[];
  state_dict: Record<string, { shape: number[]; values: number[] }>;
}

/** The documented loading path: safetensorsToTensors(readSafetensors(bytes)), or await readNpz(bytes). */
async function load(c: Case): Promise<AnyRnn> {
  const bytes = readFileSync(new URL(c.file, dir));
  const dict: Record<string, TorchValue> = c.format === 'npz' ? await readNpz(bytes) : safetensorsToTensors(readSafetensors(bytes));
  return fromTorchStateDict(dict, c.activation === 'relu' ? { activation: 'relu' } : {});
}

/** The inputs as the docs read them: [B,T,I], a batch_first=False file [T,B,I] transposed first. */
function inputs(c: Case): Tensor {
  const a = readNpy(readFileSync(new URL(c.x, dir)));
  if (!(a.data instanceof Float32Array)) throw new Error(`${c.x}: ${a.dtype}`);
  if (c.batch_first) return { shape: a.shape, data: a.data };
  const [Tt, B, In] = a.shape;
  const x: Tensor = { shape: [B, Tt, In], data: new Float32Array(a.data.length) };
  for (let t = 0; t < Tt; t++) for (let b = 0; b < B; b++) for (let i = 0; i < In; i++) x.data[(b * Tt + t) * In + i] = a.data[(t * B + b) * In + i];
  return x;
}

/** max |a − b|. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < b.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}
const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The prefix the module's keys carry ('rnn.', 'module.rnn.', 'module.', ''). */
function layerPrefix(c: Case): string {
  const k = Object.keys(c.state_dict).find((n) => /weight_ih(_l0)?$/.test(n))!;
  return k.replace(/weight_ih(_l0)?$/, '');
}

/**
 * nn.RNN's two biases become one, summed in float32: the library's pre-activation differs from
 * PyTorch's by |fl(b_ih + b_hh) − (b_ih + b_hh)| ≤ ½ulp, computed here exactly (0 for GRU/LSTM, which keep both).
 */
function biasRounding(c: Case): number {
  if (c.cell !== 'rnn' || !c.bias) return 0;
  const p = layerPrefix(c);
  const sfx = c.module === 'layer' ? '_l0' : '';
  const bi = c.state_dict[`${p}bias_ih${sfx}`].values.map(Math.fround), bh = c.state_dict[`${p}bias_hh${sfx}`].values.map(Math.fround);
  return Math.max(...bi.map((v, i) => Math.abs(Math.fround(v + bh[i]) - (v + bh[i]))));
}

describe('real PyTorch modules, saved and loaded as docs/pytorch.md says (scripts/fixtures/torch-first-hour.py)', () => {
  for (const c of fx.cases as Case[]) {
    const what = `${c.name} (${c.module === 'cell' ? `nn.${c.cell.toUpperCase()}Cell` : `nn.${c.cell.toUpperCase()}`}, ${c.activation}, bias=${c.bias}, batch_first=${c.batch_first}, ${c.readout ? 'Linear readout' : 'bare'}, ${c.dtype}, ${c.format})`;
    it(`${what}: the forward pass is PyTorch's to float32 tolerance`, async () => {
      const rnn = await load(c);
      expect((rnn as { cell?: string }).cell ?? 'rnn').toBe(c.cell);
      expect(rnn.activation).toBe(c.activation);
      const f = rnnForward(rnn, inputs(c));
      // float32 recurrence of T steps, each pre-activation an (I + H + 2)-term sum: a few ε32·|term| per
      // term and step (the gates of a GRU/LSTM a few roundings more), carried forward with gain ≤ ‖J‖
      const tol = 8 * T * (I + H + 2) * EPS32;
      expect(maxDiff(f.states.data, c.states)).toBeLessThanOrEqual(tol * Math.max(1, maxAbs(c.states)));
      expect(f.outputs.shape[2]).toBe(c.O);
      expect(maxDiff(f.outputs.data, c.outputs)).toBeLessThanOrEqual(tol * (H + 1) * Math.max(1, maxAbs(c.outputs)));
    });
    it(`${what}: rnnSystem's one step, Jacobian and J·Q (the spectrum's) are torch.autograd.functional.jacobian's, float64`, async () => {
      const rnn = await load(c);
      const dim = c.cell === 'lstm' ? 2 * H : H;
      const db = biasRounding(c);
      const wHh = Object.entries(c.state_dict).find(([k]) => /weight_hh(_l0)?$/.test(k))![1].values;
      for (const j of c.jacobians) {
        const sys = rnnSystem(rnn, { input: j.u });
        expect(sys.dim).toBe(dim);
        const s = Float64Array.from(j.state);
        const next = new Float64Array(dim);
        sys.step(s, 0, next);
        // the same float32 weights in float64 arithmetic: round-off of (I+H+2)-term sums, plus nn.RNN's
        // bias rounding db (|φ'| ≤ 1)
        const sums = 64 * (I + H + 2) * EPS64 * Math.max(1, maxAbs(j.next));
        expect(maxDiff(next, j.next)).toBeLessThanOrEqual(sums + db);
        const J = new Float64Array(dim * dim);
        sys.jacobian(s, 0, J);
        // J = diag(φ'(a))·W_hh for nn.RNN: db moves φ'(a) by ≤ max|φ''|·db = 0.77·db (tanh; 0 for relu)
        const tolJ = 64 * (I + H + 2) * EPS64 * Math.max(1, maxAbs(j.J)) + 0.77 * db * maxAbs(wHh);
        expect(maxDiff(J, j.J)).toBeLessThanOrEqual(tolJ);
        // what lyapunovSpectrum propagates: J·Q on a column-major frame (|Q| ≤ 1: dim terms of tolJ each)
        const q = Float64Array.from({ length: dim * dim }, (_, i) => Math.sin(i + 1));
        const want = new Float64Array(dim * dim);
        for (let r = 0; r < dim; r++) for (let col = 0; col < dim; col++) for (let l = 0; l < dim; l++) want[col * dim + r] += j.J[r * dim + l] * q[col * dim + l];
        const got = new Float64Array(dim * dim);
        sys.jacobianTimesColMajor(s, 0, q, dim, got);
        expect(maxDiff(got, want)).toBeLessThanOrEqual(dim * tolJ);
      }
    });
    it(`${what}: toTorchStateDict gives back the module's keys and shapes (what load_state_dict(strict=True) checks) and its float32 values`, async () => {
      const rnn = await load(c);
      const prefix = layerPrefix(c);
      const readoutPrefix = c.readout ? `${prefix.replace(/rnn\.$/, '')}fc.` : null;
      const sd = toTorchStateDict(rnn, { prefix, readoutPrefix, bias: c.bias, module: c.module, format: 'tensor' });
      expect(Object.keys(sd).sort()).toEqual(Object.keys(c.state_dict).sort());
      const sfx = c.module === 'layer' ? '_l0' : '';
      for (const [k, t] of Object.entries(sd)) {
        expect(t.shape, k).toEqual(c.state_dict[k].shape);
        let want = c.state_dict[k].values.map(Math.fround);
        if (c.cell === 'rnn' && k === `${prefix}bias_ih${sfx}`) want = want.map((v, i) => Math.fround(v + Math.fround(c.state_dict[`${prefix}bias_hh${sfx}`].values[i])));
        if (c.cell === 'rnn' && k === `${prefix}bias_hh${sfx}`) want = want.map(() => 0); // b = bias_ih + bias_hh, all of it in bias_ih
        expect(Array.from(t.data), k).toEqual(want);
      }
    });
  }
});

describe('nn.RNNCell / nn.GRUCell / nn.LSTMCell state dicts (keys weight_ih, weight_hh, bias_ih, bias_hh)', () => {
  const lstmcell = (fx.cases as Case[]).find((c) => c.name === 'lstmcell')!;
  const dict = (c: Case): Record<string, Tensor> =>
    Object.fromEntries(Object.entries(c.state_dict).map(([k, v]) => [k, { shape: v.shape, data: Float32Array.from(v.values) }]));
  it('are read with the same parameters as the nn.LSTM of the same weights, found or given as { prefix }', () => {
    const d = dict(lstmcell);
    const a = fromTorchStateDict(d, { cell: 'lstm' });
    const b = fromTorchStateDict(d, { prefix: 'rnn.', cell: 'lstm' });
    const layer = fromTorchStateDict(Object.fromEntries(Object.entries(d).map(([k, v]) => [k.startsWith('rnn.') ? `${k}_l0` : k, v])), { cell: 'lstm' });
    expect(a).toEqual(layer);
    expect(b).toEqual(layer);
  });
  it('a wrong shape is named by the cell\'s own key', () => {
    const d = dict(lstmcell);
    d['rnn.bias_ih'] = { shape: [3], data: new Float32Array(3) };
    expect(() => fromTorchStateDict(d)).toThrow(/'rnn\.bias_ih' must have shape \[12\] \(\[4·H\], H = 3\), got \[3\]/);
  });
  it('two recurrent modules are named (pass { prefix }); a dict with none says so instead of asking for a prefix', () => {
    const d = { ...dict(lstmcell) };
    for (const k of ['weight_ih_l0', 'weight_hh_l0']) d[`enc.${k}`] = d[`rnn.${k.slice(0, -3)}`];
    expect(() => fromTorchStateDict(d)).toThrow(/expected one recurrent module .* found 2 \('rnn\.weight_ih', 'enc\.weight_ih_l0'\); pass the one to read as \{ prefix \}/);
    expect(() => fromTorchStateDict({ 'fc.weight': d['fc.weight'] })).toThrow(/found 0 \(keys: fc\.weight\); this is not the state dict of one of them/);
  });
});

describe('toTorchStateDict leaves out only what is trivial', () => {
  const gru = (fx.cases as Case[]).find((c) => c.name === 'gru')!;
  it('readoutPrefix: null refuses a readout that is not the identity; bias: false refuses a nonzero bias; module is checked', async () => {
    const rnn = await load(gru);
    expect(() => toTorchStateDict(rnn, { readoutPrefix: null })).toThrow(/^toTorchStateDict: opts\.readoutPrefix is null, but the readout is not the identity on h with zero bias \(wOut is \[2,3\]\): without it the state dict would be another network; pass a readoutPrefix to save it as an nn\.Linear$/);
    expect(() => toTorchStateDict(rnn, { bias: false })).toThrow(/^toTorchStateDict: opts\.bias is false, but bias_ih_l0 holds -?\d\.\d+(e-?\d+)? at index 0: a bias=False module would be another network/);
    expect(() => toTorchStateDict(rnn, { module: 'cells' as never })).toThrow(/^toTorchStateDict: opts\.module must be 'layer' or 'cell', got 'cells'$/);
    expect(() => toTorchStateDict(rnn, { bias: 0 as never })).toThrow(TypeError);
    const bare = await load((fx.cases as Case[]).find((c) => c.name === 'lstm_bare_bf16')!);
    const withB = { ...bare, params: { ...bare.params, bOut: { shape: [3], data: Float32Array.of(0, 0.5, 0) } } } as AnyRnn;
    expect(() => toTorchStateDict(withB, { readoutPrefix: null })).toThrow(/\(bOut\[1\] is 0\.5\)/);
    expect(Object.keys(toTorchStateDict(bare, { prefix: '', readoutPrefix: null }))).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
  });
});

describe('a readout of the wrong shape is named by its keys', () => {
  for (const name of ['gru', 'rnn_tanh', 'lstmcell']) {
    it(`${name}: 'fc.weight' [O, 2H] and 'fc.bias' of another length`, async () => {
      const c = (fx.cases as Case[]).find((k) => k.name === name)!;
      const bytes = readFileSync(new URL(c.file, dir));
      const dict: Record<string, TorchValue> = safetensorsToTensors(readSafetensors(bytes));
      const hh = c.module === 'cell' ? 'weight_hh' : 'weight_hh_l0';
      const wide = { ...dict, 'fc.weight': { shape: [2, 2 * H], data: new Float32Array(4 * H) } };
      expect(() => fromTorchStateDict(wide)).toThrow(new RegExp(`^fromTorchStateDict: 'fc\\.weight' must have shape \\[O,${H}\\] \\(\\[O,H\\], H = ${H} from ${hh} \\[\\d+,${H}\\]\\), got \\[2,${2 * H}\\]`));
      const long = { ...dict, 'fc.bias': { shape: [5], data: new Float32Array(5) } };
      expect(() => fromTorchStateDict(long)).toThrow(/^fromTorchStateDict: 'fc\.bias' must have shape \[2\] \(\[O\], O from 'fc\.weight' \[2,3\]\), got \[5\]$/);
    });
  }
});
