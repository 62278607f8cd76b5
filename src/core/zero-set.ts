/**
 * A set of row or column indices of an n×n matrix (its exactly zero rows or columns), as the
 * Lyapunov estimator's rank bound takes them (lyapunov/rank-bound.ts): idx[0 .. count) ascending.
 * Not on the public surface. @internal
 */
export interface ZeroSet {
  count: number;
  readonly idx: Int32Array;
}

/** An empty set with room for n indices. @internal */
export function zeroSet(n: number): ZeroSet {
  return { count: 0, idx: new Int32Array(n) };
}

/** |a ∩ b| of two ascending sets (a merge, O(a.count + b.count)). @internal */
export function intersectionSize(a: ZeroSet, b: ZeroSet): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.count && j < b.count) {
    const x = a.idx[i];
    const y = b.idx[j];
    if (x === y) {
      both++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return both;
}

/** dst ← src. @internal */
export function copyZeroSet(dst: ZeroSet, src: ZeroSet): void {
  for (let i = 0; i < src.count; i++) dst.idx[i] = src.idx[i];
  dst.count = src.count;
}
