/**
 * Squared Euclidean distance between two rows of one row-major matrix (offsets io, jo, length d):
 * the inner loop shared by the exact kernels of PHATE and t-SNE. Small enough for V8 to inline.
 */
export function rowDist2(x: ArrayLike<number>, io: number, jo: number, d: number): number {
  let s = 0;
  for (let p = 0; p < d; p++) { const t = x[io + p] - x[jo + p]; s += t * t; }
  return s;
}
