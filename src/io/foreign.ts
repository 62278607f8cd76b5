/**
 * What a file handed to the wrong reader is, told by its first bytes, so the error can say what it is
 * and what to do instead of reporting a nonsense header length (internal; no Node built-ins).
 */
import { latin1Decode } from './bytes.js';

/** The kinds of file a PyTorch user hands over. */
export type FileKind = 'safetensors' | 'npy' | 'npz' | 'torch.save' | 'pickle' | 'zip';

const SAVE =
  "in Python, save the state dict with save_file(model.state_dict(), 'model.safetensors') (safetensors.torch, or rnn-lyap's examples/pytorch/save_safetensors.py) " +
  "or np.savez('model.npz', **{k: v.cpu().numpy() for k, v in model.state_dict().items()})";

/** torch.save's ZIP entries: `<name>/data.pkl`, `<name>/data/0`, … */
export const isTorchEntry = (name: string): boolean => /(^|\/)data\.pkl$/.test(name) || /(^|\/)data\/\d+$/.test(name);

/** The sentence for a torch.save archive, naming the entry that gave it away. */
export function torchSaveHint(entry: string): string {
  return `this is a torch.save file (a ZIP holding the pickle '${entry}'), which rnn-lyap does not read (unpickling runs code): ${SAVE}`;
}

/** `{ kind, hint }` for a recognised file (hint: what it is and what to read it with), or null. */
export function fileKind(src: Uint8Array): { kind: FileKind; hint: string } | null {
  if (src.length >= 30 && src[0] === 0x50 && src[1] === 0x4b && src[2] === 0x03 && src[3] === 0x04) {
    // a ZIP's first local header names its first entry: torch.save writes '<name>/data.pkl' first, np.savez '<key>.npy'
    const n = src[26] | (src[27] << 8);
    const name = latin1Decode(src.subarray(30, Math.min(src.length, 30 + n)));
    if (isTorchEntry(name)) return { kind: 'torch.save', hint: torchSaveHint(name) };
    if (name.endsWith('.npy')) return { kind: 'npz', hint: `this is a NumPy .npz archive (first entry '${name}'): use readNpz` };
    return { kind: 'zip', hint: `this is a ZIP archive (first entry '${name}'), neither np.savez's (.npy entries, read by readNpz) nor torch.save's` };
  }
  if (src.length >= 2 && src[0] === 0x80 && src[1] >= 2 && src[1] <= 5) {
    return { kind: 'pickle', hint: `this is a Python pickle (protocol ${src[1]}: torch.save(..., _use_new_zipfile_serialization=False), or pickle.dump), which rnn-lyap does not read (unpickling runs code): ${SAVE}` };
  }
  if (src.length >= 6 && src[0] === 0x93 && latin1Decode(src.subarray(1, 6)) === 'NUMPY') return { kind: 'npy', hint: 'this is a .npy file: use readNpy' };
  if (src.length >= 9 && src[8] === 0x7b) {
    const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
    const len = dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true);
    if (len <= src.length - 8) return { kind: 'safetensors', hint: 'this is a safetensors file: use readSafetensors' };
  }
  return null;
}

/** The hint when the bytes are a recognised file of another kind than `expected`, else null. */
export function otherKind(src: Uint8Array, expected: FileKind): string | null {
  const k = fileKind(src);
  return k === null || k.kind === expected ? null : k.hint;
}
