/**
 * One sweep per output file: an exclusive lock file beside `--out` (`results.jsonl.lock`, made with
 * the 'wx' flag, holding the host and the process id), so two processes given the same `--out` (a job
 * array without '{shard}' in it, two terminals) cannot append to it at once. It is removed when the
 * sweep ends, also on SIGINT, SIGTERM and SIGHUP (unless the program running the CLI in-process
 * handles the signal itself: then the sweep may go on, and so does its lock); a lock left by a
 * process of this host that no longer runs (killed with SIGKILL) is taken over with a notice. The holder refreshes the lock's modification
 * time every {@link BEAT_MS} from a thread of its own (so also while the main thread is busy for
 * minutes in one synchronous computation, such as the spectrum of a large network over long held-out
 * sequences), and `beat` does so from the main thread: a lock of any host left unrefreshed for
 * {@link STALE_MS} (its machine crashed, a job requeued on another node) is taken over too, so a
 * resumed sweep does not wait for someone to remove it by hand.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkAppendable, CliError, writeTarget, type CliIo } from './common.js';

interface Holder {
  host: string;
  pid: number;
  started: string;
}

/** A held lock; `release` removes its file (once; it leaves a file that is no longer its own). */
export interface OutputLock {
  readonly path: string;
  /**
   * Refreshes the lock's modification time when it is {@link BEAT_MS} old or more, looking at the
   * file at most once a second (cheap: call it often; the heartbeat thread refreshes it anyway).
   */
  beat(): void;
  release(): void;
}

/** How often a holder refreshes its lock (ms). */
export const BEAT_MS = 30_000;

/** A lock unrefreshed this long (ms) is stale, whichever host made it. */
export const STALE_MS = 10 * 60_000;

/** Milliseconds since the lock file was last modified, or undefined when it is gone. */
function ageOf(path: string): number | undefined {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The lock files this process holds (a lock naming this pid and not among them is a stale one). */
const heldHere = new Set<string>();

/** Whether process `pid` of this host runs (EPERM: it runs, as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock file's text, or undefined when it is gone. */
function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function holderOf(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Holder;
    return typeof h.host === 'string' && Number.isSafeInteger(h.pid) && h.pid > 0 ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The heartbeat thread: sets the lock's modification time every `every` ms while the file still holds
 * this holder's text (a lock taken over, or removed, is left alone and the thread stops; a read or
 * a refresh that fails otherwise, such as EIO or ESTALE on a network file system, is tried again at
 * the next beat). A thread of its own, because the main thread's timers do not run while it
 * computes synchronously.
 */
const HEARTBEAT = `
const { workerData } = require('node:worker_threads');
const { readFileSync, utimesSync } = require('node:fs');
const { path, text, every } = workerData;
const timer = setInterval(() => {
  try {
    if (readFileSync(path, 'utf8') !== text) return clearInterval(timer);
    const now = new Date();
    utimesSync(path, now, now);
  } catch (err) {
    if (err && err.code === 'ENOENT') clearInterval(timer);
  }
}, every);
`;

/** Waits `ms` milliseconds, synchronously. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function refusal(holder: Holder | undefined, shown: string, lockShown: string): string {
  const who = holder === undefined
    ? 'another process (its lock file is empty or unreadable)'
    : `process ${holder.pid} on ${holder.host === hostname() ? 'this host' : `host ${holder.host}`}${holder.started ? ` (since ${holder.started})` : ''}`;
  return `${shown} is being written by ${who}: two sweeps must not append to one file. Give each its own --out `
    + `(e.g. --out 'part-{shard}.jsonl' with --shard i/n, then rnn-lyap merge), or wait for it to end; `
    + `if it no longer runs (killed, or its machine is gone), remove the lock: rm '${lockShown}' `
    + `(a lock left unrefreshed for ${STALE_MS / 60_000} minutes is taken over by itself)`;
}

/**
 * Takes the lock of the output `out` (`shown`: as the user wrote it) or throws a CliError naming the
 * process that holds it. The lock is beside the file that `out` writes to (a symbolic link's
 * target), so two links to one file share it.
 */
export function lockOutput(out: string, shown: string, io: CliIo, command = 'sweep', beatMs = BEAT_MS): OutputLock {
  const target = writeTarget(out);
  const path = `${target}.lock`;
  const lockShown = target === out ? `${shown}.lock` : path;
  const me: Holder = { host: hostname(), pid: process.pid, started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        checkAppendable(out, shown); // a missing folder, a read-only place: said of --out
        throw new CliError(`cannot create the lock file '${lockShown}': ${(err as Error).message.split('\n')[0]}`);
      }
      let text = readLock(path);
      if (text === '') {
        pause(100); // its maker is between creating and writing it
        text = readLock(path);
      }
      if (text === undefined) continue; // removed meanwhile: try again
      const holder = holderOf(text);
      // this very pid: a container restarted in place (same host name, the same pids again) left it,
      // unless this process holds it (two sweeps in one process)
      const alive = holder === undefined || holder.host !== me.host || (holder.pid === process.pid ? heldHere.has(path) : running(holder.pid));
      const age = ageOf(path);
      if (age === undefined) continue;
      const abandoned = age >= STALE_MS && !(holder?.pid === process.pid && holder.host === me.host && heldHere.has(path));
      if (alive && !abandoned) throw new CliError(refusal(holder, shown, lockShown));
      // stale; read it again right before removing it, so a lock just taken over by another process stays
      if (readLock(path) !== text) continue;
      unlinkSync(path);
      const whose = holder === undefined ? 'an unreadable lock' : `process ${holder.pid} of ${holder.host === me.host ? 'this host' : `host ${holder.host}`}`;
      const why = alive ? `not refreshed for ${Math.round(age / 60_000)} minutes` : 'which no longer runs';
      io.stderr(`rnn-lyap ${command}: ${lockShown} was left by ${whose}, ${why}: taking it over\n`);
      continue;
    }
    const text = `${JSON.stringify(me)}\n`;
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return hold(path, text, beatMs);
  }
  throw new CliError(`cannot take the lock file '${lockShown}': other processes keep taking and removing it`);
}

/** Removes the lock at the end, at process exit, and on a terminating signal (then re-raised). */
function hold(path: string, text: string, beatMs: number): OutputLock {
  let held = true;
  // refreshes whatever the main thread does (unref'd: it keeps no process alive)
  const heart = new Worker(HEARTBEAT, { eval: true, workerData: { path, text, every: beatMs } });
  heart.unref();
  heart.on('error', () => {}); // it cannot throw; a refresh it could not make is the main thread's beat's
  const release = (): void => {
    if (!held) return;
    held = false;
    void heart.terminate();
    heldHere.delete(path);
    process.off('exit', release);
    releases.delete(release);
    if (releases.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
    try {
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // gone already
    }
  };
  // a stat per call cost 2 µs (more on a network file system) and the sweep beats every batch:
  // the file is looked at once a second at most
  let looked = -Infinity;
  const beat = (): void => {
    if (!held) return;
    const now = Date.now();
    if (now - looked < 1000) return;
    looked = now;
    const age = ageOf(path);
    if (age !== undefined && age >= beatMs) {
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        // gone: release leaves it so
      }
    }
  };
  heldHere.add(path);
  process.on('exit', release);
  if (releases.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  releases.add(release);
  return { path, beat, release };
}

/** The release of every lock this process holds (one signal listener serves them all). */
const releases = new Set<() => void>();

/**
 * A terminating signal while locks are held. When the locks' listener is the only one, the signal
 * would have ended the process: the locks are removed and the signal raised again (exit status
 * 128 + its number). Another listener (a program that runs the CLI in-process and handles the
 * signal itself) decides what the signal does: the sweep may go on, so its lock stays (it is
 * removed when the sweep ends or the process exits).
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  for (const release of [...releases]) release();
  process.kill(process.pid, signal);
}
