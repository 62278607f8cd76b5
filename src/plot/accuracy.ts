/**
 * Accuracy of a sequence classifier on modified inputs against n, for the three modifications of
 * Horoi et al. (2020): cut, hidden and extended digits.
 */
import { assertObject, frame, jsonNumber, kindOf, numbers, readPlotOptions, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from './spec.js';
import { ACCURACY_VS_N_KEYS } from './option-keys.js';

/** Accuracy of one modification at each n: the mean, and optionally its spread (e.g. std over networks). */
export interface AccuracyCurve {
  mean: ArrayLike<number>;
  spread?: ArrayLike<number>;
}

/** Input of {@link accuracyVsNPlot}: the n values and a curve per modification (any subset). */
export interface AccuracyVsN {
  n: ArrayLike<number>;
  cut?: AccuracyCurve;
  hidden?: AccuracyCurve;
  extended?: AccuracyCurve;
}

/** Options of {@link accuracyVsNPlot}. */
export interface AccuracyVsNOptions extends PlotOptions {
  /** Draw a dashed line at this accuracy (default 0.1, chance for 10 classes; null for none). */
  chance?: number | null;
}

/**
 * Accuracy against n for cut, hidden and extended digits, lines with mean ± spread bands. Missing
 * values (NaN, e.g. cut at n = 0) leave a gap.
 *
 * @example
 * ```ts
 * import { accuracyVsNPlot } from 'rnn-lyap/plot';
 * const n = [0, 14, 28];
 * const spec = accuracyVsNPlot({
 *   n,
 *   cut: { mean: [NaN, 0.3, 0.95] },
 *   hidden: { mean: [0.1, 0.6, 0.95], spread: [0, 0.05, 0.01] },
 *   extended: { mean: [0.95, 0.5, 0.2] },
 * });
 * ```
 */
export function accuracyVsNPlot(data: AccuracyVsN, opts: AccuracyVsNOptions = {}): VegaLiteSpec {
  const fn = 'accuracyVsNPlot';
  assertObject(data, fn, 'data');
  const o = readPlotOptions(opts, fn, ACCURACY_VS_N_KEYS, ['chance']);
  const base = frame(o, fn, 360, 240);
  const n = numbers(data.n, fn, 'data.n');
  const values: Record<string, unknown>[] = [];
  const kinds = ['cut', 'hidden', 'extended'] as const;
  let any = false;
  for (const kind of kinds) {
    const c = Object.prototype.hasOwnProperty.call(data, kind) ? data[kind] : undefined;
    if (c === undefined) continue;
    any = true;
    assertObject(c, fn, `data.${kind}`);
    const m = numbers(c.mean, fn, `data.${kind}.mean`, n.length);
    const s = c.spread === undefined ? undefined : numbers(c.spread, fn, `data.${kind}.spread`, n.length);
    for (let i = 0; i < n.length; i++) {
      const sp = s ? s[i] : 0;
      values.push({ kind, n: n[i], accuracy: jsonNumber(m[i]), lo: jsonNumber(m[i] - sp), hi: jsonNumber(m[i] + sp) });
    }
  }
  if (!any) throw new RangeError(`${fn}: data: expected at least one of cut, hidden, extended`);
  const chance = o.chance === undefined ? 0.1 : o.chance;
  if (chance !== null && typeof chance !== 'number') throw new TypeError(`${fn}: options.chance: expected a number or null, got ${kindOf(chance)}`);
  if (typeof chance === 'number' && !Number.isFinite(chance)) throw new RangeError(`${fn}: options.chance: expected a finite accuracy (or null for no line), got ${chance}`);
  const color = { field: 'kind', type: 'nominal', title: 'digits', sort: [...kinds] };
  const layer: unknown[] = [
    {
      mark: { type: 'line', point: { size: 16 } },
      encoding: {
        x: { field: 'n', type: 'quantitative', title: 'n (rows)' },
        y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { domain: [0, 1] } },
        color,
      },
    },
    { mark: { type: 'area', opacity: 0.2 }, encoding: { x: { field: 'n', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
  ];
  if (typeof chance === 'number') layer.unshift({ mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { y: { datum: chance } } });
  return { $schema: VEGA_LITE_SCHEMA, ...base, data: { values }, layer };
}
