// Drives a streaming estimator from a system: the "step the system, push its Jacobian" loop of the
// estimator tests, written once.
import type { DynamicalSystem } from '../../src/core/system.js';

/** What {@link feedSystem} pushes into. */
interface Pushable {
  pushJacobian(j: Float64Array): void;
  pushProduct(z: Float64Array): void;
  frame(): Float64Array;
}

/** Options of {@link feedSystem}. */
export interface FeedOptions {
  /** The first step whose Jacobian is pushed (the ones before only move the state). Default 0. */
  from?: number;
  /** The start. Default zeros. */
  x0?: ArrayLike<number>;
  /** 'jacobian' (default): pushJacobian(J(x_t, t)); 'product': pushProduct(J(x_t, t)·frame) through sys.jacobianTimes with k columns. */
  feed?: 'jacobian' | 'product';
  /** The frame's columns, for feed 'product'. Default the dimension. */
  k?: number;
}

/** Steps `sys` for t = 0 … steps−1 from x0, pushing J(x_t, t) into `est` for every t ≥ from. */
export function feedSystem(sys: DynamicalSystem, est: Pushable, steps: number, opts: FeedOptions = {}): void {
  const n = sys.dim;
  const { from = 0, feed = 'jacobian', k = n } = opts;
  let x = opts.x0 === undefined ? new Float64Array(n) : Float64Array.from(opts.x0);
  let xn = new Float64Array(n);
  const J = new Float64Array(n * n);
  const Z = new Float64Array(n * k);
  for (let t = 0; t < steps; t++) {
    if (t >= from) {
      if (feed === 'jacobian') {
        (sys.jacobian as NonNullable<DynamicalSystem['jacobian']>)(x, t, J);
        est.pushJacobian(J);
      } else {
        (sys.jacobianTimes as NonNullable<DynamicalSystem['jacobianTimes']>)(x, t, est.frame(), k, Z);
        est.pushProduct(Z);
      }
    }
    sys.step(x, t, xn);
    [x, xn] = [xn, x];
  }
}
