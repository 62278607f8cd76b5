import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/core/index.js';
import { createOptimizer, evaluate, initRnn, loadOptimizerState, loadRnn, optimizerStep, predict, rnnForward, rnnLoss, saveRnn, statesAt, train } from '../../src/rnn/index.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength)));

describe('optimizers refuse what would poison the weights, leaving them bitwise unchanged', () => {
  it("Adam with eps: 0 is refused (a zero gradient would give NaN)", () => {
    const p = { w: tensor([1, 2]) };
    expect(() => createOptimizer({ type: 'adam', eps: 0 }, p)).toThrow(/eps > 0/);
    const st = createOptimizer('adam', p);
    st.eps = 0;
    const before = bits(p.w.data);
    expect(() => optimizerStep(st, p, { w: tensor([0, 0]) })).toThrow(RangeError);
    expect(bits(p.w.data)).toEqual(before);
    expect(st.step).toBe(0);
  });
  it('NaN gradients are refused; params and moments unchanged', () => {
    const p = { a: tensor([1, 2, 3]), b: tensor([4]) };
    const st = createOptimizer('adam', p);
    optimizerStep(st, p, { a: tensor([0.1, 0.2, 0.3]), b: tensor([1]) });
    const before = [bits(p.a.data), bits(p.b.data)], m = st.m.a.slice(), step = st.step;
    expect(() => optimizerStep(st, p, { a: tensor([0.1, 0.2, 0.3]), b: tensor([NaN]) })).toThrow(/grads.b holds NaN/);
    expect([bits(p.a.data), bits(p.b.data)]).toEqual(before);
    expect(st.m.a).toEqual(m);
    expect(st.step).toBe(step);
  });
  it('an update that overflows float32 is refused and nothing is written (all parameters)', () => {
    const p = { a: tensor([1]), b: tensor([1]) };
    const st = createOptimizer({ type: 'sgd', lr: 1 }, p);
    const before = [bits(p.a.data), bits(p.b.data)];
    expect(() => optimizerStep(st, p, { a: tensor([1]), b: tensor([-3e38]) }, 10)).toThrow(/params.b non-finite.*unchanged/);
    expect([bits(p.a.data), bits(p.b.data)]).toEqual(before);
  });
  it('train surfaces the refusal and the network keeps its weights', async () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const x = tensor(new Float32Array(4 * 3 * 2).fill(0.5), [4, 3, 2]);
    const before = bits(rnn.params.wRec.data);
    await expect(train(rnn, { x, labels: [0, 1, 0, 1] }, { optimizer: 'sgd', learningRate: 1e300 })).rejects.toThrow(/non-finite.*unchanged/);
    expect(bits(rnn.params.wRec.data)).toEqual(before);
  });
  it('train reports { phase, done, total } and refuses a bad signal before any work', async () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const x = tensor(new Float32Array(4 * 3 * 2).fill(0.5), [4, 3, 2]);
    const seen: { done: number; total: number; phase?: string }[] = [];
    await train(rnn, { x, labels: [0, 1, 0, 1] }, { epochs: 2, batchSize: 2, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(seen.every((p) => p.total === 4 && p.phase === 'train')).toBe(true);
    const before = bits(rnn.params.wRec.data);
    await expect(train(rnn, { x, labels: [0, 1, 0, 1] }, { signal: 'x' as never })).rejects.toThrow(TypeError);
    expect(bits(rnn.params.wRec.data)).toEqual(before);
  });
  it('a polluted Object.prototype.rng or .epochs does not reach train or initRnn', async () => {
    const ref = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 4 });
    const proto = Object.prototype as Record<string, unknown>;
    proto.rng = () => 0.25;
    proto.gain = 100;
    try {
      const again = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 4 });
      expect(again.params.wRec.data).toEqual(ref.params.wRec.data);
    } finally {
      delete proto.rng;
      delete proto.gain;
    }
  });
});

describe('rng edge values and sizes in the RNN', () => {
  it('initRnn with an rng returning 0 terminates; with 1.5 is a RangeError naming initRnn', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, rng: () => 0 });
    expect(Array.from(rnn.params.wRec.data).every((v) => v === 0)).toBe(true);
    expect(() => initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, rng: () => 1.5 })).toThrow(/initRnn: rng/);
    expect(() => initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: NaN })).toThrow(RangeError);
  });
  it('orthogonal init at H = 2·10⁴ is refused before allocating', () => {
    expect(() => initRnn({ inputSize: 1, hiddenSize: 20000, outputSize: 1, init: 'orthogonal' })).toThrow(/initRnn: hiddenSize.*GB/);
  });
  it('saveRnn of H = 6000 is refused with the memory needed (checked before any array is built)', () => {
    const H = 6000;
    const big = new Float32Array(H * H);
    const rnn = {
      activation: 'tanh' as const,
      params: {
        wIn: { shape: [H, 1], data: new Float32Array(H) }, wRec: { shape: [H, H], data: big },
        b: { shape: [H], data: new Float32Array(H) }, wOut: { shape: [1, H], data: new Float32Array(H) }, bOut: { shape: [1], data: new Float32Array(1) },
      },
    };
    expect(() => saveRnn(rnn)).toThrow(/saveRnn: rnn.*safetensors/);
  });
  it('loadRnn keeps the metadata saveRnn wrote', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const back = loadRnn(saveRnn(rnn, { metadata: { epochs: 3, note: 'x' } }), { cell: 'rnn' });
    expect(back.metadata).toEqual({ epochs: 3, note: 'x' });
    expect(back.params.wRec.data).toEqual(rnn.params.wRec.data);
    expect(rnnLoss(back, { x: tensor(new Float32Array(6), [1, 3, 2]), labels: [1] }).loss).toBeGreaterThan(0);
  });
});

describe('one dialect: inputs and helpers', () => {
  const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 3, seed: 2 });
  const x = tensor(Float32Array.from({ length: 2 * 5 * 2 }, (_, i) => Math.sin(i)), [2, 5, 2]);
  it('labels accept Uint8Array (what readIdx returns), same loss as Int32Array', () => {
    const a = rnnLoss(rnn, { x, labels: new Int32Array([1, 2]) }).loss;
    const b = rnnLoss(rnn, { x, labels: new Uint8Array([1, 2]) }).loss;
    expect(b).toBe(a);
  });
  it('rnnForward accepts one sequence [T,I] as [1,T,I], bit for bit', () => {
    const one = { shape: [5, 2], data: x.data.slice(0, 10) };
    const r1 = rnnForward(rnn, one);
    const rb = rnnForward(rnn, x);
    expect(r1.states.shape).toEqual([1, 5, 4]);
    expect(r1.states.data).toEqual(rb.states.data.slice(0, 20));
  });
  it('statesAt gives [B,H] at a step (negative from the end) and predict the last-step argmax', () => {
    const { states, outputs } = rnnForward(rnn, x);
    const last = statesAt(states, -1);
    expect(last.shape).toEqual([2, 4]);
    expect(Array.from(last.data.subarray(4, 8))).toEqual(Array.from(states.data.subarray((1 * 5 + 4) * 4, (1 * 5 + 5) * 4)));
    expect(statesAt(states, 0).data).toEqual(Float32Array.from([...states.data.subarray(0, 4), ...states.data.subarray(20, 24)]));
    expect(() => statesAt(states, 5)).toThrow(RangeError);
    const cls = predict(rnn, x);
    for (let b = 0; b < 2; b++) {
      const row = Array.from(outputs.data.subarray((b * 5 + 4) * 3, (b * 5 + 5) * 3));
      expect(cls[b]).toBe(row.indexOf(Math.max(...row)));
    }
  });
});

describe('resuming training', () => {
  it('a run resumed from the JSON of its history equals an uninterrupted one bit for bit', async () => {
    const make = () => initRnn({ inputSize: 2, hiddenSize: 5, outputSize: 2, seed: 3 });
    const N = 10;
    const x = tensor(Float32Array.from({ length: N * 4 * 2 }, (_, i) => Math.sin(0.7 * i)), [N, 4, 2]);
    const labels = Array.from({ length: N }, (_, i) => i % 2);
    const opts = { batchSize: 3, seed: 9, clipNorm: 1, lrSchedule: { type: 'step' as const, stepSize: 1, gamma: 0.5 } };
    const whole = make();
    const h4 = await train(whole, { x, labels }, { ...opts, epochs: 4 });
    const part = make();
    const h2 = await train(part, { x, labels }, { ...opts, epochs: 2 });
    const saved = JSON.parse(JSON.stringify(h2));
    const resumed = loadRnn(saveRnn(part), { cell: 'rnn' });
    const hr = await train(resumed, { x, labels }, { ...opts, epochs: 2, resume: saved });
    expect(hr.epochs.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(hr.steps).toBe(h4.steps);
    for (const k of ['wIn', 'wRec', 'b', 'wOut', 'bOut'] as const) {
      expect(bits(resumed.params[k].data)).toEqual(bits(whole.params[k].data));
    }
    expect(hr.epochs[3].loss).toBe(h4.epochs[3].loss);
    expect(Array.from(hr.optimizer.v.wRec)).toEqual(Array.from(h4.optimizer.v.wRec));
  });
  it('loadOptimizerState round-trips JSON exactly and validates', () => {
    const p = { w: tensor([1, 2, 3]) };
    const st = createOptimizer('adam', p);
    optimizerStep(st, p, { w: tensor([0.1, -0.2, 0.3]) });
    const back = loadOptimizerState(JSON.stringify(st));
    expect(back.m.w).toEqual(st.m.w);
    expect(back.v.w).toEqual(st.v.w);
    expect(back.step).toBe(1);
    expect(() => loadOptimizerState({ ...JSON.parse(JSON.stringify(st)), eps: 0 })).toThrow(RangeError);
  });
});

describe('evaluate progress and signal', () => {
  it('reports { phase, done, total } ending at done = total and refuses an aborted or bad signal', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const x = tensor(new Float32Array(5 * 3 * 2).fill(0.1), [5, 3, 2]);
    const seen: { phase?: string; done: number; total: number }[] = [];
    const r = evaluate(rnn, { x, labels: [0, 1, 0, 1, 0] }, { batchSize: 2, onProgress: (p) => seen.push(p) });
    expect(r.count).toBe(5);
    expect(seen.at(-1)).toEqual({ phase: 'evaluate', done: 5, total: 5 });
    const ac = new AbortController();
    ac.abort();
    expect(() => evaluate(rnn, { x, labels: [0, 1, 0, 1, 0] }, { signal: ac.signal })).toThrow();
    expect(() => evaluate(rnn, { x, labels: [0, 1, 0, 1, 0] }, { signal: 'x' as never })).toThrow(TypeError);
    expect(evaluate(rnn, { x, labels: [0, 1, 0, 1, 0] }, null as never).loss).toBe(evaluate(rnn, { x, labels: [0, 1, 0, 1, 0] }).loss);
  });
});
