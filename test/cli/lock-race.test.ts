// Several real processes that find one stale lock at the same moment: exactly one of them takes it
// over (the others are refused, naming the winner). Before the takeover was serialised, a racer
// could remove the lock another racer had just made in its place, and both went on as holders.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STALE_MS } from '../../cli/lock.js';
import { tempDir } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const lockOf = (host: string, pid: number) => `${JSON.stringify({ host, pid, started: '2026-01-01T00:00:00.000Z' })}\n`;

interface Trial {
  t: number;
  won: boolean;
  error?: string;
}

/** Starts `n` racer processes on `trials` stale locks in `dir`; resolves to each one's results. */
async function race(dir: string, n: number, trials: number, slotMs: number): Promise<{ results: Trial[][]; locks: string[] }> {
  const racers = Array.from({ length: n }, () => spawn(process.execPath, ['--import', 'tsx', join(root, 'test/cli/lock-racer.ts'), dir, String(trials), String(slotMs)], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] }));
  const outs = racers.map(() => ({ text: '' }));
  const errs = racers.map(() => ({ text: '' }));
  racers.forEach((r, i) => {
    r.stdout.on('data', (d: Buffer) => void (outs[i].text += d.toString()));
    r.stderr.on('data', (d: Buffer) => void (errs[i].text += d.toString()));
  });
  const exits = racers.map((r) => new Promise<number | null>((res) => r.on('exit', (code) => res(code))));
  for (let i = 0; i < 600 && !outs.every((o) => o.text.startsWith('ready\n')); i++) await new Promise((r) => setTimeout(r, 25));
  expect(outs.map((o) => o.text.startsWith('ready\n')), errs.map((e) => e.text).join('')).toEqual(racers.map(() => true));
  const start = Date.now() + 200;
  for (const r of racers) r.stdin.write(`${start}\n`);
  const lines = (i: number) => outs[i].text.split('\n').filter((l) => l.startsWith('{'));
  for (let i = 0; i < 2000 && !outs.every((_, k) => lines(k).length === trials); i++) await new Promise((r) => setTimeout(r, 25));
  expect(outs.map((_, k) => lines(k).length), 'each racer reports every trial').toEqual(racers.map(() => trials));
  // the lock files while their winners still hold them
  const locks = Array.from({ length: trials }, (_, t) => readFileSync(join(dir, `${t}.jsonl.lock`), 'utf8'));
  for (const r of racers) r.stdin.end();
  expect(await Promise.all(exits), errs.map((e) => e.text).join('')).toEqual(racers.map(() => 0));
  return { results: outs.map((_, i) => lines(i).map((l) => JSON.parse(l) as Trial)), locks };
}

/** The pid of a process of this host that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('taking over a stale lock is atomic', () => {
  it('4 processes racing for each of 40 stale locks (of a dead process of this host, of another host unrefreshed; small, or slow to read): one winner each, the others refused naming it', async () => {
    const dir = tempDir();
    const trials = 40, dead = deadPid();
    const aged = new Date(Date.now() - STALE_MS - 60_000);
    for (let t = 0; t < trials; t++) {
      const lock = join(dir, `${t}.jsonl.lock`);
      // every other lock is padded to 1 MB: reading it takes about a millisecond, as a small file
      // does on a slow network file system (the window the racers' checks and removals overlap in)
      const text = t % 4 < 2 ? lockOf(hostname(), dead) : lockOf('node-17', 4242);
      writeFileSync(lock, t % 2 === 0 ? text : `${text.slice(0, -2)},"pad":"${'x'.repeat(1 << 20)}"}\n`);
      if (t % 4 >= 2) utimesSync(lock, aged, aged);
    }
    const { results, locks } = await race(dir, 4, trials, 30);
    const winners: number[] = [], wrong: string[] = [];
    for (let t = 0; t < trials; t++) {
      const tried = results.map((r) => r[t]);
      expect(tried.map((x) => x.t)).toEqual([0, 1, 2, 3].map(() => t));
      winners.push(tried.filter((x) => x.won).length);
      // the lock is the winner's; each loser was refused as a second sweep on a live lock, naming it
      // (before: also the stale holder it had just judged stale, its age read from the new lock)
      const holder = JSON.parse(locks[t]) as { pid: number };
      const refusal = `${t}.jsonl is being written by process ${holder.pid} on this host (since `;
      for (const x of tried.filter((y) => !y.won)) if (!x.error?.startsWith(refusal)) wrong.push(`${t}: ${x.error}`);
    }
    expect(winners, `${winners.filter((w) => w > 1).length} of ${trials} trials with more than one winner`).toEqual(winners.map(() => 1));
    expect(wrong).toEqual([]);
  }, 60_000);
});
