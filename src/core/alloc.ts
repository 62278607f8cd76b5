/**
 * Refusing sizes that cannot fit, before allocating: a RangeError that names the argument and the
 * memory needed, instead of an engine message late in a run or an uncatchable out-of-memory abort.
 * Internal to the library (not on the public surface).
 */

/** The largest single typed array the library allocates: 2 GiB. */
export const MAX_TYPED_BYTES = 2 ** 31;

/**
 * The largest plain-JS structure (nested arrays, JSON text) the library builds: 1 GiB, estimated.
 * Plain arrays of numbers live on the JS heap, where running out aborts the process.
 */
export const MAX_HEAP_BYTES = 2 ** 30;

/** Formats a byte count as `1.5 GB`. @example `formatBytes(3e9) // '3.0 GB'` */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

/**
 * Throws a RangeError unless `elements` values of `bytesPerElement` bytes fit in one typed array
 * (at most {@link MAX_TYPED_BYTES}); `name` is the caller and argument, `what` describes the array.
 *
 * @example
 * ```ts
 * checkTypedAllocation(n * n, 8, 'myFn: n', `an ${n}×${n} float64 matrix`);
 * ```
 */
export function checkTypedAllocation(elements: number, bytesPerElement: number, name: string, what = 'an array'): void {
  const bytes = elements * bytesPerElement;
  if (!(bytes <= MAX_TYPED_BYTES)) {
    throw new RangeError(
      `${name}: ${what} of ${elements} values needs ${formatBytes(bytes)}, more than the ${formatBytes(MAX_TYPED_BYTES)} one array may take`,
    );
  }
}

/**
 * Throws a RangeError unless a plain-JS structure of the estimated size `bytes` fits the heap budget
 * ({@link MAX_HEAP_BYTES}).
 *
 * @example
 * ```ts
 * checkHeapAllocation(rows * (cols * 8 + 64), 'toNested: t', `nested arrays of ${rows}×${cols}`);
 * ```
 */
export function checkHeapAllocation(bytes: number, name: string, what: string): void {
  if (!(bytes <= MAX_HEAP_BYTES)) {
    throw new RangeError(
      `${name}: ${what} needs about ${formatBytes(bytes)} of JS heap, more than the ${formatBytes(MAX_HEAP_BYTES)} this library builds as plain arrays; keep the typed-array form instead`,
    );
  }
}
