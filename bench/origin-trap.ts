/**
 * The origin trap of autonomous RNN spectra: a tanh RNN h' = tanh(g·W h) with zero bias and zero
 * input has h = 0 as an exact fixed point, so a run started there measures ln ρ(gW) of the origin,
 * not the attractor. Prints, for N = 100 and g = 3 and 1.8 (initRnn 'normal', seed 1), λ1 of
 * `lyapunovSpectrum(rnn, { k: 1 })` with its defaults, λ1 from an explicit random x0 (N(0, 1) from
 * seeds 11..15, mean ± spread), and ln ρ(gW).
 *
 * Run: npx tsx bench/origin-trap.ts
 */
import { createRng, eigenvalues } from '../src/core/index.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { initRnn } from '../src/rnn/index.js';

const N = 100;
for (const g of [3, 1.8]) {
  const rnn = initRnn({ inputSize: 1, hiddenSize: N, outputSize: 1, gain: g, seed: 1 });
  const def = lyapunovSpectrum(rnn, { k: 1 });
  const explicit: number[] = [];
  for (let s = 11; s <= 15; s++) {
    const rng = createRng(s);
    const x0 = Float64Array.from({ length: N }, () => rng.normal());
    explicit.push(lyapunovSpectrum(rnn, { k: 1, x0 }).exponents[0]);
  }
  const m = explicit.reduce((a, b) => a + b, 0) / explicit.length;
  const sd = Math.sqrt(explicit.reduce((a, b) => a + (b - m) ** 2, 0) / (explicit.length - 1));
  const ev = eigenvalues({ shape: [N, N], data: rnn.params.wRec.data });
  let rho = 0;
  for (let i = 0; i < ev.re.length; i++) rho = Math.max(rho, Math.hypot(ev.re[i], ev.im[i]));
  const stationary = (def as { stationary?: boolean }).stationary;
  console.log(
    `g = ${g}: default λ1 = ${def.exponents[0].toFixed(4)} ± ${def.stderr[0].toFixed(4)}` +
      `${stationary === undefined ? '' : ` (stationary: ${stationary})`}; random x0 λ1 = ${m.toFixed(4)} ± ${sd.toFixed(4)} (5 starts); ln ρ(gW) = ${Math.log(rho).toFixed(4)}`,
  );
}
