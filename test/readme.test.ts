import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The README's quickstart is examples/quickstart.ts verbatim; `npm test` runs that file against the
// built package (scripts/check-exports.mjs is followed by `tsx examples/quickstart.ts`).
describe('README quickstart', () => {
  it('is the code of examples/quickstart.ts', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /## Quickstart[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const file = readFileSync(new URL('../examples/quickstart.ts', import.meta.url), 'utf8');
    expect(block![1].trim()).toBe(file.trim());
  });
});
