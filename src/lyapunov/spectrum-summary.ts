/**
 * The summaries a spectrum's result carries, for the top k of n exponents. @internal
 */
import { kaplanYorkeDimension, lyapunovEntropy } from './dimension.js';

/**
 * D_KY and the entropy bound of the top k of an n-dimensional system's exponents (descending), NaN
 * where those k do not determine them: D_KY when their sum is still ≥ 0 (it is k or more), the
 * entropy when λ_k > 0 (later exponents may be positive too). With k = n both are as above. @internal
 */
export function spectrumSummary(exponents: Float64Array, n: number): { kaplanYorkeDimension: number; entropy: number } {
  const k = exponents.length;
  let dky = kaplanYorkeDimension(exponents);
  let entropy = lyapunovEntropy(exponents);
  if (k < n && k > 0) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += exponents[i];
    const last = exponents[k - 1];
    if (sum > 0 || (sum === 0 && last >= 0)) dky = NaN;
    if (last > 0) entropy = NaN;
  }
  return { kaplanYorkeDimension: dky, entropy };
}

