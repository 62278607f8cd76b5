/**
 * How a system crosses to a pool's workers. Functions cannot cross threads, so a system goes as
 * plain data the worker makes it again from: an Rnn as it is; an example system of rnn-lyap/lyapunov
 * as its factory's name and arguments; and your own system as the ES module it comes from, through
 * {@link systemFromModule}: the module's URL, the factory's export name and its (plain-data)
 * arguments. No Node built-ins and no DOM types.
 */
import { isDynamicalSystem, type DynamicalSystem } from '../core/system.js';
import { dataIfMethodsUnchanged, exampleSystemSpec } from '../lyapunov/systems.js';
import { assertNoFunctions, EXAMPLE_SYSTEM_KEY, MODULE_SYSTEM_KEY } from './protocol.js';

// The WHATWG URL, typed here: the sources compile without DOM or Node types.
declare const URL: new (url: string) => { readonly href: string };
declare function structuredClone<T>(value: T): T;

/** How a system made by {@link systemFromModule} is made again in a worker. @internal */
export interface ModuleSystemSpec {
  url: string;
  exportName: string;
  args: unknown[];
  /** The system's own data properties as they are when it is sent. */
  data: Record<string, unknown>;
}

interface Made {
  url: string;
  exportName: string;
  args: unknown[];
  methods: Map<string, unknown>;
}
const MADE = new WeakMap<object, Made>();

async function make(url: string, exportName: string, args: unknown[], name: string): Promise<DynamicalSystem> {
  const mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  const factory = mod[exportName];
  if (typeof factory !== 'function') {
    throw new TypeError(`${name}: the module ${url} has no export '${exportName}' that is a function (its exports: ${Object.keys(mod).join(', ') || 'none'})`);
  }
  const sys: unknown = await (factory as (...a: unknown[]) => unknown)(...args);
  if (!isDynamicalSystem(sys)) {
    throw new TypeError(`${name}: ${url}#${exportName}(…) must return a DynamicalSystem ({ dim, step, jacobian }), got ${sys === null ? 'null' : typeof sys}`);
  }
  return sys;
}

/**
 * Imports the ES module at `url` (absolute: `new URL('./my-system.js', import.meta.url)`), calls its
 * export `exportName` (default `'default'`, sync or async) with `args`, and returns the system it
 * makes: an ordinary {@link DynamicalSystem} for the synchronous functions, which a pool's workers
 * can also run. They import the same module and call the same factory with a structured-clone copy
 * of `args` (taken now, so a factory that changes its arguments does not change what the workers
 * get), then set the system's own data properties as they are when a call sends it. So a pooled
 * call gives the synchronous result bit for bit, as long as the factory is deterministic. A system
 * whose methods were replaced after it was made is refused by the pool, as any object with methods
 * of its own is.
 *
 * Throws a TypeError for a URL that is not a string or URL, arguments that are not plain data
 * (functions cannot cross threads), a missing export or a factory that returns no system, and a
 * RangeError for a URL that is not absolute.
 *
 * @example
 * ```ts
 * import { createPool, systemFromModule } from 'rnn-lyap/parallel';
 * import { lyapunovSpectrum } from 'rnn-lyap/lyapunov';
 * // my-system.js: export function makeRing(n, coupling) { return { dim: n, step(x, t, out) {…}, jacobian(x, t, out) {…} }; }
 * const ring = await systemFromModule(new URL('./my-system.js', import.meta.url), 'makeRing', 40, 0.3);
 * const pool = createPool({ workers: 2 });
 * const [a, b] = await pool.map('lyapunovSpectrum', [[ring, { seed: 1 }], [ring, { seed: 2 }]]);
 * lyapunovSpectrum(ring, { seed: 1 }); // the same as a, bit for bit
 * await pool.close();
 * ```
 */
export async function systemFromModule(url: string | { readonly href: string }, exportName = 'default', ...args: unknown[]): Promise<DynamicalSystem> {
  const name = 'systemFromModule';
  const raw = typeof url === 'string' ? url : url !== null && typeof url === 'object' && typeof url.href === 'string' ? url.href : undefined;
  if (raw === undefined) throw new TypeError(`${name}: url must be a string or a URL, got ${url === null ? 'null' : typeof url}`);
  let href: string;
  try {
    href = new URL(raw).href;
  } catch {
    throw new RangeError(`${name}: url must be absolute, so that every worker finds the same module (e.g. new URL('./my-system.js', import.meta.url)), got '${raw}'`);
  }
  if (typeof exportName !== 'string') throw new TypeError(`${name}: exportName must be a string, got ${exportName === null ? 'null' : typeof exportName}`);
  assertNoFunctions(args, 'args', name, [], 8);
  const copy = structuredClone(args);
  const sys = await make(href, exportName, args, name);
  const methods = new Map<string, unknown>();
  for (const k of Object.keys(sys)) {
    const v = (sys as unknown as Record<string, unknown>)[k];
    if (typeof v === 'function') methods.set(k, v);
  }
  MADE.set(sys, { url: href, exportName, args: copy, methods });
  return sys;
}

/** The spec of a system made by {@link systemFromModule} whose own methods are unchanged, else undefined. */
function moduleSystemSpec(sys: unknown): ModuleSystemSpec | undefined {
  if (sys === null || typeof sys !== 'object') return undefined;
  const made = MADE.get(sys);
  if (made === undefined) return undefined;
  const data = dataIfMethodsUnchanged(sys, made.methods);
  return data === undefined ? undefined : { url: made.url, exportName: made.exportName, args: made.args, data };
}

/** The system a spec describes, made in the worker (the module imported there). @internal */
export async function systemFromModuleSpec(spec: ModuleSystemSpec): Promise<DynamicalSystem> {
  const sys = await make(spec.url, spec.exportName, spec.args, 'pool (making the system of systemFromModule in a worker)');
  return Object.assign(sys, spec.data);
}

/**
 * The system as it crosses to a worker: an Rnn (plain data) as it is; an example system of
 * rnn-lyap/lyapunov, or a system made by {@link systemFromModule}, with its methods untouched, as
 * the spec the worker makes it again from; any other object with methods is a TypeError. @internal
 */
export function sendableSystem(system: unknown, what: string): unknown {
  const spec = exampleSystemSpec(system);
  if (spec !== undefined) {
    assertNoFunctions(spec.data, 'system', `pool.${what}`);
    return { [EXAMPLE_SYSTEM_KEY]: spec };
  }
  const mspec = moduleSystemSpec(system);
  if (mspec !== undefined) {
    assertNoFunctions(mspec.data, 'system', `pool.${what}`);
    return { [MODULE_SYSTEM_KEY]: mspec };
  }
  const o = system as Record<string, unknown> | null;
  if (o !== null && typeof o === 'object' && (typeof o.step === 'function' || typeof o.jacobian === 'function')) {
    throw new TypeError(
      `pool.${what}: system is a DynamicalSystem with methods of its own, and functions cannot cross to a worker thread; pass an Rnn (plain data), an example system (henonMap, logisticMap, linearMap, lorenz63, lorenz96 as made), your own system made by systemFromModule(url, exportName, ...args), or call ${what} synchronously`,
    );
  }
  assertNoFunctions(system, 'system', `pool.${what}`);
  return system;
}
