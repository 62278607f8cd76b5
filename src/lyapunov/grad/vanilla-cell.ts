/**
 * The vanilla RNN cell h' = φ(W·h + U·x + b) as a differentiable cell for the exponent gradients:
 * its one-step map, its tangent map Z = diag(φ'(a))·W·Q and the reverse mode of both. A gated cell
 * plugs in by implementing {@link DifferentiableCell}. @internal
 */
import type { Activation } from '../../rnn/types.js';
import type { ZeroSet } from '../../core/zero-set.js';
import { createZeroColumns } from '../../rnn/zero-columns.js';
import { matTimesColMajor } from './mat.js';

/** A recurrent cell as the exponent gradients see it (float64, column-major frames). @internal */
export interface DifferentiableCell {
  readonly dim: number;
  readonly inputSize: number;
  /** Floats cached per step by `step` (read back by `tangent` and `backward`). */
  readonly cacheSize: number;
  /** Parameter arrays (float64 copies) in the order of `grads` in `backward`. */
  readonly params: Float64Array[];
  /** out = F(h, x); fills `cache`. */
  step(h: Float64Array, x: Float64Array, out: Float64Array, cache: Float64Array): void;
  /**
   * The Jacobian as a product of factors at the steps where one product J·q loses directions (an
   * LSTM gate saturated: f or |βo| below 2⁻²⁰, or f·|βo| below 2⁻³⁰, as `lyapunovSpectrum` factors them): the frame is
   * re-orthonormalized after each factor and the step's log R_ii are the factors' sums.
   */
  readonly factors?: CellFactors;
  /**
   * J's exactly zero columns at a step (absent when there can be none): they cap its rank, which
   * J·Q, whose zero rows are J's, cannot show (the rank bound of `lyapunovSpectrum`, rank-bound.ts).
   */
  readonly zeroColumns?: ZeroColumns;
  /** z = J·q (column-major n×k) at the step from state h (with its cache). */
  tangent(h: Float64Array, cache: Float64Array, q: Float64Array, k: number, z: Float64Array): void;
  /**
   * Reverse of one step: from hNextBar (adjoint of F(h, x)) and zBar (adjoint of J·q, or null),
   * writes hBar and qBar (when zBar is given) and adds the parameter adjoints to `grads`.
   */
  backward(
    h: Float64Array, x: Float64Array, cache: Float64Array, q: Float64Array | null, k: number,
    hNextBar: Float64Array, zBar: Float64Array | null, hBar: Float64Array, qBar: Float64Array | null,
    grads: Float64Array[],
  ): void;
}

/** The exactly zero columns of a cell's Jacobian (units feeding nothing). @internal */
export interface ZeroColumns {
  /** The columns of J that are exactly zero at the step (from its cache): a set of the cell's own, rewritten by the next call. */
  set(cache: Float64Array): ZeroSet;
  /** Why such a column is zero, as a message ends "units 0, 1 … <why>". */
  readonly why: string;
}

/** J = F_{count−1}·…·F_1·F_0 at a graded step, with the reverse mode of each factor. @internal */
export interface CellFactors {
  readonly count: number;
  /** True when the step (from its cache) is to be taken as factors. */
  graded(cache: Float64Array): boolean;
  /** z = F_f·q (column-major n×k) at the step from state h. */
  apply(f: number, h: Float64Array, cache: Float64Array, q: Float64Array, k: number, z: Float64Array): void;
  /**
   * Reverse of one graded step: `begin(hBar)`, then `applyBar` for f = count−1 … 0 (qBar, the
   * adjoint of q, overwritten; the coefficients' adjoints kept), then `finish` as `backward` ends.
   */
  begin(hBar: Float64Array): void;
  applyBar(f: number, h: Float64Array, cache: Float64Array, q: Float64Array, k: number, zBar: Float64Array, qBar: Float64Array, grads: Float64Array[], hBar: Float64Array): void;
  finish(h: Float64Array, x: Float64Array, cache: Float64Array, hNextBar: Float64Array, hBar: Float64Array, grads: Float64Array[]): void;
}

/** The vanilla cell over float64 copies w (n×n), u (n×ni), b (n), all row-major. @internal */
export function vanillaCell(act: Activation, n: number, ni: number, w: Float64Array, u: Float64Array, b: Float64Array): DifferentiableCell {
  const p = new Float64Array(n); // W·q column
  const aBar = new Float64Array(n);
  // cache layout: φ''(a) (n), φ'(a) (n)
  const zeroColumnsOf = createZeroColumns(n, w); // undefined for a W without a zero entry
  const zeroColumns: ZeroColumns | undefined = zeroColumnsOf && {
    set(cache) {
      const d = cache.subarray(n, 2 * n);
      let min = Infinity;
      for (let i = 0; i < n; i++) if (d[i] < min) min = d[i];
      return zeroColumnsOf(d, min);
    },
    why: 'feed no other unit, or only units off',
  };
  return {
    dim: n,
    inputSize: ni,
    cacheSize: 2 * n,
    params: [u, w, b],
    ...(zeroColumns ? { zeroColumns } : {}),
    step(h, x, out, cache) {
      for (let i = 0; i < n; i++) {
        let s = b[i];
        const r = i * n;
        for (let l = 0; l < n; l++) s += w[r + l] * h[l];
        const ru = i * ni;
        for (let l = 0; l < ni; l++) s += u[ru + l] * x[l];
        if (act === 'tanh') {
          const c = Math.cosh(s), th = Math.tanh(s);
          cache[n + i] = 1 / (c * c);
          cache[i] = -2 * th * cache[n + i]; // φ''(a)
          out[i] = th;
        } else if (act === 'relu') {
          cache[n + i] = s > 0 ? 1 : 0;
          cache[i] = 0;
          out[i] = s > 0 ? s : 0;
        } else {
          cache[n + i] = 1;
          cache[i] = 0;
          out[i] = s;
        }
      }
    },
    tangent(_h, cache, q, k, z) {
      matTimesColMajor(n, n, k, w, q, z);
      for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) z[j * n + i] *= cache[n + i];
    },
    backward(h, x, cache, q, k, hNextBar, zBar, hBar, qBar, grads) {
      const [gu, gw, gb] = grads;
      for (let i = 0; i < n; i++) aBar[i] = hNextBar[i] * cache[n + i];
      if (zBar !== null && q !== null && qBar !== null) {
        qBar.fill(0, 0, n * k);
        for (let j = 0; j < k; j++) {
          const o = j * n;
          matTimesColMajor(n, n, 1, w, q.subarray(o, o + n), p);
          for (let i = 0; i < n; i++) {
            const zb = zBar[o + i];
            if (zb === 0) continue;
            // Z_ij = d_i·P_ij: d̄_i += Z̄_ij P_ij, P̄_ij = d_i Z̄_ij → W̄ += P̄·Qᵀ, Q̄ = Wᵀ·P̄
            aBar[i] += zb * p[i] * cache[i];
            const pb = cache[n + i] * zb;
            if (pb === 0) continue;
            const r = i * n;
            for (let l = 0; l < n; l++) {
              gw[r + l] += pb * q[o + l];
              qBar[o + l] += w[r + l] * pb;
            }
          }
        }
      }
      hBar.fill(0);
      for (let i = 0; i < n; i++) {
        const ab = aBar[i];
        if (ab === 0) continue;
        gb[i] += ab;
        const r = i * n;
        for (let l = 0; l < n; l++) {
          gw[r + l] += ab * h[l];
          hBar[l] += w[r + l] * ab;
        }
        const ru = i * ni;
        for (let l = 0; l < ni; l++) gu[ru + l] += ab * x[l];
      }
    },
  };
}
