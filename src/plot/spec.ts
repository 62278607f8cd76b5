/**
 * The plain-JSON type of a Vega-Lite specification and the small helpers the builders share:
 * argument checks that name the builder, and conversion of typed arrays to JSON rows.
 */

/** The Vega-Lite schema the builders target. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * A Vega-Lite top-level specification as plain JSON (objects, arrays, strings, numbers, booleans,
 * null). Render it with vega-embed in a browser, `alt.Chart.from_dict` in Jupyter, or vega-lite +
 * vega in Node.
 */
export interface VegaLiteSpec {
  $schema: string;
  [key: string]: unknown;
}

/** Layout options every builder takes. */
export interface PlotOptions {
  title?: string;
  /** Width of the plot area (of one panel when faceted), in pixels. */
  width?: number;
  /** Height of the plot area, in pixels. */
  height?: number;
}

/** A finite number, or null (Vega-Lite's missing value) for NaN and ±Infinity, which JSON cannot hold. */
export function jsonNumber(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function assertObject(v: unknown, fn: string, what: string): asserts v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') {
    throw new TypeError(`${fn}: ${what}: expected an object, got ${v === null ? 'null' : typeof v}`);
  }
}

/** Checks a numeric array-like (of length `length` when given) and returns it as numbers. */
export function numbers(v: unknown, fn: string, what: string, length?: number): ArrayLike<number> {
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) throw new TypeError(`${fn}: ${what}: expected an array of numbers or a typed array`);
  const a = v as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number') throw new TypeError(`${fn}: ${what}[${i}]: expected a number, got ${typeof a[i]}`);
  }
  if (length !== undefined && a.length !== length) {
    throw new RangeError(`${fn}: ${what}: expected ${length} values, got ${a.length}`);
  }
  return a as ArrayLike<number>;
}

/** Checks labels (numbers or strings) of the given length. */
export function labelValues(v: unknown, fn: string, what: string, length: number): ArrayLike<number | string> {
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) throw new TypeError(`${fn}: ${what}: expected an array of numbers or strings, or a typed array`);
  const a = v as ArrayLike<unknown>;
  if (a.length !== length) throw new RangeError(`${fn}: ${what}: expected ${length} labels (one per point), got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    const t = typeof a[i];
    if (t !== 'number' && t !== 'string') throw new TypeError(`${fn}: ${what}[${i}]: expected a number or a string, got ${t}`);
  }
  return a as ArrayLike<number | string>;
}

export function positiveInteger(v: unknown, fn: string, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`${fn}: ${what}: expected a positive integer, got ${String(v)}`);
  }
  return v;
}

/** The top-level fields shared by every builder (schema, title, size), own properties only. */
export function frame(opts: PlotOptions, fn: string, width: number, height: number): Record<string, unknown> {
  assertObject(opts, fn, 'options');
  const own = (k: keyof PlotOptions): unknown => (Object.prototype.hasOwnProperty.call(opts, k) ? opts[k] : undefined);
  const w = own('width') ?? width;
  const h = own('height') ?? height;
  if (typeof w !== 'number' || !(w > 0)) throw new RangeError(`${fn}: options.width: expected a positive number, got ${String(w)}`);
  if (typeof h !== 'number' || !(h > 0)) throw new RangeError(`${fn}: options.height: expected a positive number, got ${String(h)}`);
  const title = own('title');
  if (title !== undefined && typeof title !== 'string') throw new TypeError(`${fn}: options.title: expected a string`);
  return { ...(title !== undefined ? { title } : {}), width: w, height: h };
}

/** How a non-finite value reads in a note: −∞, +∞ or NaN. */
function nonFiniteName(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+∞' : '−∞';
}

/**
 * Collects the values a figure cannot draw (NaN, ±Infinity become null and leave a gap) so that the
 * figure can say so instead of dropping them silently.
 */
export class Undrawn {
  private readonly items: string[] = [];
  private readonly others: string[] = [];
  /** Records a reason other than a non-finite value (e.g. points outside a fixed axis range). */
  also(text: string): void {
    this.others.push(text);
  }
  /** Records `what` when `v` is not finite. */
  check(v: number, what: () => string): void {
    if (!Number.isFinite(v)) this.items.push(`${what()} = ${nonFiniteName(v)}`);
  }
  get count(): number {
    return this.items.length;
  }
  /** 'not drawn (not finite): a = −∞, b = NaN' (the first three, then how many more) and the other reasons, or undefined when all were drawn. */
  note(): string | undefined {
    const parts = [...this.others];
    if (this.items.length > 0) {
      const shown = this.items.slice(0, 3).join(', ');
      parts.unshift(`not drawn (not finite): ${shown}${this.items.length > 3 ? ` and ${this.items.length - 3} more` : ''}`);
    }
    return parts.length === 0 ? undefined : parts.join('; ');
  }
}

/** The top-level title: the string, with the note of undrawn values as its subtitle when there is one. */
export function titleWithNote(title: unknown, undrawn: Undrawn): Record<string, unknown> {
  const note = undrawn.note();
  if (note === undefined) return title !== undefined ? { title } : {};
  return { title: { text: typeof title === 'string' ? title : '', subtitle: note } };
}

/** Own property `key` of `o`, or `fallback`. */
export function own<T>(o: object, key: string, fallback: T): T {
  return Object.prototype.hasOwnProperty.call(o, key) ? ((o as Record<string, unknown>)[key] as T) : fallback;
}
