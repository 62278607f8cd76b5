/**
 * What `train` does with the value an `onEpoch` callback returns (or its Promise resolves to, since
 * train awaits it): the fields of a plain object are merged into the epoch's record; undefined or
 * null add nothing; anything else was silently dropped and is now refused. @internal
 */
import { kindOf } from '../core/options.js';

/** How a returned value reads in a message: its kind, and a primitive's value. */
function described(v: unknown): string {
  if (typeof v === 'string') return `a string ('${v.length > 40 ? `${v.slice(0, 40)}…` : v}')`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `a ${typeof v} (${String(v)})`;
  if (typeof v === 'function') return 'a function';
  return kindOf(v) === 'array' ? 'an array' : `${/^[AEIOU]/.test(kindOf(v)) ? 'an' : 'a'} ${kindOf(v)}`;
}

/** Whether `v` is a thenable (what `await` waits for). */
export function isThenable(v: unknown): boolean {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Merges `extra` (what onEpoch returned, resolved when `promised`) into `record`, keeping the epoch's
 * own fields (`own`: those the record had before the callback). A kind that carries no fields — a
 * number, string, boolean, function, array, typed array, Map, class instance — is a TypeError; a
 * field that would replace one of the record's own (its measured loss, epoch, …) a RangeError.
 */
export function mergeEpochExtra(record: Record<string, unknown>, extra: unknown, promised: boolean, own: readonly string[]): void {
  if (extra === undefined || extra === null) return;
  const got = promised ? `a Promise (awaited) that resolved to ${described(extra)}` : described(extra);
  const proto = typeof extra === 'object' ? (Object.getPrototypeOf(extra) as unknown) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(
      `train: onEpoch must return undefined or a plain object of fields to merge into the epoch's record (e.g. { lyapunov }), got ${got} after epoch ${String(record.epoch)}; training stops here, the parameters hold that epoch's updates`,
    );
  }
  const clash = Object.keys(extra as object).filter((k) => own.includes(k));
  if (clash.length > 0) {
    throw new RangeError(
      `train: onEpoch returned ${clash.map((k) => `'${k}'`).join(', ')}, which would replace the epoch record's own ${clash.length > 1 ? 'fields' : 'field'} (measured by train) after epoch ${String(record.epoch)}: return ${clash.length > 1 ? 'them' : 'it'} under another name; training stops here, the parameters hold that epoch's updates`,
    );
  }
  Object.assign(record, extra);
}
