// The command line on nn.RNNCell / nn.GRUCell / nn.LSTMCell state dicts (keys weight_ih, weight_hh,
// bias_ih, bias_hh, without _l0), from the real-PyTorch fixtures of test/fixtures/torch-first-hour
// (scripts/fixtures/torch-first-hour.py, PyTorch 1.13): `info` names the cell's own tensors as its
// layer (not as "left out by --no-readout"), and `spectrum` is the library's on the same network.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromTorchStateDict, lyapunovSpectrum, readNpy, type Activation, type Tensor } from '../../src/index.js';
import { cli } from './helpers.js';

const fx = new URL('../fixtures/torch-first-hour/', import.meta.url).pathname;
interface Case {
  name: string; cell: 'rnn' | 'gru' | 'lstm'; module: 'layer' | 'cell'; activation: Activation; bias: boolean; readout: boolean;
  file: string; x: string; O: number; state_dict: Record<string, { shape: number[]; values: number[] }>;
}
const expected = JSON.parse(readFileSync(join(fx, 'expected.json'), 'utf8')) as { I: number; H: number; cases: Case[] };
const { I, H } = expected;
const cells = expected.cases.filter((c) => c.module === 'cell');
const G = { rnn: 1, gru: 3, lstm: 4 } as const;

/** The PyTorch state dict as expected.json wrote it (torch's own values, not read from the file). */
const dictOf = (c: Case): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(c.state_dict).map(([k, v]) => [k, { shape: v.shape, data: Float32Array.from(v.values) }]));

/** The parameters rnn-lyap counts: the layer's (nn.RNN's two biases as one) and, unless left out, the readout's. */
function parameterCount(c: Case, withReadout: boolean): number {
  const g = G[c.cell];
  const bias = c.cell === 'rnn' ? H : 2 * g * H; // a bias-free module gets zero biases
  return g * H * (I + H) + bias + (withReadout && c.readout ? c.O * H + c.O : 0);
}

describe('rnn-lyap info on nn.RNNCell / nn.GRUCell / nn.LSTMCell files', () => {
  it('the fixtures hold the four cell modules this file is about', () => {
    expect(cells.map((c) => [c.name, c.cell, c.readout])).toEqual([
      ['rnncell_bare', 'rnn', false], ['rnncell_relu', 'rnn', true], ['grucell_nobias_bare', 'gru', false], ['lstmcell', 'lstm', true],
    ]);
    for (const c of cells) expect(Object.keys(c.state_dict).some((k) => k.endsWith('_l0'))).toBe(false);
  });
  for (const noReadout of [false, true]) {
    it(`with${noReadout ? ' --no-readout' : 'out flags'}: the cell's tensors are the layer, only the readout's are left out`, async () => {
      for (const c of cells) {
        const args = ['info', join(fx, c.file), '--json', ...(noReadout ? ['--no-readout'] : []), ...(c.cell === 'rnn' ? ['--activation', c.activation] : [])];
        const r = await cli(args);
        expect(r.code, `${c.name}: ${r.stderr}`).toBe(0);
        const j = JSON.parse(r.stdout);
        const prefix = Object.keys(c.state_dict).find((k) => k.endsWith('weight_ih'))!.slice(0, -'weight_ih'.length);
        const readoutKeys = c.readout ? Object.keys(c.state_dict).filter((k) => k.startsWith('fc.')) : [];
        expect(j, c.name).toMatchObject({
          cell: c.cell, activation: c.activation, inputSize: I, hiddenSize: H, outputSize: noReadout || !c.readout ? H : c.O,
          readoutPrefix: noReadout || !c.readout ? null : 'fc.',
          parameters: parameterCount(c, !noReadout), stateDimension: c.cell === 'lstm' ? 2 * H : H,
        });
        expect([...j.ignored].sort(), c.name).toEqual(noReadout ? readoutKeys.sort() : []);
        expect(j.ignored.some((k: string) => k.startsWith(prefix + 'weight') || k.startsWith(prefix + 'bias')), c.name).toBe(false);
      }
    });
  }
  it('the text names the cell\'s weight_hh (not weight_hh_l0) and lists only the readout as left out', async () => {
    const lstm = (await cli(['info', join(fx, 'lstmcell.safetensors'), '--no-readout'])).stdout;
    expect(lstm).toMatch(/\nreadout +none in the file: identity on h \(outputs = hidden states, O = H\); left out by --no-readout: fc\.bias, fc\.weight\n/);
    expect(lstm).toMatch(/\nspectral radius +W_hi [\d.]+, W_hf [\d.]+, W_hg [\d.]+, W_ho [\d.]+ \(per gate block of weight_hh\)\n/);
    const gru = (await cli(['info', join(fx, 'grucell_nobias_bare.safetensors'), '--no-readout'])).stdout;
    expect(gru).toMatch(/\nreadout +none in the file: identity on h \(outputs = hidden states, O = H\)\n/); // nothing else to leave out
    expect(gru).toMatch(/\(per gate block of weight_hh\)\n/);
    const relu = (await cli(['info', join(fx, 'rnncell_relu.npz'), '--no-readout'])).stdout;
    expect(relu).toMatch(/left out by --no-readout: fc\.weight, fc\.bias\n/);
    expect(relu).toMatch(/\nspectral radius +[\d.]+ \(of weight_hh\)\n/);
    // the layer form is named as before
    expect((await cli(['info', join(fx, 'gru.safetensors')])).stdout).toMatch(/\(per gate block of weight_hh_l0\)\n/);
    expect((await cli(['info', join(fx, 'rnn_tanh.safetensors')])).stdout).toMatch(/\(of weight_hh_l0\)\n/);
  });
  it('the spectral radii are those of the PyTorch weight_hh gate blocks (power iteration on torch\'s values)', async () => {
    for (const c of cells) {
      const j = JSON.parse((await cli(['info', join(fx, c.file), '--json', '--no-readout'])).stdout);
      const whh = Object.entries(c.state_dict).find(([k]) => k.endsWith('weight_hh'))![1].values;
      const radii = Object.values(j.spectralRadius) as number[];
      expect(radii.length).toBe(G[c.cell]);
      radii.forEach((r, g) => expect(r, `${c.name} gate ${g}`).toBeCloseTo(powerRadius(whh.slice(g * H * H, (g + 1) * H * H), H), 4));
    }
  });
  it('--prefix given for a cell reads its weight_ih names', async () => {
    const j = JSON.parse((await cli(['info', join(fx, 'lstmcell.safetensors'), '--prefix', 'rnn.', '--no-readout', '--json'])).stdout);
    expect(j).toMatchObject({ cell: 'lstm', ignored: ['fc.bias', 'fc.weight'], parameters: parameterCount(cells[3], false) });
  });
});

/**
 * ρ(W) = lim ‖W^k‖^(1/k) (Gelfand), at k = 2^50 by repeated squaring with rescaling: W^(2^m) = e^(L_m) A_m
 * with ‖A_m‖_F = 1 (an oracle independent of the eigenvalue routine info uses).
 */
function powerRadius(w: number[], n: number): number {
  let a = w.slice();
  const norm = (m: number[]): number => Math.hypot(...m);
  let L = Math.log(norm(a));
  a = a.map((x) => x / Math.exp(L));
  const M = 50;
  for (let m = 0; m < M; m++) {
    const sq = new Array<number>(n * n).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) sq[i * n + j] += a[i * n + k] * a[k * n + j];
    const s = norm(sq);
    L = 2 * L + Math.log(s);
    a = sq.map((x) => x / s);
  }
  return Math.exp(L / 2 ** M);
}

describe('rnn-lyap spectrum on nn.RNNCell / nn.GRUCell / nn.LSTMCell files', () => {
  it('is the library\'s spectrum of the network built from torch\'s values, bit for bit; --no-readout leaves it unchanged', async () => {
    for (const c of cells) {
      const act = c.cell === 'rnn' ? ['--activation', c.activation] : [];
      const base = ['spectrum', join(fx, c.file), '--inputs', join(fx, c.x), '--frame-warmup', '1', '--json', ...act];
      const r = await cli(base);
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(0);
      const got = JSON.parse(r.stdout);
      const rnn = fromTorchStateDict(dictOf(c), { activation: c.activation });
      const x = readNpy(readFileSync(join(fx, c.x)));
      const want = lyapunovSpectrum(rnn, { inputs: { shape: [...x.shape], data: Float32Array.from(x.data as ArrayLike<number>) }, frameWarmup: 1, seed: 0 });
      expect(got.exponents.map(Number), c.name).toEqual(Array.from(want.exponents)); // JSON writes -Infinity as "-Infinity"
      expect(got).toMatchObject({ cell: c.cell, dim: c.cell === 'lstm' ? 2 * H : H, sequences: 2 });
      const alone = JSON.parse((await cli([...base, '--no-readout'])).stdout);
      expect(alone.exponents, c.name).toEqual(got.exponents);
    }
  });
});
