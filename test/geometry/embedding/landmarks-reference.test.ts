/**
 * landmarkClusters against graphtools 2.1.0's LandmarkGraph (inside phate 1.0.11, scikit-learn 1.2.1),
 * replaying the reference's own random draws: the fixtures (scripts/fixtures/phate-landmarks.py)
 * record the Gaussian block of scikit-learn's randomized_svd and every draw of its MiniBatchKMeans
 * on a 2000-point tree with 300 landmarks, random_state 0 and 1. Fed those draws, our spectral
 * clustering is graphtools': the same partition label for label, the same landmark operator (its
 * von Neumann entropy curve as PHATE computes it) and the same automatic t. Free-running, the two
 * sides draw different streams, and the partition (and t) differ in distribution only.
 *
 * The 2.2e5 normals are regenerated here (NumPy's legacy RandomState.normal: MT19937 seeded as
 * RandomState(seed), Marsaglia's polar method, the cached second value returned next) and checked
 * against the values the fixture stores; each normal z is fed to eigs.ts's Box–Muller as the pair
 * (exp(−z²/2), 0 or ½), which it maps back to z to rounding.
 *
 * Exactness needs centres that do not coincide to rounding: where landmarks are nearly as many as
 * points (n = 3000, 2000 landmarks) many k-means centres sit on the same rows, scikit-learn's
 * ‖c‖² − 2x·c (OpenBLAS gemm) rounding picks among centres 1e-33 apart (in 60–120 of each 3000-row
 * batch its label is not the exact nearest centre), and no replay is label for label (ARI 0.95).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffusionEntropy } from '../../../src/geometry/embedding/diffusion-time.js';
import { findKnee } from '../../../src/geometry/embedding/entropy.js';
import { alphaDecayKernelRaw } from '../../../src/geometry/embedding/kernel.js';
import { landmarkClusters, landmarkGraph } from '../../../src/geometry/embedding/landmarks.js';
import { Mt19937 } from '../../../src/geometry/embedding/sgd-mds.js';
import { createRng } from '../../../src/core/rng.js';

const dir = new URL('../../fixtures/phate-landmarks/', import.meta.url);
const bytes = (name: string): ArrayBuffer => {
  const b = readFileSync(new URL(name, dir));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};

interface LandmarkFixture {
  n: number; d: number; nLandmark: number; nSvd: number; knn: number; decay: number; randomState: number;
  normals: { count: number; at: number[]; values: number[] };
  segments: ['i' | 'f', number, number][];
  groups: number; labels: number[]; entropy: number[]; t: number;
}

/** NumPy's legacy RandomState(seed).normal(size = count): MT19937, rk_double, the polar method. */
function numpyNormals(seed: number, count: number): Float64Array {
  const mt = new Mt19937(seed);
  const double = (): number => ((mt.next() >>> 5) * 67108864 + (mt.next() >>> 6)) / 9007199254740992;
  const out = new Float64Array(count);
  for (let e = 0; e < count; e += 2) {
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * double() - 1;
      x2 = 2 * double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    out[e] = f * x2; // returned first; f·x1 is cached and returned by the next call
    if (e + 1 < count) out[e + 1] = f * x1;
  }
  return out;
}

/** The uniform stream our landmarkClusters consumes for the recorded reference run. */
function replayStream(r: LandmarkFixture, z: Float64Array, name: string): Float64Array {
  const ints = new Uint16Array(bytes(`${name}.ints.u16`));
  const floats = new Float64Array(bytes(`${name}.floats.f64`));
  const u = new Float64Array(2 * z.length + ints.length + floats.length);
  let k = 0;
  for (const v of z) {
    u[k++] = Math.min(Math.exp(-0.5 * v * v), 1 - 2 ** -53);
    u[k++] = v >= 0 ? 0 : 0.5;
  }
  let a = 0, b = 0;
  for (const [kind, of, count] of r.segments) {
    if (kind === 'i') for (let q = 0; q < count; q++) u[k++] = (ints[a++]! + 0.5) / of;
    else for (let q = 0; q < count; q++) u[k++] = floats[b++]!;
  }
  expect(a).toBe(ints.length);
  expect(b).toBe(floats.length);
  expect(k).toBe(u.length);
  return u;
}

function load(name: string): { r: LandmarkFixture; u: Float64Array; X: Float64Array } {
  const r = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as LandmarkFixture;
  const z = numpyNormals(r.randomState, r.normals.count);
  const X = Float64Array.from(new Float32Array(bytes('tree.f32')));
  return { r, u: replayStream(r, z, name), X };
}

/** landmarkClusters on the replayed stream u (then on `after`, if given, once u is used up). */
function run(
  X: Float64Array, r: LandmarkFixture, u: Float64Array, after?: () => number,
): { labels: Int32Array; groups: number; used: number } {
  const K = alphaDecayKernelRaw(X, r.n, r.d, r.knn, r.decay, 1e-4).kernel;
  let k = 0;
  const rng = (): number => {
    if (k < u.length) return u[k++]!;
    if (after) return after();
    throw new Error('the replayed stream ran out');
  };
  const got = landmarkClusters(K, r.nLandmark, r.nSvd, rng);
  return { ...got, used: k };
}

const never = (): number => { throw new Error('the exact entropy draws nothing'); };

describe("landmarkClusters replays graphtools 2.1.0's landmarks exactly on the reference's draws", () => {
  it("regenerates NumPy's normals (the stored samples, bit for bit or to an ulp)", () => {
    for (const name of ['rs0', 'rs1']) {
      const r = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as LandmarkFixture;
      const z = numpyNormals(r.randomState, r.normals.count);
      r.normals.at.forEach((i, q) => {
        const want = r.normals.values[q]!;
        expect(Math.abs(z[i]! - want)).toBeLessThanOrEqual(2 ** -52 * Math.abs(want));
      });
    }
  });

  for (const name of ['rs0', 'rs1']) {
    it(`${name}: same labels, entropy curve and t as graphtools`, () => {
      const { r, u, X } = load(name);
      const got = run(X, r, u);
      expect(got.used).toBe(u.length); // every recorded draw consumed, none more
      expect(got.groups).toBe(r.groups);
      expect(Array.from(got.labels)).toEqual(r.labels);
      const K = alphaDecayKernelRaw(X, r.n, r.d, r.knn, r.decay, 1e-4).kernel;
      const W = landmarkGraph(K, got.labels, got.groups).affinity;
      const H = diffusionEntropy(W, 100, 4000, never);
      let err = 0;
      for (let t = 0; t < 100; t++) err = Math.max(err, Math.abs(H[t]! - r.entropy[t]!));
      expect(err).toBeLessThan(1e-6); // measured 5.9e-8 (rs0), 2.5e-8 (rs1): the kernels agree to ~1e-7
      expect(Math.max(1, findKnee(H))).toBe(r.t);
    });
  }

  // the replay is not vacuous: one draw dropped from either part of the stream and the partition is
  // another (the run continues on an independent generator once the shortened stream is used up)
  for (const [what, cut] of [['one k-means seeding row', 10], ['one normal of the SVD block', -1]] as const) {
    it(`fails on a perturbed stream: ${what} dropped`, () => {
      const { r, u, X } = load('rs0');
      const at = cut >= 0 ? 2 * r.normals.count + cut : 2 * 777; // the 778th normal's two uniforms
      const width = cut >= 0 ? 1 : 2;
      const v = new Float64Array(u.length - width);
      v.set(u.subarray(0, at)); v.set(u.subarray(at + width), at);
      const got = run(X, r, v, createRng(1));
      let same = 0;
      for (let i = 0; i < r.n; i++) if (got.labels[i] === r.labels[i]) same++;
      expect(same).toBeLessThan(r.n * 0.5); // measured 62 and 12 of 2000
    });
  }
});
