/**
 * Finite-difference gradient checks: the analytic gradient of a scalar function (from the tape) is
 * compared with float64 central differences, [f(p + h·e_i) − f(p − h·e_i)] / 2h, where the function
 * is evaluated on a float64 tape so that the differences are not swamped by float32 rounding.
 */
import { checkOptionKeys, kindOf, readOptions } from '../core/options.js';
import { GRADIENT_CHECK_KEYS } from './option-keys.js';
import { createRng } from '../core/rng.js';
import { checkSeed } from '../core/seed.js';
import type { FloatArray } from '../core/errors.js';
import { BufferPool, type DType } from './pool.js';
import type { Var } from './tape.js';
import { flattenParams, runOnTape, type VarTree } from './value-and-grad.js';

/** Options of {@link gradientCheck}. */
export interface GradientCheckOptions {
  /** Relative step: each coordinate moves by h·max(1, |p_i|) (default 1e-5). */
  h?: number;
  /** Relative tolerance (default 1e-6 for a float64 analytic gradient, 1e-3 for float32). */
  rtol?: number;
  /** Absolute tolerance (default 1e-9 for float64, 1e-5 for float32). */
  atol?: number;
  /**
   * Precision of the analytic gradient (default 'float64'). With 'float32' the tape runs as in
   * training (float32 storage), so the tolerance must allow for float32 rounding (~6e-8 relative per
   * operation, growing with the length of the computation).
   */
  dtype?: DType;
  /** At most this many coordinates per parameter tensor, sampled by `seed` (default 64). */
  maxPerParam?: number;
  /** Seed of the coordinate sample (default 0). */
  seed?: number;
  /** Extra arguments passed to `fn` after the parameters. */
  args?: readonly unknown[];
}

/** One checked coordinate. */
export interface GradientCheckEntry {
  /** Path of the parameter in the tree (e.g. `wRec`). */
  param: string;
  /** Flat index inside that tensor. */
  index: number;
  analytic: number;
  numeric: number;
  /** |analytic − numeric| / (atol + rtol·max(|analytic|, |numeric|)); ≤ 1 passes. */
  error: number;
}

/** Result of {@link gradientCheck}. */
export interface GradientCheckResult {
  /** True when every checked coordinate has error ≤ 1. */
  ok: boolean;
  /** The largest normalized error. */
  maxError: number;
  /** The largest |analytic − numeric|. */
  maxAbsError: number;
  /** The coordinate with the largest normalized error. */
  worst: GradientCheckEntry | null;
  /** Every checked coordinate. */
  entries: GradientCheckEntry[];
}

/**
 * Compares the tape's gradient of `fn` at `params` with float64 central differences, coordinate by
 * coordinate (a seeded sample of at most `maxPerParam` per tensor). Parameters are not modified.
 *
 * @example
 * ```ts
 * const r = gradientCheck((p) => ad.mean(ad.tanh(ad.matmul(x, p.w))), { w: randn([3, 2], { seed: 1 }) });
 * if (!r.ok) console.log(r.worst);
 * ```
 */
export function gradientCheck<P>(
  fn: (params: VarTree<P>, ...args: any[]) => Var,
  params: P,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  if (typeof fn !== 'function') throw new TypeError(`gradientCheck: fn must be a function, got ${typeof fn}`);
  const opts = readOptions(options, 'gradientCheck');
  checkOptionKeys(opts, GRADIENT_CHECK_KEYS, 'gradientCheck');
  const dtype = opts.dtype ?? 'float64';
  if (dtype !== 'float32' && dtype !== 'float64') throw new RangeError(`gradientCheck: dtype must be 'float32' or 'float64', got '${String(dtype)}'`);
  const h = opts.h ?? 1e-5;
  const rtol = opts.rtol ?? (dtype === 'float64' ? 1e-6 : 1e-3);
  const atol = opts.atol ?? (dtype === 'float64' ? 1e-9 : 1e-5);
  for (const [k, v] of [['h', h], ['rtol', rtol], ['atol', atol]] as const) {
    if (typeof v !== 'number') throw new TypeError(`gradientCheck: ${k} must be a number, got ${kindOf(v)}`);
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`gradientCheck: ${k} must be a finite number >= 0, got ${String(v)}`);
  }
  if (!(h > 0)) throw new RangeError(`gradientCheck: h must be > 0, got ${h}`);
  checkSeed(opts.seed, 'gradientCheck');
  const maxPer = opts.maxPerParam ?? 64;
  const args = opts.args ?? [];
  const f = fn as (p: unknown, ...a: unknown[]) => unknown;
  const leaves = flattenParams(params, 'gradientCheck: params');
  const pool = new BufferPool();
  const wide = leaves.map((l) => Float64Array.from(l.tensor.data));

  // analytic gradient
  let analytic: FloatArray[];
  try {
    const { vars } = runOnTape(pool, dtype, f, params, leaves, args, true, dtype === 'float64' ? wide : undefined);
    analytic = vars.map((v) => (v.grad === null ? new Float64Array(v.data.length) : Float64Array.from(v.grad)));
  } finally {
    pool.releaseAll();
  }

  const evalAt = (): number => {
    try {
      return runOnTape(pool, 'float64', f, params, leaves, args, false, wide).value;
    } finally {
      pool.releaseAll();
    }
  };

  const rng = createRng(opts.seed ?? 0);
  const entries: GradientCheckEntry[] = [];
  let maxError = 0, maxAbs = 0;
  let worst: GradientCheckEntry | null = null;
  leaves.forEach((leaf, li) => {
    const n = wide[li].length;
    let idx: number[];
    if (n <= maxPer) idx = Array.from({ length: n }, (_, i) => i);
    else {
      const all = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < maxPer; i++) {
        const j = i + Math.floor(rng() * (n - i));
        const t = all[i]; all[i] = all[j]; all[j] = t;
      }
      idx = all.slice(0, maxPer).sort((a, b) => a - b);
    }
    const data = wide[li];
    for (const i of idx) {
      const v = data[i];
      const step = h * Math.max(1, Math.abs(v));
      const up = v + step, down = v - step;
      data[i] = up;
      const fp = evalAt();
      data[i] = down;
      const fm = evalAt();
      data[i] = v;
      const numeric = (fp - fm) / (up - down);
      const a = analytic[li][i];
      const abs = Math.abs(a - numeric);
      const err = abs / (atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)));
      const e: GradientCheckEntry = { param: leaf.path, index: i, analytic: a, numeric, error: Number.isNaN(err) ? Infinity : err };
      entries.push(e);
      if (abs > maxAbs || Number.isNaN(abs)) maxAbs = Number.isNaN(abs) ? Infinity : abs;
      if (worst === null || e.error > maxError) {
        maxError = e.error;
        worst = e;
      }
    }
  });
  return { ok: maxError <= 1, maxError, maxAbsError: maxAbs, worst, entries };
}
