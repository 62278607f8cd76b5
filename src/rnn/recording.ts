/**
 * Which arrays hold a hidden-state recording of this library's forward pass (`rnnForward`'s
 * `states` and `cells`, batch-first [B,T,H]), so an analysis that reads another layout (M-PHATE's
 * [slices, units, features]) can refuse one instead of silently reading batch as slices and time as
 * units. The mark is on the data array (it survives re-wrapping as `{ shape, data }`) and lives in a
 * WeakSet: nothing is added to the arrays, no result depends on it, and copying the data
 * (`Float64Array.from(states.data)`) removes it. @internal
 */
const RECORDINGS = new WeakSet<object>();

/** Marks `data` as a batch-first [B,T,H] hidden-state recording. @internal */
export function markStateRecording(data: Float32Array | Float64Array): void {
  RECORDINGS.add(data);
}

/** Whether `x` (a Tensor-like `{ data }` or an array) holds data marked by {@link markStateRecording}. @internal */
export function isStateRecording(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return false;
  if (RECORDINGS.has(x)) return true;
  const data = Object.prototype.hasOwnProperty.call(x, 'data') ? (x as { data?: unknown }).data : undefined;
  return data !== null && typeof data === 'object' && RECORDINGS.has(data);
}
