/**
 * Squared Euclidean distance between two rows of one row-major matrix (offsets io, jo, length d):
 * the inner loop shared by the exact kernels of PHATE and t-SNE — geometry's one distance kernel
 * (../distance.ts) on a single matrix, with the same sum in the same order.
 */
import type { FloatArray } from '../../core/errors.js';
import { squaredDistanceRaw } from '../distance.js';

export function rowDist2(x: FloatArray, io: number, jo: number, d: number): number {
  return squaredDistanceRaw(x, io, x, jo, d);
}
