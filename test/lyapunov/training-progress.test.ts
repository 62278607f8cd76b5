// lyapunovDuringTraining had no onProgress (it was an unknown option): a full spectrum over thousands
// of held-out sequences ran for minutes per epoch with nothing to show (docs/lyapunov.md, "What a
// driven run costs"). It now reports as lyapunovSpectrum does, plus the epoch measured, and the
// measurement is bit for bit the one without it.
import { describe, expect, it } from 'vitest';
import { initRnn, train } from '../../src/rnn/index.js';
import { lyapunovDuringTraining, lyapunovSpectrum, type LyapunovProgress } from '../../src/lyapunov/index.js';
import { flipFlop } from '../rnn/flipflop.js';

const rnn = () => initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 3, seed: 2 });
const probe = { shape: [3, 40, 3], data: Float32Array.from({ length: 3 * 40 * 3 }, (_, j) => Math.sin(j * 0.3)) };

describe('lyapunovDuringTraining onProgress', () => {
  it('reports each sequence with the epoch; the measurement is unchanged', () => {
    const seen: (LyapunovProgress & { epoch: number })[] = [];
    const withP = lyapunovDuringTraining({ inputs: probe, k: 3, onProgress: (p) => seen.push(p) });
    const without = lyapunovDuringTraining({ inputs: probe, k: 3 });
    const net = rnn();
    const a = withP({ epoch: 4 }, net)!.lyapunov;
    const b = without({ epoch: 4 }, net)!.lyapunov;
    expect(Array.from(a.exponents)).toEqual(Array.from(b.exponents));
    expect(Array.from(a.exponents)).toEqual(Array.from(lyapunovSpectrum(net, { inputs: probe, k: 3 }).exponents));
    // at least the end of each sequence, all marked with the epoch, the last one complete
    expect(new Set(seen.map((p) => p.sequence))).toEqual(new Set([0, 1, 2]));
    expect(seen.every((p) => p.epoch === 4 && p.sequences === 3)).toBe(true);
    expect(seen[seen.length - 1].done).toBe(seen[seen.length - 1].total);
  });
  it('inside train: one set of reports per measured epoch', async () => {
    const epochs: number[] = [];
    const onEpoch = lyapunovDuringTraining({ inputs: probe, k: 2, every: 2, onProgress: (p) => epochs.push(p.epoch) });
    await train(rnn(), flipFlop(16, 6, { seed: 1 }), { epochs: 4, batchSize: 8, onEpoch });
    expect([...new Set(epochs)]).toEqual([2, 4]);
  });
  it('a non-function is refused when the callback is made, before any training', () => {
    expect(() => lyapunovDuringTraining({ inputs: probe, onProgress: 5 as never })).toThrow(TypeError);
    expect(() => lyapunovDuringTraining({ inputs: probe, onProgress: 5 as never })).toThrow(/^lyapunovDuringTraining: onProgress/);
  });
});
