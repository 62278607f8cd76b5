/**
 * The known options of the embeddings and their quality scores, typed from their option interfaces
 * so a list cannot drift from its interface (see `optionKeys` in src/core/options.ts). Internal:
 * not re-exported. @internal
 */
import { optionKeys } from '../../core/options.js';
import type { classicalMds } from './classical-mds.js';
import type { DemapOptions } from './demap.js';
import type { MultisliceOptions } from './multislice.js';
import type { MultisliceFromStatesOptions } from './multislice-input.js';
import type { DiffusionOptions, PhateOptions, phateKernel } from './phate.js';
import type { NeighborhoodOptions } from './quality.js';
import type { TsneOptions } from './tsne.js';

const RUN = { seed: true, rng: true, onProgress: true, signal: true } as const;

export const TSNE_KEYS = optionKeys<TsneOptions>({
  ...RUN, dims: true, perplexity: true, earlyExaggeration: true, learningRate: true, iterations: true,
  explorationIterations: true, theta: true, init: true, method: true, minGradNorm: true,
  maxIterationsWithoutProgress: true, dim: true,
});

const DIFFUSION: Record<keyof DiffusionOptions, true> = {
  ...RUN, t: true, tMax: true, gamma: true, components: true, landmarks: true, nSvd: true, mds: true, mdsSolver: true,
  mdsMaxIter: true, mdsTol: true, vneExactMax: true,
};

export const PHATE_KEYS = optionKeys<PhateOptions>({ ...DIFFUSION, knn: true, decay: true, thresh: true, dim: true, nPca: true });

export const PHATE_KERNEL_KEYS = optionKeys<NonNullable<Parameters<typeof phateKernel>[1]>>({ knn: true, decay: true, thresh: true, dim: true });

export const MULTISLICE_KEYS = optionKeys<MultisliceOptions>({
  ...DIFFUSION, intrasliceKnn: true, intersliceKnn: true, decay: true, normalize: true, nPca: true, thresh: true,
  intersliceLinks: true,
});

export const MULTISLICE_FROM_STATES_KEYS = optionKeys<MultisliceFromStatesOptions>({ times: true });

export const CLASSICAL_MDS_KEYS = optionKeys<NonNullable<Parameters<typeof classicalMds>[1]>>({ dims: true, dim: true, seed: true, rng: true });

export const NEIGHBORHOOD_KEYS = optionKeys<NeighborhoodOptions>({ k: true, groups: true, dimX: true, dimY: true, onProgress: true, signal: true });

export const DEMAP_KEYS = optionKeys<DemapOptions>({ onProgress: true, signal: true, k: true, subsample: true, dimX: true, dimY: true });
