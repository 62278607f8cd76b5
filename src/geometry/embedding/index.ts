/**
 * Embeddings of hidden activity: t-SNE, PHATE, M-PHATE and multiway multislice PHATE, with
 * neighbourhood-preservation scores.
 */
export { tsne, type TsneOptions, type TsneResult } from './tsne.js';
export {
  phate, phateKernel, type PhateOptions, type PhateResult, type PhateEmbedding, type DiffusionOptions,
} from './phate.js';
export {
  mPhate, mmPhate, type MultisliceOptions, type MPhateResult, type MMPhateResult, type MultisliceInput,
} from './multislice.js';
export { multisliceFromStates, type MultisliceFromStatesOptions, type StatesRecording } from './multislice-input.js';
export {
  neighborhoodPreservation, trustworthiness, type NeighborhoodOptions, type EmbeddingInput,
} from './quality.js';
export { classicalMds } from './classical-mds.js';
export { vonNeumannEntropy, findKnee } from './entropy.js';
export { demap, type DemapOptions } from './demap.js';
export type { EmbeddingProgress, EmbeddingRunOptions } from './options.js';
export type { Csr } from './sparse.js';
