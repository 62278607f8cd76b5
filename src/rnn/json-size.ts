/**
 * saveRnn's size guard (internal, not in the barrel): how long a network's JSON can get, and the
 * refusal, with the safetensors way out, of one longer than a JS string holds.
 */
import { formatBytes } from '../core/alloc.js';
import type { AnyRnn } from './types.js';

/** The longest JS string V8 makes, in UTF-16 code units. */
export const MAX_JSON_CHARS = 2 ** 29 - 24;

/**
 * The parameter values saveRnn writes and the characters they take at most as JSON (internal: for the
 * size guard and its test).
 */
export function jsonSize(rnn: AnyRnn): { values: number; chars: number } {
  const [O, H] = rnn.params.wOut.shape;
  const I = rnn.params.wIn.shape[1];
  const values = H * I + H * H + H + O * H + O;
  // each float32 prints in at most 15 characters plus a comma
  return { values, chars: values * 16 };
}

/**
 * saveRnn's size guard: a RangeError with the safetensors way out when the JSON could be longer than a
 * JS string holds (2^29 − 24 characters in V8; `maxChars` for the test), else the size (internal).
 */
export function assertJsonFits(rnn: AnyRnn, H: number, maxChars = MAX_JSON_CHARS): { values: number; chars: number } {
  const size = jsonSize(rnn);
  if (size.chars > maxChars) {
    throw new RangeError(
      `saveRnn: rnn has ${size.values} parameters (H = ${H}); as JSON they need up to ${formatBytes(size.chars)}, more than a JS string holds (${formatBytes(maxChars)}); save large models as safetensors: writeSafetensors(toTorchStateDict(rnn, { format: 'tensor' }))`,
    );
  }
  return size;
}
