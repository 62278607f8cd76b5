import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRnn, rnnForward, type GatedRnn } from '../../../src/rnn/index.js';
import { flipFlopFixedPoints, flipFlopHeldOut, trainFlipFlop } from '../../../examples/flipflop-fixed-points.js';

const load = (cell: string) => loadRnn(JSON.parse(readFileSync(new URL(`../../fixtures/gated-flipflop/${cell}16.json`, import.meta.url), 'utf8'))) as unknown as GatedRnn;

/** The FixedPointFinder checks (Golub & Sussillo 2018): 8 stable points, one per 3-bit memory. */
function checkEightMemories(rnn: GatedRnn): void {
  const H = 16;
  const { stable, points } = flipFlopFixedPoints(rnn, flipFlopHeldOut().x);
  expect(stable.length).toBe(8);
  expect(new Set(stable.map((p) => p.bits)).size).toBe(8);
  for (const p of stable) {
    expect(p.x.length).toBe(rnn.cell === 'lstm' ? 2 * H : H);
    expect(p.maxModulus).toBeLessThan(1);
    expect(p.q).toBeLessThan(1e-12);
    // a memory state reads out its corner of the cube
    for (const v of p.readout) expect(Math.abs(Math.abs(v) - 1)).toBeLessThan(0.2);
    // independent residual: one step of rnnForward (float32) from [h; c] with zero input returns x*
    const f = rnnForward(rnn, { shape: [1, 1, 3], data: new Float32Array(3) }, { shape: [1, p.x.length], data: Float32Array.from(p.x) }) as { states: { data: Float32Array }; cells?: { data: Float32Array } };
    let worst = 0;
    for (let j = 0; j < H; j++) worst = Math.max(worst, Math.abs(f.states.data[j] - p.x[j]));
    if (f.cells) for (let j = 0; j < H; j++) worst = Math.max(worst, Math.abs(f.cells.data[j] - p.x[H + j]));
    expect(worst).toBeLessThan(1e-5); // float32 round-off of a 16-unit step (and of x* to float32)
  }
  // the other points (between memories) are not stable
  for (const p of points) if (p.stability !== 'stable') expect(p.unstableModes).toBeGreaterThan(0);
}

describe('FixedPointFinder on 3-bit flip-flop: 8 stable fixed points, one per memory', () => {
  it('a 16-unit LSTM (committed weights, test/fixtures/gated-flipflop/make.ts): 8 stable points of the full state [h; c], decoding to the 8 corners', () => {
    checkEightMemories(load('lstm'));
  });
  it('a 16-unit GRU (committed weights): 8 stable points, decoding to the 8 corners', () => {
    checkEightMemories(load('gru'));
  });
  it('training the LSTM from scratch (the generator of the fixture) gives the same result', async () => {
    checkEightMemories(await trainFlipFlop('lstm'));
  }, 120_000);
});
