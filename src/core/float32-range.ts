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
 * is a `beyondFloat32Error`, `prefix` naming the array. Only a Float64Array or a non-typed ArrayLike
 * can hold such a value (every other numeric typed array fits in float32), and for those the common
 * case costs one branch-free pass over the copy's bits looking for ±Infinity; only when one is found
 * is the source read, to tell a finite value that overflowed from an Infinity given as such. @internal
 */
export function toFloat32Checked(data: ArrayLike<number>, prefix: string): Float32Array {
  const view = ArrayBuffer.isView(data);
  const out = view ? new Float32Array(data as unknown as Float64Array) : Float32Array.from(data);
  if (view && !(data instanceof Float64Array)) return out;
  const i = firstOverflowed(out, data);
  if (i >= 0) throw beyondFloat32Error(`${prefix}[${i}]`, data[i]);
  return out;
}

/**
 * Index of the first entry of `copy` (the float32 copy of `data`) that is ±Infinity where `data`
 * held a finite value, or -1: the scan of {@link toFloat32Checked}, for callers with a message of
 * their own. @internal
 */
export function firstOverflowed(copy: Float32Array, data: ArrayLike<number>): number {
  if (!hasInfinity(copy)) return -1;
  for (let i = 0; i < copy.length; i++) {
    if (copy[i] - copy[i] !== 0 && Number.isFinite(data[i])) return i;
  }
  return -1;
}

/** Whether `a` holds +Infinity or -Infinity (not NaN), read as int32 bits, four at a time, without a branch per entry. */
function hasInfinity(a: Float32Array): boolean {
  const bits = new Int32Array(a.buffer, a.byteOffset, a.length);
  const n = bits.length;
  const M = 0x7fffffff;
  const INF = 0x7f800000;
  let found = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    found |= +((bits[i] & M) === INF) | +((bits[i + 1] & M) === INF) | +((bits[i + 2] & M) === INF) | +((bits[i + 3] & M) === INF);
  }
  for (; i < n; i++) found |= +((bits[i] & M) === INF);
  return found !== 0;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The float32 next to the float32 value `f`, one step toward +∞ (`up`) or −∞ (±Infinity step to ±FLT_MAX). */
function step32(f: number, up: boolean): number {
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149);
  f32[0] = f;
  i32[0] += (f > 0) === up ? 1 : -1; // the magnitude's bits grow away from zero
  return f32[0];
}

/** The smallest float32 ≥ x (x finite or ±Infinity). @internal */
export function float32AtLeast(x: number): number {
  const r = Math.fround(x);
  return r < x ? step32(r, true) : r;
}

/** The largest float32 < x (x finite or ±Infinity). @internal */
export function float32Below(x: number): number {
  const r = Math.fround(x);
  return r >= x ? step32(r, false) : r;
}

/**
 * `v` (a float64 draw in [low, high)) as the float32 a Float32Array would store, kept in the
 * half-open range: rounding to nearest can land on `high` (a uniform 1 − 2^-53 becomes exactly 1.0)
 * or, when `low` is not a float32, just below `low`; those values become the float32 next inside
 * the range, and every other value is the plain rounding. Needs a float32 in [low, high). @internal
 */
export function float32InRange(v: number, low: number, high: number): number {
  const r = Math.fround(v);
  if (r >= high) return float32Below(high);
  if (r < low) return float32AtLeast(low);
  return r;
}
