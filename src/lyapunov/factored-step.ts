/**
 * A step whose Jacobian comes as factors, J = F_{c−1}···F_0 (frame-step.ts, "Factored steps"): the
 * frame is re-orthonormalized after each factor but the last, whose QR closes the step as any
 * step's, and the logs of the earlier QRs are summed into that one's. For QR-based exponents the
 * split is exact: the R of J·Q is the product of the factors' R's, so its diagonal is the product of
 * theirs, and each factor's QR resolves what one QR of J·Q cannot (a column of J scaled by 1e-15).
 * @internal
 */
import { firstNonFiniteFast, zeroRowsAndColsSquare } from './matrix-scan.js';
import type { QrFrame } from './qr-frame.js';
import type { RankBound } from './rank-bound.js';

/** A RangeError naming `name`, the step and the entry (and the factor, if given) for a Jacobian with a non-finite entry. */
export function assertFiniteJacobian(a: Float64Array, n: number, name: string, step: number, factor?: number): void {
  const bad = firstNonFiniteFast(a, n * n);
  if (bad < 0) return;
  const of = factor === undefined ? '' : ` in its factor ${factor}`;
  throw new RangeError(`${name}: the Jacobian at step ${step} has ${a[bad]} at (${Math.floor(bad / n)}, ${bad % n})${of}`);
}

/**
 * z ← J·frame for the row-major J in `a`, its exact zero rows and columns noted in the rank bound
 * first; a factored frame's product overwrites its matrix, so `a` is copied into `scratch()` for it
 * (unless it is that buffer). Returns false, the note undone, when the product overflowed.
 */
export function applyNoted(f: QrFrame, rank: RankBound, a: Float64Array, scratch: () => Float64Array, n: number): boolean {
  const cols = rank.colsOut();
  zeroRowsAndColsSquare(n, a, rank.rowsOut(), cols);
  rank.note(cols);
  let m = a;
  if (f.factored) {
    m = scratch();
    if (m !== a) m.set(a);
  }
  f.applyJacobian(m);
  if (f.measureProduct()) return true;
  rank.undo();
  return false;
}

/** The logs kept across a factored step's QRs. @internal */
export interface FactoredStep {
  /**
   * Checks the `count` factors (a RangeError naming `name` and `step` for a non-finite entry), then
   * folds factors[0..count−1) into the frame `f`, right after a QR, with a QR after each (as
   * {@link applyNoted}, `scratch` for a factored frame). Returns false when a product overflowed
   * (the frame is then left mid-step).
   */
  substeps(f: QrFrame, rank: RankBound, factors: readonly Float64Array[], count: number, scratch: () => Float64Array, name: string, step: number): boolean;
  /** The logs of the QR that closes the step plus the kept ones (`logr` itself when none are kept); forgets them. */
  close(logr: Float64Array): Float64Array;
}

/** The factored steps of an estimator of k exponents in n dimensions. */
export function createFactoredStep(n: number, k: number): FactoredStep {
  const kept = new Float64Array(k);
  const logs = new Float64Array(k);
  let active = false;
  return {
    substeps(f, rank, factors, count, scratch, name, step): boolean {
      for (let i = 0; i < count; i++) assertFiniteJacobian(factors[i], n, name, step, i);
      kept.fill(0);
      for (let i = 0; i + 1 < count; i++) {
        if (!applyNoted(f, rank, factors[i], scratch, n)) return false;
        f.adoptProduct();
        f.reorthonormalize(logs);
        rank.apply(logs);
        for (let j = 0; j < k; j++) kept[j] += logs[j];
      }
      active = true;
      return true;
    },
    close(logr: Float64Array): Float64Array {
      if (!active) return logr;
      active = false;
      for (let j = 0; j < k; j++) logs[j] = kept[j] + logr[j];
      return logs;
    },
  };
}
