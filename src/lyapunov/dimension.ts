/**
 * Summaries of a Lyapunov spectrum: the Kaplan–Yorke (Lyapunov) dimension and the entropy bound.
 */

function checkSpectrum(exponents: ArrayLike<number>, name: string): number[] {
  if (exponents === null || typeof exponents !== 'object' || typeof exponents.length !== 'number') {
    throw new TypeError(`${name}: expected an array of exponents, got ${exponents === null ? 'null' : typeof exponents}`);
  }
  const out: number[] = [];
  for (let i = 0; i < exponents.length; i++) {
    const v = exponents[i];
    if (typeof v !== 'number' || Number.isNaN(v) || v === Infinity) {
      throw new RangeError(`${name}: exponents must be numbers (−Infinity allowed), found ${String(v)} at index ${i}`);
    }
    out.push(v);
  }
  return out.sort((a, b) => b - a);
}

/**
 * The Kaplan–Yorke dimension D = j + S_j / |λ_{j+1}|, with the exponents sorted descending, S_j the
 * sum of the first j and j the largest index with S_j ≥ 0. It is 0 when λ1 < 0 and the number of
 * exponents when their whole sum is ≥ 0 (for a top-k spectrum that is only a lower bound: the
 * spectra's results report NaN then).
 * Exponents may be in any order; −Infinity is allowed (it contributes S_j/∞ = 0), NaN is rejected.
 *
 * @example
 * ```ts
 * kaplanYorkeDimension([0.4192, -1.6232]); // ≈ 1.258 (Hénon)
 * ```
 */
export function kaplanYorkeDimension(exponents: ArrayLike<number>): number {
  const l = checkSpectrum(exponents, 'kaplanYorkeDimension');
  if (l.length === 0 || l[0] < 0) return 0;
  let s = 0;
  for (let j = 0; j < l.length; j++) {
    const next = s + l[j];
    if (next < 0) return j + s / Math.abs(l[j]);
    s = next;
  }
  return l.length;
}

/**
 * The sum of the positive exponents: Pesin's upper bound on the Kolmogorov–Sinai entropy, in nats
 * per step (or per unit time when the exponents are).
 *
 * @example
 * ```ts
 * lyapunovEntropy([0.906, 0, -14.57]); // 0.906
 * ```
 */
export function lyapunovEntropy(exponents: ArrayLike<number>): number {
  const l = checkSpectrum(exponents, 'lyapunovEntropy');
  let s = 0;
  for (const v of l) if (v > 0) s += v;
  return s;
}
