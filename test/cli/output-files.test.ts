// Where the CLI's output files land: merge writes through a symbolic --out to its target.
import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const record = (index: number) => JSON.stringify({ key: `k${index}`, index, total: 2, spec: 'abc', final: { loss: index } });

describe('merge --out through a symbolic link', () => {
  it('writes the link\'s target (the link stays a link, the target\'s mode is kept); a dangling link\'s target is created', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'store'));
    writeFileSync(join(dir, 'a.jsonl'), `${record(1)}\n${record(0)}\n`);
    writeFileSync(join(dir, 'store', 'all.jsonl'), 'stale\n');
    chmodSync(join(dir, 'store', 'all.jsonl'), 0o640);
    symlinkSync('store/all.jsonl', join(dir, 'all.jsonl')); // relative, as `ln -s` makes them
    const r = await cli(['merge', 'a.jsonl', '--out', 'all.jsonl'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, 'rnn-lyap merge: 2 of 2 configurations written to all.jsonl\n']);
    expect(lstatSync(join(dir, 'all.jsonl')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'all.jsonl'))).toBe('store/all.jsonl');
    expect(readFileSync(join(dir, 'store', 'all.jsonl'), 'utf8')).toBe(`${record(0)}\n${record(1)}\n`);
    expect(statSync(join(dir, 'store', 'all.jsonl')).mode & 0o777).toBe(0o640);
    // a link to a link to a file not yet there
    symlinkSync(join(dir, 'store', 'new.jsonl'), join(dir, 'store', 'next.jsonl'));
    symlinkSync('store/next.jsonl', join(dir, 'n.jsonl'));
    expect((await cli(['merge', 'a.jsonl', '--out', 'n.jsonl'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'store', 'new.jsonl'), 'utf8')).toBe(`${record(0)}\n${record(1)}\n`);
    expect(lstatSync(join(dir, 'n.jsonl')).isSymbolicLink() && lstatSync(join(dir, 'store', 'next.jsonl')).isSymbolicLink()).toBe(true);
    // a link into a folder that does not exist says so
    symlinkSync('gone/x.jsonl', join(dir, 'g.jsonl'));
    const gone = await cli(['merge', 'a.jsonl', '--out', 'g.jsonl'], { cwd: dir });
    expect([gone.code, gone.stderr]).toEqual([1, `rnn-lyap merge: cannot write --out 'g.jsonl': it is a symbolic link to '${join(dir, 'gone', 'x.jsonl')}', whose folder does not exist: create it first (mkdir -p ${join(dir, 'gone')})\n`]);
    expect(lstatSync(join(dir, 'g.jsonl')).isSymbolicLink()).toBe(true);
  });
});
