// One sweep per --out: a lock file beside it refuses a second process, is removed at the end (also on
// SIGTERM), and a dead process's lock on this host, or any host's lock left unrefreshed, is taken over.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { CliError } from '../../cli/common.js';
import { lockOutput, STALE_MS, BEAT_MS } from '../../cli/lock.js';
import { cli, tempDir } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const SPEC = {
  task: 'flip-flop', taskOptions: { bits: 2, steps: 24, pFlip: 0.1 }, train: { size: 32, seed: 1 }, test: { size: 3, seed: 2 },
  grid: { learningRate: [0.01, 0.003] }, fixed: { hiddenSize: 4, epochs: 2, batchSize: 16, seed: 1 }, spectrum: { k: 2, warmup: 4, frameWarmup: 4 },
};

function setup(spec: object = SPEC): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  return dir;
}

const lockOf = (host: string, pid: number) => `${JSON.stringify({ host, pid, started: '2026-01-01T00:00:00.000Z' })}\n`;

/** The pid of a process of this host that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('sweep --out is locked while a sweep writes it', () => {
  it('a live holder (the parent process) is refused, naming it and the way out; out and lock are left as they are', async () => {
    const dir = setup();
    const live = process.ppid;
    writeFileSync(join(dir, 'out.jsonl.lock'), lockOf(hostname(), live));
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`rnn-lyap sweep: out.jsonl is being written by process ${live} on this host (since 2026-01-01T00:00:00.000Z): two sweeps must not append to one file. Give each its own --out (e.g. --out 'part-{shard}.jsonl' with --shard i/n, then rnn-lyap merge), or wait for it to end; if it no longer runs (killed, or its machine is gone), remove the lock: rm 'out.jsonl.lock' (a lock left unrefreshed for 10 minutes is taken over by itself)\n`);
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
    expect(readFileSync(join(dir, 'out.jsonl.lock'), 'utf8')).toBe(lockOf(hostname(), live));
    // another host's lock cannot be checked from here: refused too
    writeFileSync(join(dir, 'out.jsonl.lock'), lockOf('node-17', 4242));
    expect((await cli(['sweep', 'spec.json', '--out', 'out.jsonl'], { cwd: dir })).stderr).toMatch(/^rnn-lyap sweep: out\.jsonl is being written by process 4242 on host node-17 \(since /);
    // and an empty or garbled one
    writeFileSync(join(dir, 'out.jsonl.lock'), '{"host":');
    expect((await cli(['sweep', 'spec.json', '--out', 'out.jsonl'], { cwd: dir })).stderr).toMatch(/by another process \(its lock file is empty or unreadable\)/);
  });
  it('a lock left by a dead process of this host is taken over with a notice; the lock is gone at the end', async () => {
    const dir = setup();
    const pid = deadPid();
    writeFileSync(join(dir, 'out.jsonl.lock'), lockOf(hostname(), pid));
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, `rnn-lyap sweep: out.jsonl.lock was left by process ${pid} of this host, which no longer runs: taking it over\n`]);
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(join(dir, 'out.jsonl.lock'))).toBe(false);
    // a sweep that ends in an error removes its lock too (here: results of another spec)
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...SPEC, fixed: { ...SPEC.fixed, epochs: 1 } }));
    expect((await cli(['sweep', 'other.json', '--out', 'out.jsonl'], { cwd: dir })).code).toBe(1);
    expect(existsSync(join(dir, 'out.jsonl.lock'))).toBe(false);
  });
  it('a lock naming this very pid that this process does not hold is stale (a container restarted in place)', async () => {
    const dir = setup();
    writeFileSync(join(dir, 'out.jsonl.lock'), lockOf(hostname(), process.pid));
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, `rnn-lyap sweep: out.jsonl.lock was left by process ${process.pid} of this host, which no longer runs: taking it over\n`]);
    expect(existsSync(join(dir, 'out.jsonl.lock'))).toBe(false);
    // but two sweeps of one process on one --out: the second is refused
    const [a, b] = await Promise.all([
      cli(['sweep', 'spec.json', '--out', 'two.jsonl', '--quiet'], { cwd: dir }),
      cli(['sweep', 'spec.json', '--out', 'two.jsonl', '--quiet'], { cwd: dir }),
    ]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    expect(a.stderr + b.stderr).toContain(`two.jsonl is being written by process ${process.pid} on this host`);
    expect(readFileSync(join(dir, 'two.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
  it('two links to one file share the lock beside the file', async () => {
    const dir = setup();
    symlinkSync('real.jsonl', join(dir, 'link.jsonl'));
    writeFileSync(join(dir, 'real.jsonl.lock'), lockOf(hostname(), process.ppid));
    const r = await cli(['sweep', 'spec.json', '--out', 'link.jsonl'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`remove the lock: rm '${join(dir, 'real.jsonl.lock')}'`);
  });
  it('two real processes on one --out: the second is refused; SIGTERM ends the first and removes its lock', async () => {
    // long enough that the first still runs when the second starts
    const dir = setup({ ...SPEC, grid: { seed: [1, 2, 3, 4, 5, 6, 7, 8] }, fixed: { hiddenSize: 8, epochs: 400, batchSize: 16 } });
    const args = ['--import', 'tsx', join(root, 'cli/main.ts'), 'sweep', join(dir, 'spec.json'), '--out', join(dir, 'out.jsonl')];
    const first = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let firstErr = '';
    first.stderr.on('data', (d: Buffer) => void (firstErr += d.toString()));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => first.on('exit', (code, signal) => res({ code, signal })));
    const lock = join(dir, 'out.jsonl.lock');
    for (let i = 0; i < 300 && !firstErr.includes('to run'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(firstErr).toContain('8 to run');
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ host: hostname(), pid: first.pid });
    const second = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^rnn-lyap sweep: .*out\\.jsonl is being written by process ${first.pid} on this host \\(since `));
    first.kill('SIGTERM');
    expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(existsSync(lock)).toBe(false);
    // whatever the first wrote is whole records, each once
    const text = existsSync(join(dir, 'out.jsonl')) ? readFileSync(join(dir, 'out.jsonl'), 'utf8') : '';
    const keys = text.split('\n').filter(Boolean).map((l) => JSON.parse(l).key);
    expect(new Set(keys).size).toBe(keys.length);
  }, 60_000);
  it('in a program that handles SIGHUP itself (the CLI run in-process), the signal leaves the running sweep its lock; its end removes it', async () => {
    const dir = setup({ ...SPEC, grid: { seed: [1, 2, 3] }, fixed: { hiddenSize: 8, epochs: 60, batchSize: 16 } });
    const lock = join(dir, 'out.jsonl.lock');
    const host = (): void => {}; // the embedding program's own handler: it does not end the process
    process.on('SIGHUP', host);
    try {
      const running = cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir });
      for (let i = 0; i < 200 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 10));
      expect(existsSync(lock)).toBe(true);
      process.emit('SIGHUP', 'SIGHUP');
      // the sweep goes on: its lock must still refuse a second one
      expect(existsSync(lock)).toBe(true);
      expect((await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir })).code).toBe(1);
      expect((await running).code).toBe(0);
      expect(existsSync(lock)).toBe(false);
      expect(process.listeners('SIGHUP')).toEqual([host]);
    } finally {
      process.off('SIGHUP', host);
    }
  }, 60_000);
  it('a lock of another host left unrefreshed for STALE_MS is taken over (a node that crashed, a job requeued elsewhere); a fresh one is not', async () => {
    const dir = setup();
    const lock = join(dir, 'out.jsonl.lock');
    writeFileSync(lock, lockOf('node-17', 4242));
    const old = new Date(Date.now() - STALE_MS - 60_000);
    utimesSync(lock, old, old);
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, `rnn-lyap sweep: out.jsonl.lock was left by process 4242 of host node-17, not refreshed for ${Math.round((STALE_MS + 60_000) / 60_000)} minutes: taking it over\n`]);
    expect(existsSync(lock)).toBe(false);
    // just inside the limit: still refused
    writeFileSync(lock, lockOf('node-17', 4242));
    const recent = new Date(Date.now() - STALE_MS + 60_000);
    utimesSync(lock, recent, recent);
    const q = await cli(['sweep', 'spec.json', '--out', 'two.jsonl', '--quiet'], { cwd: dir });
    expect(q.code).toBe(0); // another file: unaffected
    const s2 = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir });
    expect(s2.code).toBe(1);
    expect(s2.stderr).toContain('process 4242 on host node-17');
    expect(s2.stderr).toContain(`a lock left unrefreshed for ${STALE_MS / 60_000} minutes is taken over by itself`);
  });
  it('a thread of its own refreshes the lock while the main thread computes synchronously for longer than the beat (a large spectrum)', () => {
    const dir = tempDir();
    const io = { stdout: () => {}, stderr: () => {}, cwd: dir, env: {} } as unknown as Parameters<typeof lockOutput>[2];
    const lock = join(dir, 'o.jsonl.lock');
    const held = lockOutput(join(dir, 'o.jsonl'), 'o.jsonl', io, 'sweep', 100);
    const aged = new Date(Date.now() - STALE_MS - 60_000);
    utimesSync(lock, aged, aged);
    // the main thread is busy for 20 beats, without a beat() and without returning to its event loop
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(1000);
    held.release();
    expect(existsSync(lock)).toBe(false);
    // a lock taken over by another process is not refreshed by its former holder's thread
    const again = lockOutput(join(dir, 'o.jsonl'), 'o.jsonl', io, 'sweep', 100);
    writeFileSync(lock, lockOf('node-17', 4242));
    utimesSync(lock, aged, aged);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    expect(statSync(lock).mtimeMs).toBeCloseTo(aged.getTime(), -3);
    again.release();
    expect(readFileSync(lock, 'utf8')).toBe(lockOf('node-17', 4242));
  });
  it('the heartbeat thread outlives a lock file it cannot read for a while (not gone, not taken over)', () => {
    const dir = tempDir();
    const io = { stdout: () => {}, stderr: () => {}, cwd: dir, env: {} } as unknown as Parameters<typeof lockOutput>[2];
    const lock = join(dir, 'o.jsonl.lock');
    const held = lockOutput(join(dir, 'o.jsonl'), 'o.jsonl', io, 'sweep', 100);
    const text = readFileSync(lock, 'utf8');
    // a read that fails for another reason than a missing file or another holder's text (here EISDIR;
    // on a network file system EIO or ESTALE) for five beats, then the lock reads as ours again
    unlinkSync(lock);
    mkdirSync(lock);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    rmdirSync(lock);
    writeFileSync(lock, text);
    const aged = new Date(Date.now() - STALE_MS - 60_000);
    utimesSync(lock, aged, aged);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(1000); // refreshed by the thread (before: it had stopped)
    held.release();
    expect(existsSync(lock)).toBe(false);
  });
  it('beat refreshes a held lock once it is BEAT_MS old, and not before; release removes it', () => {
    const dir = tempDir();
    const io = { stdout: () => {}, stderr: () => {}, cwd: dir, env: {} } as unknown as Parameters<typeof lockOutput>[2];
    const held = lockOutput(join(dir, 'o.jsonl'), 'o.jsonl', io);
    const lock = join(dir, 'o.jsonl.lock');
    const young = new Date(Date.now() - BEAT_MS / 2);
    utimesSync(lock, young, young);
    held.beat();
    expect(statSync(lock).mtimeMs).toBeCloseTo(young.getTime(), -2);
    // the file is looked at once a second at most (a stat per training batch was 2 µs, more on NFS)
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now());
      const aged = new Date(Date.now() - BEAT_MS - 1000);
      utimesSync(lock, aged, aged);
      held.beat();
      expect(statSync(lock).mtimeMs).toBeCloseTo(aged.getTime(), -2);
      vi.setSystemTime(Date.now() + 1000);
      held.beat();
      expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(BEAT_MS / 2);
    } finally {
      vi.useRealTimers();
    }
    held.release();
    expect(existsSync(lock)).toBe(false);
    held.beat(); // after release: no file made again
    expect(existsSync(lock)).toBe(false);
  });
  it('beat and check on a lock another process took over (this one was stopped past STALE_MS): not refreshed, and check names the new holder', () => {
    const dir = tempDir();
    const io = { stdout: () => {}, stderr: () => {}, cwd: dir, env: {} } as unknown as Parameters<typeof lockOutput>[2];
    const lock = join(dir, 'o.jsonl.lock');
    const held = lockOutput(join(dir, 'o.jsonl'), 'o.jsonl', io);
    held.check(); // its own: nothing said
    // the new holder's lock, 660 s old (it was stopped too, or its clock is behind)
    writeFileSync(lock, lockOf('node-17', 4242));
    const aged = new Date(Date.now() - 660_000);
    utimesSync(lock, aged, aged);
    held.beat();
    // before: refreshed by the former holder's beat, age 660 s -> 0 s, keeping the other's lock alive
    expect(Math.round((Date.now() - statSync(lock).mtimeMs) / 1000)).toBe(660);
    expect(() => held.check()).toThrow(CliError);
    expect(() => held.check()).toThrow(`o.jsonl: this sweep's lock o.jsonl.lock was taken over by process 4242 on host node-17 (since 2026-01-01T00:00:00.000Z), after it had gone unrefreshed for 10 minutes (was this process stopped, or its machine suspended?): this sweep stops without appending to o.jsonl, so that one process writes it; the configurations not in it are that sweep's to run`);
    held.release();
    expect(readFileSync(lock, 'utf8')).toBe(lockOf('node-17', 4242));
    expect(statSync(lock).mtimeMs).toBeCloseTo(aged.getTime(), -3);
    // a lock removed by hand: said so
    unlinkSync(lock);
    const again = lockOutput(join(dir, 'o.jsonl'), 'o.jsonl', io);
    unlinkSync(lock);
    again.beat();
    expect(existsSync(lock)).toBe(false);
    expect(() => again.check()).toThrow(`o.jsonl: this sweep's lock o.jsonl.lock was removed (by hand, or by a sweep that took it over and has ended): this sweep stops without appending to o.jsonl, so that one process writes it; run it again to resume`);
    again.release();
    expect(readdirSync(dir)).toEqual([]);
  });
  it('a takeover\'s turn file left by a process that died in its turn does not block the takeover', async () => {
    const dir = setup();
    const lock = join(dir, 'out.jsonl.lock');
    const pid = deadPid();
    writeFileSync(lock, lockOf(hostname(), pid));
    writeFileSync(`${lock}.takeover`, lockOf(hostname(), pid));
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, `rnn-lyap sweep: out.jsonl.lock was left by process ${pid} of this host, which no longer runs: taking it over\n`]);
    expect(readdirSync(dir).sort()).toEqual(['out.jsonl', 'spec.json']);
    // one of another host, unchanged for 10 s: the same
    writeFileSync(lock, lockOf(hostname(), pid));
    writeFileSync(`${lock}.takeover`, lockOf('node-17', 4242));
    const old = new Date(Date.now() - 10_000);
    utimesSync(`${lock}.takeover`, old, old);
    expect((await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir })).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['out.jsonl', 'spec.json']);
  });
  it('RNN_LYAP_LOCK_STALE_MS sets the staleness (for tests; the heartbeat runs every twentieth of it); a bad value is refused', async () => {
    const dir = setup();
    const lock = join(dir, 'out.jsonl.lock');
    writeFileSync(lock, lockOf('node-17', 4242));
    const old = new Date(Date.now() - 3000);
    utimesSync(lock, old, old);
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir, env: { RNN_LYAP_LOCK_STALE_MS: '2000' } });
    expect([r.code, r.stderr]).toEqual([0, 'rnn-lyap sweep: out.jsonl.lock was left by process 4242 of host node-17, not refreshed for 3 seconds: taking it over\n']);
    writeFileSync(lock, lockOf('node-17', 4242));
    const s = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir, env: { RNN_LYAP_LOCK_STALE_MS: '2000' } });
    expect(s.stderr).toContain('(a lock left unrefreshed for 2 seconds is taken over by itself)');
    const bad = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir, env: { RNN_LYAP_LOCK_STALE_MS: '2s' } });
    expect([bad.code, bad.stderr]).toEqual([1, "rnn-lyap sweep: RNN_LYAP_LOCK_STALE_MS must be a whole number of milliseconds, 100 or more (the default is 600000), got '2s'\n"]);
    expect(readFileSync(lock, 'utf8')).toBe(lockOf('node-17', 4242));
  });
  it('only the lock\'s holder drops a torn last line: a sweep refused by a live lock leaves it as it is', async () => {
    const dir = setup();
    expect((await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir })).code).toBe(0);
    // the last record half written, as a writer killed (or still writing) leaves it
    const whole = readFileSync(join(dir, 'out.jsonl'));
    const torn = whole.subarray(0, whole.length - 100);
    writeFileSync(join(dir, 'out.jsonl'), torn);
    writeFileSync(join(dir, 'out.jsonl.lock'), lockOf(hostname(), process.ppid));
    expect((await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir })).code).toBe(1);
    expect(readFileSync(join(dir, 'out.jsonl')).equals(torn)).toBe(true);
    unlinkSync(join(dir, 'out.jsonl.lock'));
    const r = await cli(['sweep', 'spec.json', '--out', 'out.jsonl', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('dropped a torn last line');
    expect(readFileSync(join(dir, 'out.jsonl')).equals(whole)).toBe(true);
  });
});
