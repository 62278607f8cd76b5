/**
 * Xie, Kohler Voinov, Mudrik, Mishne & Charles (2024), "Multiway multislice PHATE: visualizing hidden
 * dynamics of RNNs through training": hidden activations of a vanilla RNN on sequential MNIST,
 * recorded after every epoch on a fixed set of test digits as [epochs, time steps, units, samples],
 * embedded with `mmPhate`, beside a second network (a chaotic initial gain) that trains worse.
 * Per epoch: test accuracy, the spread of the units within a time step in the embedding, and the
 * modularity of the units' correlation graph.
 *
 *   npx tsx examples/studies/xie2024.ts [--quick] [--out DIR] [--fresh]
 */
import { pathToFileURL } from 'node:url';
import { mmPhate, multisliceFromStates } from '../../src/geometry/index.js';
import { evaluate, initRnn, rnnForward, train, type Rnn } from '../../src/rnn/index.js';
import { embeddingScatterPlot, scatterPlot } from '../../src/plot/index.js';
import { createLog, openCheckpoint, parseStudyArgs, smnist, writeResult } from './common.js';
import { saveFigure } from './render.js';
import { sliceSpread, unitModularity } from './units.js';

export interface XieNetwork { name: string; gain: number; learningRate: number }

export interface XieOptions {
  networks: XieNetwork[];
  hidden: number;
  epochs: number;
  trainSize: number;
  testSize: number;
  /** Fixed test digits whose activations are recorded. */
  samples: number;
  /** Record every `stepEvery`-th time step (28 / stepEvery slices per epoch). */
  stepEvery: number;
  landmarks: number;
  out: string;
  fresh: boolean;
  figures: boolean;
  log: (msg: string) => void;
}

export const XIE_FULL: Omit<XieOptions, 'out' | 'fresh' | 'figures' | 'log'> = {
  networks: [{ name: 'gain 1 (trains well)', gain: 1, learningRate: 1e-3 }, { name: 'gain 3, lr 1e-2 (trains worse)', gain: 3, learningRate: 1e-2 }],
  hidden: 32, epochs: 10, trainSize: 5000, testSize: 1000, samples: 50, stepEvery: 2, landmarks: 2000,
};
export const XIE_QUICK: typeof XIE_FULL = { ...XIE_FULL, epochs: 5, trainSize: 2000, samples: 30, stepEvery: 4, landmarks: 1000 };

interface NetRecord { data: number[]; perEpoch: { epoch: number; accuracy: number; loss: number; modularity: number }[] }

/** Records [epochs, steps, units, samples] activations of one network while it trains. */
async function record(net: XieNetwork, o: XieOptions): Promise<NetRecord> {
  const rnn: Rnn = initRnn({ inputSize: 28, hiddenSize: o.hidden, outputSize: 10, activation: 'tanh', init: 'normal', gain: net.gain, seed: 0 });
  const fixed = smnist('test', o.samples, 9000).x;
  const test = smnist('test', o.testSize);
  const steps = Math.floor(28 / o.stepEvery);
  const U = o.hidden, S = o.samples;
  const data: number[] = [];
  const perEpoch: NetRecord['perEpoch'] = [];
  await train(rnn, smnist('train', o.trainSize), {
    epochs: o.epochs, batchSize: 128, optimizer: 'adam', learningRate: net.learningRate, clipNorm: 1, seed: 0,
    onEpoch: (rec, r) => {
      // [S, 28, U] states → M-PHATE's [steps, U, S]: every stepEvery-th step, units × samples
      const times = Array.from({ length: steps }, (_, k) => (k + 1) * o.stepEvery - 1);
      const slab = multisliceFromStates(rnnForward(r, fixed).states, { times }).data;
      for (const v of slab) data.push(v);
      // units × (steps·samples) for the correlation graph of this epoch
      const act = new Float64Array(U * steps * S);
      for (let k = 0; k < steps; k++) for (let u = 0; u < U; u++) for (let s = 0; s < S; s++) act[u * steps * S + k * S + s] = slab[(k * U + u) * S + s];
      const ev = evaluate(r, test);
      perEpoch.push({ epoch: rec.epoch, accuracy: ev.accuracy ?? NaN, loss: ev.loss, modularity: unitModularity(act, U).modularity });
      o.log(`  ${net.name}: epoch ${rec.epoch}/${o.epochs} test accuracy ${(100 * (ev.accuracy ?? NaN)).toFixed(1)}%`);
    },
  });
  return { data, perEpoch };
}

export async function run(o: XieOptions): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const { out, fresh, figures, log, ...settings } = o;
  const ck = openCheckpoint(out, 'xie2024', settings, fresh);
  const steps = Math.floor(28 / o.stepEvery);
  const shape = [o.epochs, steps, o.hidden, o.samples];
  const results = [];
  for (const [i, net] of o.networks.entries()) {
    let rec = ck.get<NetRecord>(`record${i}`);
    if (!rec) {
      log(`${net.name}: training ${o.epochs} epochs, recording ${shape.join('×')}`);
      rec = await record(net, o);
      ck.set(`record${i}`, rec);
    }
    let emb = ck.get<{ embedding: number[]; epoch: number[]; time: number[]; unit: number[]; t: number }>(`embedding${i}`);
    if (!emb) {
      const t1 = performance.now();
      const r = mmPhate({ shape, data: Float64Array.from(rec.data) }, { seed: 0, landmarks: o.landmarks });
      emb = { embedding: Array.from(r.embedding), epoch: Array.from(r.epoch), time: Array.from(r.time), unit: Array.from(r.unit), t: r.t };
      ck.set(`embedding${i}`, emb);
      log(`${net.name}: mmPhate of ${r.epoch.length} nodes in ${((performance.now() - t1) / 1000).toFixed(0)} s (t = ${r.t})`);
    }
    const perEpoch = rec.perEpoch.map((p, e) => {
      const idx = emb.epoch.flatMap((v, j) => (v === e ? [j] : []));
      const sub = idx.flatMap((j) => [emb.embedding[2 * j], emb.embedding[2 * j + 1]]);
      // spread: units within a time step; unitSpread: one unit across the time steps of the epoch
      return { ...p, spread: sliceSpread(sub, idx.map((j) => emb.time[j])), unitSpread: sliceSpread(sub, idx.map((j) => emb.unit[j])) };
    });
    results.push({ network: net, shape, embedding: emb, perEpoch });
  }
  const [main, ...others] = results;
  const result = {
    study: 'xie2024',
    settings,
    wallSeconds: (performance.now() - t0) / 1000,
    shape: main.shape,
    embedding: main.embedding,
    perEpoch: main.perEpoch,
    network: main.network,
    comparison: others,
  };
  writeResult(out, 'xie2024', result);
  for (const r of results) log(`${r.network.name}: ${r.perEpoch.map((p) => `e${p.epoch} acc ${(100 * p.accuracy).toFixed(0)}% spread ${p.spread.toFixed(3)} unit ${p.unitSpread.toFixed(3)} Q ${p.modularity.toFixed(2)}`).join('; ')}`);
  if (figures) {
    const emb = results.flatMap((r) => r.embedding.embedding);
    const panels = results.flatMap((r) => r.embedding.epoch.map(() => r.network.name));
    for (const [by, name] of [['epoch', 'epoch'], ['time', 'time step'], ['unit', 'unit']] as const) {
      const labels = results.flatMap((r) => (by === 'time' ? r.embedding.time.map((t) => (t + 1) * o.stepEvery) : by === 'epoch' ? r.embedding.epoch.map((e) => e + 1) : r.embedding.unit));
      await saveFigure(out, `xie2024-${by}`, embeddingScatterPlot({ embedding: emb, labels, labelName: name, labelType: 'quantitative', panels },
        { title: `MM-PHATE of hidden units, coloured by ${name}`, width: 300, height: 300, pointSize: 6, columns: 2, xTitle: 'MM-PHATE 1', yTitle: 'MM-PHATE 2' }), { png: true });
    }
    const rows = results.flatMap((r) => r.perEpoch.map((p) => ({ ...p, net: r.network.name })));
    await saveFigure(out, 'xie2024-spread', scatterPlot({ x: rows.map((p) => p.epoch), y: rows.map((p) => p.spread), color: rows.map((p) => p.net) },
      // on a fixed 0…1 axis: the ratio is 1.000 to 4 digits, and an axis spanning the data alone drew its 5e-5 wobble as a trend
      { title: `Spread of units within a time step (MM-PHATE): ${Math.min(...rows.map((p) => p.spread)).toFixed(5)}–${Math.max(...rows.map((p) => p.spread)).toFixed(5)}, both networks`, xTitle: 'epoch', yTitle: 'within-step spread / total', colorTitle: 'network', yDomain: [0, 1] }));
    await saveFigure(out, 'xie2024-unit-spread', scatterPlot({ x: rows.map((p) => p.epoch), y: rows.map((p) => p.unitSpread), color: rows.map((p) => p.net) },
      { title: 'Spread of each unit across the time steps of an epoch (MM-PHATE)', xTitle: 'epoch', yTitle: 'within-unit spread / total', colorTitle: 'network' }));
    await saveFigure(out, 'xie2024-modularity', scatterPlot({ x: rows.map((p) => p.epoch), y: rows.map((p) => p.modularity), color: rows.map((p) => p.net) },
      { title: 'Community structure among units', xTitle: 'epoch', yTitle: 'modularity Q of |corr|', colorTitle: 'network' }));
  }
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return result;
}

async function main(): Promise<void> {
  const cli = parseStudyArgs(process.argv.slice(2), 'xie2024');
  const { log } = createLog('xie2024');
  await run({ ...(cli.quick ? XIE_QUICK : XIE_FULL), out: cli.out, fresh: cli.fresh, figures: true, log });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  });
}
