/**
 * Saving and loading an RNN as JSON.
 */
import { assertActivation } from '../autodiff/rnn-op.js';
import { checkHeapAllocation } from '../core/alloc.js';
import { assertJsonFits } from './json-size.js';
import { checkOptionKeys, readOptions } from '../core/options.js';
import { LOAD_RNN_KEYS, SAVE_RNN_KEYS } from './option-keys.js';
import type { Tensor } from '../core/tensor.js';
import type { AnyRnn, GatedRnn, Rnn, RnnCell } from './types.js';
import { assertGatedParams, isGated } from './gated/validate.js';

import { assertParams, assertRnn } from './validate.js';
import { beyondFloat32Error } from '../core/float32-range.js';

const FORMAT = 'rnn-lyap/rnn';

/**
 * Serializes an RNN to a JSON string `{ format: 'rnn-lyap/rnn', version: 1, activation, inputSize,
 * hiddenSize, outputSize, params: { wIn: { shape, data }, … }, metadata? }`. The float32 values
 * round-trip exactly.
 *
 * @example
 * ```ts
 * const json = saveRnn(rnn, { metadata: { epochs: 30, accuracy: 0.93 } });
 * const same = loadRnn(json);
 * ```
 */
export function saveRnn(rnn: AnyRnn, options: { metadata?: Record<string, unknown> } = {}): string {
  const { I, H, O } = assertRnn(rnn, 'saveRnn: rnn');
  const opts = readOptions(options, 'saveRnn');
  checkOptionKeys(opts, SAVE_RNN_KEYS, 'saveRnn');
  const { values } = assertJsonFits(rnn, H);
  checkHeapAllocation(values * 24, 'saveRnn: rnn', `the JSON of ${values} parameters`);
  const enc = (t: Tensor) => ({ shape: [...t.shape], data: Array.from(t.data) });
  if (isGated(rnn)) {
    const g = rnn.params;
    const gdoc: Record<string, unknown> = {
      format: FORMAT, version: 1, cell: rnn.cell, activation: rnn.activation, inputSize: I, hiddenSize: H, outputSize: O,
      params: { wIn: enc(g.wIn), wRec: enc(g.wRec), bIn: enc(g.bIn), bRec: enc(g.bRec), wOut: enc(g.wOut), bOut: enc(g.bOut) },
    };
    if (opts.metadata !== undefined) gdoc.metadata = opts.metadata;
    return JSON.stringify(gdoc);
  }
  const p = rnn.params;
  const doc: Record<string, unknown> = {
    format: FORMAT,
    version: 1,
    activation: rnn.activation,
    inputSize: I,
    hiddenSize: H,
    outputSize: O,
    params: { wIn: enc(p.wIn), wRec: enc(p.wRec), b: enc(p.b), wOut: enc(p.wOut), bOut: enc(p.bOut) },
  };
  if (opts.metadata !== undefined) {
    if (opts.metadata === null || typeof opts.metadata !== 'object') throw new TypeError(`saveRnn: metadata must be an object, got ${opts.metadata === null ? 'null' : typeof opts.metadata}`);
    doc.metadata = opts.metadata;
  }
  return JSON.stringify(doc);
}

/** Options of {@link loadRnn}. */
export interface LoadRnnOptions {
  /** The cell you expect: a file of another cell is refused, and the return type narrows. */
  cell?: RnnCell;
}

/**
 * Reads an RNN written by {@link saveRnn} (a JSON string or the parsed object), validating shapes and
 * values. The file records its cell, so the result is an `AnyRnn` (`Rnn` or `GatedRnn`); pass
 * `{ cell }` to require one and get the narrower type. The `metadata` saved with a vanilla RNN
 * comes back as `rnn.metadata`.
 *
 * @example
 * ```ts
 * const any = loadRnn(readFileSync('rnn.json', 'utf8'));                 // Rnn | GatedRnn
 * const rnn = loadRnn(readFileSync('rnn.json', 'utf8'), { cell: 'rnn' }); // Rnn, or a RangeError
 * ```
 */
export function loadRnn(json: string | object, opts: LoadRnnOptions & { cell: 'rnn' }): Rnn;
export function loadRnn(json: string | object, opts: LoadRnnOptions & { cell: 'gru' | 'lstm' }): GatedRnn;
export function loadRnn(json: string | object, opts?: LoadRnnOptions): AnyRnn;
export function loadRnn(json: string | object, options: LoadRnnOptions = {}): AnyRnn {
  const o = readOptions(options, 'loadRnn');
  checkOptionKeys(o, LOAD_RNN_KEYS, 'loadRnn');
  const want = o.cell;
  if (want !== undefined && typeof want !== 'string') throw new TypeError(`loadRnn: opts.cell must be a string ('rnn', 'gru' or 'lstm'), got ${want === null ? 'null' : typeof want}`);
  if (want !== undefined && want !== 'rnn' && want !== 'gru' && want !== 'lstm') {
    throw new RangeError(`loadRnn: opts.cell must be 'rnn', 'gru' or 'lstm', got '${String(want)}'`);
  }
  const rnn = loadInner(json);
  const got = (Object.prototype.hasOwnProperty.call(rnn, 'cell') ? rnn.cell : undefined) ?? 'rnn';
  if (want !== undefined && got !== want) throw new RangeError(`loadRnn: expected a saved RNN of cell '${want}', got '${got}'`);
  return rnn;
}

function loadInner(json: string | object): AnyRnn {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (err) {
      throw new TypeError(`loadRnn: not valid JSON: ${(err as Error).message}`);
    }
  }
  if (doc === null || typeof doc !== 'object') throw new TypeError(`loadRnn: json: expected a JSON object, got ${doc === null ? 'null' : typeof doc}`);
  const d = doc as Record<string, unknown>;
  if (d.format !== FORMAT) throw new TypeError(`loadRnn: json: expected format '${FORMAT}', got '${String(d.format)}'`);
  if (d.version !== 1) throw new RangeError(`loadRnn: unsupported version ${String(d.version)} (this library reads version 1)`);
  assertActivation(d.activation, 'loadRnn: activation');
  const src = d.params as Record<string, unknown> | undefined;
  if (src === null || typeof src !== 'object') throw new TypeError('loadRnn: missing params');
  const dec = (k: string): Tensor => {
    const v = src[k] as { shape?: unknown; data?: unknown } | undefined;
    if (v === undefined || v === null || !Array.isArray(v.shape) || !Array.isArray(v.data)) {
      throw new TypeError(`loadRnn: params.${k} must be { shape: number[], data: number[] }`);
    }
    const data = new Float32Array(v.data.length);
    for (let i = 0; i < data.length; i++) {
      const x = v.data[i];
      if (typeof x !== 'number') throw new RangeError(`loadRnn: params.${k}.data[${i}] must be a finite number, got ${x === null ? 'null' : typeof x}`);
      data[i] = x;
      if (!Number.isFinite(data[i]) && Number.isFinite(x)) throw beyondFloat32Error(`loadRnn: params.${k}.data[${i}]`, x);
    }
    return { shape: (v.shape as number[]).slice(), data };
  };
  const cell = (Object.prototype.hasOwnProperty.call(d, 'cell') ? d.cell : undefined) ?? 'rnn'; // own property: not a polluted prototype's
  if (cell !== 'rnn' && cell !== 'gru' && cell !== 'lstm') throw new RangeError(`loadRnn: cell must be 'rnn', 'gru' or 'lstm', got '${String(cell)}'`);
  if (cell !== 'rnn') {
    const gp = { wIn: dec('wIn'), wRec: dec('wRec'), bIn: dec('bIn'), bRec: dec('bRec'), wOut: dec('wOut'), bOut: dec('bOut') };
    for (const [k, t] of Object.entries(gp)) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (n !== t.data.length) throw new RangeError(`loadRnn: params.${k}: shape [${t.shape.join(',')}] needs ${n} values, got ${t.data.length}`);
    }
    assertGatedParams(gp, cell, 'loadRnn: params');
    const g: GatedRnn = { cell, activation: 'tanh', params: gp };
    return g;
  }
  const params = { wIn: dec('wIn'), wRec: dec('wRec'), b: dec('b'), wOut: dec('wOut'), bOut: dec('bOut') };
  for (const [k, t] of Object.entries(params)) {
    let n = 1;
    for (const s of t.shape) n *= s;
    if (n !== t.data.length) throw new RangeError(`loadRnn: params.${k}: shape [${t.shape.join(',')}] needs ${n} values, got ${t.data.length}`);
  }
  assertParams(params, 'loadRnn: params');
  const out: Rnn = { activation: d.activation, params };
  if (d.metadata !== undefined && d.metadata !== null && typeof d.metadata === 'object') out.metadata = d.metadata as Record<string, unknown>;
  return out;
}
