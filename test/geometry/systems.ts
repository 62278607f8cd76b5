/** Small dynamical systems with closed-form fixed points and cycles, for the geometry tests. */
import type { DynamicalSystem } from '../../src/core/system.js';

/** h' = tanh(w·h) coordinate-wise (W = w·I). */
export function diagonalTanh(dim: number, w: number): DynamicalSystem {
  return {
    dim,
    step(x, _t, out) {
      for (let i = 0; i < dim; i++) out[i] = Math.tanh(w * x[i]!);
    },
    jacobian(x, _t, out) {
      out.fill(0);
      for (let i = 0; i < dim; i++) {
        const c = Math.cosh(w * x[i]!);
        out[i * dim + i] = w / (c * c);
      }
    },
  };
}

/** The positive root x* of x = tanh(w x), w > 1, by bisection to full precision. */
export function tanhRoot(w: number): number {
  let lo = 1e-3;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (Math.tanh(w * mid) - mid > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** F(x) = A x + b, A row-major dim×dim. */
export function affine(A: number[][], b: number[]): DynamicalSystem {
  const dim = b.length;
  return {
    dim,
    step(x, _t, out) {
      for (let i = 0; i < dim; i++) {
        let s = b[i]!;
        for (let j = 0; j < dim; j++) s += A[i]![j]! * x[j]!;
        out[i] = s;
      }
    },
    jacobian(_x, _t, out) {
      for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = A[i]![j]!;
    },
  };
}

/** Hénon map (a, b) = (1.4, 0.3). */
export const henon: DynamicalSystem = {
  dim: 2,
  step: (x, _t, out) => {
    const x0 = x[0]!;
    out[0] = 1 - 1.4 * x0 * x0 + x[1]!;
    out[1] = 0.3 * x0;
  },
  jacobian: (x, _t, out) => {
    out[0] = -2.8 * x[0]!;
    out[1] = 1;
    out[2] = 0.3;
    out[3] = 0;
  },
};

/** Two-unit rotation network h' = tanh(g R(θ) h). */
export function rotationTanh(g: number, theta: number): DynamicalSystem {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return {
    dim: 2,
    step(x, _t, out) {
      out[0] = Math.tanh(g * (c * x[0]! - s * x[1]!));
      out[1] = Math.tanh(g * (s * x[0]! + c * x[1]!));
    },
    jacobian(x, _t, out) {
      const a0 = g * (c * x[0]! - s * x[1]!);
      const a1 = g * (s * x[0]! + c * x[1]!);
      const d0 = 1 / Math.cosh(a0) ** 2;
      const d1 = 1 / Math.cosh(a1) ** 2;
      out[0] = d0 * g * c;
      out[1] = -d0 * g * s;
      out[2] = d1 * g * s;
      out[3] = d1 * g * c;
    },
  };
}

/**
 * Rotation-equivariant map x' = tanh(g‖x‖)·R(θ)x/‖x‖: the circle of radius r* = tanh(g r*) is
 * invariant and rotated rigidly by θ, so for θ = 2π/p every point on it has period p with Floquet
 * multipliers 1 (along the circle) and (g·sech²(g r*))^p (radial).
 */
export function radialRotation(g: number, theta: number): DynamicalSystem {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return {
    dim: 2,
    step(x, _t, out) {
      const r = Math.hypot(x[0]!, x[1]!);
      const f = r > 0 ? Math.tanh(g * r) / r : g;
      out[0] = f * (c * x[0]! - s * x[1]!);
      out[1] = f * (s * x[0]! + c * x[1]!);
    },
    jacobian(x, _t, out) {
      // F = R · (f(r) x), d(f x)/dx = f I + f'(r) x xᵀ / r
      const r = Math.hypot(x[0]!, x[1]!);
      const f = r > 0 ? Math.tanh(g * r) / r : g;
      const fp = r > 0 ? (g / Math.cosh(g * r) ** 2 - f) / r : 0;
      const m00 = f + (r > 0 ? (fp * x[0]! * x[0]!) / r : 0);
      const m01 = r > 0 ? (fp * x[0]! * x[1]!) / r : 0;
      const m11 = f + (r > 0 ? (fp * x[1]! * x[1]!) / r : 0);
      out[0] = c * m00 - s * m01;
      out[1] = c * m01 - s * m11;
      out[2] = s * m00 + c * m01;
      out[3] = s * m01 + c * m11;
    },
  };
}

/** The plane rotation by `angle`: period 2π/angle when that is an integer, quasi-periodic when irrational. */
export function rotation(angle: number): DynamicalSystem {
  const c = Math.cos(angle), s = Math.sin(angle);
  return {
    dim: 2,
    step: (x, _t, o) => { o[0] = c * x[0]! - s * x[1]!; o[1] = s * x[0]! + c * x[1]!; },
    jacobian: (_x, _t, J) => { J[0] = c; J[1] = -s; J[2] = s; J[3] = c; },
  };
}
