/**
 * Where float64 data would not survive the conversion to float32: the first finite value that
 * rounds to ±Infinity (|x| ≥ 2^128 − 2^103), which a Float32Array stores as Infinity and a later
 * finiteness check then reports as if the source had held it. Shared by every path where user
 * numbers become float32 (tensor, toTensor and the nested-array reader, full/randn/randu, initRnn,
 * loadRnn, io/safetensors.ts, rnn/torch.ts). NaN and ±Infinity given as such are not "beyond": they
 * are stored as given, and the routines that need finite data report them. @internal
 */

/** Index of the first finite entry that rounds to ±Infinity in float32, or -1 (a Float32Array has none). @internal */
export function firstBeyondFloat32(data: ArrayLike<number>): number {
  if (data instanceof Float32Array) return -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v) && !Number.isFinite(Math.fround(v))) return i;
  }
  return -1;
}

/**
 * The RangeError for a finite `v` that float32 would store as ±Infinity, `where` naming the
 * function and the entry (e.g. `'tensor: values[2]'`). @internal
 */
export function beyondFloat32Error(where: string, v: number): RangeError {
  return new RangeError(
    `${where} = ${v} is beyond float32's range (±3.4028235e38): a Float32Array would store it as ${v > 0 ? '' : '-'}Infinity`,
  );
}

/**
 * `data` copied into a new Float32Array; the first finite entry that the copy holds as ±Infinity
 * is a `beyondFloat32Error`, `prefix` naming the array (one pass over the copy, not a fround per entry). @internal
 */
export function toFloat32Checked(data: ArrayLike<number>, prefix: string): Float32Array {
  const out = Float32Array.from(data);
  if (data instanceof Float32Array) return out;
  for (let i = 0; i < out.length; i++) {
    if (out[i] - out[i] !== 0 && Number.isFinite(data[i])) throw beyondFloat32Error(`${prefix}[${i}]`, data[i]);
  }
  return out;
}
