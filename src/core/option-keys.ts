/**
 * The known options of core's public functions, typed from their option interfaces (or signatures)
 * so a list cannot drift from its interface (see `optionKeys`). Internal: not re-exported. @internal
 */
import type { MatmulOptions } from './gemm.js';
import type { GemvOptions } from './gemv.js';
import type { ToTensorOptions } from './input.js';
import type { EigenvaluesOptions } from './linalg/eigenvalues.js';
import type { QrOptions } from './linalg/qr.js';
import type { SvdOptions } from './linalg/svd.js';
import type { SymmetricEigenOptions } from './linalg/symmetric-eigen.js';
import { optionKeys } from './options.js';
import type { randn, randu } from './tensor.js';

export const MATMUL_KEYS = optionKeys<MatmulOptions>({ transA: true, transB: true, alpha: true, beta: true, out: true });
export const GEMV_KEYS = optionKeys<GemvOptions>({ trans: true, alpha: true, beta: true, out: true });
export const RANDN_KEYS = optionKeys<NonNullable<Parameters<typeof randn>[1]>>({ mean: true, std: true, seed: true, rng: true });
export const RANDU_KEYS = optionKeys<NonNullable<Parameters<typeof randu>[1]>>({ low: true, high: true, seed: true, rng: true });
export const TO_TENSOR_KEYS = optionKeys<ToTensorOptions>({ rank: true, dims: true, finite: true });
export const QR_KEYS = optionKeys<QrOptions>({ q: true, applyQt: true });
export const SVD_KEYS = optionKeys<SvdOptions>({ vectors: true });
export const EIGENVALUES_KEYS = optionKeys<EigenvaluesOptions>({ balance: true });
export const SYMMETRIC_EIGEN_KEYS = optionKeys<SymmetricEigenOptions>({ vectors: true, symmetryTolerance: true });
