/**
 * What every command shares: the process seams (so tests run the CLI in-process), the error that
 * carries an exit code, option parsing, number formatting and the progress bar.
 */
import { chmodSync, closeSync, existsSync, lstatSync, openSync, readlinkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as lib from '../src/index.js';

/** Exit codes (documented in `rnn-lyap --help` and docs/pytorch.md). */
export const EXIT = {
  ok: 0,
  /** A file could not be read or understood, or a computation failed. */
  error: 1,
  /** Bad command line: unknown command or option, missing or malformed value. */
  usage: 2,
  /** `merge`: the merged results miss configurations of the grid (the output is still written). */
  incomplete: 3,
} as const;

/** The process as the CLI sees it; `run` takes one, so tests capture everything in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (then a progress bar is drawn). */
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Terminal width for the progress bar (default 80). */
  columns?: number;
}

/** An error that ends the command with a one-line message and an exit code. */
export class CliError extends Error {
  constructor(message: string, readonly code: number = EXIT.error) {
    super(message);
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT.usage);

/** A command: its help text and what it does. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Levenshtein distance (for "did you mean"). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The known option nearest to `given` (a name without dashes), if one is near enough. */
export function nearestOption(given: string, known: readonly string[]): string | undefined {
  const g = given.replace(/^-+/, '').toLowerCase().replace(/_/g, '-');
  let best: string | undefined, bestD = Infinity;
  for (const k of known) {
    const d = k === g ? 0 : g.endsWith(`-${k}`) || g.startsWith(`${k}-`) || k.startsWith(g) ? 1 : distance(g, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  if (best === undefined) return undefined;
  const shortest = Math.min(g.length, best.length);
  return bestD <= (shortest < 3 ? 0 : Math.max(1, Math.floor(shortest / 3))) ? best : undefined;
}

/** node:util parseArgs, strict, with `--help`; parse errors become usage errors naming the command. */
export function parse<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const unknown = /^Unknown option '([^']+)'/.exec(e.message);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== null) {
      const near = nearestOption(unknown[1], [...Object.keys(options), 'help']);
      throw usageError(`${command}: unknown option ${unknown[1]}${near === undefined ? '' : ` (did you mean --${near}?)`} (see rnn-lyap ${command} --help)`);
    }
    // a value that starts with '-' (--input -1,0,0, --seed -3) reads as an option: say how to give it
    const dash = /^Option '(--[^']+)' argument is ambiguous/.exec(e.message);
    if (dash !== null) {
      throw usageError(`${command}: ${dash[1]} needs a value; to give one that starts with '-', write ${dash[1]}=-… (e.g. ${dash[1]}=-1) (see rnn-lyap ${command} --help)`);
    }
    throw usageError(`${command}: ${e.message.split('\n')[0]} (see rnn-lyap ${command} --help)`);
  }
}

/**
 * A library error for a command-line user, as one line: without the library function's name that
 * starts it (`fromTorchStateDict: `, `lyapunovSpectrum: `: the user ran a command, not the function;
 * `run` puts the command in front, the caller the file or flag), and with the API's option names as
 * flags ({@link flagsInMessage}).
 */
export function cliMessage(err: unknown): string {
  return flagsInMessage(libMessage(err));
}

/** A library error's first line without the library function's name that starts it (option names kept: a sweep spec uses them). */
export function libMessage(err: unknown): string {
  const line = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const m = /^([A-Za-z_$][\w$]*)(?:\.[\w$]+)?: /.exec(line);
  return m !== null && Object.prototype.hasOwnProperty.call(lib, m[1]) ? line.slice(m[0].length) : line;
}

/**
 * A library message for a command-line user: the API's option names become the flags that set them
 * (`pass frameWarmup explicitly` → `pass --frame-warmup explicitly`, `{ readoutPrefix: 'out.' }` →
 * `--readout-prefix out.`, `{ readoutPrefix: null }` → `--no-readout`).
 */
export function flagsInMessage(message: string): string {
  return message
    .replace(/\{ readoutPrefix: null \}/g, '--no-readout')
    .replace(/\{ readoutPrefix: '([^']*)' \}/g, (_m, p: string) => `--readout-prefix ${p === '' ? "''" : p}`)
    .replace(/\{ prefix: '([^']*)' \}/g, (_m, p: string) => `--prefix ${p === '' ? "''" : p}`)
    .replace(/\{ (readoutPrefix|prefix|activation) \}/g, (_m, k: string) => `--${k === 'readoutPrefix' ? 'readout-prefix' : k}`)
    .replace(/\breadoutPrefix\b/g, '--readout-prefix')
    .replace(/ − warmup (\d+) − frameWarmup (\d+)/g, ' minus --warmup $1 and --frame-warmup $2')
    .replace(/\bwarmup (\d+) and frameWarmup (\d+)/g, '--warmup $1 and --frame-warmup $2')
    .replace(/\bframeWarmup\b/g, '--frame-warmup')
    .replace(/\bnStarts\b/g, '--starts')
    .replace(/\bgot activation '(\w+)'/g, 'got --activation $1')
    .replace(/\bsteps = (\d+) exceeds/g, '--steps $1 exceeds')
    .replace(/\bsave or pass a state dict without them\b/g, 'save a state dict without them');
}

/** An integer option (undefined when absent), within [min, max]. */
export function intOption(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  const n = Number(s);
  if (!/^[+-]?\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(`--${name} must be an integer${max < Number.MAX_SAFE_INTEGER ? ` in [${min}, ${max}]` : ` >= ${min}`}, got '${s}'`);
  }
  return n;
}

/**
 * A seed: an integer (as a number: `--seed 7` and `--seed 007` are the same seed) or a word (hashed
 * as a string: `--seed run-a`, `--seed 2024-run`). What reads as a number but is not an integer
 * (`1.0`, `1e3`, `+1`, ` 1`, `0x10`) is refused: the library would hash it as a string, a different
 * seed from the integer.
 */
export function seedOption(value: unknown, name = 'seed', min = -Number.MAX_SAFE_INTEGER): number | string | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n) && n >= min) return n;
    throw usageError(`--${name} must be an integer in [${min}, ${Number.MAX_SAFE_INTEGER}] or a word, got '${s}'`);
  }
  // refused: what JavaScript reads as a number (1.0, 1e3, 0x10, .5, and 1e999 = Infinity); a word
  // that merely starts with a digit (2024-run, 1st) stays a word, hashed as before
  const num = Number(s);
  if (s === '' || s.trim() !== s || Number.isFinite(num) || (!Number.isNaN(num) && /^[+-]?(\d|\.\d)/.test(s))) {
    throw usageError(`--${name} must be an integer (e.g. 1) or a word (e.g. run-a), got '${s}': a number written otherwise would be hashed as a string, a different seed`);
  }
  return s;
}

/** A number option (undefined when absent). */
export function numberOption(value: unknown, name: string, min = -Infinity): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n) || n < min) throw usageError(`--${name} must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got '${s}'`);
  return n;
}

/** A comma-separated list of numbers (e.g. a constant input). */
export function vectorOption(value: unknown, name: string): Float64Array | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',');
  const out = new Float64Array(parts.length);
  parts.forEach((p, i) => {
    const n = Number(p);
    if (p.trim() === '' || !Number.isFinite(n)) throw usageError(`--${name} must be comma-separated finite numbers, got '${String(value)}'`);
    out[i] = n;
  });
  return out;
}

/** A number for a table: fixed 6 significant digits, NaN and ±Infinity spelled out. */
export function fmt(x: number, digits = 6): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e6) return x.toFixed(Math.max(0, digits - 1 - Math.floor(Math.log10(a))));
  return x.toExponential(digits - 1);
}

/**
 * How the CLI's JSON spells a number JSON has no literal for: the strings "NaN", "Infinity" and
 * "-Infinity" (JavaScript's own names: `Number(s)`, Python's `float(s)` and NumPy's float
 * conversion read them back). A −∞ exponent (an exact zero of the Jacobian, e.g. a dead ReLU unit) and
 * a NaN (undefined or failed) are different results and stay different; `null` is left for a field
 * that has no value (no training loss before training, no accuracy for a regression task).
 * Finite numbers are written as JSON.stringify writes them.
 */
export function nonFinite(x: number): 'NaN' | 'Infinity' | '-Infinity' {
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** JSON of typed arrays as plain arrays; non-finite numbers as the strings of {@link nonFinite}. */
export function toJson(value: unknown, indent?: number): string {
  const num = (x: number): number | string => (Number.isFinite(x) ? x : nonFinite(x));
  return JSON.stringify(value, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, num);
    if (typeof v === 'number') return num(v);
    return v;
  }, indent);
}

/** A progress bar on stderr, drawn only when stderr is a terminal; at most every 100 ms. */
export function progressBar(io: CliIo, label: string): { update(done: number, total: number, note?: string): void; end(): void } {
  if (!io.stderrIsTTY) return { update() {}, end() {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total, note = '') {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const width = Math.max(10, Math.min(40, (io.columns ?? 80) - label.length - note.length - 12));
      const full = Math.round(frac * width);
      io.stderr(`\r${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(100 * frac).toFixed(0).padStart(3)}% ${note}`);
      drawn = true;
    },
    end() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}

/** Why an output file cannot be written, as the user can act on it. */
function outputProblem(err: unknown, path: string, shown: string, linkedTo?: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EISDIR' || (existsSync(path) && statSync(path).isDirectory())) return `'${shown}' is a directory: give a file name (e.g. ${shown.replace(/\/+$/, '')}/results.jsonl)`;
  if ((code === 'ENOENT' || code === 'ENOTDIR') && linkedTo !== undefined) return `it is a symbolic link to '${linkedTo}', whose folder does not exist: create it first (mkdir -p ${dirname(linkedTo)})`;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `the folder '${dirname(shown)}' does not exist: create it first (mkdir -p ${dirname(shown)})`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `permission denied: choose a writable place for it`;
  return (err as Error).message.split('\n')[0];
}

/**
 * Checks that `path` (`shown`: as the user wrote it) can be appended to, before any work is done:
 * a missing folder or a directory is found now, not after the first hours of a sweep.
 */
export function checkAppendable(path: string, shown: string, flag = '--out'): void {
  try {
    const existed = existsSync(path);
    closeSync(openSync(path, 'a'));
    // a file made only for the check is removed again: a run that then writes nothing leaves nothing
    if (!existed) unlinkSync(path);
  } catch (err) {
    throw new CliError(`cannot write ${flag} '${shown}': ${outputProblem(err, path, shown)}`);
  }
}

/**
 * The file that writing `path` lands in: `path` itself, or the end of its chain of symbolic links
 * (which need not exist yet: a dangling link's target is created). Renaming a temporary file over
 * `path` would replace the link with a regular file and leave its target stale.
 */
export function writeTarget(path: string): string {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(p).isSymbolicLink()) return p;
      link = readlinkSync(p);
    } catch {
      return p; // nothing there: the file is created at p
    }
    p = resolve(dirname(p), link);
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

/**
 * Writes `text` to `path` whole or not at all: a temporary file beside the file written (a symbolic
 * link's target, which keeps its link and its permission bits), then renamed over it.
 */
export function writeWhole(path: string, shown: string, text: string, flag = '--out'): void {
  let target = path, tmp: string | undefined;
  try {
    target = writeTarget(path);
    const existing = existsSync(target) ? statSync(target) : undefined;
    if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    if (existing !== undefined) chmodSync(tmp, existing.mode & 0o7777);
    renameSync(tmp, target);
  } catch (err) {
    try {
      if (tmp !== undefined) unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new CliError(`cannot write ${flag} '${shown}': ${outputProblem(err, target, shown, target === path ? undefined : target)}`);
  }
}
