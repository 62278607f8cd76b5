/**
 * From this library's hidden-state recordings to M-PHATE's layout. `rnnForward` returns states
 * batch-first [B,T,H] (sequence, time step, hidden unit); `mPhate` reads [slices, units, features]
 * and `mmPhate` [epochs, timeSteps, units, samples], where each hidden unit is a point and its
 * activations over the input samples are its features. Read as it is, a [B,T,H] recording would be B
 * "slices" of T "units" with H "features": every node a time step, not a unit.
 */
import { formatShape, type FloatArray } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { isStateRecording } from '../../rnn/recording.js';
import { MULTISLICE_FROM_STATES_KEYS } from './option-keys.js';
import { ownOptions } from './options.js';

/** A recording: one `[B,T,H]` (from `rnnForward`), `[E,B,T,H]`, or E tensors `[B,T,H]` (one per epoch). */
export type StatesRecording =
  | Tensor
  | { readonly shape: readonly number[]; readonly data: FloatArray }
  | readonly (Tensor | { readonly shape: readonly number[]; readonly data: FloatArray })[];

/** Options of {@link multisliceFromStates}. */
export interface MultisliceFromStatesOptions {
  /** Time steps kept as slices, in this order (default every step; −1 is the last). */
  times?: readonly number[];
}

/**
 * Rearranges hidden states recorded batch-first — `states [B,T,H]` from `rnnForward` on B fixed
 * input sequences, or one such recording per training epoch (`[E,B,T,H]`, or an array of E
 * `[B,T,H]`) — into M-PHATE's layout: `[T,H,B]` for {@link mPhate} (slices = time steps, units =
 * the H hidden units, features = their activations on the B sequences) and `[E,T,H,B]` for
 * {@link mmPhate} (slices = (epoch, time step) pairs). `times` keeps only some time steps. The result
 * is a float64 copy; node `(…·T + t)·H + u` of the embedding is hidden unit u at time step t.
 *
 * @example
 * ```ts
 * const perEpoch: Tensor[] = [];   // in train's onEpoch: perEpoch.push(rnnForward(rnn, fixed).states)
 * const X = multisliceFromStates(perEpoch, { times: [4, 9, 14, 19] }); // [E, 4, H, B]
 * const res = mmPhate(X, { seed: 0 });  // colour by res.epoch, res.time, res.unit
 * const one = mPhate(multisliceFromStates(rnnForward(rnn, fixed).states), { seed: 0 }); // slices = time steps
 * ```
 */
export function multisliceFromStates(states: StatesRecording, options?: MultisliceFromStatesOptions): { shape: number[]; data: Float64Array } {
  const name = 'multisliceFromStates';
  const opts = ownOptions<MultisliceFromStatesOptions>(options, name, MULTISLICE_FROM_STATES_KEYS);
  const epochs = readRecording(states, name);
  const [B, T, H] = epochs[0].shape;
  const times = readTimes(opts.times, T, name);
  const E = epochs.length, Tk = times.length;
  const out = new Float64Array(E * Tk * H * B);
  for (let e = 0; e < E; e++) {
    const d = epochs[e].data;
    for (let k = 0; k < Tk; k++) {
      const t = times[k];
      const base = (e * Tk + k) * H * B;
      for (let b = 0; b < B; b++) {
        const src = (b * T + t) * H;
        for (let u = 0; u < H; u++) out[base + u * B + b] = d[src + u];
      }
    }
  }
  const single = !Array.isArray(states) && (states as Tensor).shape.length === 3;
  return { shape: single ? [Tk, H, B] : [E, Tk, H, B], data: out };
}

/** The recording as E checked [B,T,H] blocks of one shape. */
function readRecording(states: unknown, name: string): { shape: [number, number, number]; data: FloatArray }[] {
  const one = (x: unknown, what: string, rank: 3 | 4): { shape: number[]; data: FloatArray } => {
    if (x === null || typeof x !== 'object' || !Array.isArray((x as Tensor).shape)) {
      throw new TypeError(`${name}: ${what} must be a Tensor [B,T,H]${rank === 4 ? ' or [E,B,T,H]' : ''} (rnnForward's states), got ${x === null ? 'null' : typeof x}`);
    }
    const shape = (x as Tensor).shape.slice(), data = (x as Tensor).data as unknown;
    if (!(data instanceof Float32Array || data instanceof Float64Array)) throw new TypeError(`${name}: ${what}.data must be a Float32Array or Float64Array`);
    if (shape.length !== 3 && !(rank === 4 && shape.length === 4)) {
      throw new RangeError(`${name}: ${what} must be [B,T,H]${rank === 4 ? ' or [E,B,T,H]' : ''} (batch, time, hidden: rnnForward's states), got ${formatShape(shape)}`);
    }
    let size = 1;
    for (const s of shape) {
      if (!Number.isInteger(s) || s < 1) throw new RangeError(`${name}: ${what} dimensions must be positive integers, got ${formatShape(shape)}`);
      size *= s;
    }
    if (size !== data.length) throw new RangeError(`${name}: ${what} shape ${formatShape(shape)} holds ${size} values but data has length ${data.length}`);
    return { shape, data };
  };
  let blocks: { shape: [number, number, number]; data: FloatArray }[];
  if (Array.isArray(states)) {
    if (states.length === 0) throw new RangeError(`${name}: states must hold at least one recording, got an empty array`);
    blocks = states.map((x, e) => one(x, `states[${e}]`, 3) as { shape: [number, number, number]; data: FloatArray });
  } else {
    const t = one(states, 'states', 4);
    if (t.shape.length === 3) blocks = [t as { shape: [number, number, number]; data: FloatArray }];
    else {
      const [E, B, T, H] = t.shape;
      blocks = Array.from({ length: E }, (_, e) => ({ shape: [B, T, H], data: t.data.subarray(e * B * T * H, (e + 1) * B * T * H) }));
    }
  }
  const s0 = blocks[0].shape;
  blocks.forEach((b, e) => {
    if (b.shape[0] !== s0[0] || b.shape[1] !== s0[1] || b.shape[2] !== s0[2]) {
      throw new RangeError(`${name}: every recording must have one shape [B,T,H]; states[0] is ${formatShape(s0)}, states[${e}] is ${formatShape(b.shape)}`);
    }
    for (let i = 0; i < b.data.length; i++) {
      const v = b.data[i];
      if (!Number.isFinite(v)) throw new RangeError(`${name}: states${blocks.length > 1 ? `[${e}]` : ''} has ${v} at flat index ${i}`);
    }
  });
  return blocks;
}

function readTimes(v: unknown, T: number, name: string): number[] {
  if (v === undefined) return Array.from({ length: T }, (_, t) => t);
  if (!Array.isArray(v)) throw new TypeError(`${name}: times must be an array of time steps, got ${typeof v}`);
  if (v.length === 0) throw new RangeError(`${name}: times must name at least one time step`);
  return v.map((t: unknown, i) => {
    if (typeof t !== 'number') throw new TypeError(`${name}: times[${i}] must be an integer, got ${typeof t}`);
    if (!Number.isInteger(t) || t < -T || t >= T) throw new RangeError(`${name}: times[${i}] must be an integer in [${-T}, ${T - 1}] (T = ${T}), got ${t}`);
    return t < 0 ? T + t : t;
  });
}

/**
 * Refuses `X` when it holds an `rnnForward` recording ([B,T,H], batch-first), which `caller` would
 * read as [slices, units, features] (B slices of T "units"): a RangeError pointing to
 * {@link multisliceFromStates}. @internal
 */
export function refuseStateRecording(X: unknown, caller: string, layout: string): void {
  if (!isStateRecording(X)) return;
  const shape = Array.isArray((X as Tensor).shape) ? formatShape((X as Tensor).shape) : '?';
  throw new RangeError(
    `${caller}: X ${shape} holds hidden states from rnnForward, batch-first [B,T,H] (sequence, time step, unit), but ${caller} reads ${layout}` +
    ` (each unit a point, its activations over samples its features): as it is, batch would be read as slices and time steps as units.` +
    ` Pass multisliceFromStates(states) (→ [T,H,B]; a list of per-epoch recordings → [E,T,H,B] for mmPhate);` +
    ` to read it as it is anyway, copy it: { shape, data: Float64Array.from(states.data) }`,
  );
}
