/**
 * Where float64 data would not survive the conversion to float32: the first finite value that
 * rounds to ±Infinity (|x| ≥ 2^128 − 2^103), which a Float32Array stores as Infinity and a later
 * finiteness check then reports as if the source had held it. Shared by the readers that hand
 * float64 data to float32 parameters (io/safetensors.ts, rnn/torch.ts). @internal
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
