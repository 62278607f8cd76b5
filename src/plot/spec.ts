/**
 * The plain-JSON type of a Vega-Lite specification and the small helpers the builders share:
 * argument checks that name the builder, and conversion of typed arrays to JSON rows.
 */
import type { KnownOptions } from '../core/options.js';
import { suggestPlotOption } from './suggest.js';

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

/**
 * How a value's kind reads in a message: 'null', 'array', a primitive's typeof, else the constructor's
 * name ('Object', 'Float64Array', 'Map'; 'object' without one). A copy of core's `kindOf`
 * (src/core/options.ts: plot imports nothing of core at runtime); test/plot/kind-of.test.ts checks
 * that they agree. It said 'object' for every object, where core says 'Object' or the class.
 */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v !== 'object') return typeof v;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

export function assertObject(v: unknown, fn: string, what: string): asserts v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') {
    throw new TypeError(`${fn}: ${what}: expected an object, got ${v === null ? 'null' : typeof v}`);
  }
}

/** Checks a numeric array-like (of length `length` when given) and returns it as numbers. */
export function numbers(v: unknown, fn: string, what: string, length?: number): ArrayLike<number> {
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) throw new TypeError(`${fn}: ${what}: expected an array of numbers or a typed array, got ${kindOf(v)}`);
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
  if (!ok) throw new TypeError(`${fn}: ${what}: expected an array of numbers or strings, or a typed array, got ${kindOf(v)}`);
  const a = v as ArrayLike<unknown>;
  if (a.length !== length) throw new RangeError(`${fn}: ${what}: expected ${length} labels (one per point), got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    const t = typeof a[i];
    if (t !== 'number' && t !== 'string') throw new TypeError(`${fn}: ${what}[${i}]: expected a number or a string, got ${t}`);
  }
  return a as ArrayLike<number | string>;
}

/** A positive integer: a TypeError for another kind, a RangeError for another number. */
export function positiveInteger(v: unknown, fn: string, what: string): number {
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${what}: expected a positive integer, got ${kindOf(v)}`);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${fn}: ${what}: expected a positive integer, got ${String(v)}`);
  return v;
}

/** A count that bounds what is drawn: a positive integer, or Infinity for "all". */
export function positiveBound(v: unknown, fn: string, what: string): number {
  if (v === Infinity) return v;
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${what}: expected a positive integer or Infinity, got ${kindOf(v)}`);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${fn}: ${what}: expected a positive integer or Infinity, got ${String(v)}`);
  return v;
}

/**
 * A builder's options as read: own enumerable properties only (each read once), on a null-prototype
 * object, so nothing inherited (a polluted `Object.prototype.title`) reaches a figure. `undefined`
 * or `null` means every option at its default, as in every folder; another kind is a TypeError; a
 * key the builder does not know is a RangeError naming it and the option it most likely means, as
 * core's `checkOptionKeys` says it (`ytitle`: did you mean yTitle?), or else the builder's options;
 * an option set to null is a TypeError unless `nullable` lists it.
 */
export function readPlotOptions(opts: unknown, fn: string, known: KnownOptions, nullable: readonly string[] = []): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (opts === undefined || opts === null) return out;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError(`${fn}: options: expected an object of options, got ${kindOf(opts)}`);
  const keys = Object.keys(opts);
  const unknown = keys.filter((k) => !known.keys.includes(k));
  if (unknown.length > 0) {
    // core's checkOptionKeys message: each key with its likely meaning, the list only when one has none
    let guessed = true;
    const parts = unknown.map((k) => {
      const s = suggestPlotOption(k, known.keys);
      if (s === undefined) guessed = false;
      return `options.${k}${s !== undefined ? ` (did you mean ${s}?)` : ''}`;
    });
    const list = guessed ? '' : `; the options of ${fn} are ${known.keys.join(', ')}`;
    throw new RangeError(`${fn}: unknown option${unknown.length > 1 ? 's' : ''} ${parts.join(', ')}${list}`);
  }
  for (const k of keys) {
    const v = (opts as Record<string, unknown>)[k];
    if (v === null && !nullable.includes(k)) throw new TypeError(`${fn}: options.${k} must not be null (omit it for the default)`);
    out[k] = v;
  }
  return out;
}

/** A string option (a title, a label): `fallback` when absent, a TypeError naming it for another kind. */
export function textOption(o: Record<string, unknown>, key: string, fn: string, fallback: string, where = 'options'): string {
  const v = Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new TypeError(`${fn}: ${where}.${key}: expected a string, got ${kindOf(v)}`);
  return v;
}

/** A positive finite number option: TypeError for another kind, RangeError for another number. */
export function positiveOption(o: Record<string, unknown>, key: string, fn: string, fallback: number): number {
  const v = Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw new TypeError(`${fn}: options.${key}: expected a positive number, got ${kindOf(v)}`);
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${fn}: options.${key}: expected a positive number, got ${String(v)}`);
  return v;
}

/**
 * One of `choices` (strings): TypeError for another kind, RangeError for another string, with the
 * message of core's `readChoice` (`fn: what: expected one of 'a', 'b', got 'x'`), of which this is
 * the copy plot keeps (it imports nothing of core at runtime).
 */
export function choiceOption<C extends string>(v: unknown, fn: string, what: string, choices: readonly C[], fallback: C): C {
  if (v === undefined) return fallback;
  const expected = `one of ${choices.map((c) => `'${c}'`).join(', ')}`;
  if (typeof v !== 'string') throw new TypeError(`${fn}: ${what}: expected ${expected}, got ${kindOf(v)}`);
  if (!(choices as readonly string[]).includes(v)) throw new RangeError(`${fn}: ${what}: expected ${expected}, got '${v}'`);
  return v as C;
}

/**
 * The top-level fields shared by every builder (title, size), from options read by {@link readPlotOptions},
 * on a null-prototype object: `base.title` without a title is undefined, not an inherited value.
 */
export function frame(o: Record<string, unknown>, fn: string, width: number, height: number): { title?: string; width: number; height: number } {
  const w = positiveOption(o, 'width', fn, width);
  const h = positiveOption(o, 'height', fn, height);
  const title = Object.prototype.hasOwnProperty.call(o, 'title') ? o.title : undefined;
  if (title !== undefined && typeof title !== 'string') throw new TypeError(`${fn}: options.title: expected a string, got ${kindOf(title)}`);
  return Object.assign(Object.create(null) as object, title !== undefined ? { title } : {}, { width: w, height: h });
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
