/**
 * Conversion to and from PyTorch state dicts of `nn.RNN` / `nn.GRU` / `nn.LSTM(I, H)` + `nn.Linear(H, O)`.
 *
 * Names: `<prefix>weight_ih_l0 [GH,I]`, `<prefix>weight_hh_l0 [GH,H]`, `<prefix>bias_ih_l0 [GH]`,
 * `<prefix>bias_hh_l0 [GH]` (G = 1, 3, 4), `<readoutPrefix>weight [O,H]`, `<readoutPrefix>bias [O]`; on
 * import also `nn.RNNCell` / `nn.GRUCell` / `nn.LSTMCell` names, the same without `_l0` (the same step).
 * The defaults are `rnn.` and `fc.`, i.e. a module with attributes `self.rnn` and `self.fc`; on
 * import every tensor of the dict must be one of these (a readout under another name is named with
 * `readoutPrefix`, never guessed away). A vanilla nn.RNN has two biases, so b = bias_ih + bias_hh on
 * import; on export the whole b goes to `bias_ih_l0` and `bias_hh_l0` is zero (the same network).
 */
import { firstBeyondFloat32 } from '../core/float32-range.js';
import { assertActivation } from '../autodiff/rnn-op.js';
import { formatShape } from '../core/errors.js';
import { checkOptionKeys, readOptions } from '../core/options.js';
import { FROM_TORCH_KEYS, TO_TORCH_KEYS } from './option-keys.js';
import { tensor, toNested, type NestedArray, type Tensor } from '../core/tensor.js';
import type { Activation, AnyRnn, GatedRnn, Rnn, RnnCell } from './types.js';
import { gatedFromTorch } from './gated/torch.js';
import { isGated } from './gated/validate.js';
import { assertParams, assertRnn } from './validate.js';

/**
 * A state-dict value: nested arrays (as `tensor.tolist()` gives), `{ shape, data }` (a Tensor, or an
 * `NpyArray` of `readNpz` / `readNpy`, integer arrays included), or a number.
 */
export type TorchValue =
  | NestedArray
  | { shape: readonly number[]; data: ArrayLike<number> | BigInt64Array | BigUint64Array }
  | Tensor;

/** Options of {@link fromTorchStateDict}. */
export interface FromTorchOptions {
  /**
   * Prefix of the nn.RNN / nn.GRU / nn.LSTM entries. Default: found from the key ending in
   * `weight_ih_l0` (e.g. `rnn.`, `model.rnn.`, `module.rnn.` from nn.DataParallel, or `` for a bare
   * module's state dict), or in `weight_ih` for an nn.RNNCell / nn.GRUCell / nn.LSTMCell.
   */
  prefix?: string;
  /**
   * Prefix of the nn.Linear readout (`<readoutPrefix>weight [O,H]`, `<readoutPrefix>bias [O]`).
   * Default: `fc.`, `readout.`, `linear.`, `out.`, `decoder.`, `head.` or `classifier.` (next to
   * the recurrent module, e.g. `model.fc.` for `model.rnn.`), whichever is present; when none is,
   * the state dict must hold nothing but the recurrent layer (a bare `nn.RNN`, `nn.GRU` or
   * `nn.LSTM`), and the readout is the identity on h (O = H, outputs = hidden states). Any other
   * tensor is refused, by name: pass its prefix here if it is the readout. `null`: no readout (the
   * identity on h), and every tensor that is not the recurrent layer is deliberately left out.
   */
  readoutPrefix?: string | null;
  /**
   * φ of a vanilla `nn.RNN`, which the state dict does not record (default 'tanh', PyTorch's default
   * nonlinearity; `nn.RNN(nonlinearity='relu')` needs 'relu'). A GRU or LSTM uses tanh: any other
   * value is refused.
   */
  activation?: Activation;
  /**
   * The cell you expect ('rnn', 'gru' or 'lstm'). The cell is always detected from
   * `weight_hh_l0`'s rows (H, 3H or 4H); when given, a state dict of another cell is refused, and
   * the return type narrows to `Rnn` or `GatedRnn`.
   */
  cell?: RnnCell;
}

/** Options of {@link toTorchStateDict}. */
export interface ToTorchOptions {
  /** Prefix of the recurrent module's entries (default `rnn.`; `` for a bare module). */
  prefix?: string;
  /**
   * Prefix of the readout entries (default `fc.`). `null`: no readout entries, for a bare `nn.RNN` /
   * `nn.GRU` / `nn.LSTM` — allowed only when the readout is the identity on h with zero bias (as
   * `fromTorchStateDict` makes for a bare module's state dict); any other readout is refused.
   */
  readoutPrefix?: string | null;
  /**
   * `false`: no `bias_ih` / `bias_hh` entries, for a module made with `bias=False` — allowed only when
   * every bias is zero; a network with a bias is refused (default `true`).
   */
  bias?: boolean;
  /**
   * `'layer'` (default): `nn.RNN` / `nn.GRU` / `nn.LSTM` names (`weight_ih_l0`, …); `'cell'`:
   * `nn.RNNCell` / `nn.GRUCell` / `nn.LSTMCell` names (`weight_ih`, …), the same parameters.
   */
  module?: 'layer' | 'cell';
  /** 'nested' arrays, ready for JSON and `torch.tensor(...)` (default), or 'tensor' ({ shape, data }). */
  format?: 'nested' | 'tensor';
}

/** What fromTorchInner found: the network, and which tensors it was built from. */
interface TorchStateDictRead {
  rnn: AnyRnn;
  prefix: string;
  /** Prefix of the readout's entries, or null: no readout, the identity on h (O = H). */
  readoutPrefix: string | null;
}

const READOUTS = ['fc.', 'readout.', 'linear.', 'out.', 'decoder.', 'head.', 'classifier.'];
const LAYER = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];

function toTensor(v: unknown, key: string): Tensor {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'shape' in v && 'data' in v) {
    const { shape, data } = v as { shape: unknown; data: unknown };
    if (!Array.isArray(shape)) throw new TypeError(`fromTorchStateDict: '${key}'.shape must be an array, got ${typeof shape}`);
    if (!Array.isArray(data) && !ArrayBuffer.isView(data)) throw new TypeError(`fromTorchStateDict: '${key}'.data must be an array or typed array, got ${typeof data}`);
    const numbers = data instanceof BigInt64Array || data instanceof BigUint64Array ? Float32Array.from(data, Number) : (data as ArrayLike<number>);
    checkFloat32Range(numbers, key);
    return tensor(numbers, shape as number[]);
  }
  if (typeof v === 'number' || Array.isArray(v)) {
    try {
      return tensor(v as NestedArray);
    } catch (err) {
      throw new RangeError(`fromTorchStateDict: '${key}': ${(err as Error).message}`);
    }
  }
  throw new TypeError(`fromTorchStateDict: '${key}' must be nested arrays or { shape, data }, got ${v === null ? 'null' : typeof v}`);
}

/**
 * A finite value beyond float32's range would round to ±Infinity in the network's Float32Array and be
 * reported later as 'found Infinity', though the file held it: refused here, naming it (inf and NaN
 * pass through to the finiteness check as they are).
 */
function checkFloat32Range(data: ArrayLike<number>, key: string): void {
  const i = firstBeyondFloat32(data);
  if (i >= 0) throw new RangeError(`fromTorchStateDict: '${key}' holds ${data[i]} at flat index ${i}, beyond float32's range (±3.4e38): the network's parameters are float32`);
}

/** A value's shape for messages (without converting it). */
function shapeOf(v: unknown): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as { shape?: unknown }).shape)) return formatShape((v as { shape: number[] }).shape);
  const shape: number[] = [];
  for (let cur = v; Array.isArray(cur); cur = cur[0]) shape.push(cur.length);
  return formatShape(shape);
}

/**
 * Builds an RNN from a PyTorch state dict of a single-layer, unidirectional `nn.RNN`, `nn.GRU` or
 * `nn.LSTM` and its `nn.Linear` readout (values as nested arrays or `{ shape, data }`, e.g. from
 * JSON written by `{k: v.tolist() for k, v in model.state_dict().items()}`, the Tensors of
 * `safetensorsToTensors`, or the arrays of `readNpz` for `np.savez(**state_dict)`). An `nn.RNNCell`,
 * `nn.GRUCell` or `nn.LSTMCell` (keys `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`) is read alike: its
 * step is the single-layer module's. The cell is
 * detected from `weight_hh_l0`'s rows (H: `Rnn`; 3H or 4H: a `GatedRnn`), so the result is an
 * `AnyRnn`; pass `{ cell }` to require one cell and get the narrower type.
 *
 * Every tensor of the dict must be used: the recurrent layer's, and the readout's (found under a
 * common name, or named by `readoutPrefix`). A bare `nn.RNN` / `nn.GRU` / `nn.LSTM` (nothing else in
 * the dict) gets the identity readout (O = H); `{ readoutPrefix: null }` asks for that explicitly and
 * leaves any other tensor out.
 *
 * @throws RangeError naming the tensors that are neither the recurrent layer nor the readout; naming
 *   proj_size, num_layers > 1 or bidirectional=True, which are not supported; for a missing tensor,
 *   a wrong shape, or an activation other than tanh for a GRU/LSTM. TypeError for an unknown option.
 * @example
 * ```ts
 * const dict = JSON.parse(readFileSync('model.json', 'utf8'));
 * const rnn = fromTorchStateDict(dict);                          // keys rnn.* and fc.*: Rnn | GatedRnn
 * const vanilla = fromTorchStateDict(dict, { cell: 'rnn' });     // Rnn, or a RangeError for a GRU/LSTM
 * const rnn2 = fromTorchStateDict(dict, { prefix: 'encoder.', readoutPrefix: 'head.' });
 * const rnn3 = fromTorchStateDict(await readNpz(readFileSync('sd.npz'))); // np.savez(**state_dict)
 * ```
 */
export function fromTorchStateDict(dict: Record<string, TorchValue>, opts: FromTorchOptions & { cell: 'rnn' }): Rnn;
export function fromTorchStateDict(dict: Record<string, TorchValue>, opts: FromTorchOptions & { cell: 'gru' | 'lstm' }): GatedRnn;
export function fromTorchStateDict(dict: Record<string, TorchValue>, opts?: FromTorchOptions): AnyRnn;
export function fromTorchStateDict(dict: Record<string, TorchValue>, opts: FromTorchOptions = {}): AnyRnn {
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
    throw new TypeError(`fromTorchStateDict: dict must be an object of named tensors, got ${dict === null ? 'null' : typeof dict}`);
  }
  const own = readOptions(opts, 'fromTorchStateDict', 'opts', ['readoutPrefix']) as FromTorchOptions; // own properties, read once
  checkOptionKeys(own, FROM_TORCH_KEYS, 'fromTorchStateDict');
  for (const k of ['prefix', 'readoutPrefix'] as const) {
    const v = own[k];
    if (v !== undefined && v !== null && typeof v !== 'string') throw new TypeError(`fromTorchStateDict: opts.${k} must be a string, got ${typeof v}`);
  }
  const { rnn } = fromTorchInner(dict, own);
  const want = own.cell;
  if (want !== undefined) {
    if (typeof want !== 'string') throw new TypeError(`fromTorchStateDict: opts.cell must be a string ('rnn', 'gru' or 'lstm'), got ${typeof want}`);
    if (want !== 'rnn' && want !== 'gru' && want !== 'lstm') throw new RangeError(`fromTorchStateDict: opts.cell must be 'rnn', 'gru' or 'lstm', got '${String(want)}'`);
    const got = (Object.prototype.hasOwnProperty.call(rnn, 'cell') ? rnn.cell : undefined) ?? 'rnn';
    if (got !== want) throw new RangeError(`fromTorchStateDict: expected a state dict of cell '${want}', got '${got}' (weight_hh_l0 ${formatShape(rnn.params.wRec.shape)})`);
  }
  return rnn;
}

/**
 * Where the recurrent module's tensors are: its prefix, and the suffix of its names ('_l0' for nn.RNN /
 * nn.GRU / nn.LSTM, '' for nn.RNNCell / nn.GRUCell / nn.LSTMCell, whose keys are weight_ih, weight_hh, …).
 */
function findPrefix(dict: Record<string, TorchValue>, keys: string[], given: string | undefined): { prefix: string; sfx: string } {
  if (given !== undefined) return { prefix: given, sfx: !(`${given}weight_ih_l0` in dict) && `${given}weight_ih` in dict ? '' : '_l0' };
  const found = keys.filter((k) => k.endsWith('weight_ih_l0') || (k.endsWith('weight_ih') && `${k.slice(0, -'weight_ih'.length)}weight_hh` in dict));
  if (found.length !== 1) {
    const what = found.length === 0 ? `keys: ${keys.join(', ')}` : found.map((k) => `'${k}'`).join(', ');
    throw new RangeError(
      `fromTorchStateDict: expected one recurrent module (a key ending in 'weight_ih_l0' of an nn.RNN, nn.GRU or nn.LSTM, or in 'weight_ih' of an nn.RNNCell, nn.GRUCell or nn.LSTMCell), found ${found.length} (${what}); ` +
        (found.length === 0 ? 'this is not the state dict of one of them' : 'pass the one to read as { prefix }'),
    );
  }
  const sfx = found[0].endsWith('_l0') ? '_l0' : '';
  return { prefix: found[0].slice(0, -`weight_ih${sfx}`.length), sfx };
}

/** proj_size, num_layers > 1 and bidirectional=True, named, before anything else is read. */
function assertSupportedLayer(dict: Record<string, TorchValue>, keys: string[], prefix: string): void {
  const features: string[] = [];
  let layers = 1;
  let layerKey = '', reverseKey = '', projKey = '';
  for (const k of keys) {
    if (!k.startsWith(prefix)) continue;
    const m = /^(weight|bias)_(ih|hh|hr)_l(\d+)(_reverse)?$/.exec(k.slice(prefix.length));
    if (m === null) continue;
    if (m[2] === 'hr' && projKey === '') projKey = k;
    if (Number(m[3]) + 1 > layers) [layers, layerKey] = [Number(m[3]) + 1, k];
    if (m[4] !== undefined && reverseKey === '') reverseKey = k;
  }
  const prefer = (k: string, better: string): string => (better in dict ? better : k);
  layerKey = prefer(layerKey, `${prefix}weight_ih_l${layers - 1}`);
  reverseKey = reverseKey === '' ? '' : prefer(reverseKey, `${prefix}weight_ih_l0_reverse`);
  if (projKey !== '') features.push(`proj_size = ${shapeOf(dict[projKey]).replace(/^\[(\d+).*$/, '$1')} ('${projKey}' ${shapeOf(dict[projKey])})`);
  if (layers > 1) features.push(`num_layers = ${layers} ('${layerKey}')`);
  if (reverseKey !== '') features.push(`bidirectional=True ('${reverseKey}')`);
  if (features.length > 0) {
    throw new RangeError(
      `fromTorchStateDict: unsupported recurrent layer: ${features.join(', ')}; rnn-lyap reads a single-layer, unidirectional nn.RNN, nn.GRU or nn.LSTM without proj_size`,
    );
  }
}

/** The readout's prefix: given, or one of READOUTS next to the recurrent module (or at the top), or null (none). */
function findReadout(dict: Record<string, TorchValue>, keys: string[], prefix: string, given: string | null | undefined): string | null {
  if (given === null) return null;
  if (given !== undefined) {
    if (!(`${given}weight` in dict)) throw new RangeError(`fromTorchStateDict: readoutPrefix '${given}': no '${given}weight' in the state dict (keys: ${keys.join(', ')})`);
    return given;
  }
  const model = prefix.replace(/[^.]*\.$/, ''); // 'model.rnn.' → 'model.', 'encoder.' → ''
  const names = model === '' ? READOUTS : [...READOUTS.map((r) => model + r), ...READOUTS];
  const cands = names.filter((r) => `${r}weight` in dict);
  if (cands.length > 1) {
    throw new RangeError(`fromTorchStateDict: found ${cands.length} readouts (${cands.map((r) => `'${r}weight'`).join(', ')}); pass the one to use as { readoutPrefix: '${cands[0]}' }`);
  }
  return cands.length === 1 ? cands[0] : null;
}

/** Refuses tensors that are neither the recurrent layer nor the readout, saying how to choose. */
function assertAllUsed(dict: Record<string, TorchValue>, keys: string[], prefix: string, sfx: string, readout: string | null, H: number): void {
  const used = new Set(LAYER.map((k) => prefix + k + sfx));
  if (readout !== null) for (const k of ['weight', 'bias']) used.add(readout + k);
  const extra = keys.filter((k) => !used.has(k));
  if (extra.length === 0) return;
  const shown = extra.slice(0, 6).map((k) => `'${k}' ${shapeOf(dict[k])}`).join(', ') + (extra.length > 6 ? ` and ${extra.length - 6} more` : '');
  const layer = `the recurrent layer (${prefix === '' ? `weight_*${sfx}, bias_*${sfx}` : `${prefix}*`})`;
  if (readout !== null) {
    throw new RangeError(
      `fromTorchStateDict: the state dict holds tensors that are neither ${layer} nor its readout (${readout}*): ${shown}; rnn-lyap reads one recurrent layer and its nn.Linear readout: save or pass a state dict without them`,
    );
  }
  // a readout under another name: X.weight [O,H] (and X.bias [O]) among the extra tensors
  const guesses = extra.filter((k) => k.endsWith('weight') && new RegExp(`^\\[\\d+,${H}\\]$`).test(shapeOf(dict[k]))).map((k) => k.slice(0, -'weight'.length));
  const name = guesses.length === 1 ? `'${guesses[0]}'` : "'<name>.'";
  throw new RangeError(
    `fromTorchStateDict: the state dict holds tensors that are neither ${layer} nor a readout under a name rnn-lyap looks for (${READOUTS.join(', ')}): ${shown}; ` +
      `if ${guesses.length === 1 ? `${guesses[0]}*` : 'one of them'} is the nn.Linear readout, pass { readoutPrefix: ${name} }; to load the recurrent layer alone (identity readout, outputs = hidden states) and leave them out, pass { readoutPrefix: null }`,
  );
}

/** The nn.Linear readout must be [O,H] and [O]: named by its keys (not the library's wOut / bOut). */
function assertReadoutShapes(wOut: Tensor | null, bOut: Tensor | null, readout: string | null, H: number, from: string): void {
  if (wOut === null || H === 0) return;
  if (wOut.shape.length !== 2 || wOut.shape[1] !== H) {
    throw new RangeError(`fromTorchStateDict: '${readout}weight' must have shape [O,${H}] ([O,H], H = ${H} from ${from}), got ${formatShape(wOut.shape)}: the readout is an nn.Linear(H, O) applied to the hidden state`);
  }
  if (bOut !== null && (bOut.shape.length !== 1 || bOut.shape[0] !== wOut.shape[0])) {
    throw new RangeError(`fromTorchStateDict: '${readout}bias' must have shape [${wOut.shape[0]}] ([O], O from '${readout}weight' ${formatShape(wOut.shape)}), got ${formatShape(bOut.shape)}`);
  }
}

function fromTorchInner(dict: Record<string, TorchValue>, opts: FromTorchOptions): TorchStateDictRead {
  const keys = Object.keys(dict);
  const { prefix, sfx } = findPrefix(dict, keys, opts.prefix);
  assertSupportedLayer(dict, keys, prefix);
  const need = (k: string): unknown => {
    if (!(k in dict)) throw new RangeError(`fromTorchStateDict: missing '${k}' (keys: ${keys.join(', ')})`);
    return dict[k];
  };
  const opt = (k: string): Tensor | null => (k in dict ? toTensor(dict[k], k) : null);
  const [nIh, nHh, nBih, nBhh] = LAYER.map((k) => prefix + k + sfx);
  const hh = toTensor(need(nHh), nHh);
  const ih = toTensor(need(nIh), nIh);
  const H = hh.shape.length === 2 ? hh.shape[1] : 0;
  const readout = findReadout(dict, keys, prefix, opts.readoutPrefix);
  if (opts.readoutPrefix !== null) assertAllUsed(dict, keys, prefix, sfx, readout, H);
  const wOut = readout === null ? null : opt(`${readout}weight`);
  const bOut = readout === null ? null : opt(`${readout}bias`);
  const activation = opts.activation ?? 'tanh';
  assertActivation(activation, 'fromTorchStateDict: activation');
  const bIh = opt(nBih), bHh = opt(nBhh);
  if (H > 0 && (hh.shape[0] === 3 * H || hh.shape[0] === 4 * H)) {
    // nn.GRU / nn.GRUCell (3H rows) or nn.LSTM / nn.LSTMCell (4H rows)
    const cell = hh.shape[0] === 4 * H ? 'LSTM' : 'GRU';
    if (activation !== 'tanh') throw new RangeError(`fromTorchStateDict: a ${cell} uses 'tanh' (nn.${cell} has no nonlinearity option), got activation '${activation}'`);
    if (ih.shape.length !== 2 || ih.shape[0] !== hh.shape[0]) {
      throw new RangeError(`fromTorchStateDict: '${nIh}' must have shape [${hh.shape[0]},I] (as many rows as ${nHh.slice(prefix.length)} ${formatShape(hh.shape)}), got ${formatShape(ih.shape)}`);
    }
    for (const [k, t] of [[nBih, bIh], [nBhh, bHh]] as const) {
      if (t !== null && (t.shape.length !== 1 || t.shape[0] !== hh.shape[0])) throw new RangeError(`fromTorchStateDict: '${k}' must have shape [${hh.shape[0]}] ([${hh.shape[0] / H}·H], H = ${H}), got ${formatShape(t.shape)}`);
    }
    assertReadoutShapes(wOut, bOut, readout, H, `${nHh.slice(prefix.length)} ${formatShape(hh.shape)}`);
    const rnn = gatedFromTorch(ih, hh, bIh, bHh, wOut, bOut, prefix);
    return { rnn, prefix, readoutPrefix: readout };
  }
  const rnn = vanillaFromTorch(ih, hh, bIh, bHh, wOut, bOut, [nIh, nHh, nBih, nBhh], readout, activation);
  return { rnn, prefix, readoutPrefix: readout };
}

function vanillaFromTorch(
  wIn: Tensor, wRec: Tensor, bIh: Tensor | null, bHh: Tensor | null, wOut: Tensor | null, bOut: Tensor | null,
  names: string[], readout: string | null, activation: Activation,
): Rnn {
  const [nIh, nHh, nBih, nBhh] = names;
  const prefix = nIh.replace(/weight_ih(_l0)?$/, '');
  if (wIn.shape.length !== 2) throw new RangeError(`fromTorchStateDict: '${nIh}' must have shape [H,I], got ${formatShape(wIn.shape)}`);
  const H = wIn.shape[0];
  if (wRec.shape.length !== 2 || wRec.shape[0] !== H || wRec.shape[1] !== H) {
    throw new RangeError(`fromTorchStateDict: '${nHh}' must have shape [${H},${H}] ([H,H], H from ${nIh.slice(prefix.length)} ${formatShape(wIn.shape)}), got ${formatShape(wRec.shape)}`);
  }
  for (const [k, t] of [[nBih, bIh], [nBhh, bHh]] as const) {
    if (t !== null && (t.shape.length !== 1 || t.shape[0] !== H)) throw new RangeError(`fromTorchStateDict: '${k}' must have shape [${H}] ([H]), got ${formatShape(t.shape)}`);
  }
  assertReadoutShapes(wOut, bOut, readout, H, `${nHh.slice(prefix.length)} ${formatShape(wRec.shape)}`);
  const b: Tensor = { shape: [H], data: new Float32Array(H) };
  for (let i = 0; i < H; i++) b.data[i] = (bIh?.data[i] ?? 0) + (bHh?.data[i] ?? 0);
  let wo = wOut;
  if (wo === null) {
    // no readout: the identity on h (O = H), as for a bare nn.GRU / nn.LSTM
    wo = { shape: [H, H], data: new Float32Array(H * H) };
    for (let i = 0; i < H; i++) wo.data[i * H + i] = 1;
  }
  const O = wo.shape[0];
  const params = { wIn, wRec, b, wOut: wo, bOut: bOut ?? { shape: [O], data: new Float32Array(O) } };
  assertParams(params, `fromTorchStateDict: (${prefix}*${readout === null ? '' : `, ${readout}*`})`);
  return { activation, params };
}

/**
 * The PyTorch state dict of the network (`nn.RNN` / `nn.GRU` / `nn.LSTM` + `nn.Linear` names), as nested
 * arrays by default, for `model.load_state_dict(...)` with the keys and shapes PyTorch expects. A vanilla
 * RNN's one bias b goes to `bias_ih_l0`, `bias_hh_l0` is zero (the same network). For a module without
 * a readout, without biases or made of a cell, pass `{ readoutPrefix: null }`, `{ bias: false }`,
 * `{ module: 'cell' }`: each is refused when it would leave out a part of the network that is not trivial.
 *
 * @throws RangeError for `readoutPrefix: null` with a readout that is not the identity with zero bias,
 *   `bias: false` with a nonzero bias, an unknown `format` / `module`; TypeError for an unknown option.
 * @example
 * ```ts
 * writeFileSync('model.json', JSON.stringify(toTorchStateDict(rnn)));
 * // python: model.load_state_dict({k: torch.tensor(v) for k, v in json.load(open('model.json')).items()})
 * const bare = toTorchStateDict(fromTorchStateDict(gruStateDict), { prefix: '', readoutPrefix: null }); // nn.GRU(I, H)
 * ```
 */
export function toTorchStateDict(rnn: AnyRnn, options: ToTorchOptions & { format: 'tensor' }): Record<string, Tensor>;
export function toTorchStateDict(rnn: AnyRnn, options?: ToTorchOptions & { format?: 'nested' }): Record<string, NestedArray>;
export function toTorchStateDict(rnn: AnyRnn, options?: ToTorchOptions): Record<string, NestedArray | Tensor>;
export function toTorchStateDict(rnn: AnyRnn, options: ToTorchOptions = {}): Record<string, NestedArray | Tensor> {
  const { H } = assertRnn(rnn, 'toTorchStateDict: rnn');
  const opts = readOptions(options, 'toTorchStateDict', 'opts', ['readoutPrefix']) as ToTorchOptions;
  checkOptionKeys(opts, TO_TORCH_KEYS, 'toTorchStateDict');
  for (const k of ['prefix', 'readoutPrefix'] as const) {
    const v = opts[k];
    if (v !== undefined && !(k === 'readoutPrefix' && v === null) && typeof v !== 'string') throw new TypeError(`toTorchStateDict: opts.${k} must be a string${k === 'readoutPrefix' ? ' or null' : ''}, got ${typeof v}`);
  }
  if (opts.bias !== undefined && typeof opts.bias !== 'boolean') throw new TypeError(`toTorchStateDict: opts.bias must be a boolean, got ${typeof opts.bias}`);
  const format = opts.format ?? 'nested';
  if (format !== 'nested' && format !== 'tensor') throw new RangeError(`toTorchStateDict: format must be 'nested' or 'tensor', got '${String(format)}'`);
  const module = opts.module ?? 'layer';
  if (module !== 'layer' && module !== 'cell') throw new RangeError(`toTorchStateDict: opts.module must be 'layer' or 'cell', got '${String(module)}'`);
  const prefix = opts.prefix ?? 'rnn.';
  const sfx = module === 'layer' ? '_l0' : '';
  const p = rnn.params;
  const [bIh, bHh] = isGated(rnn) ? [rnn.params.bIn, rnn.params.bRec] : [rnn.params.b, { shape: [H], data: new Float32Array(H) }];
  if (opts.bias === false) {
    for (const [name, t] of [['bias_ih', bIh], ['bias_hh', bHh]] as const) {
      const i = t.data.findIndex((v) => v !== 0);
      if (i >= 0) throw new RangeError(`toTorchStateDict: opts.bias is false, but ${name}${sfx} holds ${t.data[i]} at index ${i}: a bias=False module would be another network; leave bias out to save the biases`);
    }
  }
  if (opts.readoutPrefix === null) assertIdentityReadout(p.wOut, p.bOut, H);
  const out = (t: Tensor): NestedArray | Tensor => (format === 'nested' ? toNested(t) : { shape: [...t.shape], data: t.data.slice() });
  const dict: Record<string, NestedArray | Tensor> = { [`${prefix}weight_ih${sfx}`]: out(p.wIn), [`${prefix}weight_hh${sfx}`]: out(p.wRec) };
  if (opts.bias !== false) [dict[`${prefix}bias_ih${sfx}`], dict[`${prefix}bias_hh${sfx}`]] = [out(bIh), out(bHh)];
  if (opts.readoutPrefix !== null) {
    const readout = opts.readoutPrefix ?? 'fc.';
    [dict[`${readout}weight`], dict[`${readout}bias`]] = [out(p.wOut), out(p.bOut)];
  }
  return dict;
}

/** `readoutPrefix: null` leaves the readout out: only the identity on h with zero bias may be. */
function assertIdentityReadout(wOut: Tensor, bOut: Tensor, H: number): void {
  const [O] = wOut.shape;
  let bad = O === H ? -1 : 0;
  for (let i = 0; bad < 0 && i < H * H; i++) if (wOut.data[i] !== (i % (H + 1) === 0 ? 1 : 0)) bad = i;
  const b = bOut.data.findIndex((v) => v !== 0);
  if (bad >= 0 || b >= 0) {
    const what = O !== H ? `wOut is [${O},${H}]` : bad >= 0 ? `wOut[${Math.floor(bad / H)}][${bad % H}] is ${wOut.data[bad]}` : `bOut[${b}] is ${bOut.data[b]}`;
    throw new RangeError(`toTorchStateDict: opts.readoutPrefix is null, but the readout is not the identity on h with zero bias (${what}): without it the state dict would be another network; pass a readoutPrefix to save it as an nn.Linear`);
  }
}
