// One fuzz case run and judged: the call's outcome against the contract (error class, a message that
// names the function and the argument, finite results, the caller's data unchanged).
import type { Case } from './cases.js';
import type { Lib } from './specs.js';

export type Problem =
  | 'hang'
  | 'engine error'
  | 'silent NaN'
  | 'wrong class'
  | 'bad value accepted'
  | 'data mutated'
  | 'message'
  | 'valid rejected'
  | 'pollution read';

export interface Outcome {
  id: string;
  problem: Problem | null;
  detail: string;
}

/** A comparable picture of a value: typed arrays by content (NaN-safe), objects by own keys. */
export function snapshot(v: unknown, depth = 0, seen = new Set<unknown>()): string {
  if (depth > 6) return '…';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v !== 'object' || v === null) return typeof v === 'function' ? 'fn' : typeof v === 'symbol' ? 'sym' : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? 'undefined';
  if (seen.has(v)) return '<cycle>';
  seen.add(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${Array.from(v as unknown as ArrayLike<number>, (x) => snapshot(x)).join(',')})`;
  if (v instanceof ArrayBuffer) return `ArrayBuffer(${new Uint8Array(v).join(',')})`;
  if (typeof AbortSignal !== 'undefined' && v instanceof AbortSignal) return 'signal';
  if (Array.isArray(v)) return `[${v.map((x) => snapshot(x, depth + 1, seen)).join(',')}]`;
  // wall-clock fields (train's timeMs) differ between two identical calls
  return `{${Object.keys(v).filter((k) => k !== 'timeMs').sort().map((k) => `${k}:${snapshot((v as Record<string, unknown>)[k], depth + 1, seen)}`).join(',')}}`;
}

/** The first NaN or ±Infinity in a result, as a path; '' when all finite. */
export function nonFinite(v: unknown, path = 'result', depth = 0, seen = new Set<unknown>()): string {
  if (typeof v === 'number') return Number.isFinite(v) ? '' : `${path} = ${v}`;
  if (typeof v !== 'object' || v === null || depth > 5 || seen.has(v)) return '';
  seen.add(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (typeof a[i] === 'number' && !Number.isFinite(a[i])) return `${path}[${i}] = ${a[i]}`;
    return '';
  }
  for (const k of Object.keys(v)) {
    if (k === 'stderr') continue; // Infinity: the documented "not known yet" of a standard error
    const r = nonFinite((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1, seen);
    if (r) return r;
  }
  return '';
}

const ENGINE = /Cannot read propert|Cannot convert|is not a function|is not iterable|is not a constructor|Invalid array length|Invalid typed array length|Array buffer allocation failed|Maximum call stack|out of memory|Cannot create property|Cannot use 'in'|undefined is not|null is not|Offset is outside|Start offset|Invalid count value|BigInt/;

function callee(L: Lib, c: Case): (...a: unknown[]) => unknown {
  if (c.spec.fn) return c.spec.fn(L);
  const path = c.spec.name.split('.');
  let f: unknown = L;
  for (const p of path) f = (f as Record<string, unknown>)[p];
  return f as (...a: unknown[]) => unknown;
}

async function invoke(L: Lib, c: Case, args: unknown[]): Promise<{ result?: unknown; error?: unknown }> {
  try {
    const fn = callee(L, c);
    let result = fn(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') result = await result;
    // a returned system must step: a bad parameter can hide until then
    if (result && typeof result === 'object' && typeof (result as { step?: unknown }).step === 'function' && typeof (result as { dim?: unknown }).dim === 'number') {
      const s = result as { dim: number; step: (x: Float64Array, t: number, o: Float64Array) => void };
      if (s.dim > 0 && s.dim < 1e4) {
        const x = new Float64Array(s.dim).fill(0.1), o = new Float64Array(s.dim);
        s.step(x, 0, o);
        return { result: { system: result, step: o } };
      }
    }
    return { result };
  } catch (error) {
    return { error };
  }
}

export async function runCase(L: Lib, c: Case): Promise<Outcome> {
  const { args, pollute } = c.build(L);
  const before = snapshot(args);
  let clean: string | undefined;
  if (pollute) clean = snapshot((await invoke(L, c, c.build(L).args)).result);
  const proto = Object.prototype as unknown as Record<string, unknown>;
  if (pollute) Object.defineProperty(Object.prototype, pollute[0], { value: pollute[1], configurable: true, writable: true, enumerable: false });
  let r: { result?: unknown; error?: unknown };
  try {
    r = await invoke(L, c, args);
  } finally {
    if (pollute) delete proto[pollute[0]];
  }
  const mutated = snapshot(args) !== before;
  const name = c.spec.messageName ?? c.name.replace(/\(.*$/, '').replace(/^estimator\./, '').replace(/^ad\./, '');
  const out = (problem: Problem | null, detail: string): Outcome => ({ id: c.id, problem, detail: detail.slice(0, 300) });
  if ('error' in r) {
    const e = r.error as Error;
    const msg = e instanceof Error ? `${e.constructor.name}: ${e.message}` : `thrown ${String(e)}`;
    if (c.expect === 'clean') return out('pollution read', msg);
    const ours = (e instanceof TypeError || e instanceof RangeError) && !ENGINE.test(e.message);
    if (!ours) return out('engine error', msg);
    if (c.expect === 'ok') return out('valid rejected', msg);
    if (!e.message.includes(name)) return out('message', `does not name '${name}': ${msg}`);
    if (mutated) return out('data mutated', msg);
    if (c.expect !== 'either' && e.constructor.name !== c.expect) return out('wrong class', `expected ${c.expect}, got ${msg}`);
    if (c.arg && !e.message.includes(c.arg)) return out('message', `does not name '${c.arg}': ${msg}`);
    return out(null, msg);
  }
  const nf = nonFinite(r.result);
  if (c.expect === 'clean') {
    const now = snapshot(r.result);
    return now === clean ? out(null, 'same as unpolluted') : out('pollution read', 'result differs from the unpolluted call');
  }
  if (nf) return out('silent NaN', nf);
  if (c.expect === 'ok' || c.expect === 'either') return out(null, 'ok');
  if (mutated) return out('data mutated', 'no error, and the input changed');
  return out('bad value accepted', `expected ${c.expect}, returned normally`);
}
