/**
 * t-SNE's objective KL(P‖Q) and its gradient, exact (O(n²)) and Barnes–Hut (O(n log n)).
 *
 * With α degrees of freedom (α = max(dims − 1, 1), as scikit-learn), u_ij = 1/(1 + ‖y_i − y_j‖²/α),
 * w_ij = u_ij^{(α+1)/2}, Z = Σ_{k≠l} w_kl and q_ij = w_ij / Z, the gradient is
 * ∂C/∂y_i = (2(α+1)/α) Σ_j (p_ij − q_ij) u_ij (y_i − y_j)
 * (van der Maaten 2009, "Learning a parametric embedding by preserving local structure"; for α = 1
 * it is the familiar 4 Σ_j (p_ij − q_ij)(1 + d²)⁻¹(y_i − y_j)).
 */
import type { Csr } from './sparse.js';
import { spTreeRepulsion, buildSpTree, type SpTree } from './sptree.js';
import { rowDist2 } from './distance.js';

/** The heavy-tailed similarity 1/(1 + |y_i − y_j|²/α) of rows io and jo of Y (D columns). */
function heavyTail(Y: Float64Array, io: number, jo: number, D: number, invAlpha: number): number {
  return 1 / (1 + rowDist2(Y, io, jo, D) * invAlpha);
}

/** Smallest probability used inside logarithms (scikit-learn's MACHINE_EPSILON). */
export const P_FLOOR = 2.220446049250313e-16;

/**
 * Exact gradient: writes `grad` (n×dims) for the dense symmetric P (n×n, zero diagonal, summing to 1)
 * scaled by `exaggeration`, and returns KL(exaggeration·P ‖ Q).
 */
export function exactKlGradient(
  P: Float64Array, Y: Float64Array, n: number, D: number, alpha: number, exaggeration: number,
  grad: Float64Array, neg: Float64Array, computeKl = true,
): number {
  const invAlpha = 1 / alpha;
  const expo = (alpha + 1) / 2;
  const studentOne = alpha === 1;
  grad.fill(0, 0, n * D);
  neg.fill(0, 0, n * D);
  let Z = 0;
  if (D === 2) {
    for (let i = 0; i < n; i++) {
      const xi = Y[2 * i], yi = Y[2 * i + 1];
      const Prow = i * n;
      let gx = 0, gy = 0, nx = 0, ny = 0;
      for (let j = i + 1; j < n; j++) {
        const dx = xi - Y[2 * j], dy = yi - Y[2 * j + 1];
        const u = 1 / (1 + (dx * dx + dy * dy) * invAlpha);
        const w = studentOne ? u : Math.pow(u, expo);
        Z += 2 * w;
        const pf = P[Prow + j] * u;
        const wf = w * u;
        gx += pf * dx; gy += pf * dy;
        nx += wf * dx; ny += wf * dy;
        grad[2 * j] -= pf * dx; grad[2 * j + 1] -= pf * dy;
        neg[2 * j] -= wf * dx; neg[2 * j + 1] -= wf * dy;
      }
      grad[2 * i] += gx; grad[2 * i + 1] += gy;
      neg[2 * i] += nx; neg[2 * i + 1] += ny;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const io = i * D;
      for (let j = i + 1; j < n; j++) {
        const jo = j * D;
        const u = heavyTail(Y, io, jo, D, invAlpha);
        const w = studentOne ? u : Math.pow(u, expo);
        Z += 2 * w;
        const pf = P[i * n + j] * u;
        const wf = w * u;
        for (let k = 0; k < D; k++) {
          const t = Y[io + k] - Y[jo + k];
          grad[io + k] += pf * t;
          grad[jo + k] -= pf * t;
          neg[io + k] += wf * t;
          neg[jo + k] -= wf * t;
        }
      }
    }
  }
  const c = (2 * (alpha + 1)) / alpha;
  const invZ = 1 / Z;
  for (let e = 0; e < n * D; e++) grad[e] = c * (exaggeration * grad[e] - neg[e] * invZ);
  if (!computeKl) return NaN;
  // KL with the current Z
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const io = i * D;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const p = exaggeration * P[i * n + j];
      if (p <= 0) continue;
      const jo = j * D;
      const d2 = rowDist2(Y, io, jo, D);
      const u = 1 / (1 + d2 * invAlpha);
      const w = studentOne ? u : Math.pow(u, expo);
      kl += p * Math.log(Math.max(p, P_FLOOR) / Math.max(w * invZ, P_FLOOR));
    }
  }
  return kl;
}

/** Z = Σ_{i≠j} w_ij computed exactly, O(n²). */
export function exactNormalizer(Y: Float64Array, n: number, D: number, alpha: number): number {
  const invAlpha = 1 / alpha;
  const expo = (alpha + 1) / 2;
  let Z = 0;
  for (let i = 0; i < n; i++) {
    const io = i * D;
    for (let j = i + 1; j < n; j++) {
      const u = heavyTail(Y, io, j * D, D, invAlpha);
      Z += 2 * (alpha === 1 ? u : Math.pow(u, expo));
    }
  }
  return Z;
}

/** KL(P‖Q) for a sparse P (summing to 1) given the normalizer Z. */
export function sparseKl(P: Csr, Y: Float64Array, D: number, alpha: number, Z: number, exaggeration = 1): number {
  const invAlpha = 1 / alpha;
  const expo = (alpha + 1) / 2;
  let kl = 0;
  for (let i = 0; i < P.rows; i++) {
    const io = i * D;
    for (let e = P.indptr[i]; e < P.indptr[i + 1]; e++) {
      const j = P.indices[e];
      if (j === i) continue;
      const p = exaggeration * P.values[e];
      if (p <= 0) continue;
      const jo = j * D;
      const d2 = rowDist2(Y, io, jo, D);
      const u = 1 / (1 + d2 * invAlpha);
      const w = alpha === 1 ? u : Math.pow(u, expo);
      kl += p * Math.log(Math.max(p, P_FLOOR) / Math.max(w / Z, P_FLOOR));
    }
  }
  return kl;
}

/**
 * Barnes–Hut gradient: attraction exactly over the sparse P, repulsion through the tree (rebuilt on
 * Y). Writes `grad` (n×dims) and returns Z (the tree's estimate of Σ_{i≠j} w_ij).
 */
export function bhGradient(
  P: Csr, Y: Float64Array, D: number, alpha: number, exaggeration: number, theta: number,
  tree: SpTree, grad: Float64Array, neg: Float64Array,
): number {
  const n = P.rows;
  buildSpTree(tree, Y);
  const Z = spTreeRepulsion(tree, Y, theta, alpha, neg);
  const invAlpha = 1 / alpha;
  const c = (2 * (alpha + 1)) / alpha;
  const invZ = 1 / Z;
  const { indptr, indices, values } = P;
  if (D === 2) {
    for (let i = 0; i < n; i++) {
      const y0 = Y[2 * i], y1 = Y[2 * i + 1];
      let f0 = 0, f1 = 0;
      for (let e = indptr[i]; e < indptr[i + 1]; e++) {
        const j = indices[e];
        const t0 = y0 - Y[2 * j], t1 = y1 - Y[2 * j + 1];
        const pf = values[e] / (1 + (t0 * t0 + t1 * t1) * invAlpha);
        f0 += pf * t0;
        f1 += pf * t1;
      }
      grad[2 * i] = c * (exaggeration * f0 - neg[2 * i] * invZ);
      grad[2 * i + 1] = c * (exaggeration * f1 - neg[2 * i + 1] * invZ);
    }
    return Z;
  }
  const f = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    const io = i * D;
    f.fill(0);
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      const jo = indices[e] * D;
      const d2 = rowDist2(Y, io, jo, D);
      const pf = values[e] / (1 + d2 * invAlpha);
      for (let k = 0; k < D; k++) f[k] += pf * (Y[io + k] - Y[jo + k]);
    }
    for (let k = 0; k < D; k++) grad[io + k] = c * (exaggeration * f[k] - neg[io + k] * invZ);
  }
  return Z;
}
