import { describe, expect, it } from 'vitest';
import { gradientCheck } from '../../src/autodiff/index.js';
import { randn, tensor, type Tensor } from '../../src/core/index.js';
import { initRnn, rnnForward, rnnLoss, type Rnn, type RnnParams } from '../../src/rnn/index.js';
import { lossGraph } from '../../src/rnn/loss.js';

const EPS32 = 2 ** -24;

function hand(wIn: number, wRec: number, b: number, u: [number, number], v: [number, number]): Rnn {
  return {
    activation: 'tanh',
    params: {
      wIn: tensor([[wIn]]), wRec: tensor([[wRec]]), b: tensor([b]),
      wOut: tensor([[u[0]], [u[1]]]), bOut: tensor([v[0], v[1]]),
    },
  };
}

function snapshot(p: RnnParams): number[][] {
  return [p.wIn, p.wRec, p.b, p.wOut, p.bOut].map((t) => Array.from(t.data));
}

describe('rnnLoss on a hand-computable network (H = 1, I = 1, O = 2, T = 2)', () => {
  // all values are float32-representable so the formulas below see exactly what the library sees
  const [a, w, c] = [0.75, -1.25, 0.125];
  const u: [number, number] = [1.5, -0.5], v: [number, number] = [0.25, -0.125];
  const x1 = 0.5, x2 = -1;
  const rnn = hand(a, w, c, u, v);
  const x = tensor([[[x1], [x2]]]);
  const h1 = Math.tanh(a * x1 + c), h2 = Math.tanh(a * x2 + w * h1 + c);
  const tol = 16 * EPS32;

  it('cross-entropy from the last step: value, accuracy and every gradient by the chain rule', () => {
    const z = [u[0] * h2 + v[0], u[1] * h2 + v[1]];
    const m = Math.max(...z), lse = m + Math.log(Math.exp(z[0] - m) + Math.exp(z[1] - m));
    const y: number = 1;
    const p = z.map((zi) => Math.exp(zi - lse));
    const dz = [p[0] - (y === 0 ? 1 : 0), p[1] - (y === 1 ? 1 : 0)];
    const dh2 = dz[0] * u[0] + dz[1] * u[1];
    const da2 = dh2 * (1 - h2 * h2);
    const da1 = da2 * w * (1 - h1 * h1);
    const r = rnnLoss(rnn, { x, labels: [y] }, { loss: 'cross-entropy' });
    expect(r.loss).toBeCloseTo(lse - z[y], 6);
    expect(r.accuracy).toBe(z[1] > z[0] ? 1 : 0);
    const g = r.grads;
    const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(tol * Math.max(1, Math.abs(want)));
    close(g.wOut.data[0], dz[0] * h2);
    close(g.wOut.data[1], dz[1] * h2);
    close(g.bOut.data[0], dz[0]);
    close(g.bOut.data[1], dz[1]);
    close(g.wRec.data[0], da2 * h1);
    close(g.wIn.data[0], da2 * x2 + da1 * x1);
    close(g.b.data[0], da2 + da1);
  });

  it('mse over every step and unit: value and gradients by the chain rule', () => {
    const tgt = [[0.5, -0.25], [1, 0]]; // [t][o]
    const targets = tensor([tgt]);
    const h = [h1, h2];
    const n = 4; // T·O
    let loss = 0;
    const dy = [[0, 0], [0, 0]];
    for (let t = 0; t < 2; t++) for (let o = 0; o < 2; o++) {
      const e = u[o] * h[t] + v[o] - tgt[t][o];
      loss += (e * e) / n;
      dy[t][o] = (2 * e) / n;
    }
    const dh = [0, 1].map((t) => dy[t][0] * u[0] + dy[t][1] * u[1]);
    const da2 = dh[1] * (1 - h2 * h2);
    const da1 = (dh[0] + da2 * w) * (1 - h1 * h1);
    const r = rnnLoss(rnn, { x, targets });
    expect(r.accuracy).toBeUndefined();
    expect(r.loss).toBeCloseTo(loss, 6);
    const g = r.grads;
    const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(tol * Math.max(1, Math.abs(want)));
    close(g.wOut.data[0], dy[0][0] * h1 + dy[1][0] * h2);
    close(g.wOut.data[1], dy[0][1] * h1 + dy[1][1] * h2);
    close(g.bOut.data[0], dy[0][0] + dy[1][0]);
    close(g.wRec.data[0], da2 * h1);
    close(g.wIn.data[0], da2 * x2 + da1 * x1);
    close(g.b.data[0], da2 + da1);
  });

  it('h0 of shape [H] and [B,H] give the same result; the forward states match the recurrence', () => {
    const h0 = tensor([0.3]);
    const r1 = rnnLoss(rnn, { x, labels: [0], h0 });
    const r2 = rnnLoss(rnn, { x, labels: [0], h0: tensor([[0.3]]) });
    expect(r1.loss).toBe(r2.loss);
    const { states, outputs } = rnnForward(rnn, x, h0);
    const s1 = Math.tanh(a * x1 + w * Math.fround(0.3) + c);
    const s2 = Math.tanh(a * x2 + w * Math.fround(s1) + c);
    expect(states.data[0]).toBeCloseTo(s1, 6);
    expect(states.data[1]).toBeCloseTo(s2, 6);
    expect(outputs.data[3]).toBeCloseTo(u[1] * Math.fround(s2) + v[1], 6);
  });
});

describe('rnnLoss = the loss graph, checked against float64 central differences', () => {
  for (const activation of ['tanh', 'relu'] as const) {
    it(`${activation}: cross-entropy and mse`, () => {
      const rnn = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 4, activation, gain: 1.3, seed: 2 });
      const x = randn([4, 6, 3], { seed: 3 });
      const labels = new Int32Array([3, 0, 1, 3]);
      const targets = randn([4, 6, 4], { seed: 4 });
      for (const [kind, batch] of [['cross-entropy', { x, labels }], ['mse', { x, targets }]] as const) {
        const r = gradientCheck((p) => lossGraph(p, batch, activation, kind, null), rnn.params);
        expect(r.ok ? true : r.worst).toBe(true);
        // the float32 training path agrees with the float64 analytic gradient to float32 rounding
        const got = rnnLoss(rnn, batch, { loss: kind }).grads;
        let worst = 0, scale = 1;
        for (const e of r.entries) scale = Math.max(scale, Math.abs(e.analytic));
        for (const e of r.entries) worst = Math.max(worst, Math.abs((got as unknown as Record<string, Tensor>)[e.param].data[e.index] - e.analytic));
        expect(worst).toBeLessThan(8 * 6 * (3 + 5 + 1) * EPS32 * scale);
      }
    });
  }
  it('writes into opts.grads and reuses its buffers across calls (same results)', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 5 });
    const x = randn([3, 4, 2], { seed: 6 });
    const first = rnnLoss(rnn, { x, labels: [0, 1, 1] });
    const grads: RnnParams = {
      wIn: { shape: [3, 2], data: new Float32Array(6) }, wRec: { shape: [3, 3], data: new Float32Array(9) },
      b: { shape: [3], data: new Float32Array(3) }, wOut: { shape: [2, 3], data: new Float32Array(6) }, bOut: { shape: [2], data: new Float32Array(2) },
    };
    const second = rnnLoss(rnn, { x, labels: [0, 1, 1] }, { grads });
    expect(second.grads.wRec).toBe(grads.wRec);
    expect(second.loss).toBe(first.loss);
    expect(snapshot(second.grads)).toEqual(snapshot(first.grads));
  });
});

describe('rnnLoss rejects bad input with the argument and shapes named, leaving parameters unchanged', () => {
  const rnn = initRnn({ inputSize: 4, hiddenSize: 6, outputSize: 3, seed: 7 });
  const before = snapshot(rnn.params);
  const x = randn([2, 5, 4], { seed: 8 });
  const cases: [string, () => unknown, RegExp][] = [
    ['label outside [0, O)', () => rnnLoss(rnn, { x, labels: [0, 3] }), /rnnLoss: batch\.labels\[1\] = 3 is outside \[0, 3\)/],
    ['negative label', () => rnnLoss(rnn, { x, labels: new Int32Array([-1, 0]) }), /batch\.labels\[0\] = -1/],
    ['non-integer label', () => rnnLoss(rnn, { x, labels: [0.5, 0] }), /batch\.labels\[0\] = 0\.5/],
    ['labels of the wrong length', () => rnnLoss(rnn, { x, labels: [0] }), /batch\.labels: expected 2 labels/],
    ['wrong input width', () => rnnLoss(rnn, { x: randn([2, 5, 3]), labels: [0, 1] }), /rnnLoss: batch\.x: expected shape \[B,T,4\].*inputSize 4.*got \[2,5,3\]/],
    ['rank-2 input', () => rnnLoss(rnn, { x: randn([5, 4]), labels: [0, 1] }), /batch\.x: expected shape \[B,T,4\].*got \[5,4\]/],
    ['NaN in the batch', () => {
      const bad = randn([2, 5, 4], { seed: 9 });
      bad.data[1 * 20 + 3 * 4 + 2] = NaN;
      return rnnLoss(rnn, { x: bad, labels: [0, 1] });
    }, /rnnLoss: batch\.x: expected finite values, found NaN at \[1,3,2\] \(\[b,t,i\]\) of shape \[2,5,4\]/],
    ['mismatched h0', () => rnnLoss(rnn, { x, labels: [0, 1], h0: randn([3, 6]) }), /rnnLoss: batch\.h0: expected shape \[2,6\] \(\[B,H\]\) or \[6\] \(\[H\]\), got \[3,6\]/],
    ['targets of the wrong shape', () => rnnLoss(rnn, { x, targets: randn([2, 5, 2]) }), /batch\.targets: expected shape \[2,5,3\].*got \[2,5,2\]/],
    ['cross-entropy without labels', () => rnnLoss(rnn, { x, targets: randn([2, 5, 3]) }, { loss: 'cross-entropy' }), /needs 'labels'/],
    ['neither labels nor targets', () => rnnLoss(rnn, { x }), /expected 'labels'.*or 'targets'/],
    ['NaN in the weights', () => {
      const r2 = initRnn({ inputSize: 4, hiddenSize: 6, outputSize: 3, seed: 7 });
      r2.params.wRec.data[7] = Infinity;
      return rnnLoss(r2, { x, labels: [0, 1] });
    }, /rnnLoss: rnn\.params\.wRec: expected finite values, found Infinity at \[1,1\]/],
    ['inconsistent parameter shapes', () => rnnLoss({ ...rnn, params: { ...rnn.params, b: randn([5]) } }, { x, labels: [0, 1] }), /rnn\.params\.b: expected shape \[6\] \(\[H\]\), got \[5\]/],
  ];
  for (const [what, call, message] of cases) {
    it(what, () => {
      expect(call).toThrow(message);
      expect(snapshot(rnn.params)).toEqual(before);
    });
  }
  it('uses RangeError for shapes and values, TypeError for wrong kinds', () => {
    expect(() => rnnLoss(rnn, { x, labels: [0, 3] })).toThrow(RangeError);
    // number[] data is an accepted form (the core input normaliser): two values for a [2,5,4] shape is a wrong size
    expect(() => rnnLoss(rnn, { x: { shape: [2, 5, 4], data: [1, 2] } as unknown as Tensor, labels: [0, 1] })).toThrow(RangeError);
    expect(() => rnnLoss(rnn, { x: { shape: [2, 5, 4], data: 'ab' } as unknown as Tensor, labels: [0, 1] })).toThrow(TypeError);
    expect(() => rnnLoss(rnn, { x: 42 as unknown as Tensor, labels: [0, 1] })).toThrow(/rnnLoss: batch\.x: expected a Tensor/);
    expect(() => rnnLoss(rnn, { x, labels: 'ab' as unknown as number[] })).toThrow(TypeError);
  });
});
