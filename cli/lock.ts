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
 * resumed sweep does not wait for someone to remove it by hand. A lock is replaced (taken over) and
 * removed (released) only in a turn ({@link turn}), and re-read in it: of several processes that
 * judged one lock stale, exactly one takes it over. A holder that was stopped past the staleness
 * finds out with `check` (before each append) and stops; neither its beat nor its thread refreshes
 * nor its release removes the lock of the process that took over.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
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
   * Refreshes the lock's modification time when it is {@link BEAT_MS} old or more and still holds
   * this holder's text (a lock another process took over is left alone), looking at the file at
   * most once a second (cheap: call it often; the heartbeat thread refreshes it anyway).
   */
  beat(): void;
  /**
   * Throws a CliError naming the new holder when the lock is no longer this holder's: taken over
   * (this process was stopped, or its machine suspended, for longer than {@link STALE_MS}) or
   * removed. One read of the lock file: call it before each append to the output.
   */
  check(): void;
  release(): void;
}

/** How often a holder refreshes its lock (ms): a twentieth of the staleness. */
export const BEAT_MS = 30_000;

/**
 * A lock unrefreshed this long (ms) is stale, whichever host made it. The environment variable
 * RNN_LYAP_LOCK_STALE_MS sets another (then the heartbeat runs every twentieth of it).
 */
export const STALE_MS = 10 * 60_000;

/** Waits at most this long (ms) for other processes replacing or removing the same lock. */
const SERIAL_WAIT_MS = 5000;

/** A `LOCK.takeover` file this old (ms) was left by a process that died while it replaced a lock. */
const SERIAL_STALE_MS = 10_000;

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

/** openSync(path, flags), or undefined when it fails with the error `code` (other errors throw). */
function openUnless(path: string, flags: string, code: string): number | undefined {
  try {
    return openSync(path, flags);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === code) return undefined;
    throw err;
  }
}

/**
 * A lock file's text and its age (ms since it was last modified), both of one open file: the age is
 * that text's, not a successor's put there meanwhile. Undefined when it is gone; other errors throw.
 */
function snapshot(path: string): { text: string; age: number } | undefined {
  const fd = openUnless(path, 'r', 'ENOENT');
  if (fd === undefined) return undefined;
  try {
    return { text: readFileSync(fd, 'utf8'), age: Date.now() - fstatSync(fd).mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** The lock file's text, or undefined when it cannot be read (gone). */
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
 * Whether the holder of a lock file at `path` (its text and age) may still be writing: a process of
 * another host (it cannot be checked from here), one of this host that runs, or an unreadable lock;
 * and the lock refreshed within `staleMs`. A lock naming this very pid that this process does not
 * hold is a container's restarted in place (same host name, the same pids again).
 */
function judge(path: string, snap: { text: string; age: number }, staleMs: number): { holder: Holder | undefined; alive: boolean; live: boolean } {
  const holder = holderOf(snap.text);
  const here = holder !== undefined && holder.host === hostname();
  const mine = here && holder.pid === process.pid && heldHere.has(path);
  const alive = !here || (holder.pid === process.pid ? mine : running(holder.pid));
  return { holder, alive, live: mine || (alive && snap.age < staleMs) };
}

/** The staleness of locks (ms): RNN_LYAP_LOCK_STALE_MS, or {@link STALE_MS}. */
function staleOf(env: Record<string, string | undefined>): number {
  const given = env.RNN_LYAP_LOCK_STALE_MS;
  if (given === undefined || given === '') return STALE_MS;
  if (!/^\d+$/.test(given) || Number(given) < 100) throw new CliError(`RNN_LYAP_LOCK_STALE_MS must be a whole number of milliseconds, 100 or more (the default is ${STALE_MS}), got '${given}'`);
  return Number(given);
}

/** `ms` for a message: in minutes from 2 minutes on, else in seconds. */
function duration(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} seconds`;
}

/** Who holds a lock, for a message. */
function whoHolds(holder: Holder | undefined): string {
  return holder === undefined
    ? 'another process (its lock file is empty or unreadable)'
    : `process ${holder.pid} on ${holder.host === hostname() ? 'this host' : `host ${holder.host}`}${holder.started ? ` (since ${holder.started})` : ''}`;
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

function refusal(holder: Holder | undefined, shown: string, lockShown: string, staleMs: number): string {
  return `${shown} is being written by ${whoHolds(holder)}: two sweeps must not append to one file. Give each its own --out `
    + `(e.g. --out 'part-{shard}.jsonl' with --shard i/n, then rnn-lyap merge), or wait for it to end; `
    + `if it no longer runs (killed, or its machine is gone), remove the lock: rm '${lockShown}' `
    + `(a lock left unrefreshed for ${duration(staleMs)} is taken over by itself)`;
}

/**
 * Creates the lock file `path` holding `text` if there is none; false when there is one. The text is
 * written to a file of its own first and linked to `path` (which fails when `path` exists): no other
 * process ever reads the lock empty, as it could between an open with 'wx' and its write (a process
 * descheduled for a while on a busy node). Where hard links are not supported: 'wx', then the write.
 */
function create(path: string, text: string): boolean {
  const unsupported = (err: unknown): boolean => ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((err as NodeJS.ErrnoException).code ?? '');
  const fresh = `${path}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(fresh, text, { flag: 'wx' });
  try {
    linkSync(fresh, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    if (!unsupported(err)) throw err;
  } finally {
    unlinkSync(fresh);
  }
  const fd = openUnless(path, 'wx', 'EEXIST');
  if (fd === undefined) return false;
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes `path` if it holds `text`, and says whether it did; called in a {@link turn}, where no
 * other process replaces or removes the file. It is read, renamed aside (`LOCK.takeover-<pid>-<random>`,
 * atomic) and read there again: one put at `path` in between (by a process that took no turn) is
 * not removed but linked back, unless yet another was made at `path` meanwhile.
 */
function removeIf(path: string, text: string, lock: string): boolean {
  // read first: a rename of another's file would leave no file at \`path\` for a moment, and a
  // process creating one then would hold the lock beside the one linked back
  if (readLock(path) !== text) return false;
  const aside = `${lock}.takeover-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // gone already
  }
  const moved = readLock(aside);
  if (moved !== text) {
    try {
      linkSync(aside, path);
    } catch {
      // another file is at `path` now: the one moved is no longer anyone's lock there
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // removed by hand
  }
  return moved === text;
}

/**
 * Takes `LOCK.takeover` ('wx'), which lets one process at a time replace or remove the lock at
 * `lock` (creating one where there is none needs no turn: 'wx' lets one process do it). Returns the
 * turn's end, or undefined when another process has the turn; one left by a process that died in
 * it (of this host and not running, or {@link SERIAL_STALE_MS} old) is removed first.
 */
function turn(lock: string): (() => void) | undefined {
  const file = `${lock}.takeover`;
  const text = `${JSON.stringify({ host: hostname(), pid: process.pid, nonce: randomBytes(6).toString('hex') })}\n`;
  if (create(file, text)) {
    return () => {
      if (readLock(file) === text) removeIf(file, text, lock);
    };
  }
  const left = snapshot(file);
  if (left === undefined) return undefined;
  const holder = holderOf(left.text);
  // a turn is synchronous: one naming this process is a former process's with this pid
  const dead = holder !== undefined && holder.host === hostname() && (holder.pid === process.pid || !running(holder.pid));
  if (dead || left.age >= SERIAL_STALE_MS) removeIf(file, left.text, lock);
  return undefined;
}

/** Waits for the turn to replace or remove `lock` for at most `ms`; undefined when it did not come. */
function waitTurn(lock: string, ms: number): (() => void) | undefined {
  const until = Date.now() + ms;
  for (;;) {
    const done = turn(lock);
    if (done !== undefined || Date.now() >= until) return done;
    pause(2 + Math.random() * 8);
  }
}

/**
 * Takes the lock of the output `out` (`shown`: as the user wrote it) or throws a CliError naming the
 * process that holds it. The lock is beside the file that `out` writes to (a symbolic link's
 * target), so two links to one file share it. A stale lock is replaced in a turn of its own
 * ({@link turn}) after it is read again: of several processes that judged one lock stale at once,
 * one takes it over and the others find its lock and are refused.
 */
export function lockOutput(out: string, shown: string, io: CliIo, command = 'sweep', beatMs = BEAT_MS): OutputLock {
  const target = writeTarget(out);
  const path = `${target}.lock`;
  const lockShown = target === out ? `${shown}.lock` : path;
  const staleMs = staleOf(io.env);
  const me: Holder = { host: hostname(), pid: process.pid, started: new Date().toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  const until = Date.now() + SERIAL_WAIT_MS;
  try {
    for (;;) {
      if (create(path, text)) return hold(path, text, Math.max(5, Math.min(beatMs, Math.floor(staleMs / 20))), { shown, lockShown, staleMs });
      let snap = snapshot(path);
      if (snap?.text === '') {
        pause(100); // its maker is between creating and writing it
        snap = snapshot(path);
      }
      if (snap !== undefined) {
        const { holder, alive, live } = judge(path, snap, staleMs);
        if (live) throw new CliError(refusal(holder, shown, lockShown, staleMs));
        const done = turn(path);
        let taken = false;
        if (done !== undefined) {
          try {
            // the lock read above, if it is still there: it is no successor's
            taken = removeIf(path, snap.text, path) && create(path, text);
          } finally {
            done();
          }
        }
        if (taken) {
          const whose = holder === undefined ? 'an unreadable lock' : `process ${holder.pid} of ${holder.host === me.host ? 'this host' : `host ${holder.host}`}`;
          const why = alive ? `not refreshed for ${duration(snap.age)}` : 'which no longer runs';
          io.stderr(`rnn-lyap ${command}: ${lockShown} was left by ${whose}, ${why}: taking it over\n`);
          return hold(path, text, Math.max(5, Math.min(beatMs, Math.floor(staleMs / 20))), { shown, lockShown, staleMs });
        }
        if (done === undefined) pause(2 + Math.random() * 8); // another process's turn: it may be taking it over
      }
      if (Date.now() >= until) throw new CliError(`cannot take the lock file '${lockShown}': other processes keep taking and removing it`);
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    checkAppendable(out, shown); // a missing folder, a read-only place: said of --out
    throw new CliError(`cannot create the lock file '${lockShown}': ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * The holder of the lock guarding `out`, when a sweep may be writing it now (the lock is one that
 * {@link lockOutput} would refuse): for a command that reads or replaces `out` (merge).
 */
export function liveLock(out: string, shown: string, env: Record<string, string | undefined>): { who: string; lockShown: string } | undefined {
  const target = writeTarget(out);
  const path = `${target}.lock`;
  const lockShown = target === out ? `${shown}.lock` : path;
  let snap: ReturnType<typeof snapshot>;
  try {
    snap = snapshot(path);
  } catch (err) {
    throw new CliError(`cannot read the lock file '${lockShown}': ${(err as Error).message.split('\n')[0]}`);
  }
  if (snap === undefined) return undefined;
  const { holder, live } = judge(path, snap, staleOf(env));
  return live ? { who: whoHolds(holder), lockShown } : undefined;
}

/** How a held lock is named in messages, and the staleness it was taken with. */
interface Shown {
  shown: string;
  lockShown: string;
  staleMs: number;
}

/** Why a holder's lock is no longer its own (`now`: the lock file's text, undefined when it is gone). */
function lost(now: string | undefined, { shown, lockShown, staleMs }: Shown): string {
  const stop = `this sweep stops without appending to ${shown}, so that one process writes it`;
  if (now === undefined) return `${shown}: this sweep's lock ${lockShown} was removed (by hand, or by a sweep that took it over and has ended): ${stop}; run it again to resume`;
  return `${shown}: this sweep's lock ${lockShown} was taken over by ${whoHolds(holderOf(now))}, after it had gone unrefreshed for ${duration(staleMs)} `
    + `(was this process stopped, or its machine suspended?): ${stop}; the configurations not in it are that sweep's to run`;
}

/** Removes the lock at the end, at process exit, and on a terminating signal (then re-raised). */
function hold(path: string, text: string, beatMs: number, names: Shown): OutputLock {
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
    // in a turn: a process taking the lock over (this one was stale) does so before or after, so
    // the lock removed is this holder's own and never its successor's
    let done: (() => void) | undefined;
    try {
      done = waitTurn(path, 1000);
    } catch {
      // no turn file can be made here (a read-only folder): the lock is removed without one
    }
    try {
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // gone already
    } finally {
      done?.();
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
    try {
      // like the heartbeat thread: a lock that another process took over is not kept alive
      const snap = snapshot(path);
      if (snap === undefined || snap.text !== text || snap.age < beatMs) return;
      const date = new Date();
      utimesSync(path, date, date);
    } catch {
      // unreadable for now (a network file system): the thread, or the next beat, refreshes it
    }
  };
  const check = (): void => {
    if (!held) return;
    let now: string | undefined;
    for (let tries = 1; ; tries++) {
      try {
        now = snapshot(path)?.text;
        break;
      } catch (err) {
        // EIO, ESTALE on a network file system: tried again, then said
        if (tries === 3) throw new CliError(`${names.shown}: cannot read this sweep's lock ${names.lockShown} to check it is still its own: ${(err as Error).message.split('\n')[0]}`);
        pause(200);
      }
    }
    if (now !== text) throw new CliError(lost(now, names));
  };
  heldHere.add(path);
  process.on('exit', release);
  if (releases.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  releases.add(release);
  return { path, beat, check, release };
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
