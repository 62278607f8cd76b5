import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/core/index.js';
import { fromTorchStateDict, rnnForward, rnnLoss, toTorchStateDict, initRnn, type TorchValue } from '../../src/rnn/index.js';

const EPS32 = 2 ** -24;
const fx = JSON.parse(readFileSync(new URL('./fixtures/torch-rnn-small.json', import.meta.url), 'utf8'));
const { B, T, I, H, O } = fx;
const x = tensor(fx.x);
const targets = tensor(fx.targets);

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v as number];
}

/** |a − b| ≤ tol·max(1, max|b|) elementwise. */
function expectClose(a: ArrayLike<number>, b: number[], tol: number): void {
  expect(a.length).toBe(b.length);
  let scale = 1;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThanOrEqual(tol * scale);
}

describe('PyTorch nn.RNN + nn.Linear state dicts (fixture computed by PyTorch in float64)', () => {
  // float32 evaluation of a depth-T recurrence with (I+H+1)-term sums: a few ε32 per term per step
  const tol = 8 * T * (I + H + 1) * EPS32;
  for (const c of fx.cases) {
    it(`${c.nonlinearity}: states, readouts, losses and gradients match PyTorch`, () => {
      const rnn = fromTorchStateDict(c.state_dict, { activation: c.nonlinearity, cell: 'rnn' });
      expect(rnn.params.wIn.shape).toEqual([H, I]);
      expect(rnn.params.wOut.shape).toEqual([O, H]);
      // b = bias_ih + bias_hh
      const bExpected = c.state_dict['rnn.bias_ih_l0'].map((v: number, i: number) => Math.fround(v + c.state_dict['rnn.bias_hh_l0'][i]));
      expect(Array.from(rnn.params.b.data)).toEqual(bExpected);
      const { states, outputs } = rnnForward(rnn, x);
      expectClose(states.data, flat(c.states), tol);
      expectClose(outputs.data, flat(c.outputs), tol);
      const ce = rnnLoss(rnn, { x, labels: fx.labels });
      expect(Math.abs(ce.loss - c.ce)).toBeLessThan(tol * Math.max(1, c.ce));
      const mse = rnnLoss(rnn, { x, targets }, { loss: 'mse' });
      expect(Math.abs(mse.loss - c.mse)).toBeLessThan(tol * Math.max(1, c.mse));
      for (const [res, g] of [[ce, c.grads_ce], [mse, c.grads_mse]] as const) {
        expectClose(res.grads.wIn.data, flat(g['rnn.weight_ih_l0']), tol);
        expectClose(res.grads.wRec.data, flat(g['rnn.weight_hh_l0']), tol);
        expectClose(res.grads.b.data, flat(g['rnn.bias_ih_l0']), tol);
        expectClose(res.grads.b.data, flat(g['rnn.bias_hh_l0']), tol);
        expectClose(res.grads.wOut.data, flat(g['fc.weight']), tol);
        expectClose(res.grads.bOut.data, flat(g['fc.bias']), tol);
      }
    });
  }
  it('round-trips through toTorchStateDict exactly (b exported as bias_ih, bias_hh = 0)', () => {
    const rnn = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 2, init: 'pytorch', seed: 3 });
    const sd = toTorchStateDict(rnn);
    expect(Object.keys(sd).sort()).toEqual(['fc.bias', 'fc.weight', 'rnn.bias_hh_l0', 'rnn.bias_ih_l0', 'rnn.weight_hh_l0', 'rnn.weight_ih_l0']);
    expect(sd['rnn.bias_hh_l0']).toEqual([0, 0, 0, 0, 0]);
    const back = fromTorchStateDict(JSON.parse(JSON.stringify(sd)), { cell: 'rnn' });
    for (const k of ['wIn', 'wRec', 'b', 'wOut', 'bOut'] as const) {
      expect(back.params[k].shape).toEqual(rnn.params[k].shape);
      expect(Array.from(back.params[k].data)).toEqual(Array.from(rnn.params[k].data));
    }
    // { shape, data } values and custom prefixes
    const t = toTorchStateDict(rnn, { prefix: 'enc.', readoutPrefix: 'head.', format: 'tensor' }) as Record<string, Tensor>;
    const dict: Record<string, TorchValue> = {};
    for (const [k, v] of Object.entries(t)) dict[k] = { shape: v.shape, data: Array.from(v.data) };
    const back2 = fromTorchStateDict(dict);
    expect(Array.from(back2.params.wRec.data)).toEqual(Array.from(rnn.params.wRec.data));
  });
  it('finds model prefixes and the readout names PyTorch models commonly use', () => {
    const c = fx.cases[0];
    const renamed: Record<string, TorchValue> = {};
    for (const [k, v] of Object.entries(c.state_dict)) renamed[`model.${k.replace('fc.', 'readout.')}`] = v as TorchValue;
    const rnn = fromTorchStateDict(renamed);
    expect(rnn.params.wOut.shape).toEqual([O, H]);
    // missing biases (bias=False) become zeros
    const noBias: Record<string, TorchValue> = {};
    for (const [k, v] of Object.entries(c.state_dict)) if (!k.includes('bias')) noBias[k] = v as TorchValue;
    expect(Array.from(fromTorchStateDict(noBias, { cell: 'rnn' }).params.b.data)).toEqual(new Array(H).fill(0));
  });
  it('rejects what it cannot represent, naming the key', () => {
    const sd = fx.cases[0].state_dict;
    expect(() => fromTorchStateDict({ ...sd, 'rnn.weight_ih_l1': sd['rnn.weight_ih_l0'] })).toThrow(/weight_ih_l1.*single-layer/);
    const { ['fc.weight']: _w, ...noReadout } = sd;
    expect(() => fromTorchStateDict(noReadout)).toThrow(/neither the recurrent layer \(rnn\.\*\) nor a readout .*: 'fc\.bias' \[3\]/);
    expect(() => fromTorchStateDict({ ...sd, 'rnn.weight_hh_l0': [[1, 2], [3, 4]] })).toThrow(/'rnn.weight_hh_l0' must have shape \[4,4\].*got \[2,2\]/);
    expect(() => fromTorchStateDict({ ...sd, 'rnn.bias_hh_l0': [1, 2] })).toThrow(/'rnn.bias_hh_l0' must have shape \[4\]/);
    expect(() => fromTorchStateDict({ ...sd, 'fc.weight': [[1, 2], [3]] })).toThrow(/'fc.weight'.*ragged/);
    expect(() => fromTorchStateDict({ ...sd, 'fc.weight': [[1, 2], [3, 4]] })).toThrow(/'fc\.weight' must have shape \[O,4\] \(\[O,H\], H = 4 from weight_hh_l0 \[4,4\]\), got \[2,2\]/);
  });
});
