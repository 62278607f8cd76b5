/**
 * The "did you mean" of an unknown plot option: core's `suggestOption` (src/core/options.ts), of
 * which this is plot's copy (plot imports nothing of core at runtime: test/structure/rules.ts).
 * It keeps core's rules but its table of other libraries' names, none of which names a plot
 * option: the same letters ignoring case and `_`/`-`, else the one known option within two edits
 * (one for keys of up to three letters; none when two are equally close). test/plot/suggest.test.ts
 * checks it against core's on every builder's options. @internal
 */

/** A key without case and without `_` / `-`: snake_case, kebab-case and camelCase compare equal. */
function norm(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** Optimal-string-alignment distance (edits and adjacent transpositions), or `limit + 1` beyond `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return Math.min(prev[b.length], limit + 1);
}

/** The known plot option that `key` most likely means, or undefined (see the module comment). @internal */
export function suggestPlotOption(key: string, known: readonly string[]): string | undefined {
  const k = norm(key);
  const same = known.find((c) => norm(c) === k);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const c of known) {
    const n = norm(c);
    const limit = Math.max(k.length, n.length) <= 3 ? 1 : 2;
    const d = editDistance(k, n, limit);
    if (d > limit || 2 * d >= Math.max(k.length, n.length)) continue;
    if (d < bestD) [best, bestD, tie] = [c, d, false];
    else if (d === bestD) tie = true;
  }
  return tie ? undefined : best;
}
