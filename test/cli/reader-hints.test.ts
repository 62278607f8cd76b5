// The command line's answer to a file in the wrong place (a model as --inputs, an array as MODEL, a
// torch.save pickle, an np.savez archive under another name) says what to do on the command line, not
// which library reader to call ("use readNpy"), and its Python lines work for a model or inputs on a
// GPU (.cpu() before .numpy()). Fixtures: real PyTorch/NumPy files of test/fixtures.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import { cli, tempDir } from './helpers.js';

const fh = new URL('../fixtures/torch-first-hour/', import.meta.url).pathname;
const ft = new URL('../fixtures/torch/', import.meta.url).pathname;
const fio = new URL('../fixtures/io/', import.meta.url).pathname;

/** A temporary directory holding copies of fixtures under the given names. */
function files(copies: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, src] of Object.entries(copies)) copyFileSync(src, join(dir, name));
  return dir;
}

/**
 * The library's file functions named in a message (the CLI's messages name flags and files, never
 * these; saveRnn is the name of a file format on the command line, and stays).
 */
const libraryNames = (s: string): string[] =>
  Object.keys(lib).filter((k) => /^(read|write|from|to|load|safetensors)[A-Z]/.test(k) && typeof (lib as Record<string, unknown>)[k] === 'function' && new RegExp(`\\b${k}\\b`).test(s));

describe('a file in the wrong place is answered in the command line\'s terms', () => {
  const dir = files({
    'x.npy': join(fh, 'gru_x.npy'), 'x.safetensors': join(fh, 'gru_x.npy'), 'model.safetensors': join(fh, 'gru.safetensors'),
    'legacy.pt': join(fh, 'legacy_pickle.pt'), 'legacy.npy': join(fh, 'legacy_pickle.pt'), 'zip.pt': join(ft, 'lstm_sd.pt'),
    'sd.npz': join(fh, 'lstm_tf.npz'), 'arrays.npz': join(fio, 'npz_deflate.npz'), 'arrays.dat': join(fio, 'npz_deflate.npz'),
    'xx.npz': join(fh, 'gru_x.npy'),
  });
  const run = (args: string[]) => cli(args, { cwd: dir });

  it('an .npy array given as MODEL (under any name) is said to be inputs, not "use readNpy"', async () => {
    for (const f of ['x.npy', 'x.safetensors']) {
      const r = await run(['info', f]);
      expect([r.code, r.stderr]).toEqual([1,
        `rnn-lyap info: ${f}: this is a .npy array, not a model: an array is the network's inputs, --inputs ${f} (spectrum, fixed-points); MODEL is a state dict (.safetensors, an np.savez(**state_dict) .npz, or JSON) or saveRnn JSON\n`]);
      expect(libraryNames(r.stderr)).toEqual([]);
    }
  });
  it('a safetensors model given as --inputs is said to be a MODEL, not "use readSafetensors"', async () => {
    for (const cmd of ['spectrum', 'fixed-points']) {
      const r = await run([cmd, 'model.safetensors', '--inputs', 'model.safetensors']);
      expect([r.code, r.stderr]).toEqual([1,
        `rnn-lyap ${cmd}: --inputs model.safetensors: this is a safetensors file, a model's state dict, not an array: a model is the command's MODEL; --inputs takes a .npy array or an .npz archive (np.save("inputs.npy", x.cpu().numpy()))\n`]);
      expect(libraryNames(r.stderr)).toEqual([]);
    }
  });
  it('a torch.save pickle (ZIP or legacy) as --inputs is told to save the inputs with np.save(x.cpu().numpy()), not a state dict\'s lines', async () => {
    for (const f of ['zip.pt', 'legacy.pt', 'legacy.npy']) {
      const r = await run(['spectrum', 'model.safetensors', '--inputs', f]);
      expect([r.code, r.stderr], f).toEqual([1,
        `rnn-lyap spectrum: ${f} is a PyTorch pickle (torch.save), which rnn-lyap does not read; save the inputs with NumPy instead: np.save("inputs.npy", x.cpu().numpy())\n`]);
    }
  });
  it('a torch.save pickle as MODEL gets save lines that work for a model on a GPU (.cpu() before .numpy())', async () => {
    for (const f of ['zip.pt', 'legacy.pt', 'legacy.npy']) {
      const r = await run(['info', f]);
      expect(r.code).toBe(1);
      expect(r.stderr, f).toMatch(/np\.savez\("model\.npz", \*\*\{k: v\.cpu\(\)\.numpy\(\) for k, v in model\.state_dict\(\)\.items\(\)\}\)\n$/);
      expect(r.stderr).not.toMatch(/v\.numpy\(\)/);
    }
  });
  it('a state dict .npz as --inputs is said to be a model (not "pick one with sd.npz:NAME")', async () => {
    const r = await run(['spectrum', 'model.safetensors', '--inputs', 'sd.npz']);
    expect([r.code, r.stderr]).toEqual([2,
      "rnn-lyap spectrum: sd.npz holds 6 arrays (rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0, fc.weight, fc.bias): a model's state dict (np.savez(**state_dict)), not the inputs; a model is the command's MODEL\n"]);
  });
  it('an .npz of several arrays under another name is told a FILE.npz:NAME that works, and it does', async () => {
    const r = await run(['spectrum', 'model.safetensors', '--inputs', 'arrays.dat']);
    expect([r.code, r.stderr]).toEqual([2,
      'rnn-lyap spectrum: arrays.dat holds 3 arrays (inputs, b1, zeros); pick one with FILE.npz:NAME, which needs the name to end in .npz: rename arrays.dat to arrays.npz and pass arrays.npz:NAME\n']);
    const literal = await run(['spectrum', 'model.safetensors', '--inputs', 'arrays.dat:inputs']);
    expect(literal.stderr).toMatch(/cannot read inputs 'arrays\.dat:inputs': no such file/); // why the old 'pick one with arrays.dat:NAME' was no way out
  });
  it('an .npz of arrays given as MODEL is said to be inputs, with the --inputs that reads it', async () => {
    const r = await run(['info', 'arrays.npz']);
    expect([r.code, r.stderr]).toEqual([1,
      "rnn-lyap info: arrays.npz: an .npz archive of arrays (inputs, b1, zeros) that is not a state dict (no recurrent layer's weight_ih, weight_hh): arrays are the network's inputs, --inputs arrays.npz:NAME; MODEL is a state dict (.safetensors, an np.savez(**state_dict) .npz, or JSON) or saveRnn JSON\n"]);
    expect(libraryNames(r.stderr)).toEqual([]);
  });
  it('an .npy array named .npz is read as the .npy it is (it was refused with "use readNpy")', async () => {
    const a = await run(['spectrum', 'model.safetensors', '--inputs', 'xx.npz', '--frame-warmup', '1', '--json']);
    const b = await run(['spectrum', 'model.safetensors', '--inputs', 'x.npy', '--frame-warmup', '1', '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});
