/**
 * Lyapunov spectra as figures: index i against λ_i for one or more spectra (before/after
 * training), and λ_i against epoch across training, one line per configuration.
 */
import { assertObject, frame, jsonNumber, kindOf, numbers, positiveBound, readPlotOptions, textOption, titleWithNote, Undrawn, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from './spec.js';
import { SPECTRA_ACROSS_TRAINING_KEYS, SPECTRUM_PLOT_KEYS } from './option-keys.js';

/** One spectrum to draw. */
export interface SpectrumSeries {
  /** Legend entry, e.g. 'before training'. */
  label: string;
  /** λ_1 ≥ λ_2 ≥ … (natural log per step, as `lyapunovSpectrum` returns). */
  exponents: ArrayLike<number>;
  /** Optional spread of each exponent (e.g. `std` over sequences), drawn as an error band. */
  spread?: ArrayLike<number>;
}

/** Options of {@link spectrumPlot}. */
export interface SpectrumPlotOptions extends PlotOptions {
  /** Units of the y axis (default 'λ (nats per step)'). */
  yTitle?: string;
}

/**
 * Index i against λ_i, one line per spectrum, with a dashed zero line and an optional error band.
 * An exponent that is not finite (−∞ from an exactly contracted direction, NaN) cannot be drawn: it
 * leaves a gap in its line, and the figure's subtitle names it ("not drawn (not finite): …"). A
 * non-finite spread leaves that point without a band.
 *
 * @example
 * ```ts
 * import { spectrumPlot } from 'rnn-lyap/plot';
 * const spec = spectrumPlot([
 *   { label: 'before training', exponents: [0.12, 0.05, -0.1] },
 *   { label: 'after training', exponents: [-0.2, -0.4, -0.9], spread: [0.01, 0.02, 0.02] },
 * ], { title: 'Lyapunov spectrum' });
 * // vegaEmbed('#fig', spec) in a browser; alt.Chart.from_dict(spec) in Jupyter
 * ```
 */
export function spectrumPlot(series: readonly SpectrumSeries[], opts: SpectrumPlotOptions = {}): VegaLiteSpec {
  const fn = 'spectrumPlot';
  nonEmptyArray(series, fn, 'series', '{ label, exponents }');
  const o = readPlotOptions(opts, fn, SPECTRUM_PLOT_KEYS);
  const base = frame(o, fn, 360, 240);
  const yTitle = textOption(o, 'yTitle', fn, 'λ (nats per step)');
  const values: Record<string, unknown>[] = [];
  const undrawn = new Undrawn();
  series.forEach((s, j) => {
    assertObject(s, fn, `series[${j}]`);
    if (typeof s.label !== 'string') throw new TypeError(`${fn}: series[${j}].label: expected a string, got ${kindOf(s.label)}`);
    const ex = numbers(s.exponents, fn, `series[${j}].exponents`);
    const sp = s.spread === undefined ? undefined : numbers(s.spread, fn, `series[${j}].spread`, ex.length);
    for (let i = 0; i < ex.length; i++) {
      undrawn.check(ex[i], () => `λ${i + 1} (${s.label})`);
      const lo = sp ? ex[i] - sp[i] : ex[i];
      const hi = sp ? ex[i] + sp[i] : ex[i];
      values.push({ series: s.label, i: i + 1, lambda: jsonNumber(ex[i]), lo: jsonNumber(lo), hi: jsonNumber(hi) });
    }
  });
  const color = { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.label) };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...base,
    ...titleWithNote(base.title, undrawn),
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { y: { datum: 0 } } },
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'i', type: 'quantitative', title: 'index i' },
          y: { field: 'lambda', type: 'quantitative', title: yTitle },
          color,
        },
      },
      // the band after the line, so that the shared legend shows the line's symbols
      {
        mark: { type: 'area', opacity: 0.25 },
        encoding: { x: { field: 'i', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
      },
    ],
  };
}

/** One configuration's spectra over training. */
export interface TrainingSpectra {
  /** Panel title, e.g. 'g=1.5, lr=1e-3, H=64'. */
  label: string;
  /** Epoch of each row of `exponents`. */
  epochs: ArrayLike<number>;
  /** `exponents[e][i]` = λ_{i+1} after epoch `epochs[e]`. */
  exponents: readonly ArrayLike<number>[];
  /** Optional spread, same shape as `exponents`. */
  spread?: readonly ArrayLike<number>[];
}

/** Options of {@link spectraAcrossTrainingPlot}. */
export interface SpectraAcrossTrainingOptions extends PlotOptions {
  /** How many leading exponents to draw (default 5; Infinity: all). */
  top?: number;
  /** Panels per row (default 4; Infinity: all in one row). */
  columns?: number;
  /**
   * Title of the y axis, the quantity and its unit (default 'λ (nats per step)', as in
   * {@link spectrumPlot}); e.g. 'λ (per unit time)' for a flow's spectrum computed with `dt`.
   */
  yTitle?: string;
}

/**
 * λ_i against epoch, one panel per configuration and one line per exponent index (the top `top`,
 * the legend in index order λ1, λ2, …, λ10), each with an error band when `spread` is given. A
 * non-finite exponent (−∞, or NaN after a diverged epoch) leaves a gap in its line and is named in
 * the figure's subtitle ("not drawn (not finite): …").
 *
 * @example
 * ```ts
 * import { spectraAcrossTrainingPlot } from 'rnn-lyap/plot';
 * const spec = spectraAcrossTrainingPlot([
 *   { label: 'g=0.5', epochs: [0, 1, 2], exponents: [[-0.7, -0.8], [-0.5, -0.7], [-0.4, -0.6]] },
 *   { label: 'g=2', epochs: [0, 1, 2], exponents: [[0.3, 0.2], [0.1, 0.0], [0.0, -0.1]] },
 * ], { top: 2 });
 * // a flow's spectra (lyapunovSpectrum with dt): exponents per unit time, not per step
 * const flow = spectraAcrossTrainingPlot([
 *   { label: 'dt = 0.01', epochs: [0, 1], exponents: [[0.9, 0], [0.8, 0]] },
 * ], { top: 2, yTitle: 'λ (per unit time)' });
 * ```
 */
export function spectraAcrossTrainingPlot(runs: readonly TrainingSpectra[], opts: SpectraAcrossTrainingOptions = {}): VegaLiteSpec {
  const fn = 'spectraAcrossTrainingPlot';
  nonEmptyArray(runs, fn, 'runs', '{ label, epochs, exponents }');
  const o = readPlotOptions(opts, fn, SPECTRA_ACROSS_TRAINING_KEYS);
  const base = frame(o, fn, 200, 150);
  const top = positiveBound(o.top ?? 5, fn, 'options.top');
  const columns = positiveBound(o.columns ?? 4, fn, 'options.columns');
  const yTitle = textOption(o, 'yTitle', fn, 'λ (nats per step)');
  const values: Record<string, unknown>[] = [];
  const undrawn = new Undrawn();
  let shown = 0;
  runs.forEach((r, j) => {
    assertObject(r, fn, `runs[${j}]`);
    if (typeof r.label !== 'string') throw new TypeError(`${fn}: runs[${j}].label: expected a string, got ${kindOf(r.label)}`);
    const ep = numbers(r.epochs, fn, `runs[${j}].epochs`);
    rows(r.exponents, fn, `runs[${j}].exponents`, ep.length);
    if (r.spread !== undefined) rows(r.spread, fn, `runs[${j}].spread`, ep.length);
    for (let e = 0; e < ep.length; e++) {
      const ex = numbers(r.exponents[e], fn, `runs[${j}].exponents[${e}]`);
      const sp = r.spread ? numbers(r.spread[e], fn, `runs[${j}].spread[${e}]`, ex.length) : undefined;
      shown = Math.max(shown, Math.min(top, ex.length));
      for (let i = 0; i < Math.min(top, ex.length); i++) {
        undrawn.check(ex[i], () => `λ${i + 1} (${r.label}, epoch ${ep[e]})`);
        const s = sp ? sp[i] : 0;
        values.push({ run: r.label, epoch: ep[e], i: `λ${i + 1}`, lambda: jsonNumber(ex[i]), lo: jsonNumber(ex[i] - s), hi: jsonNumber(ex[i] + s) });
      }
    }
  });
  // in index order: a nominal field sorts as text by default, 'λ10' before 'λ2'; with at most 9
  // lines the text order is the index order, and the spec stays as it was (no sort)
  const color = { field: 'i', type: 'nominal', title: 'exponent', ...(shown >= 10 ? { sort: Array.from({ length: shown }, (_, i) => `λ${i + 1}`) } : {}) };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...titleWithNote(base.title, undrawn),
    data: { values },
    facet: { field: 'run', type: 'nominal', title: null, sort: runs.map((r) => r.label) },
    columns: columns === Infinity ? runs.length : columns, // Infinity: every panel in one row
    spec: {
      width: base.width,
      height: base.height,
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { y: { datum: 0 } } },
        {
          mark: { type: 'line', point: { size: 12 } },
          encoding: {
            x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
            y: { field: 'lambda', type: 'quantitative', title: yTitle },
            color,
          },
        },
        { mark: { type: 'area', opacity: 0.2 }, encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
      ],
    },
  };
}

/** A non-empty array (of `what`): TypeError for another kind, RangeError when empty. */
function nonEmptyArray(v: unknown, fn: string, name: string, what: string): void {
  if (!Array.isArray(v)) throw new TypeError(`${fn}: ${name}: expected a non-empty array of ${what}, got ${kindOf(v)}`);
  if (v.length === 0) throw new RangeError(`${fn}: ${name}: expected a non-empty array of ${what}, got an empty array`);
}

/** An array of `length` rows (one per epoch): TypeError for another kind, RangeError for another count. */
function rows(v: unknown, fn: string, name: string, length: number): void {
  if (!Array.isArray(v)) throw new TypeError(`${fn}: ${name}: expected an array of ${length} rows (one per epoch), got ${kindOf(v)}`);
  if (v.length !== length) throw new RangeError(`${fn}: ${name}: expected ${length} rows (one per epoch), got ${v.length}`);
}
