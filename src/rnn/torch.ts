/**
 * Conversion to and from PyTorch state dicts of `nn.RNN(I, H, batch_first=True)` + `nn.Linear(H, O)`.
 *
 * Names: `<prefix>weight_ih_l0 [H,I]`, `<prefix>weight_hh_l0 [H,H]`, `<prefix>bias_ih_l0 [H]`,
 * `<prefix>bias_hh_l0 [H]`, `<readoutPrefix>weight [O,H]`, `<readoutPrefix>bias [O]`. The defaults
 * are `rnn.` and `fc.`, i.e. a module with attributes `self.rnn` and `self.fc`. PyTorch adds two
 * biases, so b = bias_ih + bias_hh on import; on export the whole b goes to `bias_ih_l0` and
 * `bias_hh_l0` is zero (the same network).
 */
import { assertActivation } from '../autodiff/rnn-op.js';
import { formatShape } from '../core/errors.js';
import { readOptions } from '../core/options.js';
import { tensor, toNested, type NestedArray, type Tensor } from '../core/tensor.js';
import type { Activation, AnyRnn, GatedRnn, Rnn, RnnCell } from './types.js';
import { gatedFromTorch } from './gated/torch.js';
import { isGated } from './gated/validate.js';
import { assertParams, assertRnn } from './validate.js';

/** A state-dict value: nested arrays (as `tensor.tolist()` gives), `{ shape, data }`, or a Tensor. */
export type TorchValue = NestedArray | { shape: readonly number[]; data: ArrayLike<number> } | Tensor;

/** Options of {@link fromTorchStateDict}. */
export interface FromTorchOptions {
  /**
   * Prefix of the nn.RNN entries. Default: found from the key ending in `weight_ih_l0` (e.g. `rnn.`,
   * `model.rnn.`, or `` for a bare nn.RNN state dict).
   */
  prefix?: string;
  /**
   * Prefix of the nn.Linear readout. Default: `fc.`, `readout.`, `linear.`, `out.`, `decoder.`,
   * `head.` or `classifier.` (after the model prefix, if any), whichever is present.
   */
  readoutPrefix?: string;
  /** φ, which the state dict does not record (default 'tanh', PyTorch's default nonlinearity). */
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
  /** Prefix of the nn.RNN entries (default `rnn.`). */
  prefix?: string;
  /** Prefix of the readout entries (default `fc.`). */
  readoutPrefix?: string;
  /** 'nested' arrays, ready for JSON and `torch.tensor(...)` (default), or 'tensor' ({ shape, data }). */
  format?: 'nested' | 'tensor';
}

const READOUTS = ['fc.', 'readout.', 'linear.', 'out.', 'decoder.', 'head.', 'classifier.'];

function toTensor(v: unknown, key: string): Tensor {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'shape' in v && 'data' in v) {
    const { shape, data } = v as { shape: unknown; data: unknown };
    if (!Array.isArray(shape)) throw new TypeError(`fromTorchStateDict: '${key}'.shape must be an array, got ${typeof shape}`);
    if (!Array.isArray(data) && !ArrayBuffer.isView(data)) throw new TypeError(`fromTorchStateDict: '${key}'.data must be an array or typed array, got ${typeof data}`);
    return tensor(data as ArrayLike<number>, shape as number[]);
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
 * Builds an RNN from a PyTorch state dict of a single-layer, unidirectional `nn.RNN`, `nn.GRU` or
 * `nn.LSTM` and an `nn.Linear` readout (values as nested arrays or `{ shape, data }`, e.g. from
 * JSON written by `{k: v.tolist() for k, v in model.state_dict().items()}`, or the Tensors of
 * `safetensorsToTensors`). The cell is detected from `weight_hh_l0`'s rows (H: `Rnn`; 3H or 4H: a
 * `GatedRnn`), so the result is an `AnyRnn`; pass `{ cell }` to require one cell and get the
 * narrower type.
 *
 * @example
 * ```ts
 * const dict = JSON.parse(readFileSync('model.json', 'utf8'));
 * const rnn = fromTorchStateDict(dict);                          // keys rnn.* and fc.*: Rnn | GatedRnn
 * const vanilla = fromTorchStateDict(dict, { cell: 'rnn' });     // Rnn, or a RangeError for a GRU/LSTM
 * const rnn2 = fromTorchStateDict(dict, { prefix: 'encoder.', readoutPrefix: 'head.' });
 * ```
 */
export function fromTorchStateDict(dict: Record<string, TorchValue>, opts: FromTorchOptions & { cell: 'rnn' }): Rnn;
export function fromTorchStateDict(dict: Record<string, TorchValue>, opts: FromTorchOptions & { cell: 'gru' | 'lstm' }): GatedRnn;
export function fromTorchStateDict(dict: Record<string, TorchValue>, opts?: FromTorchOptions): AnyRnn;
export function fromTorchStateDict(dict: Record<string, TorchValue>, opts: FromTorchOptions = {}): AnyRnn {
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
    throw new TypeError(`fromTorchStateDict: dict must be an object of named tensors, got ${dict === null ? 'null' : typeof dict}`);
  }
  const own = readOptions(opts, 'fromTorchStateDict'); // own properties, read once
  const rnn = fromTorchInner(dict, own as FromTorchOptions);
  const want = own.cell;
  if (want !== undefined) {
    if (typeof want !== 'string') throw new TypeError(`fromTorchStateDict: opts.cell must be a string ('rnn', 'gru' or 'lstm'), got ${want === null ? 'null' : typeof want}`);
    if (want !== 'rnn' && want !== 'gru' && want !== 'lstm') throw new RangeError(`fromTorchStateDict: opts.cell must be 'rnn', 'gru' or 'lstm', got '${String(want)}'`);
    const got = (Object.prototype.hasOwnProperty.call(rnn, 'cell') ? rnn.cell : undefined) ?? 'rnn';
    if (got !== want) throw new RangeError(`fromTorchStateDict: expected a state dict of cell '${want}', got '${got}' (weight_hh_l0 ${formatShape(rnn.params.wRec.shape)})`);
  }
  return rnn;
}

function fromTorchInner(dict: Record<string, TorchValue>, opts: FromTorchOptions): AnyRnn {
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
    throw new TypeError(`fromTorchStateDict: dict must be an object of named tensors, got ${dict === null ? 'null' : typeof dict}`);
  }
  const keys = Object.keys(dict);
  const activation = opts.activation ?? 'tanh';
  assertActivation(activation, 'fromTorchStateDict: activation');
  let prefix = opts.prefix;
  if (prefix === undefined) {
    const found = keys.filter((k) => k.endsWith('weight_ih_l0'));
    if (found.length !== 1) {
      throw new RangeError(`fromTorchStateDict: expected one key ending in 'weight_ih_l0', found ${found.length} (keys: ${keys.join(', ')}); pass { prefix }`);
    }
    prefix = found[0].slice(0, -'weight_ih_l0'.length);
  }
  const need = (k: string): unknown => {
    if (!(k in dict)) throw new RangeError(`fromTorchStateDict: missing '${k}' (keys: ${keys.join(', ')})`);
    return dict[k];
  };
  if (`${prefix}weight_ih_l1` in dict) throw new RangeError(`fromTorchStateDict: '${prefix}weight_ih_l1' found: only single-layer nn.RNN is supported`);
  if (`${prefix}weight_ih_l0_reverse` in dict) throw new RangeError(`fromTorchStateDict: '${prefix}weight_ih_l0_reverse' found: bidirectional nn.RNN is not supported`);
  let readout = opts.readoutPrefix;
  const hh = toTensor(need(`${prefix}weight_hh_l0`), `${prefix}weight_hh_l0`);
  if (hh.shape.length === 2 && hh.shape[1] > 0 && (hh.shape[0] === 3 * hh.shape[1] || hh.shape[0] === 4 * hh.shape[1])) {
    // nn.GRU (3H rows) or nn.LSTM (4H rows); a bare module without a readout is accepted
    const model = prefix.endsWith('rnn.') ? prefix.slice(0, -4) : '';
    if (readout === undefined) readout = READOUTS.map((r) => model + r).find((r) => `${r}weight` in dict);
    const ih = toTensor(need(`${prefix}weight_ih_l0`), `${prefix}weight_ih_l0`);
    if (ih.shape.length !== 2 || ih.shape[0] !== hh.shape[0]) {
      throw new RangeError(`fromTorchStateDict: '${prefix}weight_ih_l0' must have shape [${hh.shape[0]},I] (as many rows as weight_hh_l0 ${formatShape(hh.shape)}), got ${formatShape(ih.shape)}`);
    }
    const opt = (k: string): Tensor | null => (k in dict ? toTensor(dict[k], k) : null);
    return gatedFromTorch(ih, hh, opt(`${prefix}bias_ih_l0`), opt(`${prefix}bias_hh_l0`),
      readout === undefined ? null : opt(`${readout}weight`), readout === undefined ? null : opt(`${readout}bias`), prefix);
  }
  if (readout === undefined) {
    const model = prefix.endsWith('rnn.') ? prefix.slice(0, -4) : '';
    const cands = READOUTS.map((r) => model + r).filter((r) => `${r}weight` in dict);
    if (cands.length !== 1) {
      throw new RangeError(
        `fromTorchStateDict: could not find the readout (looked for ${READOUTS.map((r) => `'${model}${r}weight'`).join(', ')}; found ${cands.length}); pass { readoutPrefix } (keys: ${keys.join(', ')})`,
      );
    }
    readout = cands[0];
  }
  const wIn = toTensor(need(`${prefix}weight_ih_l0`), `${prefix}weight_ih_l0`);
  const wRec = toTensor(need(`${prefix}weight_hh_l0`), `${prefix}weight_hh_l0`);
  if (wIn.shape.length !== 2) throw new RangeError(`fromTorchStateDict: '${prefix}weight_ih_l0' must have shape [H,I], got ${formatShape(wIn.shape)}`);
  const H = wIn.shape[0];
  if (wRec.shape.length !== 2 || wRec.shape[0] !== H || wRec.shape[1] !== H) {
    throw new RangeError(`fromTorchStateDict: '${prefix}weight_hh_l0' must have shape [${H},${H}] ([H,H], H from weight_ih_l0 ${formatShape(wIn.shape)}), got ${formatShape(wRec.shape)}`);
  }
  const bias = (k: string): Tensor | null => (k in dict ? toTensor(dict[k], k) : null);
  const bIh = bias(`${prefix}bias_ih_l0`), bHh = bias(`${prefix}bias_hh_l0`);
  for (const [k, t] of [[`${prefix}bias_ih_l0`, bIh], [`${prefix}bias_hh_l0`, bHh]] as const) {
    if (t !== null && (t.shape.length !== 1 || t.shape[0] !== H)) throw new RangeError(`fromTorchStateDict: '${k}' must have shape [${H}] ([H]), got ${formatShape(t.shape)}`);
  }
  const b: Tensor = { shape: [H], data: new Float32Array(H) };
  for (let i = 0; i < H; i++) b.data[i] = (bIh?.data[i] ?? 0) + (bHh?.data[i] ?? 0);
  const wOut = toTensor(need(`${readout}weight`), `${readout}weight`);
  const O = wOut.shape[0];
  const bOut = bias(`${readout}bias`) ?? { shape: [O], data: new Float32Array(O) };
  const params = { wIn, wRec, b, wOut, bOut };
  assertParams(params, `fromTorchStateDict: (${prefix}*, ${readout}*)`);
  return { activation, params };
}

/**
 * The PyTorch state dict of the RNN (`nn.RNN` + `nn.Linear` names), as nested arrays by default.
 *
 * @example
 * ```ts
 * writeFileSync('model.json', JSON.stringify(toTorchStateDict(rnn)));
 * // python: model.load_state_dict({k: torch.tensor(v) for k, v in json.load(open('model.json')).items()})
 * ```
 */
export function toTorchStateDict(rnn: AnyRnn, opts: ToTorchOptions = {}): Record<string, NestedArray | Tensor> {
  const { H } = assertRnn(rnn, 'toTorchStateDict: rnn');
  if (isGated(rnn)) return gatedToTorch(rnn, opts);
  const prefix = opts.prefix ?? 'rnn.';
  const readout = opts.readoutPrefix ?? 'fc.';
  const format = opts.format ?? 'nested';
  if (format !== 'nested' && format !== 'tensor') throw new RangeError(`toTorchStateDict: format must be 'nested' or 'tensor', got '${String(format)}'`);
  const p = rnn.params;
  const copy = (t: Tensor): Tensor => ({ shape: [...t.shape], data: t.data.slice() });
  const out = (t: Tensor): NestedArray | Tensor => (format === 'nested' ? toNested(t) : copy(t));
  return {
    [`${prefix}weight_ih_l0`]: out(p.wIn),
    [`${prefix}weight_hh_l0`]: out(p.wRec),
    [`${prefix}bias_ih_l0`]: out(p.b),
    [`${prefix}bias_hh_l0`]: out({ shape: [H], data: new Float32Array(H) }),
    [`${readout}weight`]: out(p.wOut),
    [`${readout}bias`]: out(p.bOut),
  };
}

function gatedToTorch(rnn: GatedRnn, opts: ToTorchOptions): Record<string, NestedArray | Tensor> {
  const prefix = opts.prefix ?? 'rnn.';
  const readout = opts.readoutPrefix ?? 'fc.';
  const format = opts.format ?? 'nested';
  if (format !== 'nested' && format !== 'tensor') throw new RangeError(`toTorchStateDict: format must be 'nested' or 'tensor', got '${String(format)}'`);
  const p = rnn.params;
  const out = (t: Tensor): NestedArray | Tensor => (format === 'nested' ? toNested(t) : { shape: [...t.shape], data: t.data.slice() });
  return {
    [`${prefix}weight_ih_l0`]: out(p.wIn),
    [`${prefix}weight_hh_l0`]: out(p.wRec),
    [`${prefix}bias_ih_l0`]: out(p.bIn),
    [`${prefix}bias_hh_l0`]: out(p.bRec),
    [`${readout}weight`]: out(p.wOut),
    [`${readout}bias`]: out(p.bOut),
  };
}
