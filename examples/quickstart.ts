import { flipFlopTask, initRnn, lyapunovSpectrum, train } from 'rnn-lyap';

const data = flipFlopTask({ bits: 3, steps: 50, batch: 256, pFlip: 0.1, seed: 1 });
const heldOut = flipFlopTask({ bits: 3, steps: 600, batch: 8, pFlip: 0.05, seed: 2 }).x; // [8,600,3]
const rnn = initRnn({ inputSize: 3, hiddenSize: 32, outputSize: 3, activation: 'tanh', gain: 2, seed: 0 });
const spectrum = () => lyapunovSpectrum(rnn, { inputs: heldOut, warmup: 100, frameWarmup: 100 });

async function main() {
  const before = spectrum();
  await train(rnn, data, { epochs: 50, batchSize: 32, optimizer: 'adam', learningRate: 1e-2, clipNorm: 1, loss: 'mse' });
  const after = spectrum();
  for (const { when, r } of [{ when: 'before', r: before }, { when: 'after', r: after }]) {
    console.log(`${when}: λ1 = ${r.exponents[0].toFixed(3)} ± ${r.std[0].toFixed(3)}, ` +
      `D_KY = ${r.kaplanYorkeDimension.toFixed(2)}, entropy = ${r.entropy.toFixed(3)}`);
  }
}

main();
