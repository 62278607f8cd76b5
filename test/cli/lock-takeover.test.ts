// A sweep stopped (SIGSTOP; a suspended machine) for longer than the lock's staleness has its lock
// taken over by a second sweep on the same --out, which resumes from the lines already written.
// When the first one runs again, it finds the lock no longer its own before its next append and
// stops, naming the new holder; it leaves that one's lock alone. Before, both appended: 15 lines
// for 8 configurations, both exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = {
  task: 'flip-flop', taskOptions: { bits: 2, steps: 24, pFlip: 0.1 }, train: { size: 32, seed: 1 }, test: { size: 3, seed: 2 },
  grid: { seed: [1, 2, 3, 4, 5, 6, 7, 8] }, fixed: { hiddenSize: 8, epochs: 60, batchSize: 16 }, spectrum: { k: 2, warmup: 4, frameWarmup: 4 },
};

/** A sweep in a process of its own (a lock stale after 1.5 s, refreshed every 75 ms). */
function sweep(dir: string): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), 'sweep', join(dir, 'spec.json'), '--out', join(dir, 'out.jsonl')], {
    cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, RNN_LYAP_LOCK_STALE_MS: '1500' },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  return { child, stderr: () => err, exit: new Promise((res) => child.on('exit', (code) => res(code))) };
}

const records = (dir: string): string[] => (existsSync(join(dir, 'out.jsonl')) ? readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\n').filter(Boolean) : []);
const until = async (done: () => boolean, ms: number): Promise<void> => {
  for (const end = Date.now() + ms; !done() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
};

describe('a sweep whose lock was taken over while it was stopped', () => {
  it('stops before its next append, naming the new holder; the new holder finishes alone, its lock untouched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
    const lock = join(dir, 'out.jsonl.lock');
    const a = sweep(dir);
    await until(() => records(dir).length >= 1, 30_000);
    a.child.kill('SIGSTOP');
    const before = records(dir).length;
    expect(before).toBeGreaterThanOrEqual(1);
    expect(before).toBeLessThan(4);
    await new Promise((r) => setTimeout(r, 2500)); // its lock is 2.5 s old: stale
    const b = sweep(dir);
    await until(() => b.stderr().includes('to run'), 30_000);
    expect(b.stderr()).toMatch(new RegExp(`out\\.jsonl\\.lock was left by process ${a.child.pid} of this host, not refreshed for \\d+ seconds: taking it over\\n`));
    expect(b.stderr()).toContain(`${before} already in`);
    a.child.kill('SIGCONT');
    const aCode = await a.exit;
    const bRunning = b.child.exitCode === null;
    const lockThen = existsSync(lock) ? readFileSync(lock, 'utf8') : '';
    expect([aCode, bRunning]).toEqual([1, true]);
    expect(a.stderr()).toContain(`: this sweep's lock ${lock} was taken over by process ${b.child.pid} on this host (since `);
    expect(a.stderr()).toContain('this sweep stops without appending to');
    // the new holder's lock is as it made it
    expect(JSON.parse(lockThen)).toMatchObject({ host: hostname(), pid: b.child.pid });
    expect(await b.exit).toBe(0);
    const keys = records(dir).map((l) => (JSON.parse(l) as { key: string }).key);
    expect(keys).toHaveLength(8);
    expect(new Set(keys).size).toBe(8);
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8').endsWith('\n')).toBe(true);
    expect(existsSync(lock)).toBe(false);
  }, 90_000);
});
