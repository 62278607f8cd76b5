/**
 * saveRnn's size guard (internal, not in the barrel): how long a network's JSON can get, and the
 * refusal, with the safetensors way out, of one longer than a JS string holds.
 */
import { formatBytes } from '../core/alloc.js';
import type { AnyRnn } from './types.js';

/** The longest JS string V8 makes, in UTF-16 code units. */
export const MAX_JSON_CHARS = 2 ** 29 - 24;

/**
 * The most characters one float32 value takes in the JSON, with its comma: 25, e.g. -0.0000010000001111620804
 * (JSON writes the double nearest the float32 in up to 17 significant digits, and values in [1e-6, 1e-5)
 * after '0.00000').
 */
export const CHARS_PER_VALUE = 26;

/** The document around the numbers: its fields, the tensors' keys and shapes (metadata not counted). */
const DOCUMENT_CHARS = 1024;

/**
 * The parameter values saveRnn writes (every tensor of rnn.params, counted from their shapes: a GRU's
 * 3 and an LSTM's 4 gate blocks included) and the characters their JSON takes at most (internal: for
 * the size guard and its test).
 */
export function jsonSize(rnn: AnyRnn): { values: number; chars: number } {
  let values = 0;
  for (const t of Object.values(rnn.params) as { shape: readonly number[] }[]) values += t.shape.reduce((n, d) => n * d, 1);
  return { values, chars: values * CHARS_PER_VALUE + DOCUMENT_CHARS };
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
