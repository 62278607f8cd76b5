import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';

/** A fixture file of test/fixtures/io as bytes. */
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/io/${name}`, import.meta.url)));

/** The values PyTorch/NumPy wrote, from the generator's expected.json. */
export const expected = JSON.parse(readFileSync(new URL('../fixtures/io/expected.json', import.meta.url), 'utf8'));

/** Calls f; returns 'ok' or the constructor name of what it threw. */
export function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.constructor.name : typeof err;
  }
}

/**
 * Property: up to four byte flips and an optional truncation of any of `files` make `read` return or
 * throw a TypeError/RangeError, never anything else (no engine error, no read past the buffer).
 */
export function assertCorruptionsRefusedCleanly(files: readonly Uint8Array[], read: (bytes: Uint8Array) => unknown, seed: number): void {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: files.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      fc.option(fc.nat()),
      (which, flips, cut) => {
        const b = files[which].slice();
        for (const [at, v] of flips) b[at % b.length] = v;
        const input = cut === null ? b : b.subarray(0, cut % (b.length + 1));
        expect(['ok', 'TypeError', 'RangeError']).toContain(outcome(() => read(input)));
      },
    ),
    { numRuns: 500, seed },
  );
}
