/**
 * Reading the files of the command line: a model (safetensors, a saveRnn JSON or a JSON state
 * dict; a PyTorch pickle gets told how to save safetensors) and input arrays (.npy, .npz[:name]).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  fromTorchStateDict, loadRnn, readNpy, readNpz, readSafetensors, safetensorsToTensors,
  type Activation, type AnyRnn, type NpyArray, type Tensor, type TorchValue,
} from '../src/index.js';
import { CliError, type CliIo } from './common.js';

/** The one-line answer to a PyTorch pickle. */
export const PICKLE_HINT =
  'is a PyTorch pickle (torch.save), which rnn-lyap does not read; save the state dict as safetensors instead: ' +
  'from safetensors.torch import save_file; save_file(model.state_dict(), "model.safetensors")';

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

/** A library error as a one-line message prefixed by the file. */
function fileError(path: string, err: unknown): CliError {
  const msg = err instanceof Error ? err.message : String(err);
  return new CliError(`${path}: ${msg.split('\n')[0]}`);
}

/** A loaded model and what the file said about it. */
export interface LoadedModel {
  rnn: AnyRnn;
  path: string;
  format: 'safetensors' | 'rnn-lyap json' | 'state-dict json';
  /** Tensor name → { dtype, shape } as stored in the file. */
  tensors: Record<string, { dtype: string; shape: number[] }>;
  metadata?: Record<string, unknown>;
}

/** Options naming how a state dict maps to the model. */
export interface ModelOptions {
  activation?: string;
  prefix?: string;
  readoutPrefix?: string;
}

function isPickle(b: Uint8Array): boolean {
  // torch.save: a zip archive (PK\x03\x04, since 1.6) or a raw pickle (protocol 2+: 0x80 0x02..0x05)
  return (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) || (b.length >= 2 && b[0] === 0x80 && b[1] >= 2 && b[1] <= 5);
}

export function loadModel(path: string, io: CliIo, opts: ModelOptions = {}): LoadedModel {
  const bytes = readBytes(path, io, 'model');
  if (/\.(pt|pth|ckpt|bin)$/i.test(path) || isPickle(bytes)) throw new CliError(`${path} ${PICKLE_HINT}`);
  const activation = opts.activation as Activation | undefined;
  if (activation !== undefined && !['tanh', 'relu', 'identity'].includes(activation)) {
    throw new CliError(`--activation must be tanh, relu or identity, got '${activation}'`, 2);
  }
  const torchOpts = { activation, prefix: opts.prefix, readoutPrefix: opts.readoutPrefix };
  let first = 0;
  while (first < bytes.length && (bytes[first] === 0x20 || bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x09)) first++;
  if (bytes[first] === 0x7b /* { */) {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (err) {
      throw fileError(path, new Error(`not valid JSON: ${(err as Error).message}`));
    }
    try {
      if (doc !== null && typeof doc === 'object' && doc.format === 'rnn-lyap/rnn') {
        const rnn = loadRnn(doc);
        const params = rnn.params as unknown as Record<string, Tensor>;
        const tensors = Object.fromEntries(Object.entries(params).map(([k, t]) => [k, { dtype: 'F32', shape: [...t.shape] }]));
        return { rnn, path, format: 'rnn-lyap json', tensors, metadata: doc.metadata as Record<string, unknown> | undefined };
      }
      const rnn = fromTorchStateDict(doc as Record<string, TorchValue>, torchOpts);
      const tensors: LoadedModel['tensors'] = {};
      for (const k of Object.keys(doc)) tensors[k] = { dtype: 'JSON', shape: shapeOfNested(doc[k]) };
      return { rnn, path, format: 'state-dict json', tensors };
    } catch (err) {
      throw fileError(path, err);
    }
  }
  try {
    const file = readSafetensors(bytes);
    const rnn = fromTorchStateDict(safetensorsToTensors(file), torchOpts);
    const tensors: LoadedModel['tensors'] = {};
    for (const [k, t] of Object.entries(file.tensors)) tensors[k] = { dtype: t.dtype, shape: [...t.shape] };
    return { rnn, path, format: 'safetensors', tensors, metadata: file.metadata };
  } catch (err) {
    if (bytes.length >= 8 && !(err instanceof Error && /^fromTorchStateDict/.test(err.message)) && !/\.safetensors$/i.test(path)) {
      throw new CliError(`${path}: not a model file rnn-lyap reads (safetensors, or JSON from saveRnn or a state dict): ${(err as Error).message.split('\n')[0]}`);
    }
    throw fileError(path, err);
  }
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

/** Reads `X.npy` or `X.npz[:name]` as a float32 Tensor. */
export async function loadArray(ref: string, io: CliIo, what = 'inputs'): Promise<LoadedInputs> {
  const { file, name } = splitArrayRef(ref);
  const bytes = readBytes(file, io, what);
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (/\.npz$/i.test(file) || isZip) {
    let arrays: Record<string, NpyArray>;
    try {
      arrays = await readNpz(bytes);
    } catch (err) {
      throw fileError(file, err);
    }
    const names = Object.keys(arrays);
    if (name === undefined) {
      if (names.length !== 1) throw new CliError(`${file} holds ${names.length} arrays (${names.join(', ')}); pick one with ${file}:NAME`, 2);
      return toFloat32(arrays[names[0]], `${file}:${names[0]}`);
    }
    if (!Object.prototype.hasOwnProperty.call(arrays, name)) throw new CliError(`${file} has no array '${name}' (it holds ${names.join(', ') || 'none'})`);
    return toFloat32(arrays[name], `${file}:${name}`);
  }
  if (name !== undefined) throw new CliError(`${ref}: ':${name}' picks an array of an .npz archive; ${file} is not one`, 2);
  try {
    return toFloat32(readNpy(bytes), file);
  } catch (err) {
    throw fileError(file, err);
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

/** Checks inputs are [B,T,I] or [T,I] with the model's I; returns them as [B,T,I]. */
export function asBatch(inputs: LoadedInputs, I: number): Tensor {
  const s = inputs.x.shape;
  if ((s.length !== 2 && s.length !== 3) || s[s.length - 1] !== I) {
    throw new CliError(`${inputs.source}: inputs must be [B,T,I] or [T,I] with I = ${I} (the model's input size), got [${s.join(',')}]`);
  }
  return s.length === 2 ? { shape: [1, s[0], s[1]], data: inputs.x.data } : inputs.x;
}
