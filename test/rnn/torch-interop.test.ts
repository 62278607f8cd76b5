// The traps of a PyTorch user's way in (review of 2026-12-02): a readout under an unfamiliar name,
// bare modules, unsupported layers, a GRU given an activation, and np.savez(**state_dict) archives.
// Fixtures: test/fixtures/torch/make_torch_fixtures.py (PyTorch 1.13).
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { initRnn, rnnForward, toTorchStateDict, type AnyRnn, type GatedRnn, type Tensor } from '../../src/index.js';
import { readNpz, readSafetensors, safetensorsToTensors } from '../../src/io/index.js';
import { fromTorchStateDict, type TorchValue } from '../../src/rnn/torch.js';

const dir = new URL('../fixtures/torch/', import.meta.url);
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(new URL(f, dir)));
const st = (f: string): Record<string, Tensor> => safetensorsToTensors(readSafetensors(bytes(f)));
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));

/** A network's state dict with the readout renamed (and optionally the recurrent prefix). */
function renamed(rnn: AnyRnn, prefix: string, readout: string): Record<string, TorchValue> {
  return toTorchStateDict(rnn, { prefix, readoutPrefix: readout }) as Record<string, TorchValue>;
}

describe('fromTorchStateDict: every tensor is the recurrent layer or the readout', () => {
  it('a GRU with its readout under an unfamiliar name (encoder = nn.GRU, output = nn.Linear) is refused, naming the tensors', () => {
    const sd = st('custom_gru.safetensors');
    expect(() => fromTorchStateDict(sd)).toThrow(
      "fromTorchStateDict: the state dict holds tensors that are neither the recurrent layer (encoder.*) nor a readout under a name rnn-lyap looks for (fc., readout., linear., out., decoder., head., classifier.): 'output.bias' [2], 'output.weight' [2,4]; if output.* is the nn.Linear readout, pass { readoutPrefix: 'output.' }; to load the recurrent layer alone (identity readout, outputs = hidden states) and leave them out, pass { readoutPrefix: null }",
    );
    const rnn = fromTorchStateDict(sd, { readoutPrefix: 'output.' }) as GatedRnn;
    expect(rnn.params.wOut.shape).toEqual([2, 4]);
    expect(Array.from(rnn.params.wOut.data)).toEqual(Array.from(sd['output.weight'].data));
    expect(Array.from(rnn.params.bOut.data)).toEqual(Array.from(sd['output.bias'].data));
    const alone = fromTorchStateDict(sd, { readoutPrefix: null });
    expect(alone.params.wOut.shape).toEqual([4, 4]);
    expect(Array.from(alone.params.wOut.data)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`${cell}: the same rule for every cell (unfamiliar readout refused; extra tensors beside fc.* refused)`, () => {
      const net = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 2, cell, seed: 1 });
      const dict = renamed(net, 'encoder.', 'output.');
      expect(() => fromTorchStateDict(dict)).toThrow(/neither the recurrent layer \(encoder\.\*\).*'output\.weight' \[2,5\].*pass \{ readoutPrefix: 'output\.' \}.*\{ readoutPrefix: null \}/);
      expect(fromTorchStateDict(dict, { readoutPrefix: 'output.' }).params.wOut.shape).toEqual([2, 5]);
      const withEmbedding = { ...renamed(net, 'rnn.', 'fc.'), 'embedding.weight': [[1, 2, 3]] };
      expect(() => fromTorchStateDict(withEmbedding)).toThrow(/neither the recurrent layer \(rnn\.\*\) nor its readout \(fc\.\*\): 'embedding\.weight' \[1,3\]/);
      // two recognised readouts: which one is not guessed
      expect(() => fromTorchStateDict({ ...renamed(net, 'rnn.', 'fc.'), 'head.weight': [[1, 2, 3, 4, 5]] })).toThrow(/found 2 readouts \('fc\.weight', 'head\.weight'\)/);
      expect(() => fromTorchStateDict(dict, { readoutPrefix: 'nope.' })).toThrow(/readoutPrefix 'nope\.': no 'nope\.weight'/);
    });
  }
  it('the readout is found next to the recurrent module, or at the top level', () => {
    const net = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 1, cell: 'gru', seed: 2 });
    expect(fromTorchStateDict(renamed(net, 'model.encoder.', 'model.head.')).params.wOut.shape).toEqual([1, 3]);
    expect(fromTorchStateDict(renamed(net, 'model.encoder.', 'fc.')).params.wOut.shape).toEqual([1, 3]);
  });
  it('bare nn.RNN, nn.GRU and nn.LSTM state dicts load alike: identity readout, outputs = hidden states', () => {
    for (const [f, cell] of [['bare_rnn', undefined], ['bare_gru', 'gru'], ['bare_lstm', 'lstm']] as const) {
      const rnn = fromTorchStateDict(st(`${f}.safetensors`));
      expect(rnn.cell, f).toBe(cell);
      expect(rnn.params.wOut.shape).toEqual([4, 4]);
      expect(Array.from(rnn.params.bOut.data)).toEqual([0, 0, 0, 0]);
      const x: Tensor = { shape: [1, 5, 3], data: Float32Array.from({ length: 15 }, (_, i) => Math.sin(i)) };
      const { states, outputs } = rnnForward(rnn, x);
      expect(Array.from(outputs.data)).toEqual(Array.from(states.data));
    }
  });
  it('proj_size, num_layers > 1 and bidirectional=True are named as unsupported (PyTorch-written files)', () => {
    expect(() => fromTorchStateDict(st('proj_lstm.safetensors'))).toThrow(
      "fromTorchStateDict: unsupported recurrent layer: proj_size = 2 ('weight_hr_l0' [2,4]); rnn-lyap reads a single-layer, unidirectional nn.RNN, nn.GRU or nn.LSTM without proj_size",
    );
    expect(() => fromTorchStateDict(st('two_layer_gru.safetensors'))).toThrow(/^fromTorchStateDict: unsupported recurrent layer: num_layers = 2 \('weight_ih_l1'\)/);
    expect(() => fromTorchStateDict(st('bidir_rnn.safetensors'))).toThrow(/^fromTorchStateDict: unsupported recurrent layer: bidirectional=True \('weight_ih_l0_reverse'\)/);
    // also with a readout present, and with an explicit prefix
    const proj = { ...st('proj_lstm.safetensors'), 'fc.weight': { shape: [1, 2], data: [1, 2] } };
    expect(() => fromTorchStateDict(proj, { prefix: '' })).toThrow(/proj_size = 2/);
  });
  it('a GRU or an LSTM given another activation than tanh is refused, as initRnn does; a vanilla RNN takes relu', () => {
    expect(() => fromTorchStateDict(st('bare_gru.safetensors'), { activation: 'relu' })).toThrow("fromTorchStateDict: a GRU uses 'tanh' (nn.GRU has no nonlinearity option), got activation 'relu'");
    expect(() => fromTorchStateDict(st('bare_lstm.safetensors'), { activation: 'identity' })).toThrow(/a LSTM uses 'tanh'/);
    expect(fromTorchStateDict(st('bare_gru.safetensors'), { activation: 'tanh' }).cell).toBe('gru');
    expect(fromTorchStateDict(st('bare_rnn.safetensors'), { activation: 'relu' }).activation).toBe('relu');
  });
  it('unknown options are refused with the nearest name', () => {
    const sd = st('bare_gru.safetensors');
    expect(() => fromTorchStateDict(sd, { readout_prefix: 'x.' } as never)).toThrow(new RangeError('fromTorchStateDict: unknown option opts.readout_prefix (did you mean readoutPrefix?)'));
    expect(() => fromTorchStateDict(sd, { bias: true } as never)).toThrow('fromTorchStateDict: unknown option opts.bias; the options of fromTorchStateDict are prefix, readoutPrefix, activation, cell');
    expect(() => fromTorchStateDict(sd, { prefix: 3 } as never)).toThrow(/opts\.prefix must be a string/);
    expect(() => toTorchStateDict(fromTorchStateDict(sd), { formats: 'tensor' } as never)).toThrow(/^toTorchStateDict: unknown option opts\.formats \(did you mean format\?\)$/);
  });
});

describe('np.savez(**state_dict) archives', () => {
  it('fromTorchStateDict(await readNpz(bytes)) type-checks and reads the values PyTorch saved', async () => {
    const arrays = await readNpz(bytes('lstm_sd.npz'));
    const rnn = fromTorchStateDict(arrays);
    expectTypeOf(fromTorchStateDict(arrays)).toEqualTypeOf<AnyRnn>();
    expectTypeOf(fromTorchStateDict(arrays, { cell: 'lstm' })).toEqualTypeOf<GatedRnn>();
    expect(rnn.cell).toBe('lstm');
    const want = expected.lstm_sd;
    const g = rnn as GatedRnn;
    expect(Array.from(g.params.wRec.data)).toEqual(want['rnn.weight_hh_l0'].map(Math.fround));
    expect(Array.from(g.params.bIn.data)).toEqual(want['rnn.bias_ih_l0'].map(Math.fround));
    expect(Array.from(g.params.wOut.data)).toEqual(want['fc.weight'].map(Math.fround));
  });
  it('integer arrays of an npz (BigInt64Array data) are accepted as values', () => {
    const sd = toTorchStateDict(initRnn({ inputSize: 1, hiddenSize: 1, outputSize: 1, seed: 0 }), { format: 'tensor' }) as Record<string, TorchValue>;
    sd['rnn.weight_hh_l0'] = { shape: [1, 1], data: new BigInt64Array([2n]) };
    expect(Array.from(fromTorchStateDict(sd).params.wRec.data)).toEqual([2]);
  });
  it('a float64 value beyond float32\'s range is refused naming the tensor and the value (it became Infinity, reported as \'found Infinity\')', () => {
    const sd = toTorchStateDict(initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 1, seed: 0 }), { format: 'tensor' }) as Record<string, TorchValue>;
    sd['rnn.weight_hh_l0'] = { shape: [2, 2], data: Float64Array.of(0.5, 1e39, 0, 0.5) };
    expect(() => fromTorchStateDict(sd)).toThrow(/^fromTorchStateDict: 'rnn\.weight_hh_l0' holds 1e\+39 at flat index 1, beyond float32's range/);
    // the largest float32, and values that round to it, still load
    sd['rnn.weight_hh_l0'] = { shape: [2, 2], data: Float64Array.of(0.5, 3.4028234663852886e38, 3.4028235e38, 0.5) };
    expect(fromTorchStateDict(sd).params.wRec.data[1]).toBe(3.4028234663852886e38);
  });
});
