/**
 * Ready-made dynamical systems with known Lyapunov spectra: the Hénon and logistic maps, linear
 * (or periodically switched linear) maps, and RK4-discretized Lorenz-63 and Lorenz-96 flows with the
 * exact tangent map of the RK4 step.
 */
import { assertInteger, assertNumber, assertTensor, firstNonFinite, formatShape } from '../core/errors.js';
import type { DynamicalSystem } from '../core/system.js';
import type { Tensor } from '../core/tensor.js';
import type { KnownOptions } from '../core/options.js';
import { HENON_KEYS, LOGISTIC_KEYS, LORENZ63_KEYS, LORENZ96_KEYS, ownOptions } from './options.js';

/** A ready-made system: a {@link DynamicalSystem} with a sensible initial state and, for flows, its time step. */
export interface ExampleSystem extends DynamicalSystem {
  /** A state on (or attracted to) the system's attractor; `lyapunovSpectrum` starts here unless given `x0`. */
  readonly initialState: Float64Array;
  /** Time per step for a discretized flow; `lyapunovSpectrum` reports exponents per unit time with it. */
  readonly dt?: number;
}

function opt(o: unknown, name: string, keys: KnownOptions): Record<string, unknown> {
  // null options: every parameter at its default (the library's rule, as undefined)
  return ownOptions<Record<string, unknown>>(o ?? undefined, name, keys) as Record<string, unknown>;
}

/**
 * The Hénon map (x, y) ↦ (1 − a·x² + y, b·x); defaults a = 1.4, b = 0.3, whose exponents are
 * 0.4192 and −1.6232 per step (their sum is ln b exactly).
 *
 * @example
 * ```ts
 * lyapunovSpectrum(henonMap(), { steps: 100000 }).exponents; // ≈ [0.4192, -1.6232]
 * ```
 */
export function henonMap(opts: { a?: number; b?: number } = {}): ExampleSystem {
  return remember(makeHenonMap(opts), 'henonMap', opts);
}

function makeHenonMap(opts: { a?: number; b?: number } = {}): ExampleSystem {
  const o = opt(opts, 'henonMap', HENON_KEYS);
  const a = (o.a as number | undefined) ?? 1.4;
  const b = (o.b as number | undefined) ?? 0.3;
  assertNumber(a, 'henonMap: a');
  assertNumber(b, 'henonMap: b');
  return {
    dim: 2,
    initialState: new Float64Array([0, 0]),
    step(x, _t, out) {
      const x0 = x[0];
      out[0] = 1 - a * x0 * x0 + x[1];
      out[1] = b * x0;
    },
    jacobian(x, _t, out) {
      out[0] = -2 * a * x[0];
      out[1] = 1;
      out[2] = b;
      out[3] = 0;
    },
  };
}

/**
 * The logistic map x ↦ r·x·(1 − x); default r = 4, whose exponent is ln 2 per step.
 *
 * @example
 * ```ts
 * lyapunovSpectrum(logisticMap({ r: 4 })).exponents[0]; // ≈ 0.6931
 * ```
 */
export function logisticMap(opts: { r?: number } = {}): ExampleSystem {
  return remember(makeLogisticMap(opts), 'logisticMap', opts);
}

function makeLogisticMap(opts: { r?: number } = {}): ExampleSystem {
  const o = opt(opts, 'logisticMap', LOGISTIC_KEYS);
  const r = (o.r as number | undefined) ?? 4;
  assertNumber(r, 'logisticMap: r');
  return {
    dim: 1,
    initialState: new Float64Array([0.1]),
    step(x, _t, out) {
      out[0] = r * x[0] * (1 - x[0]);
    },
    jacobian(x, _t, out) {
      out[0] = r * (1 - 2 * x[0]);
    },
  };
}

type Nested2 = readonly (readonly number[])[];
type Nested3 = readonly Nested2[];

/**
 * The linear map x ↦ A·x, or, given P matrices ([P,n,n]), the periodically switched map
 * x_{t+1} = A_{t mod P}·x_t. Its exponents are ln |eigenvalues| of A (for P > 1: of
 * A_{P−1}···A_0, divided by P). Accepts a Tensor or nested arrays.
 *
 * @example
 * ```ts
 * lyapunovSpectrum(linearMap([[2, 5], [0, 0.5]])).exponents; // ≈ [ln 2, ln 0.5]
 * ```
 */
export function linearMap(a: Tensor | Nested2 | Nested3): ExampleSystem {
  return remember(makeLinearMap(a), 'linearMap', a);
}

function makeLinearMap(a: Tensor | Nested2 | Nested3): ExampleSystem {
  const name = 'linearMap';
  let shape: number[];
  let data: Float64Array;
  if (Array.isArray(a)) {
    const rank3 = Array.isArray((a as unknown[])[0]) && Array.isArray(((a as unknown[])[0] as unknown[])[0]);
    const mats = (rank3 ? a : [a]) as Nested3;
    const p = mats.length;
    const n = p > 0 ? mats[0].length : 0;
    shape = rank3 ? [p, n, n] : [n, n];
    data = new Float64Array(p * n * n);
    mats.forEach((m, pi) => {
      if (!Array.isArray(m) || m.length !== n) throw new RangeError(`${name}: matrix ${pi} must have ${n} rows, got ${Array.isArray(m) ? m.length : typeof m}`);
      m.forEach((row, i) => {
        if (!Array.isArray(row) || row.length !== n) {
          throw new RangeError(`${name}: row ${i} of matrix ${pi} must have ${n} entries (square matrices), got ${Array.isArray(row) ? row.length : typeof row}`);
        }
        row.forEach((v, j) => {
          if (typeof v !== 'number') throw new TypeError(`${name}: entry (${i}, ${j}) of matrix ${pi} must be a number, got ${typeof v}`);
          data[(pi * n + i) * n + j] = v;
        });
      });
    });
  } else {
    assertTensor(a, `${name}: A`);
    shape = [...a.shape];
    data = Float64Array.from(a.data);
  }
  const ok = (shape.length === 2 && shape[0] === shape[1]) || (shape.length === 3 && shape[1] === shape[2]);
  if (!ok || shape[shape.length - 1] < 1 || (shape.length === 3 && shape[0] < 1)) {
    throw new RangeError(`${name}: A must be [n,n] or [P,n,n] with n, P ≥ 1, got ${formatShape(shape)}`);
  }
  const bad = firstNonFinite(data);
  if (bad >= 0) throw new RangeError(`${name}: A has ${data[bad]} at flat index ${bad}`);
  const n = shape[shape.length - 1];
  const p = shape.length === 3 ? shape[0] : 1;
  const nn = n * n;
  const at = (t: number) => (p === 1 ? 0 : ((((t % p) + p) % p) | 0) * nn);
  return {
    dim: n,
    initialState: new Float64Array(n),
    step(x, t, out) {
      const o = at(t);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += data[o + i * n + j] * x[j];
        out[i] = s;
      }
    },
    jacobian(_x, t, out) {
      const o = at(t);
      for (let i = 0; i < nn; i++) out[i] = data[o + i];
    },
  };
}

/**
 * One classical RK4 step of dx/dt = f(x) and its exact tangent map, by propagating the variational
 * equation dV/dt = Df(x)·V through the same four stages. `dfTimes(u, v, k, out)` writes
 * Df(u)·V for V row-major dim×k.
 */
function rk4System(
  dim: number,
  h: number,
  f: (x: Float64Array, out: Float64Array) => void,
  dfTimes: (u: Float64Array, v: Float64Array, k: number, out: Float64Array) => void,
  initialState: Float64Array,
): ExampleSystem {
  const k1 = new Float64Array(dim);
  const k2 = new Float64Array(dim);
  const k3 = new Float64Array(dim);
  const k4 = new Float64Array(dim);
  const u2 = new Float64Array(dim);
  const u3 = new Float64Array(dim);
  const u4 = new Float64Array(dim);
  let vk = -1;
  let v = new Float64Array(0);
  let arg = new Float64Array(0);
  let acc = new Float64Array(0);
  let eye = new Float64Array(0);

  function stages(x: Float64Array): void {
    f(x, k1);
    for (let i = 0; i < dim; i++) u2[i] = x[i] + 0.5 * h * k1[i];
    f(u2, k2);
    for (let i = 0; i < dim; i++) u3[i] = x[i] + 0.5 * h * k2[i];
    f(u3, k3);
    for (let i = 0; i < dim; i++) u4[i] = x[i] + h * k3[i];
    f(u4, k4);
  }

  function tangent(x: Float64Array, q: Float64Array, k: number, out: Float64Array): void {
    if (vk !== k) {
      v = new Float64Array(dim * k);
      arg = new Float64Array(dim * k);
      acc = new Float64Array(dim * k);
      vk = k;
    }
    const m = dim * k;
    stages(x);
    dfTimes(x, q, k, v); // V1
    for (let i = 0; i < m; i++) {
      acc[i] = v[i];
      arg[i] = q[i] + 0.5 * h * v[i];
    }
    dfTimes(u2, arg, k, v); // V2
    for (let i = 0; i < m; i++) {
      acc[i] += 2 * v[i];
      arg[i] = q[i] + 0.5 * h * v[i];
    }
    dfTimes(u3, arg, k, v); // V3
    for (let i = 0; i < m; i++) {
      acc[i] += 2 * v[i];
      arg[i] = q[i] + h * v[i];
    }
    dfTimes(u4, arg, k, v); // V4
    for (let i = 0; i < m; i++) out[i] = q[i] + (h / 6) * (acc[i] + v[i]);
  }

  return {
    dim,
    dt: h,
    initialState,
    step(x, _t, out) {
      stages(x);
      for (let i = 0; i < dim; i++) out[i] = x[i] + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    },
    jacobian(x, _t, out) {
      if (eye.length !== dim * dim) {
        eye = new Float64Array(dim * dim);
        for (let i = 0; i < dim; i++) eye[i * dim + i] = 1;
      }
      tangent(x, eye, dim, out);
    },
    jacobianTimes(x, _t, q, k, out) {
      tangent(x, q, k, out);
    },
  };
}

/**
 * The Lorenz-63 flow (σ = 10, ρ = 28, β = 8/3 by default) advanced by one RK4 step of `dt`
 * (default 0.01), with the exact Jacobian of that step. Exponents per unit time (lyapunovSpectrum
 * uses the system's `dt`): ≈ 0.906, 0, −14.572, summing to −(σ + 1 + β).
 *
 * @example
 * ```ts
 * lyapunovSpectrum(lorenz63(), { steps: 100000 }).exponents; // ≈ [0.906, 0, -14.57]
 * ```
 */
export function lorenz63(opts: { sigma?: number; rho?: number; beta?: number; dt?: number } = {}): ExampleSystem {
  return remember(makeLorenz63(opts), 'lorenz63', opts);
}

function makeLorenz63(opts: { sigma?: number; rho?: number; beta?: number; dt?: number } = {}): ExampleSystem {
  const o = opt(opts, 'lorenz63', LORENZ63_KEYS);
  const sigma = (o.sigma as number | undefined) ?? 10;
  const rho = (o.rho as number | undefined) ?? 28;
  const beta = (o.beta as number | undefined) ?? 8 / 3;
  const dt = (o.dt as number | undefined) ?? 0.01;
  assertNumber(sigma, 'lorenz63: sigma');
  assertNumber(rho, 'lorenz63: rho');
  assertNumber(beta, 'lorenz63: beta');
  assertNumber(dt, 'lorenz63: dt');
  if (!(dt > 0)) throw new RangeError(`lorenz63: dt must be > 0, got ${dt}`);
  return rk4System(
    3,
    dt,
    (x, out) => {
      out[0] = sigma * (x[1] - x[0]);
      out[1] = x[0] * (rho - x[2]) - x[1];
      out[2] = x[0] * x[1] - beta * x[2];
    },
    (u, v, k, out) => {
      const x = u[0], y = u[1], z = u[2];
      for (let j = 0; j < k; j++) {
        const a = v[j], b = v[k + j], c = v[2 * k + j];
        out[j] = sigma * (b - a);
        out[k + j] = (rho - z) * a - b - x * c;
        out[2 * k + j] = y * a + x * b - beta * c;
      }
    },
    new Float64Array([1, 1, 1]),
  );
}

/**
 * The Lorenz-96 flow dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F (cyclic; defaults N = 40,
 * F = 8) advanced by one RK4 step of `dt` (default 0.01), with the exact Jacobian of that step.
 * For N = 40, F = 8: λ1 ≈ 1.69 per unit time, 13 positive exponents, sum −N.
 *
 * @example
 * ```ts
 * lyapunovSpectrum(lorenz96({ n: 40 }), { k: 5, steps: 20000 }).exponents[0]; // ≈ 1.69
 * ```
 */
export function lorenz96(opts: { n?: number; forcing?: number; dt?: number } = {}): ExampleSystem {
  return remember(makeLorenz96(opts), 'lorenz96', opts);
}

function makeLorenz96(opts: { n?: number; forcing?: number; dt?: number } = {}): ExampleSystem {
  const o = opt(opts, 'lorenz96', LORENZ96_KEYS);
  const n = (o.n as number | undefined) ?? 40;
  const F = (o.forcing as number | undefined) ?? 8;
  const dt = (o.dt as number | undefined) ?? 0.01;
  assertInteger(n, 'lorenz96: n', 4, 1e6);
  assertNumber(F, 'lorenz96: forcing');
  assertNumber(dt, 'lorenz96: dt');
  if (!(dt > 0)) throw new RangeError(`lorenz96: dt must be > 0, got ${dt}`);
  const x0 = new Float64Array(n).fill(F);
  x0[0] += 0.01;
  return rk4System(
    n,
    dt,
    (x, out) => {
      for (let i = 0; i < n; i++) {
        const ip1 = i + 1 === n ? 0 : i + 1;
        const im1 = i === 0 ? n - 1 : i - 1;
        const im2 = i < 2 ? i + n - 2 : i - 2;
        out[i] = (x[ip1] - x[im2]) * x[im1] - x[i] + F;
      }
    },
    (u, v, k, out) => {
      for (let i = 0; i < n; i++) {
        const ip1 = i + 1 === n ? 0 : i + 1;
        const im1 = i === 0 ? n - 1 : i - 1;
        const im2 = i < 2 ? i + n - 2 : i - 2;
        const a = u[im1];
        const c = u[ip1] - u[im2];
        const r = i * k, rp1 = ip1 * k, rm1 = im1 * k, rm2 = im2 * k;
        for (let j = 0; j < k; j++) out[r + j] = a * (v[rp1 + j] - v[rm2 + j]) + c * v[rm1 + j] - v[r + j];
      }
    },
    x0,
  );
}

/** The example systems by name, for {@link exampleSystemFromSpec}. */
const EXAMPLES = { henonMap, logisticMap, linearMap, lorenz63, lorenz96 } as const;
type ExampleName = keyof typeof EXAMPLES;

/**
 * How an example system was made: its factory's name and argument (plain data), and the methods the
 * factory gave it. The worker pool sends this instead of the object (functions cannot cross
 * threads) and the worker makes the same system again. @internal
 */
export interface ExampleSystemSpec {
  readonly exampleSystem: ExampleName;
  readonly arg: unknown;
  /** The object's own non-function properties as they are now (e.g. an `initialState` replaced since). */
  readonly data: Record<string, unknown>;
}

const MADE = new WeakMap<object, { name: ExampleName; arg: unknown; methods: Map<string, unknown> }>();

const NOT_PLAIN = Symbol('not plain data');

/** A deep copy of plain data (numbers, strings, arrays, typed arrays, plain objects), else NOT_PLAIN. */
function copyPlain(v: unknown, depth: number): unknown {
  if (depth > 8) return NOT_PLAIN;
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (ArrayBuffer.isView(v)) return v instanceof DataView ? NOT_PLAIN : (v as unknown as { slice(): unknown }).slice();
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const c = copyPlain(x, depth + 1);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out.push(c);
    }
    return out;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const c = copyPlain((v as Record<string, unknown>)[k], depth + 1);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out[k] = c;
    }
    return out;
  }
  return NOT_PLAIN;
}

function remember(sys: ExampleSystem, name: ExampleName, arg: unknown): ExampleSystem {
  const methods = new Map<string, unknown>();
  for (const k of Object.keys(sys)) if (typeof (sys as unknown as Record<string, unknown>)[k] === 'function') methods.set(k, (sys as unknown as Record<string, unknown>)[k]);
  // the argument as it was (a caller may reuse and change its options object afterwards); one that
  // cannot be copied leaves the system usable here, just not by the pool
  const copy = copyPlain(arg, 0);
  if (copy === NOT_PLAIN) return sys;
  MADE.set(sys, { name, arg: copy, methods });
  return sys;
}

/**
 * The spec of an example system made by this module whose methods are still the factory's own, or
 * undefined (any other object, or one whose methods were replaced). @internal
 */
export function exampleSystemSpec(sys: unknown): ExampleSystemSpec | undefined {
  if (sys === null || typeof sys !== 'object') return undefined;
  const made = MADE.get(sys);
  if (made === undefined) return undefined;
  const data = dataIfMethodsUnchanged(sys, made.methods);
  return data === undefined ? undefined : { exampleSystem: made.name, arg: made.arg, data };
}

/**
 * The own data (non-function) properties of `o`, or undefined when its own methods are not exactly
 * `methods` (one replaced, added or removed since it was made): what a worker needs, besides the
 * recipe, to make the same system again. @internal
 */
export function dataIfMethodsUnchanged(o: object, methods: ReadonlyMap<string, unknown>): Record<string, unknown> | undefined {
  const r = o as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (typeof v === 'function') {
      if (methods.get(k) !== v) return undefined;
    } else data[k] = v;
  }
  for (const k of methods.keys()) if (r[k] !== methods.get(k)) return undefined;
  return data;
}

/** The example system a spec describes, its data properties as the spec carries them. @internal */
export function exampleSystemFromSpec(spec: ExampleSystemSpec): ExampleSystem {
  const make = EXAMPLES[spec.exampleSystem] as (a: unknown) => ExampleSystem;
  if (typeof make !== 'function') throw new TypeError(`pool: unknown example system '${String(spec.exampleSystem)}'`);
  return Object.assign(make(spec.arg), spec.data);
}
