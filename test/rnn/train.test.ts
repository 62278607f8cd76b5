import { describe, expect, it } from 'vitest';
import { createRng, randn, type Tensor } from '../../src/core/index.js';
import { evaluate, initRnn, rnnLoss, train, type EpochRecord, type RnnParams } from '../../src/rnn/index.js';
import { flipFlop } from './flipflop.js';

function snapshot(p: RnnParams): number[][] {
  return [p.wIn, p.wRec, p.b, p.wOut, p.bOut].map((t) => Array.from(t.data));
}

/** Classify whether the sum of a sequence's inputs is positive (2 classes, learnable quickly). */
function signTask(n: number, T: number, seed: number): { x: Tensor; labels: Int32Array } {
  const x = randn([n, T, 2], { seed });
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < T * 2; j++) s += x.data[i * T * 2 + j];
    labels[i] = s > 0 ? 1 : 0;
  }
  return { x, labels };
}

describe('train', () => {
  it('learns the 3-bit flip-flop task to low mse within seconds', async () => {
    const data = flipFlop(256, 25, { seed: 1 });
    const validation = flipFlop(128, 25, { seed: 2 });
    const rnn = initRnn({ inputSize: 3, hiddenSize: 16, outputSize: 3, init: 'orthogonal', seed: 1 });
    // predicting 0 scores mse 1 (every target is ±1): the baseline the network must beat
    const before = evaluate(rnn, validation).loss;
    const history = await train(rnn, data, { epochs: 25, batchSize: 32, learningRate: 1e-2, clipNorm: 1, seed: 1, validation });
    const last = history.epochs[history.epochs.length - 1];
    expect(history.epochs).toHaveLength(25);
    expect(history.steps).toBe(25 * 8);
    expect(before).toBeGreaterThan(0.5);
    expect(last.valLoss!).toBeLessThan(0.03);
    expect(last.loss).toBeLessThan(0.03);
    expect(last.trainAccuracy).toBeUndefined();
    expect(evaluate(rnn, validation).loss).toBe(last.valLoss);
  });

  it('is reproducible by seed, bit for bit, and depends on it', async () => {
    const data = flipFlop(64, 10, { seed: 3 });
    const run = async (seed: number) => {
      const rnn = initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 3, seed: 4 });
      const h = await train(rnn, data, { epochs: 3, batchSize: 16, seed });
      return { params: snapshot(rnn.params), losses: h.epochs.map((r) => r.loss) };
    };
    const a = await run(5), b = await run(5), c = await run(6);
    expect(b.params).toEqual(a.params);
    expect(b.losses).toEqual(a.losses);
    expect(c.params).not.toEqual(a.params);
    // an rng function works in place of a seed
    const rnn = initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 3, seed: 4 });
    await train(rnn, data, { epochs: 3, batchSize: 16, rng: createRng(5) });
    expect(snapshot(rnn.params)).toEqual(a.params);
  });

  it('classifies with cross-entropy, reporting train and validation accuracy', async () => {
    const data = signTask(256, 6, 7);
    const validation = signTask(128, 6, 8);
    const rnn = initRnn({ inputSize: 2, hiddenSize: 12, outputSize: 2, seed: 9 });
    const h = await train(rnn, data, { epochs: 15, batchSize: 32, learningRate: 1e-2, seed: 1, validation, optimizer: 'adam' });
    const last = h.epochs[h.epochs.length - 1];
    expect(last.trainAccuracy).toBeGreaterThan(0.9);
    expect(last.valAccuracy).toBeGreaterThan(0.9);
    expect(last.valLoss).toBeLessThan(h.epochs[0].valLoss!);
    const ev = evaluate(rnn, validation, { batchSize: 50 });
    expect(ev.accuracy).toBe(last.valAccuracy);
    expect(ev.count).toBe(128);
  });

  it('merges what onEpoch returns (or resolves to) into the record; reports progress per batch', async () => {
    const data = flipFlop(40, 6, { seed: 10 });
    const rnn = initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 3, seed: 11 });
    const progress: [number, number, number][] = [];
    const seen: EpochRecord[] = [];
    const h = await train(rnn, data, {
      epochs: 3, batchSize: 16, optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
      lrSchedule: { type: 'step', stepSize: 2, gamma: 0.5 },
      onProgress: (p) => progress.push([p.epoch, p.batch, p.batches]),
      onEpoch: async (r, net) => {
        expect(net).toBe(rnn);
        seen.push(r);
        return r.epoch === 2 ? { spectrum: [0.1, -0.2] } : undefined;
      },
    });
    expect(progress).toEqual([1, 2, 3].flatMap((e) => [[e, 1, 3], [e, 2, 3], [e, 3, 3]]));
    expect(h.epochs[1].spectrum).toEqual([0.1, -0.2]);
    expect(h.epochs[0].spectrum).toBeUndefined();
    expect(seen[1]).toBe(h.epochs[1]);
    expect(h.epochs.map((r) => r.learningRate)).toEqual([0.05, 0.05, 0.025]);
    expect(h.optimizer.type).toBe('sgd');
    expect(h.epochs.every((r) => r.timeMs >= 0 && Number.isFinite(r.gradNorm))).toBe(true);
  });

  it('continues from a previous optimizer state', async () => {
    const data = flipFlop(32, 6, { seed: 12 });
    const mk = () => initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 3, seed: 13 });
    const once = mk();
    await train(once, data, { epochs: 2, batchSize: 8, seed: 1, shuffle: false });
    const twice = mk();
    const h1 = await train(twice, data, { epochs: 1, batchSize: 8, seed: 1, shuffle: false });
    const h2 = await train(twice, data, { epochs: 1, batchSize: 8, seed: 1, shuffle: false, optimizerState: h1.optimizer });
    expect(h2.steps).toBe(8);
    expect(snapshot(twice.params)).toEqual(snapshot(once.params));
  });

  it('stops between batches on abort, rejecting with the reason', async () => {
    const data = flipFlop(64, 6, { seed: 14 });
    const rnn = initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 3, seed: 15 });
    const ac = new AbortController();
    let batches = 0;
    const p = train(rnn, data, {
      epochs: 5, batchSize: 8, signal: ac.signal,
      onProgress: () => {
        if (++batches === 3) ac.abort();
      },
    });
    await expect(p).rejects.toThrow(/abort/i);
    expect(batches).toBe(3);
    // an already aborted signal: nothing happens
    const before = snapshot(rnn.params);
    await expect(train(rnn, data, { signal: ac.signal })).rejects.toThrow();
    expect(snapshot(rnn.params)).toEqual(before);
  });

  it('yields to the event loop while training', async () => {
    const data = flipFlop(64, 6, { seed: 16 });
    const rnn = initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 3, seed: 17 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await train(rnn, data, { epochs: 3, batchSize: 8, yieldEveryMs: 0 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('per-sequence initial states in train and evaluate', () => {
  const N = 6, T = 3, H = 4;
  const { x, labels } = signTask(N, T, 31);
  // distinct, large initial states: a row that travelled without its sequence changes the loss
  const h0 = randn([N, H], { seed: 32, std: 2 });
  const fresh = () => initRnn({ inputSize: 2, hiddenSize: H, outputSize: 2, seed: 33 });

  it('evaluate in batches equals rnnLoss on the whole set with the same h0 [N,H]; [H] equals its tiling', () => {
    const rnn = fresh();
    const whole = rnnLoss(rnn, { x, labels, h0 });
    const batched = evaluate(rnn, { x, labels, h0 }, { batchSize: 4 });
    // two batch means recombined (4·m1 + 2·m2)/6 against one mean: a few float64 roundings of float32 sums
    expect(Math.abs(batched.loss - whole.loss)).toBeLessThanOrEqual(8 * 2 ** -23 * whole.loss);
    expect(batched.accuracy).toBe(whole.accuracy);
    expect(Math.abs(batched.loss - evaluate(rnn, { x, labels }).loss)).toBeGreaterThan(1e-3);
    const shared = randn([H], { seed: 34 });
    const tiled = { shape: [N, H], data: new Float32Array(N * H).map((_, i) => shared.data[i % H]) };
    expect(evaluate(rnn, { x, labels, h0: shared }).loss).toBe(evaluate(rnn, { x, labels, h0: tiled }).loss);
  });

  it('train keeps each h0 row with its sequence when it shuffles (its first-epoch loss is the starting loss)', async () => {
    const rnn = fresh();
    const start = rnnLoss(rnn, { x, labels, h0 }).loss;
    const reversed = { shape: [N, H], data: new Float32Array(N * H).map((_, i) => h0.data[(N - 1 - Math.floor(i / H)) * H + (i % H)]) };
    const mismatched = rnnLoss(rnn, { x, labels, h0: reversed }).loss;
    // one batch of all N, shuffled: the loss is computed before the update, so it is the starting mean
    const history = await train(rnn, { x, labels, h0 }, { epochs: 1, batchSize: N, seed: 5, shuffle: true });
    expect(Math.abs(history.epochs[0].loss - start)).toBeLessThanOrEqual(8 * 2 ** -23 * start);
    expect(Math.abs(mismatched - start)).toBeGreaterThan(1e-3);
  });

  it('train with batches and h0 [N,H] makes the same updates as rnnLoss and SGD on the same slices', async () => {
    const a = fresh(), b = fresh();
    await train(a, { x, labels, h0 }, { epochs: 1, batchSize: 3, shuffle: false, optimizer: 'sgd', learningRate: 0.1 });
    for (const start of [0, 3]) {
      const rows = (t: Tensor, w: number) => ({ shape: [3, ...t.shape.slice(1)], data: t.data.slice(start * w, (start + 3) * w) });
      const { grads } = rnnLoss(b, { x: rows(x, T * 2), labels: labels.slice(start, start + 3), h0: rows(h0, H) });
      for (const k of ['wIn', 'wRec', 'b', 'wOut', 'bOut'] as const) {
        const p = b.params[k].data, g = grads[k].data;
        for (let i = 0; i < p.length; i++) p[i] = p[i] - 0.1 * g[i];
      }
    }
    expect(snapshot(a.params)).toEqual(snapshot(b.params));
  });
});

describe('train rejects bad input before any update', () => {
  const rnn = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 3, seed: 20 });
  const before = snapshot(rnn.params);
  const x = randn([10, 4, 3], { seed: 21 });
  const labels = Int32Array.from({ length: 10 }, (_, i) => i % 3);
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['label outside [0, O)', () => train(rnn, { x, labels: [...labels.slice(0, 9), 3] }), /train: data\.labels\[9\] = 3 is outside \[0, 3\)/],
    ['wrong input width', () => train(rnn, { x: randn([10, 4, 2]), labels }), /train: data\.x: expected shape \[B,T,3\].*got \[10,4,2\]/],
    ['NaN in one sequence', () => {
      const bad = randn([10, 4, 3], { seed: 22 });
      bad.data[7 * 12 + 2 * 3 + 1] = NaN;
      return train(rnn, { x: bad, labels });
    }, /train: data\.x: expected finite values, found NaN at \[7,2,1\]/],
    ['mismatched validation', () => train(rnn, { x, labels }, { validation: { x: randn([4, 4, 3]), labels: [0, 1] } }), /train: opts\.validation\.labels: expected 4 labels/],
    ['bad batch size', () => train(rnn, { x, labels }, { batchSize: 0 }), /train: batchSize: expected an integer >= 1, got 0/],
    ['bad clipNorm', () => train(rnn, { x, labels }, { clipNorm: -1 }), /train: clipNorm/],
    ['unknown optimizer', () => train(rnn, { x, labels }, { optimizer: 'rmsprop' as 'adam' }), /expected 'adam' or 'sgd', got 'rmsprop'/],
    ['h0 of the wrong batch size', () => train(rnn, { x, labels, h0: randn([9, 5]) }), /train: data\.h0: expected shape \[10,5\] \(\[B,H\]\) or \[5\] \(\[H\]\), got \[9,5\]/],
    ['a model without a readout', () => train({ activation: 'tanh', params: { wIn: rnn.params.wIn, wRec: rnn.params.wRec, b: rnn.params.b } } as never, { x, labels }), /train: rnn\.params: this model has no readout/],
  ];
  for (const [what, call, message] of cases) {
    it(what, async () => {
      await expect(call()).rejects.toThrow(message);
      expect(snapshot(rnn.params)).toEqual(before);
    });
  }
  it('stops with a RangeError when the loss becomes non-finite, keeping the last finite parameters', async () => {
    const net = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 3, activation: 'identity', seed: 23 });
    const data = flipFlop(16, 30, { seed: 24 });
    await expect(train(net, data, { epochs: 5, batchSize: 4, optimizer: { type: 'sgd', lr: 1e6 } })).rejects.toThrow(/train: the (loss|gradient) became non-finite .* at epoch 1, batch \d+; the parameters hold the values before this step/);
    for (const t of Object.values(net.params)) for (const v of t.data) expect(Number.isFinite(v)).toBe(true);
  });
});
