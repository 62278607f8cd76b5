// The command line on the files a PyTorch user has (review of 2026-12-02): readouts under other names,
// bare modules, unsupported layers, np.savez(**state_dict) archives told apart from torch.save, flags
// named in messages, unknown flags, and time-first inputs. Fixtures: test/fixtures/torch (PyTorch 1.13).
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asBatch } from '../../cli/load.js';
import { fromTorchStateDict, initRnn, lyapunovSpectrum, randn, readNpy, readNpz, rnnForward, saveRnn } from '../../src/index.js';
import { cli, saveNpy, saveSafetensors, tempDir } from './helpers.js';

const fx = new URL('../fixtures/torch/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(join(fx, 'expected.json'), 'utf8'));

describe('rnn-lyap on state dicts: every tensor is the recurrent layer or the readout', () => {
  it('a GRU whose readout is named output.* is refused, naming it and the flags; --readout-prefix / --no-readout choose', async () => {
    const m = join(fx, 'custom_gru.safetensors');
    const r = await cli(['info', m]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'output\.bias' \[2\], 'output\.weight' \[2,4\]; if output\.\* is the nn\.Linear readout, pass --readout-prefix output\.; .* pass --no-readout\n$/);
    const named = JSON.parse((await cli(['info', m, '--readout-prefix', 'output.', '--json'])).stdout);
    expect(named).toMatchObject({ cell: 'gru', outputSize: 2, readoutPrefix: 'output.', ignored: [], parameters: 3 * 4 * (3 + 4) + 2 * 3 * 4 + 2 * 4 + 2 });
    const alone = JSON.parse((await cli(['info', m, '--no-readout', '--json'])).stdout);
    expect(alone).toMatchObject({ outputSize: 4, readoutPrefix: null, ignored: ['output.bias', 'output.weight'], parameters: 3 * 4 * (3 + 4) + 2 * 3 * 4 });
    expect((await cli(['info', m, '--no-readout'])).stdout).toMatch(/readout +none in the file: identity on h .*left out by --no-readout: output\.bias, output\.weight/);
    const both = await cli(['info', m, '--no-readout', '--readout-prefix', 'output.']);
    expect([both.code, both.stderr]).toEqual([2, 'rnn-lyap info: --no-readout and --readout-prefix contradict each other: give one\n']);
  });
  it('a state dict\'s nn.RNN activation is said to be assumed (it is not in the file) unless --activation gives it; a saveRnn file records it', async () => {
    const m = join(fx, 'bare_rnn.safetensors');
    expect((await cli(['info', m])).stdout).toMatch(/cell +rnn \(activation tanh \(assumed: a state dict does not record nn\.RNN's nonlinearity; --activation relu for a relu net\)\)/);
    expect((await cli(['info', m, '--activation', 'relu'])).stdout).toMatch(/cell +rnn \(activation relu \(--activation\)\)/);
    const dir = tempDir();
    writeFileSync(join(dir, 'm.json'), saveRnn(initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 2, activation: 'relu', seed: 1 })));
    expect((await cli(['info', 'm.json'], { cwd: dir })).stdout).toMatch(/activation relu \(recorded in the file\)/);
  });
  it('bare nn.RNN, nn.GRU and nn.LSTM files load alike: no readout, the parameters are the layer\'s own', async () => {
    for (const [f, cell, G] of [['bare_rnn', 'rnn', 1], ['bare_gru', 'gru', 3], ['bare_lstm', 'lstm', 4]] as const) {
      const r = await cli(['info', join(fx, `${f}.safetensors`), '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j).toMatchObject({ cell, outputSize: 4, readoutPrefix: null });
      // nn.RNN's two biases are one here
      expect(j.parameters).toBe(G * 4 * (3 + 4) + (cell === 'rnn' ? 4 : 2 * G * 4));
    }
  });
  it('proj_size, num_layers = 2 and bidirectional=True are named; a GRU given --activation relu is refused naming the flag', async () => {
    for (const [f, what] of [['proj_lstm', /unsupported recurrent layer: proj_size = 2/], ['two_layer_gru', /num_layers = 2/], ['bidir_rnn', /bidirectional=True/]] as const) {
      const r = await cli(['spectrum', join(fx, `${f}.safetensors`)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(what);
    }
    const relu = await cli(['info', join(fx, 'bare_gru.safetensors'), '--activation', 'relu']);
    expect(relu.stderr).toMatch(/a GRU uses 'tanh' \(nn\.GRU has no nonlinearity option\), got --activation relu\n$/);
  });
  it('an integer tensor beside the model (which safetensorsToTensors drops) is named too', async () => {
    const r = await cli(['info', join(fx, 'lstm_int_extra.safetensors')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/neither the recurrent layer \(rnn\.\*\) nor its readout \(fc\.\*\): 'steps_done' \[1\]/);
  });
  it('--prefix, --readout-prefix, --no-readout and --activation on a saveRnn model are refused, not ignored', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.json'), saveRnn(initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 1 })));
    const p = await cli(['info', 'm.json', '--prefix', 'enc.'], { cwd: dir });
    expect([p.code, p.stderr]).toEqual([2, 'rnn-lyap info: --prefix is for a PyTorch state dict; m.json is a saveRnn model (rnn-lyap json), whose parameters are already named\n']);
    expect((await cli(['spectrum', 'm.json', '--no-readout', '--readout-prefix', 'x.'], { cwd: dir })).code).toBe(2);
    expect((await cli(['info', 'm.json', '--activation', 'relu'], { cwd: dir })).stderr).toMatch(/records activation 'tanh'/);
    expect((await cli(['info', 'm.json', '--activation', 'tanh'], { cwd: dir })).code).toBe(0);
  });
});

describe('rnn-lyap on zip files: np.savez(**state_dict) is read, torch.save is named', () => {
  it('an np.savez(**state_dict) archive is a model, under any name; its spectrum is the library\'s', async () => {
    const dir = tempDir();
    copyFileSync(join(fx, 'lstm_sd.npz'), join(dir, 'sd.npz'));
    copyFileSync(join(fx, 'lstm_sd.npz'), join(dir, 'sd.bin'));
    const info = JSON.parse((await cli(['info', 'sd.npz', '--json'], { cwd: dir })).stdout);
    expect(info).toMatchObject({ format: 'npz state dict', cell: 'lstm', inputSize: 3, hiddenSize: 4, outputSize: 2, readoutPrefix: 'fc.', dtypes: ['<f4'] });
    const x = randn([2, 30, 3], { seed: 2 });
    saveNpy(dir, 'x.npy', x);
    const r = await cli(['spectrum', 'sd.bin', '--inputs', 'x.npy', '--frame-warmup', '3', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const want = lyapunovSpectrum(fromTorchStateDict(await readNpz(readFileSync(join(fx, 'lstm_sd.npz')))), { inputs: x, frameWarmup: 3 });
    expect(JSON.parse(r.stdout).exponents).toEqual(Array.from(want.exponents));
  });
  it('a torch.save file is named a pickle by its entries (data.pkl), whatever its name, as a model or as inputs', async () => {
    const dir = tempDir();
    copyFileSync(join(fx, 'lstm_sd.pt'), join(dir, 'model.npz'));
    const r = await cli(['info', 'model.npz'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rnn-lyap info: model\.npz is a PyTorch pickle \(torch\.save\), which rnn-lyap does not read; save the state dict as safetensors/);
    const inputs = await cli(['spectrum', join(fx, 'lstm_sd.npz'), '--inputs', 'model.npz'], { cwd: dir });
    expect(inputs.stderr).toMatch(/model\.npz is a PyTorch pickle \(torch\.save\), which rnn-lyap does not read; save the inputs with NumPy instead: np\.save/);
  });
});

describe('rnn-lyap messages name flags; unknown flags get a suggestion', () => {
  it('errors lead with the command and the file or flag, never the library function that raised them', async () => {
    const lib = /fromTorchStateDict|lyapunovSpectrum|readNpy|readSafetensors|findFixedPoints|rnnForward/;
    const gru = join(fx, 'custom_gru.safetensors');
    const a = await cli(['info', gru]);
    expect(a.stderr).toMatch(new RegExp(`^rnn-lyap info: ${gru.replace(/[.]/g, '\\.')}: the state dict holds tensors that are neither the recurrent layer \\(encoder\\.\\*\\)`));
    const ints = await cli(['spectrum', join(fx, 'lstm_int_extra.safetensors')]);
    expect(ints.stderr).toMatch(/^rnn-lyap spectrum: \S*lstm_int_extra\.safetensors: the state dict holds tensors that are neither .*'steps_done' \[1\]/);
    const dir = tempDir();
    saveSafetensors(dir, 'm.safetensors', initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 1, seed: 1 }));
    writeFileSync(join(dir, 'bad.npy'), new Uint8Array(32).fill(1));
    const bad = await cli(['spectrum', 'm.safetensors', '--inputs', 'bad.npy'], { cwd: dir });
    expect([bad.code, bad.stderr]).toEqual([1, 'rnn-lyap spectrum: --inputs bad.npy: not a .npy file (magic string \\x93NUMPY not found)\n']);
    saveNpy(dir, 'x.npy', randn([2, 3, 2], { seed: 1 }));
    const wrongI = await cli(['fixed-points', 'm.safetensors', '--inputs', 'x.npy'], { cwd: dir });
    expect(wrongI.stderr).toMatch(/^rnn-lyap fixed-points: --inputs x\.npy: inputs must be \[B,T,I\] or \[T,I\] with I = 3/);
    saveNpy(dir, 'short.npy', randn([2, 2, 3], { seed: 1 }));
    const short = await cli(['spectrum', 'm.safetensors', '--inputs', 'short.npy', '--frame-warmup', '0', '--steps', '9'], { cwd: dir });
    expect(short.stderr).toMatch(/^rnn-lyap spectrum: --inputs short\.npy: --steps 9 exceeds the \d+ counted steps the inputs allow/);
    for (const r of [a, ints, bad, wrongI, short]) expect(r.stderr).not.toMatch(lib);
  });
  it('unknown options: "unknown option --n-starts (did you mean --starts?)", without Node\'s boilerplate', async () => {
    const r = await cli(['fixed-points', 'm.safetensors', '--n-starts', '3']);
    expect([r.code, r.stderr]).toEqual([2, 'rnn-lyap fixed-points: unknown option --n-starts (did you mean --starts?) (see rnn-lyap fixed-points --help)\n']);
    expect((await cli(['spectrum', 'm', '--frame-warmpu', '3'])).stderr).toMatch(/unknown option --frame-warmpu \(did you mean --frame-warmup\?\)/);
    expect((await cli(['spectrum', 'm', '--readout_prefix', 'x.'])).stderr).toMatch(/unknown option --readout_prefix \(did you mean --readout-prefix\?\)/);
    const bogus = await cli(['info', 'm', '--bogus']);
    expect(bogus.stderr).toBe('rnn-lyap info: unknown option --bogus (see rnn-lyap info --help)\n');
  });
  it('every command that reads a model documents --activation, --prefix, --readout-prefix, --no-readout; those that read inputs --time-first', async () => {
    for (const c of ['spectrum', 'fixed-points', 'info']) {
      const h = (await cli([c, '--help'])).stdout;
      for (const flag of ['--activation', '--prefix P', '--readout-prefix R', '--no-readout']) expect(h, `${c} ${flag}`).toContain(flag);
      if (c !== 'info') expect(h).toMatch(/--time-first X is \[T,B,I\], time first \(PyTorch's default batch_first=False\)/);
    }
    expect((await cli(['--help'])).stdout).toMatch(/--time-first for \[T,B,I\]/);
  });
  it('too short sequences: the message names --frame-warmup, and says how a 3-D array was read (--time-first)', async () => {
    const dir = tempDir();
    saveSafetensors(dir, 'm.safetensors', initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 1, cell: 'gru', seed: 1 }));
    saveNpy(dir, 'xtf.npy', randn([30, 4, 3], { seed: 1 })); // [T,B,I] as torch's batch_first=False wants
    const r = await cli(['spectrum', 'm.safetensors', '--inputs', 'xtf.npy'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pass --frame-warmup explicitly (0 allowed)');
    expect(r.stderr).not.toMatch(/frameWarmup/);
    expect(r.stderr).toMatch(/xtf\.npy \[30,4,3\] was read batch-first \[B,T,I\]: 30 sequences of 4 steps: if it is time-first \[T,B,I\] \(PyTorch's default batch_first=False\), pass --time-first\n$/);
    const many = await cli(['spectrum', 'm.safetensors', '--inputs', 'xtf.npy', '--frame-warmup', '1', '--steps', '9'], { cwd: dir });
    expect(many.stderr).toMatch(/--steps 9 exceeds the 3 counted steps the inputs allow \(T = 4 minus --warmup 0 and --frame-warmup 1\)/);
    const ok = await cli(['spectrum', 'm.safetensors', '--inputs', 'xtf.npy', '--frame-warmup', '1'], { cwd: dir });
    expect(ok.stdout).toMatch(/note +more sequences \(30\) than steps \(4\): if xtf\.npy is time-first \[T,B,I\], pass --time-first/);
  });
});

describe('rnn-lyap --time-first', () => {
  it('reads [T,B,I] as PyTorch does with batch_first=False (states match the PyTorch LSTM run on the same array)', async () => {
    const rnn = fromTorchStateDict(await readNpz(readFileSync(join(fx, 'lstm_sd.npz'))), { cell: 'lstm' });
    const a = readNpy(readFileSync(join(fx, 'x_time_first.npy')));
    const x = asBatch({ x: { shape: a.shape, data: a.data as Float32Array }, dtype: a.dtype, source: 'x', rounded: false }, 3, true);
    expect(x.shape).toEqual(expected.time_first.h_shape.slice(0, 2).concat([3]));
    const { states } = rnnForward(rnn, x);
    const want: number[] = expected.time_first.h;
    // float32 recurrence of T = 6 steps with (I + H + 2)-term sums: a few ε32 per term per step
    const tol = 8 * 6 * (3 + 4 + 2) * 2 ** -24;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(states.data[i] - want[i]));
    expect(worst).toBeLessThanOrEqual(tol);
  });
  it('spectrum and fixed-points with --time-first equal the batch-first run on the transposed array, bit for bit', async () => {
    const dir = tempDir();
    copyFileSync(join(fx, 'lstm_sd.npz'), join(dir, 'sd.npz'));
    const tf = randn([12, 3, 3], { seed: 7 });
    const bf = new Float32Array(tf.data.length);
    for (let t = 0; t < 12; t++) for (let b = 0; b < 3; b++) for (let i = 0; i < 3; i++) bf[(b * 12 + t) * 3 + i] = tf.data[(t * 3 + b) * 3 + i];
    saveNpy(dir, 'tf.npy', tf);
    saveNpy(dir, 'bf.npy', { shape: [3, 12, 3], data: bf });
    for (const cmd of [['spectrum', '--frame-warmup', '2'], ['fixed-points', '--starts', '8']]) {
      const a = await cli([cmd[0], 'sd.npz', '--inputs', 'tf.npy', '--time-first', ...cmd.slice(1), '--json'], { cwd: dir });
      const b = await cli([cmd[0], 'sd.npz', '--inputs', 'bf.npy', ...cmd.slice(1), '--json'], { cwd: dir });
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    }
    const text = await cli(['spectrum', 'sd.npz', '--inputs', 'tf.npy', '--time-first', '--frame-warmup', '2'], { cwd: dir });
    expect(text.stdout).toMatch(/inputs +tf\.npy \[12,3,3\] <f4, time-first \[T,B,I\]: 3 sequences of 12 steps, from h0 = 0/);
    const none = await cli(['spectrum', 'sd.npz', '--time-first'], { cwd: dir });
    expect(none.code).toBe(2);
  });
});
