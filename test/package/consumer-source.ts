// The consumer program compiled against the packed package (as .mts, .cts and .ts): it touches every
// subpath and the types users write by hand, including the calls that failed to type-check before.
export const consumerSource = `
import { createRng, matmul, tensor, type Tensor, type DynamicalSystem } from 'rnn-lyap/core';
import { ad, valueAndGrad, type VarLike } from 'rnn-lyap/autodiff';
import {
  clipGradNorm, createOptimizer, gradNorm, initRnn, optimizerStep, rnnForward, rnnLoss,
  type Rnn, type RnnParams, type OptimizerState,
} from 'rnn-lyap/rnn';
import { henonMap, lyapunovSpectrum, type LyapunovResult } from 'rnn-lyap/lyapunov';
import { pca, type PcaResult } from 'rnn-lyap/geometry';
import { flipFlopTask } from 'rnn-lyap/data';
import * as lib from 'rnn-lyap';
import { createPool, type Pool } from 'rnn-lyap/parallel';

const opts: ad.AdMatmulOptions = { transB: true };
const labels: ad.Labels = [0, 1];
const a: Tensor = tensor([[1, 2], [3, 4]]);
const ab: Tensor = matmul(a, a, { transB: true });
const f = valueAndGrad((p: { w: VarLike }) => ad.sum(ad.matmul(p.w, p.w, opts)));
const { value } = f({ w: a });
const rng: () => number = createRng(1);

const rnn: Rnn = initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 3, activation: 'tanh', seed: 0 });
const params: RnnParams = rnn.params;
const data = flipFlopTask({ bits: 3, steps: 5, batch: 2, seed: 1 });
const { grads } = rnnLoss(rnn, { x: data.x, targets: data.targets }, { loss: 'mse' });
const opt: OptimizerState = createOptimizer({ type: 'adam', lr: 1e-3 }, rnn.params);
const norm: number = clipGradNorm(grads, 1) + gradNorm(grads);
optimizerStep(opt, params, grads);
optimizerStep(opt, rnn.params, grads, 1e-3);
const states: Tensor = rnnForward(rnn, data.x).states;

const henon: DynamicalSystem = henonMap();
const spec: LyapunovResult = lyapunovSpectrum(henon, { steps: 100 });
const p: PcaResult = pca(tensor([[1, 2], [3, 5], [4, 4]]), { components: 1 });
const same: typeof lib.pca = pca;
const pool: Pool = createPool({ workers: 1 });
const pooled: Promise<LyapunovResult> = pool.lyapunovSpectrum(rnn, { steps: 10 });
export const used = [labels, ab, value, rng, norm, states, spec, p, same, lib.tensor, pooled];
`;
