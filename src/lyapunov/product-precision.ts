/**
 * The arithmetic of a spectrum's frame products J·Q (`productPrecision`): float64, or float32 SIMD
 * products (as PyTorch's float32 code computes them) with the QR, the logs and the sums kept in
 * float64.
 *
 * A float32 product has a relative error of about √n·2⁻²⁴ per column, and the QR turns it into an
 * error of that times the frame's condition number in each log R_jj. With the condition bound
 * lowered to {@link FLOAT32_MAX_CONDITION} that stays near 1e-4 per QR at n = 200, orders below the
 * standard errors of any run long enough to estimate exponents (test/lyapunov/default-interval.test.ts
 * checks the defaults against QR every step in float64). `'auto'` takes float32 only where it is both
 * safe and worth it: the top few exponents (k ≤ n/8, n ≥ 64), whose frame stays well conditioned for
 * many steps and whose cost is the product, of a system that has a float32 product (the vanilla RNN
 * adapter: its weights are float32), on the wasm float64 backends, unless a `maxCondition` above
 * {@link FLOAT32_MAX_CONDITION} is asked for (then float64, with that bound).
 */
import { f64Backend } from '../core/wasm64/loader.js';
import type { DynamicalSystem } from '../core/system.js';
import { readChoice } from '../core/options.js';

/** Choice of `productPrecision`. */
export type ProductPrecision = 'auto' | 'float32' | 'float64';

const PRECISIONS: readonly ProductPrecision[] = ['auto', 'float32', 'float64'];

/** The frame's condition bound between QRs when the products are float32 (the default). */
export const FLOAT32_MAX_CONDITION = 100;

/**
 * Float32 products keep the frame's column norms within [2⁻⁴⁰, 2⁴⁰] (a QR early otherwise): with the
 * Jacobian's row scales d_i ≥ 2⁻⁶⁰ (FLOAT32_MIN_ROW_SCALE, core/wasm/f32-frame-product.ts) their entries stay normal floats (a
 * strongly contracting run shrank them into float32's subnormals and then to exact zeros: −∞).
 */
export const FLOAT32_NORM_WINDOW = 2 ** 40;

/**
 * The largest `maxCondition` taken with float32 products: 10 times it (where their interval check
 * acts, FLOAT32_REPLAY_SLACK) stays an order below 2²⁴, past which float32 rounding fills the
 * frame's smallest directions.
 */
export const FLOAT32_MAX_CONDITION_LIMIT = 1e5;

/** A system with a float32 frame product (the vanilla RNN adapter). @internal */
export interface Float32ProductSystem extends DynamicalSystem {
  /** True when the float32 product can run here (WebAssembly SIMD). */
  float32ProductAvailable(): boolean;
  /** out (column-major dim×k) = J·Q in float32 arithmetic, q column-major; `fma`: the fused build. */
  jacobianTimesColMajorFloat32(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array, fma: boolean): void;
}

/**
 * Refuses anything but undefined, 'auto', 'float32' and 'float64', and 'float32' with a numeric
 * `maxCondition` above {@link FLOAT32_MAX_CONDITION_LIMIT} (a bad value goes on to the estimator's check).
 */
export function checkProductPrecision(v: unknown, maxCondition: unknown, name: string): void {
  // core's reader: a TypeError for another kind (it was a RangeError saying `typeof v`), a RangeError for another string
  readChoice(v, PRECISIONS, 'auto', `${name}: productPrecision`, "'auto', 'float32' or 'float64'");
  if (v === 'float32' && typeof maxCondition === 'number' && maxCondition > FLOAT32_MAX_CONDITION_LIMIT) {
    throw new RangeError(
      `${name}: maxCondition ${maxCondition} with productPrecision 'float32': at most ${FLOAT32_MAX_CONDITION_LIMIT} (float32 rounding reaches ≈ 2⁻²⁴·maxCondition per QR; the default is ${FLOAT32_MAX_CONDITION}), or use 'float64'`,
    );
  }
}

function hasFloat32Product(system: DynamicalSystem): system is Float32ProductSystem {
  const s = system as Partial<Float32ProductSystem>;
  return typeof s.float32ProductAvailable === 'function' && typeof s.jacobianTimesColMajorFloat32 === 'function' && s.float32ProductAvailable();
}

/**
 * The precision a run uses: 'float64', or 'float32-fma' / 'float32' (the fused build where the
 * float64 backend is 'wasm-fma', so that a run's bits follow one backend choice). Throws when
 * 'float32' is asked for and cannot be had.
 */
export function resolveProductPrecision(
  v: unknown, system: DynamicalSystem, n: number, k: number, maxCondition: unknown, name: string,
): 'float64' | 'float32' | 'float32-fma' {
  checkProductPrecision(v, maxCondition, name);
  if (v === 'float64') return 'float64';
  const backend = f64Backend();
  const can = backend !== 'js' && hasFloat32Product(system);
  // a bound asked for above the default of float32 products (a bad value goes on to the estimator's check)
  const wide = typeof maxCondition === 'number' && maxCondition > FLOAT32_MAX_CONDITION;
  if (v === 'float32') {
    if (!can) {
      throw new RangeError(
        `${name}: productPrecision 'float32' needs a vanilla RNN on a WebAssembly float64 backend (here: ${backend === 'js' ? "the 'js' backend" : 'a system without a float32 product'})`,
      );
    }
  } else if (!(can && n >= 64 && 8 * k <= n) || wide) {
    return 'float64';
  }
  return backend === 'wasm-fma' ? 'float32-fma' : 'float32';
}
