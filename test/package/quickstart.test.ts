// The README quickstart, copied as the README says into a fresh `npm init -y` project (CommonJS by
// default) with the packed package installed, runs with plain Node and prints its two lines.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumerProject, packTarball, root } from './helpers.js';

describe('README quickstart in a fresh project', () => {
  it('runs with node as the README tells, against the packed package', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Quickstart'));
    const file = /save it as `([\w.-]+)`/.exec(section)?.[1];
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(file, 'the quickstart names the file to save it as').toBeDefined();
    expect(code).toBeDefined();
    const dir = consumerProject(packTarball());
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.type ?? 'commonjs').toBe('commonjs'); // what `npm init -y` gives
    writeFileSync(join(dir, file!), code!);
    const out = execFileSync(process.execPath, [file!], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const printed = /It prints[^\n]*\n\n```\n([\s\S]*?)```/.exec(section)?.[1];
    expect(out.trim().split('\n')).toEqual(printed!.trim().split('\n'));
  }, 120_000);
});
