// The built files as a consumer gets them, from the packed tarball installed in a fresh project:
// every built .js/.cjs names at most one source map, which the tarball holds.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, packTarball } from './helpers.js';

let tarball = '';
let dir = '';
beforeAll(() => {
  tarball = packTarball();
  dir = consumerProject(tarball);
}, 180_000);

describe("the packed package's scripts and its pool worker", () => {
  it('every built .js/.cjs names at most one source map, and the tarball holds the map it names', () => {
    const files = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
    const scripts = [...files].filter((f) => /\.c?js$/.test(f) && f.startsWith('dist/'));
    const problems: string[] = [];
    let named = 0;
    for (const f of scripts) {
      const urls = [...readFileSync(join(dir, 'node_modules', 'rnn-lyap', f), 'utf8').matchAll(/^\/\/# sourceMappingURL=(.*)$/gm)].map((m) => m[1]);
      if (urls.length > 1) problems.push(`${f}: ${urls.length} sourceMappingURL comments`);
      if (urls.length === 1) {
        named++;
        const map = posix.join(posix.dirname(f), urls[0]);
        if (!files.has(map)) problems.push(`${f}: names ${urls[0]}, which the tarball lacks`);
      }
    }
    expect(problems).toEqual([]);
    expect(named).toBe(scripts.length); // the package ships a map for every script
    expect(scripts).toContain('dist/parallel/worker.js');
  });
});
