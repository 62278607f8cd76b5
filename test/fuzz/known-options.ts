// The known-option lists of the catalogue's functions (src/*/option-keys.ts): every function with an
// options slot either refuses unknown keys (its list here; cases.ts adds an unknown-key case per slot)
// or says why not yet. fuzz.test.ts checks that each spec's documented options are in its list.
// One section per folder (so that the patches adding a folder's lists touch only their section).
import type { KnownOptions } from '../../src/core/options.js';
import { DELAYED_RECALL_KEYS, FLIP_FLOP_KEYS, SEQUENTIAL_MNIST_KEYS } from '../../src/data/option-keys.js';
import { FIXED_POINT_KEYS, KNN_KEYS, LEVINA_BICKEL_KEYS, LIMIT_CYCLE_KEYS, PCA_KEYS, TWO_NN_KEYS } from '../../src/geometry/option-keys.js';
import {
  CLV_ANGLE_KEYS, CLV_KEYS, DURING_TRAINING_KEYS, ESTIMATOR_KEYS, FINITE_TIME_KEYS, FLOSSING_KEYS, HENON_KEYS,
  LOGISTIC_KEYS, LORENZ63_KEYS, LORENZ96_KEYS, LYAPUNOV_GRAD_KEYS, SPECTRUM_KEYS,
} from '../../src/lyapunov/option-keys.js';
import { MAIN_TRAIN_KEYS } from '../../src/train.js';

import { ADAM_KEYS, EVALUATE_KEYS, FROM_TORCH_KEYS, INIT_RNN_KEYS, LOAD_RNN_KEYS, RNN_LOSS_KEYS, RNN_SYSTEM_KEYS } from '../../src/rnn/option-keys.js';
const RNN: Record<string, KnownOptions> = {
  initRnn: INIT_RNN_KEYS, rnnLoss: RNN_LOSS_KEYS, evaluate: EVALUATE_KEYS, train: MAIN_TRAIN_KEYS, createOptimizer: ADAM_KEYS,
  loadRnn: LOAD_RNN_KEYS, rnnSystem: RNN_SYSTEM_KEYS, fromTorchStateDict: FROM_TORCH_KEYS,
};
const RNN_UNCHECKED: Record<string, string> = {};

const LYAPUNOV: Record<string, KnownOptions> = {
  lyapunovSpectrum: SPECTRUM_KEYS, 'lyapunovSpectrum(rnn)': SPECTRUM_KEYS, createLyapunovEstimator: ESTIMATOR_KEYS,
  finiteTimeExponents: FINITE_TIME_KEYS, henonMap: HENON_KEYS, logisticMap: LOGISTIC_KEYS, lorenz63: LORENZ63_KEYS,
  lorenz96: LORENZ96_KEYS, lyapunovDuringTraining: DURING_TRAINING_KEYS, lyapunovValueAndGrad: LYAPUNOV_GRAD_KEYS,
  flossingLossAndGrad: FLOSSING_KEYS, flossingRegularizer: FLOSSING_KEYS, covariantLyapunovVectors: CLV_KEYS,
  clvAngles: CLV_ANGLE_KEYS,
};

const GEOMETRY: Record<string, KnownOptions> = {
  pca: PCA_KEYS, twoNN: TWO_NN_KEYS, levinaBickel: LEVINA_BICKEL_KEYS, knn: KNN_KEYS, findFixedPoints: FIXED_POINT_KEYS,
  'findFixedPoints(rnn)': FIXED_POINT_KEYS, detectLimitCycle: LIMIT_CYCLE_KEYS,
};

const DATA: Record<string, KnownOptions> = {
  sequentialMnist: SEQUENTIAL_MNIST_KEYS, flipFlopTask: FLIP_FLOP_KEYS, delayedRecallTask: DELAYED_RECALL_KEYS,
};

import { AD_MATMUL_KEYS, AD_RNN_KEYS, GRADIENT_CHECK_KEYS } from '../../src/autodiff/option-keys.js';
import { GEMV_KEYS, MATMUL_KEYS, RANDN_KEYS, RANDU_KEYS } from '../../src/core/option-keys.js';
const CORE: Record<string, KnownOptions> = {
  randn: RANDN_KEYS, randu: RANDU_KEYS, matmul: MATMUL_KEYS, gemv: GEMV_KEYS,
  'ad.matmul': AD_MATMUL_KEYS, 'ad.rnn': AD_RNN_KEYS, gradientCheck: GRADIENT_CHECK_KEYS,
};
const CORE_UNCHECKED: Record<string, string> = {
  resolveRng: 'reads seed/rng from another function\'s bag (its other keys are that function\'s)',
};

import {
  CLASSICAL_MDS_KEYS, DEMAP_KEYS, MULTISLICE_FROM_STATES_KEYS, MULTISLICE_KEYS, NEIGHBORHOOD_KEYS, PHATE_KERNEL_KEYS, PHATE_KEYS, TSNE_KEYS,
} from '../../src/geometry/embedding/option-keys.js';
const EMBEDDING: Record<string, KnownOptions> = {
  tsne: TSNE_KEYS, phate: PHATE_KEYS, phateKernel: PHATE_KERNEL_KEYS, mPhate: MULTISLICE_KEYS, mmPhate: MULTISLICE_KEYS, multisliceFromStates: MULTISLICE_FROM_STATES_KEYS,
  classicalMds: CLASSICAL_MDS_KEYS, trustworthiness: NEIGHBORHOOD_KEYS, neighborhoodPreservation: NEIGHBORHOOD_KEYS, demap: DEMAP_KEYS,
};
const EMBEDDING_UNCHECKED: Record<string, string> = {};

import { SAFETENSORS_TO_TENSORS_KEYS, WRITE_SAFETENSORS_KEYS } from '../../src/io/option-keys.js';
const IO: Record<string, KnownOptions> = { safetensorsToTensors: SAFETENSORS_TO_TENSORS_KEYS, writeSafetensors: WRITE_SAFETENSORS_KEYS };

import {
  ACCURACY_VS_N_KEYS, EMBEDDING_SCATTER_KEYS, FIXED_POINTS_PLOT_KEYS, PCA_TRAJECTORY_KEYS, SCATTER_KEYS, SPECTRA_ACROSS_TRAINING_KEYS, SPECTRUM_PLOT_KEYS,
} from '../../src/plot/option-keys.js';
const PLOT: Record<string, KnownOptions> = {
  spectrumPlot: SPECTRUM_PLOT_KEYS, spectraAcrossTrainingPlot: SPECTRA_ACROSS_TRAINING_KEYS, accuracyVsNPlot: ACCURACY_VS_N_KEYS,
  embeddingScatterPlot: EMBEDDING_SCATTER_KEYS, scatterPlot: SCATTER_KEYS, pcaTrajectoryPlot: PCA_TRAJECTORY_KEYS, fixedPointsPlot: FIXED_POINTS_PLOT_KEYS,
};

export const OPTION_KEYS: Record<string, KnownOptions> = { ...CORE, ...RNN, ...LYAPUNOV, ...GEOMETRY, ...DATA, ...EMBEDDING, ...IO, ...PLOT };
/** Functions with an options slot whose unknown keys are not refused (yet), and why. */
export const KEYS_UNCHECKED: Record<string, string> = { ...RNN_UNCHECKED, ...CORE_UNCHECKED, ...EMBEDDING_UNCHECKED };
