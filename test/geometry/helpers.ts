/** Shared generators for the geometry tests. */
import { createRng } from '../../src/core/rng.js';

/** n×d standard Gaussian cloud, row-major float64. */
export function gaussianCloud(n: number, d: number, seed: number, scale = 1, offset = 0): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = offset + scale * rng.normal();
  return x;
}

/** r orthonormal rows of length d (Gram–Schmidt on Gaussian vectors), row-major r×d. */
export function orthonormalRows(r: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const q = new Float64Array(r * d);
  for (let i = 0; i < r; i++) {
    for (let p = 0; p < d; p++) q[i * d + p] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let p = 0; p < d; p++) dot += q[i * d + p]! * q[j * d + p]!;
        for (let p = 0; p < d; p++) q[i * d + p]! -= dot * q[j * d + p]!;
      }
    }
    let nn = 0;
    for (let p = 0; p < d; p++) nn += q[i * d + p]! ** 2;
    nn = Math.sqrt(nn);
    for (let p = 0; p < d; p++) q[i * d + p]! /= nn;
  }
  return q;
}

/** Uniform points on a random 2-plane (unit square) embedded in `ambient` dimensions. */
export function planeIn(n: number, ambient: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const q = orthonormalRows(2, ambient, seed + 1000);
  const x = new Float64Array(n * ambient);
  for (let i = 0; i < n; i++) {
    const u = rng();
    const v = rng();
    for (let p = 0; p < ambient; p++) x[i * ambient + p] = u * q[p]! + v * q[ambient + p]!;
  }
  return x;
}

/** Swiss roll (t ∈ [1.5π, 4.5π], height ∈ [0, 21]) isometrically placed in `ambient` dimensions. */
export function swissRollIn(n: number, ambient: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const q = orthonormalRows(3, ambient, seed + 2000);
  const x = new Float64Array(n * ambient);
  for (let i = 0; i < n; i++) {
    const t = 1.5 * Math.PI * (1 + 2 * rng());
    const h = 21 * rng();
    const v = [t * Math.cos(t), h, t * Math.sin(t)];
    for (let p = 0; p < ambient; p++) {
      x[i * ambient + p] = v[0]! * q[p]! + v[1]! * q[ambient + p]! + v[2]! * q[2 * ambient + p]!;
    }
  }
  return x;
}
