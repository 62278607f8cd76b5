/**
 * The exactly zero columns of the vanilla cell's Jacobian J = diag(φ'(a))·W: column l is zero when
 * every row i with W_il ≠ 0 has φ'(a_i) = 0 — a unit with no outgoing weights (W's column zero,
 * whatever the state), or one whose every target is a dead relu (or a tanh past the factors' reach).
 * The Lyapunov estimator's rank bound needs them where it sees only the product J·Q, whose zero
 * rows show J's zero rows but not its zero columns (lyapunov/frame-step.ts ZeroColumnsSystem).
 * @internal
 */

/** Counts J's zero columns for a row-major n×n W, in O(n) per call unless a column's support fits in the dead rows. */
export function createZeroColumns(n: number, w: Float64Array): (deriv: Float64Array) => number {
  const support = new Int32Array(n); // nonzero entries of each column of W
  for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) if (w[i * n + l] !== 0) support[l]++;
  let always = 0; // columns of W that are zero
  let least = n + 1; // the smallest nonzero support
  for (let l = 0; l < n; l++) {
    if (support[l] === 0) always++;
    else if (support[l] < least) least = support[l];
  }
  return (deriv: Float64Array): number => {
    let dead = 0;
    for (let i = 0; i < n; i++) if (deriv[i] === 0) dead++;
    if (dead < least) return always; // no column's support fits in the dead rows
    let zeros = always;
    for (let l = 0; l < n; l++) {
      if (support[l] === 0 || support[l] > dead) continue;
      let i = 0;
      while (i < n && (w[i * n + l] === 0 || deriv[i] === 0)) i++;
      if (i === n) zeros++;
    }
    return zeros;
  };
}
