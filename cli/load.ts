/**
 * Reading the files of the command line: a model (safetensors, a saveRnn JSON, a JSON state dict or
 * an np.savez(**state_dict) archive; a PyTorch pickle gets told how to save safetensors) and input
 * arrays (.npy, .npz[:name]), batch-first [B,T,I] or, with --time-first, [T,B,I].
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  fromTorchStateDict, loadRnn, readNpy, readNpz, readSafetensors, safetensorsToTensors,
  type Activation, type AnyRnn, type FromTorchOptions, type NpyArray, type SafetensorsFile, type Tensor, type TorchValue,
} from '../src/index.js';
import { firstNonFinite } from '../src/core/errors.js';
import { fileKind } from '../src/io/foreign.js';
import { zipEntryNames } from '../src/io/npz.js';
import { CliError, cliMessage, type CliIo } from './common.js';

/** The one-line answer to a PyTorch pickle. */
export const PICKLE_HINT =
  'is a PyTorch pickle (torch.save), which rnn-lyap does not read; save the state dict as safetensors instead: ' +
  'from safetensors.torch import save_file; save_file(model.state_dict(), "model.safetensors"), ' +
  'or without the safetensors package: np.savez("model.npz", **{k: v.cpu().numpy() for k, v in model.state_dict().items()})';

/** The one-line answer to inputs in a PyTorch pickle (.cpu(): .numpy() of a GPU tensor raises). */
const inputsPickleHint = (what: string): string =>
  `is a PyTorch pickle (torch.save), which rnn-lyap does not read; save the ${what} with NumPy instead: np.save("${what}.npy", x.cpu().numpy())`;

/** What MODEL may be, for a file that is something else. */
const MODEL_KINDS = 'MODEL is a state dict (.safetensors, an np.savez(**state_dict) .npz, or JSON) or saveRnn JSON';

/** Reads a file, or a one-line CliError. */
export function readBytes(path: string, io: CliIo, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(resolve(io.cwd, path)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new CliError(`cannot read ${what} '${path}': ${why}`);
  }
}

/**
 * A library error as a one-line message prefixed by the file (or the flag and file), without the
 * library function's name, API option names as flags (see `cliMessage`).
 */
function fileError(path: string, err: unknown): CliError {
  return new CliError(`${path}: ${cliMessage(err)}`);
}

/** A loaded model and what the file said about it. */
export interface LoadedModel {
  rnn: AnyRnn;
  path: string;
  format: 'safetensors' | 'rnn-lyap json' | 'state-dict json' | 'npz state dict';
  /** Tensor name → { dtype, shape } as stored in the file. */
  tensors: Record<string, { dtype: string; shape: number[] }>;
  metadata?: Record<string, unknown>;
  /**
   * The readout's prefix in a state dict, or null when it has none (the readout is then the identity
   * on h, O = H); undefined for a saveRnn JSON, which always holds its readout.
   */
  readoutPrefix?: string | null;
  /** State-dict tensors left out by --no-readout. */
  ignored: string[];
  /**
   * The recurrent weights' name in the file, without its prefix: `weight_hh_l0` (nn.RNN / nn.GRU /
   * nn.LSTM) or `weight_hh` (nn.RNNCell / nn.GRUCell / nn.LSTMCell); undefined for a saveRnn JSON (wRec).
   */
  recurrentWeight?: string;
}

/** Options naming how a state dict maps to the model. */
export interface ModelOptions {
  activation?: string;
  prefix?: string;
  readoutPrefix?: string;
  /** --no-readout: the recurrent layer alone, identity readout, other tensors left out. */
  noReadout?: boolean;
}

/** The ModelOptions of a command's parsed flags. */
export function modelOptions(values: { activation?: string; prefix?: string; 'readout-prefix'?: string; 'no-readout'?: boolean }): ModelOptions {
  return { activation: values.activation, prefix: values.prefix, readoutPrefix: values['readout-prefix'], noReadout: values['no-readout'] };
}

/** The flags that read a PyTorch state dict, for each command's parse() and --help. */
export const MODEL_FLAGS = {
  activation: { type: 'string' }, prefix: { type: 'string' }, 'readout-prefix': { type: 'string' }, 'no-readout': { type: 'boolean' },
} as const;

export const MODEL_HELP = `  --activation tanh|relu|identity   φ of a vanilla nn.RNN state dict, which does not record it
               (default tanh; nn.RNN(nonlinearity='relu') needs relu; a GRU/LSTM is always tanh)
  --prefix P   prefix of the recurrent layer's tensors (default: found from the key ending in
               weight_ih_l0, or weight_ih for an nn.RNNCell/GRUCell/LSTMCell, e.g. rnn. or ''
               for a bare module)
  --readout-prefix R  prefix of the nn.Linear readout (default: fc., readout., linear., out.,
               decoder., head. or classifier.); a tensor that is neither the recurrent layer nor
               the readout is refused, by name
  --no-readout the recurrent layer alone: identity readout (outputs = hidden states), every other
               tensor left out (a bare nn.RNN/GRU/LSTM or cell state dict needs no flag)`;

const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isRawPickle = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x80 && b[1] >= 2 && b[1] <= 5;

/** A ZIP told apart by its entries: torch.save (`*\/data.pkl`, `*\/data/N`) or np.savez (`*.npy`). */
export function zipKind(b: Uint8Array): { kind: 'torch' | 'npz' | 'other' | 'unreadable'; entries: string[] } {
  let entries: string[];
  try {
    entries = zipEntryNames(b);
  } catch {
    return { kind: 'unreadable', entries: [] };
  }
  if (entries.some((n) => /(^|\/)data\.pkl$/.test(n) || /(^|\/)data\/\d+$/.test(n))) return { kind: 'torch', entries };
  const files = entries.filter((n) => !n.endsWith('/'));
  if (files.length > 0 && files.every((n) => n.endsWith('.npy'))) return { kind: 'npz', entries };
  return { kind: 'other', entries };
}

function torchOptions(opts: ModelOptions): FromTorchOptions {
  if (opts.noReadout && opts.readoutPrefix !== undefined) throw new CliError('--no-readout and --readout-prefix contradict each other: give one', 2);
  const activation = opts.activation as Activation | undefined;
  if (activation !== undefined && !['tanh', 'relu', 'identity'].includes(activation)) {
    throw new CliError(`--activation must be tanh, relu or identity, got '${activation}'`, 2);
  }
  return { activation, prefix: opts.prefix, readoutPrefix: opts.noReadout ? null : opts.readoutPrefix };
}

/**
 * The recurrent layer's names as fromTorchStateDict finds them: its prefix and the suffix of its keys,
 * '_l0' for nn.RNN / nn.GRU / nn.LSTM (weight_ih_l0, …), '' for nn.RNNCell / nn.GRUCell / nn.LSTMCell
 * (weight_ih, …). Called once fromTorchStateDict has accepted the dict, so exactly one layer is there.
 */
function layerNames(dict: Record<string, TorchValue>, keys: string[], given: string | undefined): { prefix: string; sfx: string } {
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(dict, k);
  if (given !== undefined) return { prefix: given, sfx: !has(`${given}weight_ih_l0`) && has(`${given}weight_ih`) ? '' : '_l0' };
  const key = keys.find((k) => k.endsWith('weight_ih_l0')) ?? keys.find((k) => k.endsWith('weight_ih') && has(`${k.slice(0, -'weight_ih'.length)}weight_hh`));
  if (key === undefined) return { prefix: '', sfx: '_l0' };
  const sfx = key.endsWith('_l0') ? '_l0' : '';
  return { prefix: key.slice(0, -`weight_ih${sfx}`.length), sfx };
}

/**
 * A state dict (already tensors) → the model, its readout and what was left out. fromTorchStateDict
 * uses every tensor (it refuses any other): the layer's four under its prefix, and the readout's, or
 * with --no-readout none, the rest left out. So the readout is what is not the layer.
 */
function fromDict(path: string, dict: Record<string, TorchValue>, opts: FromTorchOptions): Pick<LoadedModel, 'rnn' | 'readoutPrefix' | 'ignored' | 'recurrentWeight'> {
  let rnn: AnyRnn;
  try {
    rnn = fromTorchStateDict(dict, opts);
  } catch (err) {
    throw fileError(path, err);
  }
  const keys = Object.keys(dict);
  const { prefix, sfx } = layerNames(dict, keys, opts.prefix);
  const layer = new Set(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((k) => prefix + k + sfx));
  const rest = keys.filter((k) => !layer.has(k));
  const recurrentWeight = `weight_hh${sfx}`;
  if (opts.readoutPrefix === null) return { rnn, readoutPrefix: null, ignored: rest, recurrentWeight };
  const weight = rest.find((k) => k.endsWith('weight'));
  return { rnn, readoutPrefix: weight === undefined ? null : weight.slice(0, -'weight'.length), ignored: [], recurrentWeight };
}

function loadJson(path: string, bytes: Uint8Array, opts: ModelOptions, torchOpts: FromTorchOptions): LoadedModel {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw fileError(path, new Error(`not valid JSON: ${(err as Error).message}`));
  }
  if (doc !== null && typeof doc === 'object' && doc.format === 'rnn-lyap/rnn') {
    let rnn: AnyRnn;
    try {
      rnn = loadRnn(doc);
    } catch (err) {
      throw fileError(path, err);
    }
    const given = [opts.prefix !== undefined && '--prefix', opts.readoutPrefix !== undefined && '--readout-prefix', opts.noReadout && '--no-readout'].filter(Boolean);
    if (given.length > 0) throw new CliError(`${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} for a PyTorch state dict; ${path} is a saveRnn model (rnn-lyap json), whose parameters are already named`, 2);
    if (opts.activation !== undefined && opts.activation !== rnn.activation) {
      throw new CliError(`--activation ${opts.activation}: ${path} is a saveRnn model that records activation '${rnn.activation}'; --activation is for a state dict, which does not record it`, 2);
    }
    const params = rnn.params as unknown as Record<string, Tensor>;
    const tensors = Object.fromEntries(Object.entries(params).map(([k, t]) => [k, { dtype: 'F32', shape: [...t.shape] }]));
    return { rnn, path, format: 'rnn-lyap json', tensors, metadata: doc.metadata as Record<string, unknown> | undefined, ignored: [] };
  }
  const tensors: LoadedModel['tensors'] = {};
  for (const k of Object.keys(doc)) tensors[k] = { dtype: 'JSON', shape: shapeOfNested(doc[k]) };
  return { ...fromDict(path, doc as Record<string, TorchValue>, torchOpts), path, format: 'state-dict json', tensors };
}

/**
 * The vanilla cell's activation and where it came from: a saveRnn file records it; a state dict does
 * not (nn.RNN's nonlinearity is not in it), so it is --activation's or the assumed tanh, said so.
 */
export function activationLabel(model: LoadedModel, opts: ModelOptions): string {
  const rnn = model.rnn as { activation?: string };
  if (model.format === 'rnn-lyap json') return `activation ${rnn.activation} (recorded in the file)`;
  if (opts.activation !== undefined) return `activation ${rnn.activation} (--activation)`;
  return `activation ${rnn.activation} (assumed: a state dict does not record nn.RNN's nonlinearity; --activation relu for a relu net)`;
}

/** Reads a model file: safetensors, saveRnn or state-dict JSON, np.savez(**state_dict); a pickle gets the hint. */
export async function loadModel(path: string, io: CliIo, opts: ModelOptions = {}): Promise<LoadedModel> {
  const bytes = readBytes(path, io, 'model');
  const pickleName = /\.(pt|pth|ckpt|bin|pkl)$/i.test(path);
  if (isZip(bytes)) {
    const { kind, entries } = zipKind(bytes);
    if (kind === 'torch' || (kind === 'unreadable' && pickleName)) throw new CliError(`${path} ${PICKLE_HINT}`);
    if (kind === 'other') throw new CliError(`${path}: a ZIP archive that is neither an .npz of .npy arrays nor a torch.save file (entries: ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', ...' : ''})`);
    let arrays: Record<string, NpyArray>;
    try {
      arrays = await readNpz(bytes);
    } catch (err) {
      throw fileError(path, err);
    }
    const tensors: LoadedModel['tensors'] = {};
    for (const [k, a] of Object.entries(arrays)) tensors[k] = { dtype: a.dtype, shape: [...a.shape] };
    const torchOpts = torchOptions(opts);
    if (!Object.keys(arrays).some((k) => /weight_(ih|hh)(_l\d+)?$/.test(k)) && opts.prefix === undefined) {
      const names = Object.keys(arrays);
      const npz = /\.npz$/i.test(path) ? path : path.replace(/(\.[^./\\]*)?$/, '.npz');
      const ref = names.length === 1 ? path : npz === path ? `${path}:NAME` : `${npz}:NAME (renamed: only a name ending in .npz takes :NAME)`;
      throw new CliError(`${path}: an .npz archive of arrays (${names.join(', ')}) that is not a state dict (no recurrent layer's weight_ih, weight_hh): arrays are the network's inputs, --inputs ${ref}; ${MODEL_KINDS}`);
    }
    return { ...fromDict(path, arrays, torchOpts), path, format: 'npz state dict', tensors };
  }
  if (pickleName || isRawPickle(bytes)) throw new CliError(`${path} ${PICKLE_HINT}`);
  const torchOpts = torchOptions(opts);
  let first = 0;
  while (first < bytes.length && (bytes[first] === 0x20 || bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x09)) first++;
  if (bytes[first] === 0x7b /* { */) return loadJson(path, bytes, opts, torchOpts);
  if (fileKind(bytes)?.kind === 'npy') {
    throw new CliError(`${path}: this is a .npy array, not a model: an array is the network's inputs, --inputs ${path} (spectrum, fixed-points); ${MODEL_KINDS}`);
  }
  let file: SafetensorsFile;
  try {
    file = readSafetensors(bytes);
  } catch (err) {
    if (bytes.length >= 8 && !/\.safetensors$/i.test(path)) {
      throw new CliError(`${path}: not a model file rnn-lyap reads (safetensors, an .npz of a state dict, or JSON from saveRnn or a state dict): ${cliMessage(err)}`);
    }
    throw fileError(path, err);
  }
  const tensors: LoadedModel['tensors'] = {};
  for (const [k, t] of Object.entries(file.tensors)) tensors[k] = { dtype: t.dtype, shape: [...t.shape] };
  // integer tensors (e.g. an I64 num_batches_tracked) kept as stored, so the every-tensor rule sees them too
  const dict: Record<string, TorchValue> = safetensorsToTensors(file, { integers: 'keep' });
  return { ...fromDict(path, dict, torchOpts), path, format: 'safetensors', tensors, metadata: file.metadata };
}

function shapeOfNested(v: unknown): number[] {
  const shape: number[] = [];
  let cur = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  if (cur !== null && typeof cur === 'object' && Array.isArray((cur as { shape?: unknown }).shape)) return (cur as { shape: number[] }).shape;
  return shape;
}

/** An input array as a float32 Tensor, and where it came from. */
export interface LoadedInputs {
  x: Tensor;
  dtype: string;
  source: string;
  /** True when float64 values were rounded to float32. */
  rounded: boolean;
}

/** Splits `file.npz:name` (the part after the last ':' when the part before it ends in .npz). */
export function splitArrayRef(ref: string): { file: string; name?: string } {
  const m = /^(.*\.npz):([^:/\\]+)$/i.exec(ref);
  return m ? { file: m[1], name: m[2] } : { file: ref };
}

function toFloat32(a: NpyArray, source: string): LoadedInputs {
  const d = a.data;
  let data: Float32Array;
  if (d instanceof Float32Array) data = d;
  else if (d instanceof BigInt64Array || d instanceof BigUint64Array) data = Float32Array.from(d, (v) => Number(v));
  else data = Float32Array.from(d as ArrayLike<number>);
  return { x: { shape: [...a.shape], data }, dtype: a.dtype, source, rounded: d instanceof Float64Array };
}

/**
 * What to say of an .npz holding several arrays: pick one with `file.npz:NAME` (only a name ending in
 * .npz takes ':NAME', see splitArrayRef), or, for a state dict, that it is a model.
 */
function manyArrays(file: string, names: string[], what: string): string {
  const held = `holds ${names.length} arrays (${names.join(', ')})`;
  if (names.some((k) => /weight_(ih|hh)(_l\d+)?$/.test(k))) return `${held}: a model's state dict (np.savez(**state_dict)), not the ${what}; a model is the command's MODEL`;
  if (/\.npz$/i.test(file)) return `${held}; pick one with ${file}:NAME`;
  const npz = file.replace(/(\.[^./\\]*)?$/, '.npz');
  return `${held}; pick one with FILE.npz:NAME, which needs the name to end in .npz: rename ${file} to ${npz} and pass ${npz}:NAME`;
}

/** Reads `X.npy` or `X.npz[:name]` as a float32 Tensor. */
export async function loadArray(ref: string, io: CliIo, what = 'inputs'): Promise<LoadedInputs> {
  const { file, name } = splitArrayRef(ref);
  const bytes = readBytes(file, io, what);
  const kind = fileKind(bytes)?.kind;
  if (kind === 'pickle' || kind === 'torch.save' || (isZip(bytes) && zipKind(bytes).kind === 'torch')) throw new CliError(`${file} ${inputsPickleHint(what)}`);
  if (kind === 'safetensors') {
    throw new CliError(`--${what} ${file}: this is a safetensors file, a model's state dict, not an array: a model is the command's MODEL; --${what} takes a .npy array or an .npz archive (np.save("${what}.npy", x.cpu().numpy()))`);
  }
  if (kind !== 'npy' && (/\.npz$/i.test(file) || isZip(bytes))) {
    let arrays: Record<string, NpyArray>;
    try {
      arrays = await readNpz(bytes);
    } catch (err) {
      throw fileError(`--${what} ${file}`, err);
    }
    const names = Object.keys(arrays);
    if (name === undefined) {
      if (names.length !== 1) throw new CliError(`${file} ${manyArrays(file, names, what)}`, 2);
      return toFloat32(arrays[names[0]], `${file}:${names[0]}`);
    }
    if (!Object.prototype.hasOwnProperty.call(arrays, name)) throw new CliError(`${file} has no array '${name}' (it holds ${names.join(', ') || 'none'})`);
    return toFloat32(arrays[name], `${file}:${name}`);
  }
  if (name !== undefined) throw new CliError(`${ref}: ':${name}' picks an array of an .npz archive; ${file} is not one`, 2);
  try {
    return toFloat32(readNpy(bytes), file);
  } catch (err) {
    throw fileError(`--${what} ${file}`, err);
  }
}

/** Sizes of any cell: I, H, O, the state dimension and the gate count. */
export function sizes(rnn: AnyRnn): { cell: 'rnn' | 'gru' | 'lstm'; I: number; H: number; O: number; dim: number; gates: number } {
  const cell = rnn.cell ?? 'rnn';
  const gates = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const [, I] = rnn.params.wIn.shape;
  const H = rnn.params.wRec.shape[1];
  const O = rnn.params.wOut.shape[0];
  return { cell, I, H, O, dim: cell === 'lstm' ? 2 * H : H, gates };
}

/** The help line of --time-first (spectrum, fixed-points). */
export const TIME_FIRST_HELP = `  --time-first X is [T,B,I], time first (PyTorch's default batch_first=False); without it a 3-D
               X is read batch first, [B,T,I] (batch_first=True). The layout is never guessed`;

/**
 * Checks inputs are [B,T,I] (or, with timeFirst, [T,B,I]) or [T,I] with the model's I; returns them
 * as [B,T,I] (time-first arrays transposed, a copy).
 */
export function asBatch(inputs: LoadedInputs, I: number, timeFirst = false): Tensor {
  const s = inputs.x.shape;
  if ((s.length !== 2 && s.length !== 3) || s[s.length - 1] !== I) {
    throw new CliError(`--inputs ${inputs.source}: inputs must be ${timeFirst ? '[T,B,I] (--time-first)' : '[B,T,I]'} or [T,I] with I = ${I} (the model's input size), got [${s.join(',')}]`);
  }
  checkInputValues(inputs, timeFirst);
  if (s.length === 2) return { shape: [1, s[0], s[1]], data: inputs.x.data };
  if (!timeFirst) return inputs.x;
  const [T, B] = s;
  const src = inputs.x.data;
  const data = new Float32Array(src.length);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) data.set(src.subarray((t * B + b) * I, (t * B + b + 1) * I), (b * T + t) * I);
  return { shape: [B, T, I], data };
}

/**
 * Empty axes and non-finite values, checked on the array as stored: positions are the file's own
 * indices ([t,b,i] for a time-first array), not those of one sequence after the split.
 */
function checkInputValues(inputs: LoadedInputs, timeFirst: boolean): void {
  const s = inputs.x.shape;
  const names = s.length === 2 ? ['T', 'I'] : timeFirst ? ['T', 'B', 'I'] : ['B', 'T', 'I'];
  const empty = s.findIndex((n) => n === 0);
  if (empty >= 0) {
    const what = names[empty] === 'B' ? 'no sequences' : names[empty] === 'T' ? 'no time steps' : 'no input channels';
    throw new CliError(`--inputs ${inputs.source}: [${s.join(',')}] holds ${what} (${names[empty]} = 0 in [${names.join(',')}])`);
  }
  const d = inputs.x.data;
  const f = firstNonFinite(d);
  if (f < 0) return;
  const at: number[] = [];
  for (let a = s.length - 1, r = f; a >= 0; a--) {
    at.unshift(r % s[a]);
    r = Math.floor(r / s[a]);
  }
  throw new CliError(`--inputs ${inputs.source}: holds ${d[f]} at [${at.join(',')}] ([${names.join(',').toLowerCase()}]) of [${s.join(',')}]; the network is driven by finite inputs only`);
}

/** How a 3-D input was read, for the output and for errors that a wrong layout would explain. */
export function layoutNote(shape: readonly number[], timeFirst: boolean): string {
  if (shape.length !== 3) return `[T,I]: 1 sequence of ${shape[0]} steps`;
  const [B, T] = timeFirst ? [shape[1], shape[0]] : [shape[0], shape[1]];
  return `${timeFirst ? 'time-first [T,B,I]' : 'batch-first [B,T,I]'}: ${B} sequence${B === 1 ? '' : 's'} of ${T} steps`;
}
