/**
 * The PHATE pipeline from a symmetric affinity graph (Moon et al. 2019): diffusion operator,
 * automatic diffusion time (knee of the von Neumann entropy), diffusion potential, potential
 * distances, classical then metric MDS, and landmarks for large graphs. Shared by phate, mPhate and
 * mmPhate, which differ only in how the graph is built.
 */
import { classicalMdsRaw } from './classical-mds.js';
import { diffusionEntropy } from './diffusion-time.js';
import { findKnee } from './entropy.js';
import { hasSpread, procrustesRaw } from './procrustes.js';
import { sgdMdsRaw } from './sgd-mds.js';
import { landmarkClusters, landmarkGraph } from './landmarks.js';
import { pairwiseDistances, smacofRaw } from './mds.js';
import { csrPowerColumns, csrRowNormalize, csrRowSums, csrTimesDense, csrToDense, type Csr } from './sparse.js';
import { gemmRaw } from '../../core/gemm.js';

/** Options of the PHATE core (all checked by the public wrappers). */
export interface DiffusionEmbeddingOptions {
  t: number | 'auto';
  tMax: number;
  gamma: number;
  components: number;
  /** Landmark count, or 0 for none; used only when the graph has more nodes. */
  landmarks: number;
  nSvd: number;
  mds: 'metric' | 'classic';
  /** Metric-MDS solver: SMACOF (scikit-learn's, as PHATE's `mds_solver='smacof'`) or s_gd2's SGD. */
  mdsSolver: 'smacof' | 'sgd';
  /** Seed of the SGD solver's Mersenne Twister (PHATE passes its `random_state`). */
  sgdSeed: number;
  mdsMaxIter: number;
  mdsTol: number;
  /** Exact eigenvalues for the entropy up to this operator size, Lanczos quadrature beyond. */
  vneExactMax: number;
  rng: () => number;
  progress: (phase: string, done: number, total: number, value?: number) => void;
  check: () => void;
  /** The user-called function, for messages (default 'phate'). */
  name?: string;
}

/** Everything the pipeline computed, for inspection. */
export interface DiffusionEmbedding {
  /** Row-major n×components coordinates. */
  embedding: Float64Array;
  /** The diffusion time used. */
  t: number;
  /** H(t) for t = 1..tMax when t was chosen automatically (else empty). */
  entropy: Float64Array;
  /** Landmark group of each node, when landmarks were used. */
  clusters?: Int32Array;
  /** Size of the operator that was powered (n, or the number of landmarks). */
  operatorSize: number;
  /** Final metric-MDS stress (NaN for classic MDS). */
  stress: number;
  /** The MDS coordinates of the operator's nodes (the landmarks' when landmarks were used). */
  operatorEmbedding: Float64Array;
}

/** Unchecked: the PHATE embedding of the symmetric affinity matrix K (n×n, non-negative, sparse). */
export function diffusionEmbedding(K: Csr, o: DiffusionEmbeddingOptions): DiffusionEmbedding {
  const n = K.rows;
  let W = K;
  let transitions: Csr | undefined;
  let clusters: Int32Array | undefined;
  if (o.landmarks > 0 && n > o.landmarks) {
    o.progress('landmarks', 0, 2);
    const km = landmarkClusters(K, o.landmarks, o.nSvd, o.rng, o.check);
    o.progress('landmarks', 1, 2);
    const lg = landmarkGraph(K, km.labels, km.groups);
    W = lg.affinity;
    transitions = lg.transitions;
    clusters = km.labels;
    o.progress('landmarks', 2, 2);
  }
  const m = W.rows;
  const P = csrRowNormalize(W);

  // diffusion time
  let t: number;
  let entropy: Float64Array = new Float64Array(0);
  if (o.t === 'auto') {
    o.progress('entropy', 0, 1);
    entropy = diffusionEntropy(W, o.tMax, o.vneExactMax, o.rng);
    // as PHATE: the knee is located on x = 0..tMax−1 and that index is used as t
    t = Math.max(1, findKnee(entropy));
    o.progress('entropy', 1, 1);
  } else {
    t = o.t;
  }
  o.check();

  const X = operatorPower(P, t, 'auto', o);
  const Y = new Float64Array(m * m);
  // potential
  const g = o.gamma;
  if (g === 1) {
    for (let e = 0; e < m * m; e++) X[e] = -Math.log(Math.max(X[e], 0) + 1e-7);
  } else if (g !== -1) {
    const c = (1 - g) / 2;
    for (let e = 0; e < m * m; e++) X[e] = Math.pow(Math.max(X[e], 0), c) / c;
  }
  o.progress('mds', 0, 1);
  const D = pairwiseDistances(X, m, m, Y);
  o.check();
  // a potential the same for every node leaves nothing to embed, for the classical MDS as for the metric one
  if (!D.some((v) => v > 0)) throw samePotential(o.name ?? 'phate');
  // as PHATE's embed_MDS: classical MDS (PHATE's scaling) initializes metric MDS, whose result is
  // returned Procrustes-aligned to (and at the unit scale of) the standardized classical solution
  const classic = classicalMdsRaw(D, m, o.components, o.rng, 'phate');
  let Z: Float64Array = classic;
  let stress = NaN;
  if (o.mds === 'metric') {
    let Y0 = Float64Array.from(classic);
    let last = Date.now();
    let useSmacof = o.mdsSolver === 'smacof' || o.components !== 2;
    if (!useSmacof) {
      // s_gd2 is 2-D only; like PHATE, fall back to SMACOF when it returns non-finite coordinates
      sgdMdsRaw(D, m, Y0, o.sgdSeed, 30, 0.01, (e) => { o.progress('mds', e, 30); o.check(); });
      if (!Y0.every(Number.isFinite)) { useSmacof = true; Y0 = Float64Array.from(classic); }
    }
    if (useSmacof) {
      const res = smacofRaw(D, m, Y0, o.components, o.mdsMaxIter, o.mdsTol, (it, s) => {
        const now = Date.now();
        if (now - last >= 100) {
          last = now;
          o.progress('mds', it, o.mdsMaxIter, s);
          o.check();
        }
      });
      stress = res.stress;
    }
    Z = alignedToClassic(classic, Y0, m, o.components, o.name ?? 'phate');
  }
  o.progress('mds', 1, 1);
  const operatorEmbedding = Z;
  if (transitions) Z = csrTimesDense(transitions, Z, o.components, new Float64Array(n * o.components));
  return { embedding: Z, t, entropy, clusters, operatorSize: m, stress, operatorEmbedding };
}

/**
 * Pᵗ as a dense m×m matrix. A sparse P is carried through the t products column block by column
 * block (cache-resident); a dense one (e.g. the landmark operator of a highly connected graph) is
 * powered by repeated squaring with gemm. `'auto'` picks whichever costs fewer multiply-adds (gemm
 * counted 3× faster per multiply-add).
 */
export function operatorPower(
  P: Csr, t: number, mode: 'auto' | 'sparse' | 'dense',
  o: Pick<DiffusionEmbeddingOptions, 'progress' | 'check'> = { progress: () => {}, check: () => {} },
): Float64Array {
  const m = P.rows;
  const nnz = P.indptr[m];
  let bits = 0, ones = 0;
  for (let e = t; e > 0; e >>= 1) { bits++; if (e & 1) ones++; }
  const denseMults = bits - 1 + ones - 1;
  const X = new Float64Array(m * m);
  if (mode === 'dense' || (mode === 'auto' && (denseMults * m * m * m) / 3 < t * nnz * m)) {
    powerDense(P, t, X, new Float64Array(m * m), o);
    return X;
  }
  const cb = Math.min(m, 64);
  const blk = new Float64Array(m * cb);
  const work = new Float64Array(m * cb);
  for (let c0 = 0; c0 < m; c0 += cb) {
    const c = Math.min(cb, m - c0);
    csrPowerColumns(P, t, c0, c, blk, work);
    for (let i = 0; i < m; i++) for (let q = 0; q < c; q++) X[i * m + c0 + q] = blk[i * c + q];
    o.progress('diffusion', c0 + c, m);
    o.check();
  }
  return X;
}

/** out = Pᵗ by binary powering with gemm (P given sparse, densified); `work` is scratch (m×m). */
function powerDense(
  P: Csr, t: number, out: Float64Array, work: Float64Array, o: Pick<DiffusionEmbeddingOptions, 'progress' | 'check'>,
): void {
  const m = P.rows;
  let base: Float64Array = csrToDense(P);
  const tmp = work;
  let result: Float64Array | undefined;
  let e = t;
  let step = 0;
  let spare: Float64Array = new Float64Array(m * m);
  while (e > 0) {
    if (e & 1) {
      if (!result) {
        out.set(base);
        result = out;
      } else {
        gemmRaw(false, false, m, m, m, 1, result, m, base, m, 0, tmp, m);
        result.set(tmp);
      }
    }
    e >>= 1;
    if (e > 0) {
      gemmRaw(false, false, m, m, m, 1, base, m, base, m, 0, spare, m);
      const sw = base; base = spare; spare = sw;
    }
    o.progress('diffusion', ++step, Math.ceil(Math.log2(t + 1)));
    o.check();
  }
  if (result !== out) out.set(result!);
}

/**
 * The metric-MDS coordinates aligned to the classical ones (Procrustes, as PHATE does); a potential
 * that is the same for every node (all points equal, or closer than the kernel resolves) leaves
 * nothing to align, said in the caller's terms rather than as Procrustes' configuration (each
 * configuration is tested first). @internal
 */
export function alignedToClassic(classic: Float64Array, Y0: Float64Array, m: number, components: number, name: string): Float64Array {
  if (!hasSpread(classic, m, components) || !hasSpread(Y0, m, components)) throw samePotential(name);
  return procrustesRaw(classic, Y0, m, components).b;
}

/** The refusal of a diffusion potential that is the same for every node. */
function samePotential(name: string): RangeError {
  return new RangeError(`${name}: every point has the same diffusion potential (the points are all equal, or their neighbour distances are below the kernel's floor on σ_k, 2.2e-16 × the largest |coordinate| to within a factor 2), so there is nothing to embed`);
}
