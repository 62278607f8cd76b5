/**
 * The central difference (f(e) − f(−e))/2e of d ↦ f(d) at 0 and a bound on its error: truncation
 * e²/6·|f'''| (f''' from the 5-point stencil at step `wide`, default 1000e, whose own error is
 * O(wide²·f⁽⁵⁾)) plus rounding δf/e (each value of f off by at most δf).
 */
export function central(f: (d: number) => number, e: number, deltaF: number, wide = 1000 * e): { fd: number; bound: number } {
  const f3 = (f(2 * wide) - 2 * f(wide) + 2 * f(-wide) - f(-2 * wide)) / (2 * wide ** 3);
  return { fd: (f(e) - f(-e)) / (2 * e), bound: ((e * e) / 6) * Math.abs(f3) + deltaF / e };
}
