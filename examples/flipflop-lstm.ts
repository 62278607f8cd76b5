/**
 * FixedPointFinder's classic result (Golub & Sussillo 2018; Sussillo & Barak 2013): a 16-unit LSTM
 * trained on the 3-bit flip-flop task holds its memory in 8 stable fixed points of the zero-input map,
 * one per memory state (a corner of the cube {−1, +1}³). The state is the LSTM's full state [h; c]
 * (dimension 32); stability is that of the 32×32 Jacobian of the one-step map.
 *
 * Run: `npx tsx examples/flipflop-lstm.ts [lstm|gru] [--write FILE]` — trains (10–30 s), prints the
 * fixed points with their readouts and largest eigenvalue moduli; `--write` saves the trained network
 * with `saveRnn` (test/fixtures/gated-flipflop/make.ts writes the test fixtures the same way).
 */
import { writeFileSync } from 'node:fs';
import { evaluate, saveRnn } from '../src/rnn/index.js';
import { flipFlopFixedPoints, flipFlopHeldOut, trainFlipFlop } from './flipflop-fixed-points.js';

const cell = (process.argv[2] === 'gru' ? 'gru' : 'lstm') as 'gru' | 'lstm';
const wi = process.argv.indexOf('--write');
const out = wi > 0 ? process.argv[wi + 1] : undefined;

async function main() {
  const t0 = performance.now();
  const rnn = await trainFlipFlop(cell);
  const test = flipFlopHeldOut();
  console.log(`${cell.toUpperCase()} H=16: trained in ${((performance.now() - t0) / 1000).toFixed(1)} s, held-out mse ${evaluate(rnn, test).loss.toExponential(2)}`);
  if (out !== undefined) {
    writeFileSync(out, JSON.stringify(saveRnn(rnn)) + '\n');
    console.log(`wrote ${out}`);
  }
  const fp = flipFlopFixedPoints(rnn, test.x);
  console.log(`${fp.points.length} fixed points found; ${fp.stable.length} stable:`);
  for (const p of fp.stable) {
    console.log(`  readout ${p.readout.map((v) => v.toFixed(3).padStart(6)).join(' ')}  bits ${p.bits}  q = ${p.q.toExponential(1)}  max|λ| = ${p.maxModulus.toFixed(4)}`);
  }
  console.log(`distinct 3-bit memories among the stable points: ${new Set(fp.stable.map((p) => p.bits)).size} of 8`);
}

main();
