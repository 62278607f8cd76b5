// merge and the locks of running sweeps: an input still being written is refused (before: merged
// as it was, "5 of 8 configurations written", exit 3, without saying the rest is being computed),
// unless --ignore-locks; an --out that a running sweep appends to is always refused.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = {
  task: 'flip-flop', taskOptions: { bits: 2, steps: 24, pFlip: 0.1 }, train: { size: 32, seed: 1 }, test: { size: 3, seed: 2 },
  grid: { seed: [1, 2, 3, 4, 5, 6, 7, 8] }, fixed: { hiddenSize: 8, epochs: 60, batchSize: 16 }, spectrum: { k: 2, warmup: 4, frameWarmup: 4 },
};
const count = (f: string): number => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0);

describe('merge while a shard is still being written', () => {
  it('refuses the running shard (exit 1, naming its process and the way out); --ignore-locks merges it with a warning; its --out is refused always', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
    expect((await cli(['sweep', 'spec.json', '--out', 'part-0.jsonl', '--shard', '0/2', '--quiet'], { cwd: dir })).code).toBe(0);
    const part1 = join(dir, 'part-1.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), 'sweep', join(dir, 'spec.json'), '--out', part1, '--shard', '1/2', '--quiet'], { cwd: root, stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    for (let i = 0; i < 1500 && count(part1) < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(count(part1)).toBeGreaterThanOrEqual(1);
    expect(count(part1)).toBeLessThan(4);
    const who = `process ${child.pid} on this host (since `;

    const m = await cli(['merge', 'part-0.jsonl', 'part-1.jsonl', '--out', 'all.jsonl'], { cwd: dir });
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(new RegExp(`^rnn-lyap merge: part-1\\.jsonl is still being written by process ${child.pid} on this host \\(since [^)]*\\): the configurations it lacks are still being computed\\. Wait for that sweep to end, or pass --ignore-locks to merge what it holds now; if that process no longer runs \\(killed, or its machine is gone\\), remove its lock: rm 'part-1\\.jsonl\\.lock'\\n$`));
    expect(existsSync(join(dir, 'all.jsonl'))).toBe(false);

    const forced = await cli(['merge', 'part-0.jsonl', 'part-1.jsonl', '--out', 'all.jsonl', '--ignore-locks'], { cwd: dir });
    expect(forced.code).toBe(3);
    expect(forced.stderr).toContain(`rnn-lyap merge: warning: part-1.jsonl is still being written by ${who}`);
    expect(forced.stderr).toContain('merging the lines it holds now (--ignore-locks); its other configurations are still being computed\n');
    expect(forced.stderr).toMatch(/configurations written to all\.jsonl\n/);

    // merging onto the running sweep's output would replace the file it appends to: refused, also with --ignore-locks
    const before = readFileSync(part1);
    for (const extra of [[], ['--ignore-locks']]) {
      const o = await cli(['merge', 'part-0.jsonl', '--out', 'part-1.jsonl', ...extra], { cwd: dir });
      expect(o.code).toBe(1);
      expect(o.stderr).toContain(`rnn-lyap merge: --out part-1.jsonl is the output of a sweep still running (${who}`);
      expect(o.stderr).toContain(`the merge would replace the file it appends to. Write the merged file elsewhere (if that process no longer runs, remove its lock: rm 'part-1.jsonl.lock')\n`);
    }
    expect(readFileSync(part1).subarray(0, before.length).equals(before)).toBe(true);

    child.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    // no lock: merged as it is, missing ones listed
    const after = await cli(['merge', 'part-0.jsonl', 'part-1.jsonl', '--out', 'all.jsonl'], { cwd: dir });
    expect(after.code).toBe(3);
    expect(after.stderr).not.toContain('still being written');
  }, 90_000);
  it('a lock left by a process that no longer runs does not stop the merge', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ ...SPEC, grid: { seed: [1, 2] }, fixed: { hiddenSize: 4, epochs: 1, batchSize: 16 } }));
    expect((await cli(['sweep', 'spec.json', '--out', 'a.jsonl', '--quiet'], { cwd: dir })).code).toBe(0);
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(join(dir, 'a.jsonl.lock'), `${JSON.stringify({ host: hostname(), pid: dead, started: '2026-01-01T00:00:00.000Z' })}\n`);
    writeFileSync(join(dir, 'all.jsonl.lock'), `${JSON.stringify({ host: hostname(), pid: dead, started: '2026-01-01T00:00:00.000Z' })}\n`);
    const m = await cli(['merge', 'a.jsonl', '--out', 'all.jsonl'], { cwd: dir });
    expect([m.code, m.stderr]).toEqual([0, 'rnn-lyap merge: 2 of 2 configurations written to all.jsonl\n']);
  });
});
