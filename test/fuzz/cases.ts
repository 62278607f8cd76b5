// The fuzz cases: for every spec and argument slot, values of the four categories, with the outcome
// the contract names. Bad values come from fast-check arbitraries sampled with a fixed seed, so case
// ids and values are the same on every run.
import fc from 'fast-check';
import { OPTION_KEYS } from './known-options.js';
import { SPECS, type Expect, type Folder, type Lib, type OptKind, type Slot, type Spec } from './specs.js';

export type Category = 'kinds' | 'values' | 'non-finite' | 'options';
/** TypeError / RangeError: that class; 'either': defaults or a TypeError/RangeError naming the argument; 'ok': must succeed, finite; 'clean': same result as without the pollution. */
export type { Expect } from './specs.js';

export interface Case {
  id: string;
  folder: Folder;
  name: string;
  category: Category;
  expect: Expect;
  /** The argument the message must name ('' when no single argument is at fault). */
  arg: string;
  build: (L: Lib) => { args: unknown[]; pollute?: [string, unknown] };
  spec: Spec;
}

const SEED = 20261201;
const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt: number): T[] => fc.sample(arb, { seed: SEED + salt, numRuns: n });

/** Values of the wrong kind for each slot kind (never undefined: that is "left out"). */
const notNumber = fc.oneof(fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant([1]), fc.bigInt({ min: 0n, max: 9n }));
const notObject = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null), fc.bigInt({ min: 0n, max: 9n }));
function wrongKinds(kind: Slot['kind']): unknown[] {
  switch (kind) {
    case 'int': case 'num': return [...sample(notNumber, 3, 1), '3', true, null];
    case 'string': return [42, null, {}, true, Symbol('s')];
    case 'fn': return ['f', 42, {}, null];
    case 'shape': return ['2,3', 6, null, [2, '3'], { length: 2 }];
    case 'opts': return ['opts', 42, true];
    case 'bytes': return ['bytes', 42, null, [1, 2]];
    default: return [...sample(notObject, 3, 2), 'x', 42, null, true];
  }
}

const oneRow = (L: Lib, t: any) => ({ shape: t.shape, data: t.data });
/** Nested arrays of numbers as a Tensor-like `{ shape, data }` (the valid call of classicalMds passes number[][]). */
function asTensorLike(v: unknown): { shape: number[]; data: Float32Array } | undefined {
  if (!Array.isArray(v)) return undefined;
  const shape: number[] = [];
  for (let x: unknown = v; Array.isArray(x); x = x[0]) shape.push(x.length);
  return { shape, data: Float32Array.from((v as unknown[]).flat(Infinity) as number[]) };
}
function wrongValues(L: Lib, slot: Slot, valid: any): unknown[] {
  switch (slot.kind) {
    case 'int': return slot.negativeIndex ? [-1000, 2.5, 1e12] : [-1, 2.5, 1e12];
    // with a free dimension, [-1, 2] is valid (see the 'ok' case in casesOf); two free dimensions are not
    case 'shape': return slot.freeDim ? [[-1, -1], [1.5, 2], [1e6, 1e6, 1e6]] : [[-1, 2], [1.5, 2], [1e6, 1e6, 1e6]];
    case 'tensor': case 'points': {
      // a slot whose valid value is nested arrays gets the same wrong shapes as a Tensor-like { shape, data }
      // (before, it got no values at all and the five cases called the function with `undefined`)
      const t = asTensorLike(valid) ?? valid;
      if (!t || typeof t !== 'object' || !Array.isArray(t.shape)) return [];
      const n = t.data.length;
      return [
        { shape: t.shape, data: new Float32Array(Math.max(0, n - 1)) }, // data shorter than the shape
        { shape: [...t.shape.slice(0, -1), -t.shape.at(-1)], data: t.data.slice() }, // negative dim
        { shape: [n / 2, 2.5].map((v) => v), data: t.data.slice() }, // non-integer dim
        // wrong rank: a rank-1 value becomes [1, n] (flattening it to [n] would be the same shape)
        { shape: t.shape.length === 1 ? [1, n] : [n], data: t.data.slice() },
        oneRow(L, { shape: [...t.shape.slice(0, -1), 1e9], data: t.data }), // a dim that cannot fit
      ];
    }
    default: return [];
  }
}

function withNonFinite(valid: any, v: number): unknown {
  if (Array.isArray(valid)) {
    const c = structuredClone(valid);
    let x: any = c;
    while (Array.isArray(x[0])) x = x[0];
    x[0] = v;
    return c;
  }
  if (valid && ArrayBuffer.isView(valid)) { const c = (valid as Float64Array).slice(); c[0] = v; return c; }
  if (valid && valid.data && ArrayBuffer.isView(valid.data)) { const d = valid.data.slice(); d[0] = v; return { shape: valid.shape.slice(), data: d }; }
  return undefined;
}

function badOption(kind: OptKind): { values: unknown[]; expect: Expect }[] {
  switch (kind) {
    case 'int': return [{ values: ['3', null], expect: 'TypeError' }, { values: [-1, 0.5, 1e12], expect: 'RangeError' }, { values: [NaN, Infinity], expect: 'RangeError' }];
    case 'num': return [{ values: ['3', {}], expect: 'TypeError' }, { values: [NaN, Infinity, -Infinity], expect: 'RangeError' }];
    case 'seed': return [{ values: [{}, true], expect: 'TypeError' }, { values: [NaN, Infinity], expect: 'RangeError' }];
    case 'rng': return [{ values: ['rng', 42], expect: 'TypeError' }, { values: [() => 1.5, () => NaN, () => -0.5], expect: 'RangeError' }, { values: [() => 0], expect: 'ok' }];
    case 'rngLazy': return [{ values: ['rng', 42], expect: 'TypeError' }, { values: [() => 0], expect: 'ok' }];
    case 'signal': return [{ values: ['x', 42, {}], expect: 'TypeError' }];
    case 'fn': return [{ values: ['x', 42], expect: 'TypeError' }];
    case 'bool': return [{ values: ['yes', 1], expect: 'TypeError' }];
    case 'string': return [{ values: [42, null], expect: 'TypeError' }, { values: ['nonsense'], expect: 'RangeError' }];
    case 'out': return [{ values: ['out', 42], expect: 'TypeError' }, { values: [{ shape: [1], data: new Float32Array(1) }], expect: 'RangeError' }];
    // an upper bound on a count, like Array.prototype.slice's end: beyond what exists (or Infinity) means "all"
    case 'bound': return [{ values: ['3', null], expect: 'TypeError' }, { values: [-1, 0.5, NaN], expect: 'RangeError' }, { values: [1e12, Infinity], expect: 'ok' }];
    // free text: any string is valid, so only other kinds are wrong
    case 'text': return [{ values: [42, null, {}, ['t']], expect: 'TypeError' }, { values: ['', 'λ (per unit time)'], expect: 'ok' }];
    case 'pair': return [{ values: ['x', 42, [0, '1']], expect: 'TypeError' }, { values: [[1, 0], [0, NaN], [0], [0, 1, 2]], expect: 'RangeError' }];
    case 'record': return [{ values: ['x', 42, true], expect: 'TypeError' }];
  }
}

/** What a polluted Object.prototype holds per option kind, to check it is never read. */
function pollution(kind: OptKind, L: Lib): unknown {
  switch (kind) {
    case 'int': return 1e12;
    case 'bound': return 3;
    case 'num': return NaN;
    case 'seed': return NaN;
    case 'rng': case 'rngLazy': return () => NaN;
    case 'signal': { const c = new AbortController(); c.abort(); return c.signal; }
    case 'fn': return () => { throw new Error('polluted callback called'); };
    case 'bool': return 'polluted';
    case 'string': return 'polluted';
    case 'out': return L.zeros([1]);
    case 'text': return 'polluted';
    case 'pair': return [0, 1];
    case 'record': return { points: [0, 0, 1, 1] };
  }
}

const describe = (v: unknown): string => {
  if (typeof v === 'function') return `fn:${String(v).replace(/\s+/g, '').slice(0, 16)}`;
  if (typeof v === 'symbol') return 'symbol';
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(describe).join(',')}]`.slice(0, 24);
  if (typeof v === 'object') {
    const o = v as { shape?: unknown };
    return Array.isArray(o.shape) ? `shape[${o.shape.join(',')}]` : 'object';
  }
  return typeof v === 'string' ? `'${v}'` : String(v);
};

function casesOf(spec: Spec): Case[] {
  const out: Case[] = [];
  const seen = new Set<string>();
  const add = (c: Omit<Case, 'folder' | 'name' | 'spec'>) => {
    let id = `${spec.name}/${c.id}`;
    for (let k = 2; seen.has(id); k++) id = `${spec.name}/${c.id}#${k}`;
    seen.add(id);
    out.push({ ...c, id, folder: spec.folder, name: spec.name, spec });
  };
  const replace = (i: number, v: unknown) => (L: Lib) => { const a = spec.args(L); a[i] = v; return { args: a }; };
  add({ id: 'valid', category: 'values', expect: 'ok', arg: '', build: (L) => ({ args: spec.args(L) }) });
  spec.slots.forEach((slot, i) => {
    for (const v of wrongKinds(slot.kind)) {
      if (v === null && slot.optional && slot.kind === 'opts') continue;
      // a kind the slot documents (a number for tensor(), a string seed) is judged as the spec says
      const documented = typeof v === 'number' || typeof v === 'string' ? slot.accepts?.[typeof v as 'number' | 'string'] : undefined;
      const expect = documented ?? 'TypeError';
      add({ id: `${slot.name}=${describe(v)}`, category: 'kinds', expect, arg: expect === 'ok' ? '' : slot.name, build: replace(i, v) });
    }
    if (slot.kind === 'tensor' || slot.kind === 'points') {
      for (let j = 0; j < 5; j++) {
        // shape3 is another rank: valid for a rank-agnostic function
        const expect = j === 3 && slot.anyRank ? 'ok' : 'RangeError';
        add({ id: `${slot.name}:shape${j}`, category: 'values', expect, arg: expect === 'ok' ? '' : slot.name, build: (L) => { const a = spec.args(L); a[i] = wrongValues(L, slot, a[i])[j]; return { args: a }; } });
      }
    } else {
      for (const v of wrongValues({}, slot, undefined)) add({ id: `${slot.name}=${describe(v)}`, category: 'values', expect: 'RangeError', arg: slot.name, build: replace(i, v) });
      // the documented forms that the generic bad values would otherwise count as wrong
      if (slot.freeDim) add({ id: `${slot.name}=[-1,2]`, category: 'values', expect: 'ok', arg: '', build: replace(i, [-1, 2]) });
      if (slot.negativeIndex) add({ id: `${slot.name}=-1`, category: 'values', expect: 'ok', arg: '', build: replace(i, -1) });
    }
    for (const [id, v, expect] of slot.variants?.(spec.args({} as Lib)[i]) ?? []) {
      add({ id, category: expect === 'TypeError' ? 'kinds' : 'values', expect, arg: slot.name, build: replace(i, v) });
    }
    if (slot.kind === 'num' || slot.kind === 'int') {
      for (const v of [NaN, Infinity, -Infinity]) add({ id: `${slot.name}=${v}`, category: 'non-finite', expect: 'RangeError', arg: slot.name, build: replace(i, v) });
    }
    if (slot.finite) {
      for (const v of [NaN, Infinity]) {
        add({ id: `${slot.name}:data=${v}`, category: 'non-finite', expect: 'RangeError', arg: slot.name, build: (L) => { const a = spec.args(L); a[i] = withNonFinite(a[i], v); return { args: a }; } });
      }
    }
    if (slot.kind === 'opts') {
      add({ id: `${slot.name}=null`, category: 'options', expect: slot.optional ? 'either' : 'TypeError', arg: slot.name, build: replace(i, null) });
      // an unknown (misspelled) key is a RangeError naming it, for every function that lists its options
      if (spec.name in OPTION_KEYS) {
        add({
          id: `${slot.name}.unknownOption`, category: 'options', expect: 'RangeError', arg: 'unknownOption',
          build: (L) => { const a = spec.args(L); a[i] = { ...(a[i] as object), unknownOption: 1 }; return { args: a }; },
        });
      }
      // seed and rng together are a TypeError (one would go unused): a case for either one drops the
      // other from the valid options (many valid calls pass a seed), and one case gives both
      const rival: Record<string, string> = { seed: 'rng', rng: 'seed' };
      if (slot.opts?.seed !== undefined && slot.opts?.rng !== undefined) {
        add({
          id: `${slot.name}.seed+rng`, category: 'options', expect: 'TypeError', arg: 'not both',
          build: (L) => { const a = spec.args(L); a[i] = { ...(a[i] as object), seed: 3, rng: () => 0.5 }; return { args: a }; },
        });
      }
      for (const [opt, kind] of Object.entries(slot.opts ?? {})) {
        for (const { values, expect } of badOption(kind)) {
          for (const v of values) {
            add({
              id: `${slot.name}.${opt}=${describe(v)}`, category: 'options', expect, arg: expect === 'ok' ? '' : opt,
              build: (L) => {
                const a = spec.args(L);
                const o: Record<string, unknown> = { ...(a[i] as object), [opt]: v };
                if (opt in rival) delete o[rival[opt]];
                a[i] = o;
                return { args: a };
              },
            });
          }
        }
        add({
          id: `Object.prototype.${opt}`, category: 'options', expect: 'clean', arg: '',
          build: (L) => ({ args: spec.args(L), pollute: [opt, pollution(kind, L)] }),
        });
      }
    }
  });
  return out;
}

export const CASES: Case[] = SPECS.flatMap(casesOf);
export const CASE_BY_ID = new Map(CASES.map((c) => [c.id, c]));
