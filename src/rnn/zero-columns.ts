/**
 * The exactly zero columns of the vanilla cell's Jacobian J = diag(φ'(a))·W: column l is zero when
 * every row i with W_il ≠ 0 has φ'(a_i) = 0 — a unit with no outgoing weights (W's column zero,
 * whatever the state), or one whose every target is a dead relu (or a tanh past the factors' reach).
 * The Lyapunov estimator's rank bound needs them where it sees only the product J·Q, whose zero
 * rows show J's zero rows but not its zero columns (lyapunov/frame-step.ts ZeroColumnsSystem).
 * @internal
 */
import { zeroSet, type ZeroSet } from '../core/zero-set.js';

/**
 * The finder of J's zero columns for a row-major n×n W, called with φ'(a) and its smallest entry:
 * their indices (a set of its own, rewritten by the next call); undefined when W has no zero entry:
 * a column of J is then zero only with every row zero, and the zero rows bound the rank as tightly.
 * O(1) per call unless some φ'(a_i) is 0 (W's zero columns, found once, are returned as they are).
 */
export function createZeroColumns(n: number, w: Float64Array): ((deriv: Float64Array, minDeriv: number) => ZeroSet) | undefined {
  const support = new Int32Array(n); // nonzero entries of each column of W
  let sparse = false;
  for (let i = 0; i < n; i++) {
    const r = i * n;
    for (let l = 0; l < n; l++) {
      if (w[r + l] !== 0) support[l]++;
      else sparse = true;
    }
  }
  if (!sparse) return undefined;
  const always = zeroSet(n); // columns of W that are zero
  for (let l = 0; l < n; l++) if (support[l] === 0) always.idx[always.count++] = l;
  const now = zeroSet(n);
  return (deriv: Float64Array, minDeriv: number): ZeroSet => {
    if (minDeriv > 0) return always; // no dead row
    let dead = 0;
    for (let i = 0; i < n; i++) if (deriv[i] === 0) dead++;
    let zeros = 0;
    for (let l = 0; l < n; l++) {
      if (support[l] > dead) continue;
      if (support[l] > 0) {
        let i = 0;
        while (i < n && (w[i * n + l] === 0 || deriv[i] === 0)) i++;
        if (i < n) continue;
      }
      now.idx[zeros++] = l;
    }
    now.count = zeros;
    return now;
  };
}

/**
 * The columns l of the row-major rows×cols `w` with w_il = 0 at every row i where `live` (if given)
 * is non-zero: J's zero columns when J = diag(live)·w. @internal
 */
export function zeroColumnUnits(rows: number, cols: number, w: Float64Array, live?: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let l = 0; l < cols; l++) {
    let i = 0;
    while (i < rows && (w[i * cols + l] === 0 || (live !== undefined && live[i] === 0))) i++;
    if (i === rows) out.push(l);
  }
  return out;
}
