/**
 * The known options of the plot builders, typed from their option interfaces so a list cannot drift
 * from its interface (a key missing here, or one the interface lacks, is a compile error). Made here
 * rather than with core's `optionKeys`: plot depends on nothing but types. Internal: not re-exported.
 * @internal
 */
import type { KnownOptions } from '../core/options.js';
import type { AccuracyVsNOptions } from './accuracy.js';
import type { EmbeddingScatterOptions, ScatterOptions } from './embedding.js';
import type { SpectraAcrossTrainingOptions, SpectrumPlotOptions } from './spectrum.js';
import type { FixedPointsPlotOptions, PcaTrajectoryOptions } from './trajectory.js';

function plotOptionKeys<T extends object>(keys: Record<keyof T, true>): KnownOptions {
  return Object.freeze({ keys: Object.freeze(Object.keys(keys)) });
}

const FRAME = { title: true, width: true, height: true } as const;

export const SPECTRUM_PLOT_KEYS = plotOptionKeys<SpectrumPlotOptions>({ ...FRAME, yTitle: true });
export const SPECTRA_ACROSS_TRAINING_KEYS = plotOptionKeys<SpectraAcrossTrainingOptions>({ ...FRAME, top: true, columns: true, yTitle: true });
export const ACCURACY_VS_N_KEYS = plotOptionKeys<AccuracyVsNOptions>({ ...FRAME, chance: true });
export const EMBEDDING_SCATTER_KEYS = plotOptionKeys<EmbeddingScatterOptions>({
  ...FRAME, pointSize: true, xTitle: true, yTitle: true, columns: true, independentScales: true,
});
export const SCATTER_KEYS = plotOptionKeys<ScatterOptions>({
  ...FRAME, xTitle: true, yTitle: true, colorTitle: true, colorType: true, xDomain: true, yDomain: true,
});
export const PCA_TRAJECTORY_KEYS = plotOptionKeys<PcaTrajectoryOptions>({ ...FRAME, xTitle: true, yTitle: true, trajectoryName: true });
export const FIXED_POINTS_PLOT_KEYS = plotOptionKeys<FixedPointsPlotOptions>({ ...FRAME, trajectories: true, xTitle: true, yTitle: true });
