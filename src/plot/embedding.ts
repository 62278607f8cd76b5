/**
 * Scatter plots of embeddings (t-SNE, PHATE, M-PHATE, MM-PHATE, PCA) coloured by a label, optionally
 * split into panels, and a generic x–y scatter (e.g. final accuracy against an early spectrum).
 */
import {
  assertObject, choiceOption, frame, jsonNumber, kindOf, labelValues, numbers, own, positiveBound, positiveInteger, positiveOption, readPlotOptions, textOption, titleWithNote,
  Undrawn, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec,
} from './spec.js';
import { EMBEDDING_SCATTER_KEYS, SCATTER_KEYS } from './option-keys.js';

const COLOR_TYPES = ['nominal', 'ordinal', 'quantitative'] as const;

/** Input of {@link embeddingScatterPlot}. */
export interface EmbeddingScatter {
  /** Row-major n×dims coordinates (the first two are drawn), as `tsne`/`phate` return. */
  embedding: ArrayLike<number>;
  /** Coordinates per point (default 2). */
  dims?: number;
  /** The colour of each point (digit, epoch, time step, unit, ...). */
  labels: ArrayLike<number | string>;
  /** Legend title (default 'label'). */
  labelName?: string;
  /** 'nominal' (default: categories) or 'quantitative'/'ordinal' (a colour ramp). */
  labelType?: 'nominal' | 'ordinal' | 'quantitative';
  /** Optional panel of each point (e.g. the time step): one panel per distinct value, in order of first appearance. */
  panels?: ArrayLike<number | string>;
  /** Panel header prefix (default ''). */
  panelName?: string;
}

/** Options of {@link embeddingScatterPlot}. */
export interface EmbeddingScatterOptions extends PlotOptions {
  /** Point size in square pixels (default 12). */
  pointSize?: number;
  /** Axis titles (default 'dim 1', 'dim 2'). */
  xTitle?: string;
  yTitle?: string;
  /** Panels per row (default 3). */
  columns?: number;
  /** Independent axes per panel (default true: embeddings of different panels share no scale). */
  independentScales?: boolean;
}

/**
 * Points of an embedding coloured by a label, one panel per value of `panels` when given. A point
 * with a non-finite coordinate is not drawn.
 *
 * @example
 * ```ts
 * import { embeddingScatterPlot } from 'rnn-lyap/plot';
 * // t-SNE of hidden states (embedding n×2) coloured by digit
 * const spec = embeddingScatterPlot(
 *   { embedding: [0, 0, 1, 1, 5, 5], labels: [3, 3, 7], labelName: 'digit' },
 *   { title: 't-SNE of hidden states' },
 * );
 * ```
 */
export function embeddingScatterPlot(data: EmbeddingScatter, opts: EmbeddingScatterOptions = {}): VegaLiteSpec {
  const fn = 'embeddingScatterPlot';
  assertObject(data, fn, 'data');
  const o = readPlotOptions(opts, fn, EMBEDDING_SCATTER_KEYS);
  const base = frame(o, fn, 260, 260);
  const size = positiveOption(o, 'pointSize', fn, 12);
  const xTitle = textOption(o, 'xTitle', fn, 'dim 1');
  const yTitle = textOption(o, 'yTitle', fn, 'dim 2');
  const columns = positiveBound(o.columns ?? 3, fn, 'options.columns');
  const independent = o.independentScales ?? true;
  if (typeof independent !== 'boolean') throw new TypeError(`${fn}: options.independentScales: expected a boolean, got ${kindOf(independent)}`);
  const dims = positiveInteger(own(data, 'dims', 2), fn, 'data.dims');
  if (dims < 2) throw new RangeError(`${fn}: data.dims: expected at least 2 coordinates per point, got ${dims}`);
  const emb = numbers(data.embedding, fn, 'data.embedding');
  if (emb.length % dims !== 0) throw new RangeError(`${fn}: data.embedding: length ${emb.length} is not a multiple of dims = ${dims}`);
  const n = emb.length / dims;
  const labels = labelValues(data.labels, fn, 'data.labels', n);
  const panels = data.panels === undefined ? undefined : labelValues(data.panels, fn, 'data.panels', n);
  const labelName = textOption(data, 'labelName', fn, 'label', 'data');
  const labelType = choiceOption(own<unknown>(data, 'labelType', undefined), fn, 'data.labelType', COLOR_TYPES, 'nominal');
  const panelName = textOption(data, 'panelName', fn, '', 'data');
  const values = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) {
    values[i] = { x: jsonNumber(emb[i * dims]), y: jsonNumber(emb[i * dims + 1]), label: labels[i], ...(panels ? { panel: panels[i] } : {}) };
  }
  const layerSpec = {
    mark: { type: 'circle', size, opacity: 0.75 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, axis: { labels: false, ticks: false } },
      y: { field: 'y', type: 'quantitative', title: yTitle, axis: { labels: false, ticks: false } },
      color: {
        field: 'label',
        type: labelType,
        title: labelName,
        ...(labelType === 'nominal' ? { scale: { scheme: 'category10' } } : { scale: { scheme: 'viridis' } }),
      },
    },
  };
  if (!panels) return { $schema: VEGA_LITE_SCHEMA, ...base, data: { values }, ...layerSpec };
  const order = [...new Set(Array.from(panels))];
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(base.title !== undefined ? { title: base.title } : {}),
    data: { values },
    // panels in order of first appearance (not alphabetical: 'after 4 rows' before 'after 14 rows')
    facet: { field: 'panel', type: typeof panels[0] === 'number' ? 'ordinal' : 'nominal', title: panelName || null, sort: order },
    columns: columns === Infinity ? order.length : columns, // Infinity: every panel in one row
    spec: { width: base.width, height: base.height, ...layerSpec },
    ...(independent ? { resolve: { scale: { x: 'independent', y: 'independent' } } } : {}),
  };
}

/** Input of {@link scatterPlot}. */
export interface Scatter {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Optional colour of each point. */
  color?: ArrayLike<number | string>;
  /** Optional text shown on hover (a tooltip), e.g. the configuration. */
  tooltip?: ArrayLike<string>;
  /**
   * Optional half-length of a vertical error bar at each point, drawn from y − e to y + e (e.g. the
   * standard error `stderr` or the spread `std` of a `lyapunovSpectrum` result: say which in the
   * title). Each e must be ≥ 0; a non-finite e leaves its point without a bar, named in the subtitle.
   */
  yError?: ArrayLike<number>;
}

/** Options of {@link scatterPlot}. */
export interface ScatterOptions extends PlotOptions {
  xTitle?: string;
  yTitle?: string;
  colorTitle?: string;
  colorType?: 'nominal' | 'ordinal' | 'quantitative';
  /**
   * Fixed axis ranges [min, max]. By default each axis spans the data only (no zero), which shows
   * small differences large: give e.g. `yDomain: [0, 1]` for a ratio that barely moves. Points
   * beyond a fixed range are clipped, and the subtitle says how many.
   */
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
}

function domain(v: unknown, fn: string, what: string): [number, number] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) {
    throw new TypeError(`${fn}: options.${what}: expected [min, max] (two numbers), got ${Array.isArray(v) ? 'an array holding a non-number' : kindOf(v)}`);
  }
  if (v.length !== 2 || !v.every((x) => Number.isFinite(x)) || !(v[0] < v[1])) {
    throw new RangeError(`${fn}: options.${what}: expected [min, max] with finite min < max, got [${v.join(', ')}]`);
  }
  return [v[0], v[1]];
}

/**
 * A plain x–y scatter, e.g. the final accuracy of each configuration against its early λ1. Each
 * axis spans its data (not necessarily 0) unless `xDomain`/`yDomain` fix it. A point whose x or y
 * is not finite cannot be drawn: the figure's subtitle counts such points ("not drawn (not
 * finite): …"). Legend labels are not truncated. With `yError`, each point gets a vertical error
 * bar y ± e (with caps), and the y axis spans the bars too.
 *
 * @example
 * ```ts
 * import { scatterPlot } from 'rnn-lyap/plot';
 * const spec = scatterPlot({ x: [-0.5, -0.1, 0.2], y: [0.9, 0.8, 0.3], color: [0.5, 1, 2] },
 *   { xTitle: 'λ1 after epoch 1', yTitle: 'final accuracy', colorTitle: 'gain', colorType: 'ordinal' });
 * // λ1 against the gain, ± the standard error of each estimate (lyapunovSpectrum's `stderr`)
 * const bars = scatterPlot({ x: [0.5, 1, 1.5], y: [-0.67, -0.015, 0.043], yError: [0.002, 0.002, 0.001] },
 *   { title: 'λ1 vs gain (± standard error)', xTitle: 'gain g', yTitle: 'λ1 (nats per step)' });
 * ```
 */
export function scatterPlot(data: Scatter, opts: ScatterOptions = {}): VegaLiteSpec {
  const fn = 'scatterPlot';
  assertObject(data, fn, 'data');
  const o = readPlotOptions(opts, fn, SCATTER_KEYS);
  const base = frame(o, fn, 320, 240);
  const xTitle = textOption(o, 'xTitle', fn, 'x');
  const yTitle = textOption(o, 'yTitle', fn, 'y');
  const colorTitle = textOption(o, 'colorTitle', fn, 'colour');
  const colorType = choiceOption(o.colorType, fn, 'options.colorType', COLOR_TYPES, 'nominal');
  const x = numbers(data.x, fn, 'data.x');
  const y = numbers(data.y, fn, 'data.y', x.length);
  const color = data.color === undefined ? undefined : labelValues(data.color, fn, 'data.color', x.length);
  const tooltip = data.tooltip === undefined ? undefined : labelValues(data.tooltip, fn, 'data.tooltip', x.length);
  const yError = errors(own(data, 'yError', undefined), fn, x.length);
  const xDomain = domain(o.xDomain, fn, 'xDomain');
  const yDomain = domain(o.yDomain, fn, 'yDomain');
  const undrawn = new Undrawn();
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) undrawn.check(x[i], () => `x[${i}]`);
    else if (!Number.isFinite(y[i])) undrawn.check(y[i], () => `y[${i}]`);
    else if (yError) undrawn.check(yError[i], () => `yError[${i}]`);
  }
  // a fixed axis range clips the points beyond it (they were drawn outside the frame), and says how many
  let beyond = 0;
  if (xDomain || yDomain) {
    const out = (v: number, d: readonly [number, number] | undefined) => d !== undefined && Number.isFinite(v) && (v < d[0] || v > d[1]);
    for (let i = 0; i < x.length; i++) if (out(x[i], xDomain) || out(y[i], yDomain)) beyond++;
    if (beyond > 0) undrawn.also(`${beyond} point${beyond === 1 ? '' : 's'} outside the axes' fixed range not drawn`);
  }
  const values = Array.from({ length: x.length }, (_, i) => ({
    x: jsonNumber(x[i]), y: jsonNumber(y[i]),
    ...(color ? { color: color[i] } : {}),
    ...(tooltip ? { tooltip: tooltip[i] } : {}),
    ...(yError ? { lo: jsonNumber(y[i] - yError[i]), hi: jsonNumber(y[i] + yError[i]) } : {}),
  }));
  const xEnc = { field: 'x', type: 'quantitative', title: xTitle, scale: xDomain ? { domain: xDomain } : { zero: false } };
  const yScale = yDomain ? { domain: yDomain } : { zero: false };
  const colorEnc = color ? { color: { field: 'color', type: colorType, title: colorTitle, legend: { labelLimit: 0 } } } : {};
  const points = {
    mark: { type: 'point', filled: true, size: 50, ...(beyond > 0 ? { clip: true } : {}) },
    encoding: {
      x: xEnc,
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: yScale },
      ...colorEnc,
      ...(tooltip ? { tooltip: { field: 'tooltip', type: 'nominal' } } : {}),
    },
  };
  const head = { $schema: VEGA_LITE_SCHEMA, ...base, ...titleWithNote(base.title, undrawn), data: { values } };
  if (!yError) return { ...head, ...points };
  // the bars first, the points over them; a fixed axis range clips the bars at the frame
  const bars = {
    mark: { type: 'errorbar', ticks: true, ...(xDomain || yDomain ? { clip: true } : {}) },
    encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative', title: yTitle, scale: yScale }, y2: { field: 'hi' }, ...colorEnc },
  };
  return { ...head, layer: [bars, points] };
}

/** `data.yError`: one half-length per point, each ≥ 0 or not finite (no bar). */
function errors(v: unknown, fn: string, length: number): ArrayLike<number> | undefined {
  if (v === undefined) return undefined;
  const e = numbers(v, fn, 'data.yError', length);
  for (let i = 0; i < e.length; i++) {
    if (e[i] < 0) throw new RangeError(`${fn}: data.yError[${i}]: expected a half-length ≥ 0 (the bar is y ± e), got ${e[i]}`);
  }
  return e;
}
