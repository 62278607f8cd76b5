/**
 * State space figures: trajectories projected on their first principal components, and fixed
 * points marked by stability over those trajectories.
 */
import { assertObject, frame, jsonNumber, kindOf, labelValues, numbers, own, positiveInteger, readPlotOptions, textOption, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from './spec.js';
import { FIXED_POINTS_PLOT_KEYS, PCA_TRAJECTORY_KEYS } from './option-keys.js';

/** Input of {@link pcaTrajectoryPlot}. */
export interface PcaTrajectory {
  /** Row-major n×dims projected states (e.g. `pca(X).transform(X)`); the first two columns are drawn. */
  points: ArrayLike<number>;
  /** Columns per point (default 2). */
  dims?: number;
  /** Trajectory of each point (one line per trajectory; default all one trajectory). */
  trajectory?: ArrayLike<number | string>;
  /** Time of each point, ordering the line (default the point's index). */
  time?: ArrayLike<number>;
}

/** Options of {@link pcaTrajectoryPlot}. */
export interface PcaTrajectoryOptions extends PlotOptions {
  /** Axis titles (default 'PC 1', 'PC 2'). */
  xTitle?: string;
  yTitle?: string;
  /**
   * With `data.trajectory`, shows a legend of the trajectories' colours under this title (default:
   * no legend, the trajectories are told apart by colour alone).
   */
  trajectoryName?: string;
}

function trajectoryLayer(data: PcaTrajectory, fn: string, name: string, legendTitle?: string): { values: Record<string, unknown>[]; layer: Record<string, unknown> } {
  assertObject(data, fn, name);
  const dims = positiveInteger(own(data, 'dims', 2), fn, `${name}.dims`);
  if (dims < 2) throw new RangeError(`${fn}: ${name}.dims: expected at least 2 columns, got ${dims}`);
  const p = numbers(data.points, fn, `${name}.points`);
  if (p.length % dims !== 0) throw new RangeError(`${fn}: ${name}.points: length ${p.length} is not a multiple of dims = ${dims}`);
  const n = p.length / dims;
  const traj = data.trajectory === undefined ? undefined : labelValues(data.trajectory, fn, `${name}.trajectory`, n);
  const time = data.time === undefined ? undefined : numbers(data.time, fn, `${name}.time`, n);
  const values = Array.from({ length: n }, (_, i) => ({
    pc1: jsonNumber(p[i * dims]), pc2: jsonNumber(p[i * dims + 1]), t: time ? time[i] : i, traj: traj ? traj[i] : 0,
  }));
  return {
    values,
    layer: {
      data: { values },
      mark: { type: 'line', strokeWidth: 1, opacity: 0.7 },
      encoding: {
        x: { field: 'pc1', type: 'quantitative' },
        y: { field: 'pc2', type: 'quantitative' },
        order: { field: 't', type: 'quantitative' },
        detail: { field: 'traj', type: 'nominal' },
        ...(traj ? { color: { field: 'traj', type: 'nominal', ...(legendTitle !== undefined ? { title: legendTitle } : { legend: null }) } } : {}),
      },
    },
  };
}

/**
 * Trajectories in the plane of the first two principal components, one line per trajectory, with
 * a dot at each trajectory's first point.
 *
 * @example
 * ```ts
 * import { pcaTrajectoryPlot } from 'rnn-lyap/plot';
 * // two trajectories of three points each, already projected on PC 1 and PC 2
 * const spec = pcaTrajectoryPlot({ points: [0, 0, 1, 0.5, 2, 0, 0, 1, -1, 1, -2, 0], trajectory: [0, 0, 0, 1, 1, 1] });
 * ```
 */
export function pcaTrajectoryPlot(data: PcaTrajectory, opts: PcaTrajectoryOptions = {}): VegaLiteSpec {
  const fn = 'pcaTrajectoryPlot';
  const o = readPlotOptions(opts, fn, PCA_TRAJECTORY_KEYS);
  const base = frame(o, fn, 320, 320);
  const xTitle = textOption(o, 'xTitle', fn, 'PC 1');
  const yTitle = textOption(o, 'yTitle', fn, 'PC 2');
  const legendTitle = o.trajectoryName === undefined ? undefined : textOption(o, 'trajectoryName', fn, '');
  const { values, layer } = trajectoryLayer(data, fn, 'data', legendTitle);
  const first = new Map<unknown, Record<string, unknown>>();
  for (const v of values) {
    const f = first.get(v.traj);
    if (!f || (v.t as number) < (f.t as number)) first.set(v.traj, v);
  }
  const enc = layer.encoding as Record<string, unknown>;
  enc.x = { field: 'pc1', type: 'quantitative', title: xTitle };
  enc.y = { field: 'pc2', type: 'quantitative', title: yTitle };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...base,
    layer: [
      layer,
      { data: { values: [...first.values()] }, mark: { type: 'point', filled: true, size: 30, color: 'black' }, encoding: { x: { field: 'pc1', type: 'quantitative' }, y: { field: 'pc2', type: 'quantitative' } } },
    ],
  };
}

/** One fixed point in projected coordinates. */
export interface PlottedFixedPoint {
  x: number;
  y: number;
  /** As `findFixedPoints` reports it. */
  stability: 'stable' | 'saddle' | 'unstable' | string;
  /** Optional number of unstable modes (shown on hover). */
  unstableModes?: number;
}

/** Options of {@link fixedPointsPlot}. */
export interface FixedPointsPlotOptions extends PlotOptions {
  /** Trajectories drawn underneath, in the same projected coordinates. */
  trajectories?: PcaTrajectory;
  xTitle?: string;
  yTitle?: string;
}

/**
 * Fixed points in a 2-D projection, coloured and shaped by stability (stable, saddle, unstable),
 * optionally over trajectories in the same coordinates.
 *
 * @example
 * ```ts
 * import { fixedPointsPlot } from 'rnn-lyap/plot';
 * const spec = fixedPointsPlot([
 *   { x: -1, y: 0, stability: 'stable' },
 *   { x: 0, y: 0, stability: 'saddle', unstableModes: 1 },
 *   { x: 1, y: 0, stability: 'stable' },
 * ], { title: 'fixed points (PC 1–2)' });
 * ```
 */
export function fixedPointsPlot(points: readonly PlottedFixedPoint[], opts: FixedPointsPlotOptions = {}): VegaLiteSpec {
  const fn = 'fixedPointsPlot';
  if (!Array.isArray(points)) throw new TypeError(`${fn}: points: expected an array of { x, y, stability }, got ${kindOf(points)}`);
  const o = readPlotOptions(opts, fn, FIXED_POINTS_PLOT_KEYS);
  const base = frame(o, fn, 320, 320);
  const xTitle = textOption(o, 'xTitle', fn, 'PC 1');
  const yTitle = textOption(o, 'yTitle', fn, 'PC 2');
  const values = points.map((p, i) => {
    assertObject(p, fn, `points[${i}]`);
    if (typeof p.x !== 'number' || typeof p.y !== 'number') throw new TypeError(`${fn}: points[${i}]: x and y must be numbers, got ${kindOf(p.x)} and ${kindOf(p.y)}`);
    if (typeof p.stability !== 'string') throw new TypeError(`${fn}: points[${i}].stability: expected a string, got ${kindOf(p.stability)}`);
    const modes = own<unknown>(p, 'unstableModes', undefined);
    if (modes !== undefined) {
      if (typeof modes !== 'number') throw new TypeError(`${fn}: points[${i}].unstableModes: expected a count (a number), got ${kindOf(modes)}`);
      if (!Number.isInteger(modes) || modes < 0) throw new RangeError(`${fn}: points[${i}].unstableModes: expected a non-negative integer, got ${modes}`);
    }
    return { pc1: jsonNumber(p.x), pc2: jsonNumber(p.y), stability: p.stability, unstableModes: modes ?? null };
  });
  const layers: unknown[] = [];
  const traj = o.trajectories as PcaTrajectory | undefined;
  if (traj !== undefined) {
    const { layer } = trajectoryLayer(traj, fn, 'options.trajectories');
    const enc = layer.encoding as Record<string, unknown>;
    delete enc.color;
    layer.mark = { type: 'line', strokeWidth: 1, opacity: 0.35, color: 'gray' };
    layers.push(layer);
  }
  const domain = ['stable', 'saddle', 'unstable'];
  layers.push({
    data: { values },
    mark: { type: 'point', filled: true, size: 70 },
    encoding: {
      x: { field: 'pc1', type: 'quantitative', title: xTitle },
      y: { field: 'pc2', type: 'quantitative', title: yTitle },
      color: { field: 'stability', type: 'nominal', scale: { domain, range: ['#1b9e77', '#d95f02', '#7570b3'] } },
      shape: { field: 'stability', type: 'nominal', scale: { domain, range: ['circle', 'diamond', 'cross'] } },
      tooltip: [{ field: 'stability', type: 'nominal' }, { field: 'unstableModes', type: 'quantitative' }],
    },
  });
  return { $schema: VEGA_LITE_SCHEMA, ...base, layer: layers };
}
