/**
 * Reading option bags safely: own properties only, each read once, into a null-prototype object, so
 * a polluted `Object.prototype` (`Object.prototype.out = …`) or a getter that changes between reads
 * cannot reach a computation. `signal` and `onProgress`, when present, are validated before any work.
 *
 * Internal to the library (exported from `src/core/options.ts`, not from the public surface): every
 * public function with an options argument starts with `readOptions(opts, 'caller')`.
 */
import type { AbortSignalLike } from './errors.js';

/** The options as read: the same fields, own properties only, on a null-prototype object. */
export type ReadOptions<T> = { [K in keyof T]?: T[K] };

/**
 * Copies the own enumerable properties of `opts` (each read exactly once) into a fresh
 * null-prototype object, applying the library's one rule for options:
 *
 * - an options argument of `undefined` **or `null`** means every option at its default (as WebIDL
 *   dictionaries treat them), in every folder;
 * - anything else that is not a plain object (an array, a number, a string, a function) is a
 *   TypeError naming `caller` and `arg`;
 * - inside the bag only `undefined` (or leaving the key out) means "default": an option set to
 *   `null` is a TypeError naming `arg.key` ("omit it for the default"), unless the option documents
 *   `null` as a value of its own and is listed in `nullable`;
 * - a present `signal` must look like an AbortSignal (`{ aborted: boolean }`) and a present
 *   `onProgress` must be a function (TypeError otherwise), so a bad one is refused before any work.
 *
 * @param opts - the caller's options argument.
 * @param caller - the public function's name, used in error messages.
 * @param arg - the argument's name in messages (default 'opts').
 * @param nullable - keys whose documented values include `null` (they pass through as null).
 * @example
 * ```ts
 * const o = readOptions(opts, 'matmul');     // o.out is undefined even if Object.prototype.out is set
 * const transA = o.transA ?? false;
 * readOptions(null, 'matmul');               // {}: every option at its default
 * readOptions({ k: null }, 'pca');           // TypeError: pca: opts.k must not be null (omit it for the default)
 * ```
 */
export function readOptions<T extends object>(opts: T | null | undefined, caller: string, arg = 'opts', nullable: readonly string[] = []): ReadOptions<T> {
  const out = readOwnOptions(opts, caller, arg, nullable) as Record<string, unknown>;
  if (out.signal !== undefined) checkSignal(out.signal, `${caller}: ${arg}.signal`);
  if (out.onProgress !== undefined && typeof out.onProgress !== 'function') {
    throw new TypeError(`${caller}: ${arg}.onProgress must be a function, got ${kindOf(out.onProgress)}`);
  }
  return out as ReadOptions<T>;
}

/**
 * The options rule of {@link readOptions} without its `signal`/`onProgress` checks, for callers that
 * check those themselves (the long-run helpers of lyapunov and geometry, through `ownOptions`).
 *
 * @example
 * ```ts
 * const o = readOwnOptions(opts, 'lyapunovSpectrum'); // null → {}, { k: null } → TypeError
 * ```
 */
export function readOwnOptions<T extends object>(opts: T | null | undefined, caller: string, arg = 'opts', nullable: readonly string[] = []): ReadOptions<T> {
  const out = Object.create(null) as Record<string, unknown>;
  if (opts === undefined || opts === null) return out as ReadOptions<T>;
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    const kind = Array.isArray(opts) ? 'an array' : typeof opts;
    throw new TypeError(`${caller}: ${arg} must be an object of options, got ${kind}`);
  }
  for (const key of Object.keys(opts)) {
    const v = (opts as Record<string, unknown>)[key];
    if (v === null && !nullable.includes(key)) {
      throw new TypeError(`${caller}: ${arg}.${key} must not be null (omit it, or pass undefined, for the default)`);
    }
    out[key] = v;
  }
  return out as ReadOptions<T>;
}

/**
 * Throws a TypeError unless `signal` looks like an AbortSignal: an object with a boolean `aborted`.
 *
 * @example
 * ```ts
 * checkSignal(new AbortController().signal, 'myFn: signal'); // ok
 * checkSignal('x', 'myFn: signal');                          // TypeError
 * ```
 */
export function checkSignal(signal: unknown, name: string): asserts signal is AbortSignalLike {
  if (signal === null || typeof signal !== 'object' || typeof (signal as { aborted?: unknown }).aborted !== 'boolean') {
    throw new TypeError(`${name}: expected an AbortSignal (an object with a boolean 'aborted'), got ${kindOf(signal)}`);
  }
}

/**
 * A short description of a value's kind for error messages: 'null', 'array', a class name, or typeof.
 *
 * @example
 * ```ts
 * kindOf(new Uint8Array(2)); // 'Uint8Array'
 * ```
 */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v !== 'object') return typeof v;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/**
 * One of `choices` (strings): `fallback` when `v` is undefined (with no fallback, undefined is
 * refused like another kind: a required argument), a TypeError for another kind, a RangeError for
 * another string, both as `where: expected <expected>, got <actual>` (a string quoted, anything
 * else by {@link kindOf}); `expected` defaults to the quoted list of choices. The one reader of
 * such options outside src/plot (which may not import core at runtime and keeps a copy).
 *
 * @example
 * ```ts
 * readChoice(o.mds, ['metric', 'classic'] as const, 'metric', 'phate: mds'); // 'metric' when absent
 * readChoice('x', ['a', 'b'] as const, 'a', 'f: opt'); // RangeError: f: opt: expected one of 'a', 'b', got 'x'
 * ```
 */
export function readChoice<C extends string>(v: unknown, choices: readonly C[], fallback: C | undefined, where: string, expected = `one of ${choices.map((c) => `'${c}'`).join(', ')}`): C {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string') throw new TypeError(`${where}: expected ${expected}, got ${kindOf(v)}`);
  if (!(choices as readonly string[]).includes(v)) throw new RangeError(`${where}: expected ${expected}, got '${v}'`);
  return v as C;
}

type Clock = { performance?: { now(): number } };

/** Milliseconds from a monotonic clock when there is one (performance.now), else Date.now. */
export function nowMs(): number {
  const p = (globalThis as Clock).performance;
  return p !== undefined && typeof p.now === 'function' ? p.now() : Date.now();
}

/** The progress payload every long computation reports, extended by each with its own fields. */
export interface Progress {
  phase?: string;
  done: number;
  total: number;
}

/**
 * A progress point for long loops: `tick(done, extra?)` checks `signal` (throwing its reason once
 * aborted) and calls `onProgress` when at least `intervalMs` (default 100) have passed since the last
 * report, and always for the last unit (`done === total`). `extra` is called only when a report is due.
 *
 * @example
 * ```ts
 * const tick = progressPoint(o.onProgress, o.signal, 'evaluate', total);
 * for (let i = 0; i < total; i++) { work(i); tick(i + 1); }
 * ```
 */
export function progressPoint<E extends object = object>(
  onProgress: ((p: Progress & E) => void) | undefined,
  signal: AbortSignalLike | undefined,
  caller: string,
  total: number,
  opts: { phase?: string; intervalMs?: number } = {},
): (done: number, extra?: () => E) => void {
  const interval = opts.intervalMs ?? 100;
  let last = nowMs();
  return (done, extra) => {
    if (signal !== undefined && signal.aborted) {
      const reason = signal.reason;
      if (reason instanceof Error) throw reason;
      const err = new Error(`${caller}: aborted`);
      err.name = 'AbortError';
      throw err;
    }
    if (onProgress === undefined) return;
    const t = nowMs();
    if (t - last < interval && done !== total) return;
    last = t;
    const p = { ...(extra !== undefined ? extra() : ({} as E)), done, total } as Progress & E;
    if (opts.phase !== undefined) p.phase = opts.phase;
    onProgress(p);
  };
}

/** Every key of every member of a union (`keyof (A | B)` is only the keys they share). */
type AllKeys<T> = T extends unknown ? keyof T : never;

/**
 * The options a public function knows, made by {@link optionKeys} from its options interface, for
 * {@link checkOptionKeys}. `tensorOption` names the option a tensor passed in place of the whole bag
 * most likely belongs to (`inputs` for lyapunovSpectrum), for the hint of that mistake.
 */
export interface KnownOptions {
  readonly keys: readonly string[];
  readonly tensorOption?: string;
}

/**
 * The known options of an options interface `T`, as a record with one `true` per key: the record's
 * type is `Record<keyof T, true>`, so a key missing from it, or one that `T` does not have, is a
 * compile error, and the list cannot drift from the interface.
 *
 * @example
 * ```ts
 * const PCA_KEYS = optionKeys<PcaOptions>({ components: true, varianceFraction: true, dim: true });
 * optionKeys<PcaOptions>({ components: true });            // compile error: varianceFraction, dim missing
 * ```
 */
export function optionKeys<T extends object>(keys: Record<AllKeys<T>, true>, tensorOption?: AllKeys<T> & string): KnownOptions {
  const list = Object.freeze(Object.keys(keys));
  return Object.freeze(tensorOption === undefined ? { keys: list } : { keys: list, tensorOption });
}

/**
 * Common names of other libraries (PyTorch, scikit-learn, Python conventions) and what they mean
 * here: the first candidate that the function knows is suggested. Keys are normalised (see `norm`).
 */
const ALIASES: Record<string, readonly string[]> = {
  lr: ['learningRate'], learningrate: ['lr'], eta: ['learningRate'], stepsize: ['learningRate'],
  epoch: ['epochs'], nepochs: ['epochs'], numepochs: ['epochs'], maxepochs: ['epochs'],
  batchsize: ['batchSize', 'batch'], batch: ['batchSize'], bs: ['batchSize', 'batch'],
  clip: ['clipNorm'], gradclip: ['clipNorm'], clipgrad: ['clipNorm'], clipgradnorm: ['clipNorm'], maxnorm: ['clipNorm'], gradientclipval: ['clipNorm'],
  ncomponents: ['k', 'components', 'dims'], numcomponents: ['k', 'components', 'dims'], ndims: ['dims', 'components', 'k'], ndim: ['dim'],
  randomstate: ['seed'], randomseed: ['seed'], manualseed: ['seed'],
  g: ['gain'], nonlinearity: ['activation'], act: ['activation'],
  nneighbors: ['knn', 'k'], nneighbours: ['knn', 'k'], kneighbors: ['knn', 'k'],
  maxiter: ['maxIterations', 'iterations'], niter: ['iterations', 'maxIterations'], maxiters: ['maxIterations', 'iterations'], iters: ['iterations', 'maxIterations'],
  tol: ['tolerance'], atol: ['tolerance'],
  burnin: ['warmup'], transient: ['warmup'], nsteps: ['steps'], numsteps: ['steps'], seqlen: ['steps'], sequencelength: ['steps'],
  prob: ['pFlip'], p: ['pFlip'], flipprob: ['pFlip'], nbits: ['bits'], numbits: ['bits'],
  worker: ['workers'], nworkers: ['workers'], numworkers: ['workers'], njobs: ['workers'], threads: ['workers'],
  input: ['inputs'], x: ['inputs'], h: ['h0', 'x0'], hidden: ['h0'], initialstate: ['x0', 'h0'], nstarts: ['nStarts'], starts: ['nStarts'],
  callback: ['onProgress'], progress: ['onProgress'], abort: ['signal'], abortsignal: ['signal'],
};

/** A key without case and without `_` / `-`: snake_case, kebab-case and camelCase compare equal. */
function norm(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** Optimal-string-alignment distance (edits and adjacent transpositions), or `limit + 1` beyond `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return Math.min(prev[b.length], limit + 1);
}

/**
 * The known option that `key` most likely means, or undefined: the same letters ignoring case and
 * `_`/`-`; else a common name of another library ({@link ALIASES}); else the one known option within
 * two edits (one for keys of up to three letters; none when two are equally close).
 */
export function suggestOption(key: string, known: readonly string[]): string | undefined {
  const k = norm(key);
  const same = known.find((c) => norm(c) === k);
  if (same !== undefined) return same;
  const alias = (ALIASES[k] ?? []).find((c) => known.includes(c));
  if (alias !== undefined) return alias;
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const c of known) {
    const n = norm(c);
    const limit = Math.max(k.length, n.length) <= 3 ? 1 : 2;
    const d = editDistance(k, n, limit);
    if (d > limit || 2 * d >= Math.max(k.length, n.length)) continue;
    if (d < bestD) [best, bestD, tie] = [c, d, false];
    else if (d === bestD) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * Refuses an options bag with an own key that `known` does not list, so a misspelled option
 * (`epoch`, `lr`, `n_components`) is an error instead of silently running with the default: a
 * RangeError naming `caller`, `arg` and each unknown key, with the known option it most likely means
 * ({@link suggestOption}) or, when there is no good guess, the list of known options. A bag that
 * looks like a tensor (`{ shape, data }`, passed where the options go) is a TypeError saying so.
 * Call it on what {@link readOptions} returned (own enumerable keys; inherited ones never count).
 *
 * @example
 * ```ts
 * checkOptionKeys({ epoch: 3 }, TRAIN_KEYS, 'train'); // RangeError: train: unknown option opts.epoch (did you mean epochs?)
 * ```
 */
export function checkOptionKeys(opts: object, known: KnownOptions, caller: string, arg = 'opts'): void {
  const keys = Object.keys(opts);
  const unknown = keys.filter((k) => !known.keys.includes(k));
  if (unknown.length === 0) return;
  if (unknown.includes('shape') && unknown.includes('data')) {
    const hint = known.tensorOption !== undefined ? `; pass it as { ${known.tensorOption}: x }` : '';
    throw new TypeError(`${caller}: ${arg} looks like a tensor ({ shape, data }), not an object of options${hint}`);
  }
  let guessed = true;
  const parts = unknown.map((k) => {
    const s = suggestOption(k, known.keys);
    if (s === undefined) guessed = false;
    return `${arg}.${k}${s !== undefined ? ` (did you mean ${s}?)` : ''}`;
  });
  const list = guessed ? '' : `; the options of ${caller} are ${known.keys.length > 0 ? known.keys.join(', ') : 'none'}`;
  throw new RangeError(`${caller}: unknown option${unknown.length > 1 ? 's' : ''} ${parts.join(', ')}${list}`);
}

/**
 * Refuses an options bag that gives two options of which only one can be used, so neither is
 * silently dropped: a RangeError naming `caller` and both keys (`opts.a`, `opts.b`). With
 * `alias: true` the two are names of one option (a deprecated name and its successor): both may
 * then be given when their values are the same (`Object.is`), since nothing is dropped. `hint`
 * ends the message (what each one means). Call it on what {@link readOptions} returned.
 *
 * @example
 * ```ts
 * checkExclusive({ inputs: x, input: [0] }, 'inputs', 'input', 'lyapunovSpectrum');
 * // RangeError: lyapunovSpectrum: give either opts.inputs or opts.input, not both
 * checkExclusive({ warmup: 5, transient: 5 }, 'warmup', 'transient', 'detectLimitCycle', { alias: true }); // ok
 * ```
 */
export function checkExclusive(opts: object, a: string, b: string, caller: string, how: { arg?: string; alias?: boolean; hint?: string } = {}): void {
  const o = opts as Record<string, unknown>;
  const va = o[a];
  const vb = o[b];
  if (va === undefined || vb === undefined) return;
  if (how.alias === true && Object.is(va, vb)) return;
  const arg = how.arg ?? 'opts';
  const got = how.alias === true ? ` (got ${arg}.${a} = ${brief(va)} and ${arg}.${b} = ${brief(vb)}; ${b} is another name of ${a})` : '';
  throw new RangeError(`${caller}: give either ${arg}.${a} or ${arg}.${b}, not both${got}${how.hint !== undefined ? `; ${how.hint}` : ''}`);
}

/** A value for a message: a number or short string as it is, anything else by its kind. */
function brief(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return kindOf(v);
}
