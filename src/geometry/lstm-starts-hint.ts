/**
 * The reason behind a shape error of an LSTM's fixed-point starts that hold h alone. @internal
 */

/**
 * Runs `f`; a shape error of an LSTM's starts whose points have H = dim/2 coordinates (rnnForward's
 * `states`, h alone) gets the reason and the fix: the state is [h; c].
 */
export function withLstmHint(f: () => Float64Array, systemOrRnn: unknown, dim: number): Float64Array {
  try {
    return f();
  } catch (e) {
    const lstm = systemOrRnn !== null && typeof systemOrRnn === 'object' && (systemOrRnn as { cell?: unknown }).cell === 'lstm';
    if (!lstm || !(e instanceof RangeError) || !new RegExp(`got (shape \\[(\\d+,)*${dim / 2}\\]|${dim / 2})$`).test(e.message)) throw e;
    throw new RangeError(`${e.message}: an LSTM's state is [h; c] (2H = ${dim}), and rnnForward's \`states\` hold h alone; put its \`cells\` beside them, each row [h_t, c_t] (docs/gated.md)`);
  }
}
