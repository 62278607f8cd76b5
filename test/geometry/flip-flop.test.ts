import { describe, expect, it } from 'vitest';
import { initRnn, rnnForward, train } from '../../src/rnn/index.js';
import { flipFlopTask } from '../../src/data/tasks.js';
import { findFixedPoints } from '../../src/geometry/fixed-points.js';

describe('findFixedPoints on a trained 3-bit flip-flop network (Sussillo & Barak 2013)', () => {
  it('finds 8 stable fixed points whose readouts sit near the 8 corners of the cube', async () => {
    const H = 24;
    const task = flipFlopTask({ bits: 3, steps: 50, batch: 256, pFlip: 0.1, initialPulse: true, seed: 1 });
    const rnn = initRnn({ inputSize: 3, hiddenSize: H, outputSize: 3, seed: 1 });
    const history = await train(rnn, task, { epochs: 20, batchSize: 32, learningRate: 0.01, clipNorm: 1, seed: 1, loss: 'mse' });
    const loss = history.epochs.at(-1)!.loss;
    expect(loss).toBeLessThan(0.05);
    const { states } = rnnForward(rnn, task.x);
    const res = findFixedPoints(rnn, { states, nStarts: 256, noise: 0.05, seed: 1, input: [0, 0, 0] });
    const stable = res.points.filter((p) => p.stability === 'stable');
    expect(stable.length).toBe(8);
    const W = rnn.params.wOut.data;
    const b = rnn.params.bOut.data;
    const corners = new Set<string>();
    for (const p of stable) {
      expect(p.q).toBeLessThan(1e-12);
      const y = [0, 1, 2].map((o) => {
        let s = b[o]!;
        for (let j = 0; j < H; j++) s += W[o * H + j]! * p.x[j]!;
        return s;
      });
      // memory states hold the target ±1; the per-step rms error of the trained network is √loss
      for (const v of y) expect(Math.abs(Math.abs(v) - 1)).toBeLessThan(Math.sqrt(loss) + 0.02);
      corners.add(y.map(Math.sign).join(','));
    }
    expect(corners.size).toBe(8);
    // every other point found is unstable in at least one direction (saddles between memories)
    for (const p of res.points) if (p.stability !== 'stable') expect(p.unstableModes).toBeGreaterThan(0);
  }, 30000);
});
