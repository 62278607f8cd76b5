/**
 * NumPy's default `argsort` (kind 'quicksort', NumPy 1.24's npysort/quicksort.cpp `aquicksort_`):
 * introsort on an index array — median-of-three quicksort, insertion sort on runs of at most 16,
 * heapsort (`aheapsort_`) past a depth of 2·⌊log₂ n⌋. It is not stable, and scikit-learn's
 * MiniBatchKMeans relies on its order among equal counts (which centres it leaves in place when more
 * than half a batch would be reassigned), so it is ported as is. (NumPy ≥ 1.25 may dispatch argsort
 * to AVX-512 code with another order among ties; the order of unequal values is the same.)
 */

/**
 * Indices of v in NumPy 1.24's `np.argsort(v)` order (values without NaN); kind 'heapsort' is
 * `np.argsort(v, kind='heapsort')`, the introsort's fallback on its own.
 */
export function numpyArgsort(v: ArrayLike<number>, kind: 'quicksort' | 'heapsort' = 'quicksort'): Int32Array {
  const n = v.length;
  const a = Int32Array.from({ length: n }, (_, i) => i);
  if (n < 2) return a;
  if (kind === 'heapsort') {
    heapsort(v, a, 0, n);
    return a;
  }
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0, pr = n - 1;
  let cdepth = 2 * msb(n);
  const swap = (i: number, j: number): void => { const t = a[i]; a[i] = a[j]; a[j] = t; };
  for (;;) {
    if (cdepth < 0) {
      heapsort(v, a, pl, pr - pl + 1);
    } else {
      while (pr - pl > 15) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[a[pm]] < v[a[pl]]) swap(pm, pl);
        if (v[a[pr]] < v[a[pm]]) swap(pr, pm);
        if (v[a[pm]] < v[a[pl]]) swap(pm, pl);
        const vp = v[a[pm]];
        let pi = pl, pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi; while (v[a[pi]] < vp);
          do --pj; while (vp < v[a[pj]]);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // the larger part waits on the stack
        if (pi - pl < pr - pi) { stack.push(pi + 1, pr); pr = pi - 1; } else { stack.push(pl, pi - 1); pl = pi + 1; }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; pi++) {
        const vi = a[pi], vp = v[vi];
        let pj = pi;
        while (pj > pl && vp < v[a[pj - 1]]) { a[pj] = a[pj - 1]; pj--; }
        a[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
    cdepth = depths.pop() as number;
  }
  return a;
}

/** ⌊log₂ n⌋ (NumPy's npy_get_msb). */
function msb(n: number): number {
  let d = 0;
  while ((n >>= 1) > 0) d++;
  return d;
}

/** NumPy's aheapsort_ on the m indices a[o..o+m−1] (1-based heap over a[o−1+k]). */
function heapsort(v: ArrayLike<number>, a: Int32Array, o: number, m: number): void {
  const at = (k: number): number => a[o - 1 + k];
  const put = (k: number, x: number): void => { a[o - 1 + k] = x; };
  const sift = (tmp: number, i: number, size: number): void => {
    for (let j = i << 1; j <= size;) {
      if (j < size && v[at(j)] < v[at(j + 1)]) j++;
      if (v[tmp] < v[at(j)]) { put(i, at(j)); i = j; j += j; } else break;
    }
    put(i, tmp);
  };
  for (let l = m >> 1; l > 0; --l) sift(at(l), l, m);
  for (let size = m; size > 1;) {
    const tmp = at(size);
    put(size, at(1));
    size--;
    sift(tmp, 1, size);
  }
}
