import { readFileSync } from 'node:fs';

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
