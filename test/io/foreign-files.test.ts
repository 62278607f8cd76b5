/**
 * A file handed to the wrong reader (a torch.save .pt to readSafetensors, an .npz to readNpy, …) is named
 * for what it is, with what to do, instead of a header length of 5e18 "running past the end".
 * Files: test/fixtures/torch (make_torch_fixtures.py) and test/fixtures/torch-first-hour
 * (scripts/fixtures/torch-first-hour.py), written by torch 1.13 and numpy 1.24.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNpy, readNpz, readSafetensors } from '../../src/io/index.js';

const bytes = (p: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)));
const zipPt = bytes('torch/lstm_sd.pt');                     // torch.save(state_dict, …): a ZIP holding lstm_sd/data.pkl
const legacyPt = bytes('torch-first-hour/legacy_pickle.pt'); // torch.save(…, _use_new_zipfile_serialization=False)
const npz = bytes('torch/lstm_sd.npz');
const npy = bytes('torch/x_time_first.npy');
const st = bytes('torch/bare_gru.safetensors');
const SAVE = /does not read \(unpickling runs code\): in Python, save the state dict with save_file\(model\.state_dict\(\), 'model\.safetensors'\) .* or np\.savez\('model\.npz', \*\*\{k: v\.cpu\(\)\.numpy\(\) for k, v in model\.state_dict\(\)\.items\(\)\}\)$/;

describe('files given to the wrong reader say what they are', () => {
  it('a torch.save file (ZIP) to readSafetensors, readNpy or readNpz: named as torch.save, with the two ways to save', async () => {
    expect(() => readSafetensors(zipPt)).toThrow(/^readSafetensors: not a safetensors file: this is a torch\.save file \(a ZIP holding the pickle 'lstm_sd\/data\.pkl'\), which rnn-lyap/);
    expect(() => readSafetensors(zipPt)).toThrow(SAVE);
    expect(() => readNpy(zipPt)).toThrow(/^readNpy: not a \.npy file .*: this is a torch\.save file/);
    await expect(readNpz(zipPt)).rejects.toThrow(/^readNpz: not an \.npz: this is a torch\.save file \(a ZIP holding the pickle 'lstm_sd\/data\.pkl'\)/);
    await expect(readNpz(zipPt)).rejects.toThrow(SAVE);
  });
  it('a legacy torch.save file (a bare pickle) likewise', async () => {
    for (const f of [() => readSafetensors(legacyPt), () => readNpy(legacyPt)]) expect(f).toThrow(/this is a Python pickle \(protocol 2: torch\.save\(\.\.\., _use_new_zipfile_serialization=False\), or pickle\.dump\)/);
    expect(() => readSafetensors(legacyPt)).toThrow(SAVE);
    await expect(readNpz(legacyPt)).rejects.toThrow(/^readNpz: not a \.npz \(ZIP\) file: this is a Python pickle/);
  });
  it('an .npz, a .npy and a safetensors file point to their own reader', async () => {
    expect(() => readSafetensors(npz)).toThrow(/^readSafetensors: not a safetensors file: this is a NumPy \.npz archive \(first entry 'rnn\.weight_ih_l0\.npy'\): use readNpz$/);
    expect(() => readNpy(npz)).toThrow(/: this is a NumPy \.npz archive .*: use readNpz$/);
    expect(() => readSafetensors(npy)).toThrow(/^readSafetensors: not a safetensors file: this is a \.npy file: use readNpy$/);
    await expect(readNpz(npy)).rejects.toThrow(/^readNpz: not a \.npz \(ZIP\) file: this is a \.npy file: use readNpy$/);
    expect(() => readNpy(st)).toThrow(/: this is a safetensors file: use readSafetensors$/);
    await expect(readNpz(st)).rejects.toThrow(/: this is a safetensors file: use readSafetensors$/);
  });
  it('each still reads its own kind, and bytes of no known kind keep the plain message', async () => {
    expect(Object.keys(readSafetensors(st).tensors)).toContain('weight_hh_l0');
    expect(readNpy(npy).shape).toEqual([6, 2, 3]);
    expect(Object.keys(await readNpz(npz))).toContain('rnn.weight_hh_l0');
    const junk = new Uint8Array(64).fill(0x41);
    expect(() => readSafetensors(junk)).toThrow(/^readSafetensors: header length \d+ runs past the end of the file \(56 bytes after the length\)$/);
    expect(() => readNpy(junk)).toThrow(/^readNpy: not a \.npy file \(magic string \\x93NUMPY not found\)$/);
  });
});
