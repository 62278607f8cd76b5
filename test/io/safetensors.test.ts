import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromTorchStateDict, rnnForward, tensor } from '../../src/index.js';
import { readFileSync } from 'node:fs';
import { readSafetensors, safetensorsToTensors, writeSafetensors, type SafetensorsIntegerTensor } from '../../src/io/index.js';
import { assertCorruptionsRefusedCleanly, expected, fixture, outcome } from './helpers.js';

const EPS32 = 2 ** -23;
const SD_KEYS = ['fc.bias', 'fc.weight', 'rnn.bias_hh_l0', 'rnn.bias_ih_l0', 'rnn.weight_hh_l0', 'rnn.weight_ih_l0'];

/** A safetensors file from a header object and a data section, for the validation tests. */
function build(header: unknown, data: Uint8Array, rawHeader?: string): Uint8Array {
  const json = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('readSafetensors on files written from PyTorch', () => {
  it('reads the float32 nn.RNN(4→8) + nn.Linear(8→3) state dict exactly, with its metadata', () => {
    const file = readSafetensors(fixture('rnn_f32.safetensors'));
    expect(Object.keys(file.tensors).sort()).toEqual(SD_KEYS);
    expect(file.metadata).toEqual({ format: 'pt', model: 'RNN(4,8)+Linear(8,3)' });
    for (const k of SD_KEYS) {
      const t = file.tensors[k];
      expect(t.dtype).toBe('F32');
      expect(t.shape).toEqual(expected.state_dict[k].shape);
      expect(t.data).toBeInstanceOf(Float32Array);
      expect(Array.from(t.data as Float32Array)).toEqual(expected.state_dict[k].data);
    }
  });

  it('reads the float64 copy exactly', () => {
    const file = readSafetensors(fixture('rnn_f64.safetensors'));
    expect(file.metadata).toEqual({});
    for (const k of SD_KEYS) {
      expect(file.tensors[k].dtype).toBe('F64');
      expect(Array.from(file.tensors[k].data as Float64Array)).toEqual(expected.state_dict_f64[k].data);
    }
  });

  it('reads F16, BF16, I64, I32, I16, I8, U8, BOOL and a 0-d tensor', () => {
    const file = readSafetensors(fixture('mixed.safetensors'));
    const m = expected.mixed;
    const t = file.tensors;
    expect(t.f16.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.f16.data as Float32Array)).toEqual(m.f16.data);
    expect(Array.from(t.bf16.data as Float32Array)).toEqual(m.bf16.data.map(Math.fround));
    expect(t.i64.data).toBeInstanceOf(BigInt64Array);
    expect(t.i64.shape).toEqual([2, 2]);
    expect(Array.from(t.i64.data as BigInt64Array, String)).toEqual(m.i64.data);
    expect(t.i32.data).toBeInstanceOf(Int32Array);
    expect(t.i16.data).toBeInstanceOf(Int16Array);
    expect(t.i8.data).toBeInstanceOf(Int8Array);
    expect(t.u8.data).toBeInstanceOf(Uint8Array);
    for (const k of ['i32', 'i16', 'i8', 'u8', 'bool']) expect(Array.from(t[k].data as Int32Array)).toEqual(m[k].data);
    expect(t.bool.dtype).toBe('BOOL');
    expect(t.scalar.shape).toEqual([]);
    expect(Array.from(t.scalar.data as Float32Array)).toEqual([2.5]);
  });

  it('goes through fromTorchStateDict, and the network reproduces the PyTorch forward pass', () => {
    for (const name of ['rnn_f32.safetensors', 'rnn_f64.safetensors']) {
      const rnn = fromTorchStateDict(safetensorsToTensors(readSafetensors(fixture(name))), { cell: 'rnn' });
      expect(rnn.params.wIn.shape).toEqual([8, 4]);
      expect(rnn.params.wOut.shape).toEqual([3, 8]);
      const sd = expected.state_dict;
      expect(Array.from(rnn.params.wRec.data)).toEqual(sd['rnn.weight_hh_l0'].data);
      const b = sd['rnn.bias_ih_l0'].data.map((v: number, i: number) => Math.fround(v + sd['rnn.bias_hh_l0'].data[i]));
      expect(Array.from(rnn.params.b.data)).toEqual(b);
      const x = tensor(expected.npy.input_3d.data, [2, 5, 4]);
      const { states, outputs } = rnnForward(rnn, x);
      // float32 on both sides, T = 5 steps of (I + H + 1)-term sums: a few ε32 per term per step
      const tol = 8 * 5 * (4 + 8 + 1) * EPS32;
      const check = (got: Float32Array, want: number[]): void => {
        expect(got.length).toBe(want.length);
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(tol * Math.max(1, Math.abs(want[i])));
      };
      check(states.data, expected.forward.hidden.data);
      check(outputs.data, expected.forward.output.data);
    }
  });

  it('safetensorsToTensors rounds F64 to float32 and never drops an integer tensor silently', () => {
    const file = readSafetensors(fixture('mixed.safetensors'));
    // default: a RangeError naming each integer/BOOL tensor with its dtype and shape
    expect(() => safetensorsToTensors(file)).toThrow(RangeError);
    expect(() => safetensorsToTensors(file)).toThrow(/^safetensorsToTensors: file holds 6 integer tensors, which a float Tensor cannot hold: 'bool' \(BOOL \[3\]\), 'i16' \(I16 \[2\]\), 'i32' \(I32 \[2\]\), 'i64' \(I64 \[2,2\]\), 'i8' \(I8 \[2\]\), 'u8' \(U8 \[3\]\); pass \{ integers: 'keep' \}/);
    // 'skip': left out on purpose
    expect(Object.keys(safetensorsToTensors(file, { integers: 'skip' })).sort()).toEqual(['bf16', 'f16', 'scalar']);
    // 'keep': as stored, exact (I64 as BigInt64Array), copies
    const kept = safetensorsToTensors(file, { integers: 'keep' });
    expect(Object.keys(kept).sort()).toEqual(['bf16', 'bool', 'f16', 'i16', 'i32', 'i64', 'i8', 'scalar', 'u8']);
    const i64 = kept.i64 as SafetensorsIntegerTensor;
    expect([i64.dtype, i64.shape]).toEqual(['I64', [2, 2]]);
    expect(Array.from(i64.data as BigInt64Array, String)).toEqual(expected.mixed.i64.data);
    expect(i64.data).not.toBe(file.tensors.i64.data);
    expect((kept.f16 as { data: unknown }).data).toBeInstanceOf(Float32Array);
    const d = safetensorsToTensors({ tensors: { a: { dtype: 'F64', shape: [1], data: new Float64Array([0.1]) } }, metadata: {} });
    expect(d.a.data).toEqual(new Float32Array([Math.fround(0.1)]));
    expect(() => safetensorsToTensors(null as never)).toThrow(TypeError);
    expect(() => safetensorsToTensors(file, { integers: 'drop' as never })).toThrow(/opts\.integers must be 'refuse', 'keep' or 'skip', got 'drop'/);
    expect(() => safetensorsToTensors(file, { integer: 'keep' } as never)).toThrow(/unknown option opts\.integer \(did you mean integers\?\)/);
  });
  it("fromTorchStateDict sees an integer buffer of a state dict (kept), and never loads past it", () => {
    const file = readSafetensors(new Uint8Array(readFileSync(new URL('../fixtures/torch/lstm_int_extra.safetensors', import.meta.url))));
    expect(() => fromTorchStateDict(safetensorsToTensors(file))).toThrow(/^safetensorsToTensors: file holds an integer tensor, which a float Tensor cannot hold: 'steps_done' \(I64 \[1\]\)/);
    expect(() => fromTorchStateDict(safetensorsToTensors(file, { integers: 'keep' }))).toThrow(/^fromTorchStateDict: the state dict holds tensors that are neither the recurrent layer \(rnn\.\*\) nor its readout \(fc\.\*\): 'steps_done' \[1\]/);
    // dropped on purpose, the network loads
    expect(fromTorchStateDict(safetensorsToTensors(file, { integers: 'skip' })).cell).toBe('lstm');
  });
});

describe('writeSafetensors', () => {
  it('round-trips F32 and F64 tensors and metadata exactly; header padded with spaces to 8 bytes', () => {
    const arb = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '__metadata__'),
      fc.tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.boolean(), fc.integer()),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(arb, fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }), (spec, metadata) => {
        const tensors: Record<string, { shape: number[]; data: Float32Array | Float64Array }> = {};
        for (const [k, [shape, f64, seed]] of Object.entries(spec)) {
          const n = shape.reduce((a, b) => a * b, 1);
          const data = f64 ? new Float64Array(n) : new Float32Array(n);
          for (let i = 0; i < n; i++) data[i] = Math.sin(seed + i) * 10 ** ((i % 7) - 3);
          tensors[k] = { shape, data };
        }
        const bytes = writeSafetensors(tensors, { metadata });
        const headerLen = new DataView(bytes.buffer).getUint32(0, true);
        expect(headerLen % 8).toBe(0);
        const back = readSafetensors(bytes);
        expect(Object.keys(back.tensors)).toEqual(Object.keys(tensors));
        expect(back.metadata).toEqual(metadata);
        for (const [k, t] of Object.entries(tensors)) {
          expect(back.tensors[k].dtype).toBe(t.data instanceof Float32Array ? 'F32' : 'F64');
          expect(back.tensors[k].shape).toEqual(t.shape);
          expect(back.tensors[k].data).toEqual(t.data);
        }
      }),
      { numRuns: 100, seed: 13 },
    );
  });

  it('writes the PyTorch fixture byte for byte from what it read (same layout, same padding)', () => {
    const bytes = fixture('rnn_f64.safetensors');
    const file = readSafetensors(bytes);
    const names = Object.keys(file.tensors).sort(); // the generator sorts by name
    const again = writeSafetensors(Object.fromEntries(names.map((k) => [k, file.tensors[k] as { shape: number[]; data: Float64Array }])));
    expect(again).toEqual(bytes);
  });

  it('refuses what it cannot write', () => {
    expect(() => writeSafetensors({ a: { shape: [2], data: new Int32Array(2) as never } })).toThrow(/writeSafetensors: tensor 'a': data must be/);
    expect(() => writeSafetensors({ a: { shape: [3], data: new Float32Array(2) } })).toThrow(RangeError);
    expect(() => writeSafetensors({ a: { shape: [-1], data: new Float32Array(0) } })).toThrow(RangeError);
    expect(() => writeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } })).toThrow(RangeError);
    expect(() => writeSafetensors({}, { metadata: { a: 1 as never } })).toThrow(TypeError);
    // null options mean the defaults, as everywhere in the library; a wrong kind names the parameter, opts
    expect(writeSafetensors({ a: { shape: [1], data: new Float32Array([2]) } }, null as never)).toEqual(writeSafetensors({ a: { shape: [1], data: new Float32Array([2]) } }));
    expect(() => writeSafetensors({}, 'pt' as never)).toThrow(TypeError);
    expect(() => writeSafetensors({}, 'pt' as never)).toThrow(/^writeSafetensors: opts must be an object of options, got string$/);
    expect(() => writeSafetensors({}, { metadata: 'pt' as never })).toThrow(/^writeSafetensors: opts\.metadata must be an object of strings, got string$/);
    expect(() => writeSafetensors({}, { metadata: { a: 1 as never } })).toThrow(/^writeSafetensors: opts\.metadata\['a'\] must be a string, got number$/);
    // a Map's entries are no own properties: it was written as {} in silence
    expect(() => writeSafetensors({}, { metadata: new Map([['format', 'pt']]) as never })).toThrow(new TypeError('writeSafetensors: opts.metadata must be an object of strings, got a Map'));
    expect(() => writeSafetensors({}, { metadata: Object.assign(Object.create(null), { format: 'pt' }) })).not.toThrow();
    // an array's entries would become the keys "0", "1", …
    for (const arr of [['pt'], []]) {
      expect(() => writeSafetensors({}, { metadata: arr as never })).toThrow(new TypeError('writeSafetensors: opts.metadata must be an object of strings, got an array'));
    }
    // options are read as own properties only
    const inherited = Object.create({ metadata: { leaked: 'yes' } }) as { metadata?: Record<string, string> };
    expect(readSafetensors(writeSafetensors({}, inherited)).metadata).toEqual({});
  });
});

describe('readSafetensors validation', () => {
  const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);
  const cases: [string, Uint8Array, ErrorConstructor, RegExp][] = [
    ['not bytes', 'abc' as never, TypeError, /bytes must be/],
    ['shorter than 8 bytes', new Uint8Array(5), RangeError, /too short/],
    ['header length past the end', (() => { const b = build({}, new Uint8Array(0)); b[0] = 200; return b; })(), RangeError, /runs past the end/],
    ['header length ≥ 2^32', (() => { const b = build({}, new Uint8Array(0)); b[5] = 1; return b; })(), RangeError, /runs past the end/],
    ['bad JSON', build(null, new Uint8Array(0), '{"a": '), RangeError, /not valid UTF-8 JSON/],
    ['invalid UTF-8', (() => { const b = build(null, new Uint8Array(0), '{"xx":{}}'); b[10] = 0xff; return b; })(), RangeError, /not valid UTF-8 JSON/],
    ['header not an object', build([1], new Uint8Array(0)), TypeError, /header must be a JSON object/],
    ['unknown dtype', build({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, f32(2)), RangeError, /tensor 'w': unknown dtype 'C64'/],
    ['negative dim', build({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)), RangeError, /tensor 'w': shape must hold non-negative integers/],
    ['non-integer dim', build({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, f32(1)), RangeError, /tensor 'w': shape/],
    ['shape not an array', build({ w: { dtype: 'F32', shape: 3, data_offsets: [0, 12] } }, f32(3)), TypeError, /tensor 'w': shape must be an array/],
    ['shape × itemsize ≠ span', build({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 12] } }, f32(3)), RangeError, /tensor 'w': shape \[2\] × 4 bytes \(F32\) = 8 bytes, but data_offsets span 12/],
    ['offsets past the data', build({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 12] } }, f32(2)), RangeError, /tensor 'w': data_offsets \[0, 12\] run past the data/],
    ['offsets reversed', build({ w: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, f32(1)), RangeError, /tensor 'w': data_offsets must be integers 0 <= begin <= end/],
    ['offsets not a pair', build({ w: { dtype: 'F32', shape: [1], data_offsets: [0] } }, f32(1)), TypeError, /data_offsets must be \[begin, end\]/],
    ['overlapping', build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(3)), RangeError, /tensor 'b': data_offsets \[4, 12\] overlap 'a'/],
    ['a gap', build({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), RangeError, /leave a gap/],
    ['trailing bytes', build({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)), RangeError, /cover 4 bytes of data but the file holds 8/],
    ['metadata not strings', build({ __metadata__: { a: 1 } }, new Uint8Array(0)), TypeError, /__metadata__ 'a' must be a string/],
  ];
  for (const [what, bytes, Kind, msg] of cases) {
    it(`${what} → ${Kind.name}`, () => {
      expect(() => readSafetensors(bytes)).toThrow(Kind);
      expect(() => readSafetensors(bytes)).toThrow(msg);
      expect(() => readSafetensors(bytes)).toThrow(/^readSafetensors: /);
    });
  }

  it('accepts tensors listed out of offset order, and leaves the input bytes unchanged', () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const bytes = build({ b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data);
    const copy = bytes.slice();
    const file = readSafetensors(bytes);
    expect(Array.from(file.tensors.a.data as Float32Array)).toEqual([1, 2]);
    expect(Array.from(file.tensors.b.data as Float32Array)).toEqual([3]);
    expect(bytes).toEqual(copy);
  });

  it('reads from an unaligned view into a larger buffer without reading outside it', () => {
    const bytes = fixture('rnn_f32.safetensors');
    const big = new Uint8Array(bytes.length + 3).fill(0xff);
    big.set(bytes, 1);
    const file = readSafetensors(big.subarray(1, 1 + bytes.length));
    expect(Array.from(file.tensors['fc.bias'].data as Float32Array)).toEqual(expected.state_dict['fc.bias'].data);
    // cut one byte: the view ends before the data does, and the reader must notice
    expect(() => readSafetensors(big.subarray(1, bytes.length))).toThrow(RangeError);
  });

  it('fuzz: truncations and byte flips of valid files only ever throw TypeError/RangeError', () => {
    assertCorruptionsRefusedCleanly(['rnn_f32.safetensors', 'mixed.safetensors'].map(fixture), readSafetensors, 7);
  });
});

describe('writeSafetensors options', () => {
  it('refuses an unknown option instead of writing the file without its metadata', () => {
    const t = { w: { shape: [1], data: new Float32Array([1]) } };
    expect(() => writeSafetensors(t, { meta: { a: 'b' } } as never)).toThrow(/^writeSafetensors: unknown option opts\.meta; the options of writeSafetensors are metadata$/);
    // the metadata record passed where the options go (Python's save_file(tensors, f, metadata))
    expect(() => writeSafetensors(t, { source: 'rnn-lyap' } as never)).toThrow(/^writeSafetensors: unknown option opts\.source/);
    expect(readSafetensors(writeSafetensors(t, { metadata: { a: 'b' } })).metadata).toEqual({ a: 'b' });
  });
});

describe('safetensorsToTensors rounding F64', () => {
  it('refuses a finite F64 value beyond float32 range (it became ±Infinity silently), keeps inf and the largest float32', () => {
    const file = (v: number[]) => readSafetensors(writeSafetensors({ w: { shape: [v.length], data: Float64Array.from(v) } }));
    expect(() => safetensorsToTensors(file([1, -1e39]))).toThrow(/^safetensorsToTensors: tensor 'w' \(F64 \[2\]\) holds -1e\+39 at flat index 1, beyond float32's range/);
    expect(Array.from(safetensorsToTensors(file([3.4028234663852886e38, Infinity, 1e-50])).w.data)).toEqual([3.4028234663852886e38, Infinity, 0]);
  });
});
