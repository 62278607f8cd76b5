// pool.phate's result carries a working transform(Y): the worker sends the plain-data model the
// synchronous transform closes over, this thread rebuilds transform from it with the constructor
// phate itself uses, and every call gives the synchronous result's bits, errors included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pca, phate, randn, type PhateOptions } from '../../src/index.js';
import { checkPhateModel, phateModelOf, transformPoints, type PhateModel } from '../../src/geometry/embedding/phate-transform.js';
import { createPool, type Pool } from '../../src/parallel/index.js';
import { bits, errorOf } from './helpers.js';

let pool: Pool;
beforeAll(() => {
  pool = createPool({ workers: 2 });
});
afterAll(async () => {
  await pool?.close();
});

const X = randn([60, 5], { seed: 1 });
const Y = randn([9, 5], { seed: 2 });
// 30-dimensional points reduced by PCA to nPca = 8 before the kernel (min(n, d) = 30 > 8)
const Xp = randn([50, 30], { seed: 3 });
const Yp = randn([7, 30], { seed: 4 });

const configs: [string, typeof X, typeof Y, PhateOptions][] = [
  ['exact, SMACOF', X, Y, { knn: 5, seed: 3 }],
  ['landmarks, SMACOF', X, Y, { knn: 5, seed: 3, landmarks: 15 }],
  ['exact, SGD-MDS', X, Y, { seed: 0, mdsSolver: 'sgd' }],
  ['landmarks, classical MDS, t given', X, Y, { seed: 1, mds: 'classic', landmarks: 12, t: 7 }],
  ['nPca, SMACOF', Xp, Yp, { seed: 2, nPca: 8 }],
  ['nPca with landmarks, SGD-MDS, 3 components (SMACOF)', Xp, Yp, { seed: 2, nPca: 8, landmarks: 20, mdsSolver: 'sgd', components: 3 }],
];

describe('pool.phate: transform', () => {
  it.each(configs)('%s: the result and transform(Y) equal the synchronous ones bit for bit', async (_, Xs, Ys, opts) => {
    const sync = phate(Xs, opts);
    const got = await pool.phate(Xs, opts);
    expect(typeof got.transform).toBe('function');
    expect(bits(got)).toEqual(bits(sync));
    expect(bits(got.transform(Ys))).toEqual(bits(sync.transform(Ys)));
    // the training points themselves: as the synchronous transform places them (each a transition-
    // weighted mean of the fitted or landmark coordinates, not the embedding itself), bit for bit
    expect(bits(got.transform(Xs))).toEqual(bits(sync.transform(Xs)));
    // the same inputs in another form, and no points at all
    const rows = Array.from({ length: Ys.shape[0] }, (_r, i) => Array.from(Ys.data.subarray(i * Ys.shape[1], (i + 1) * Ys.shape[1])));
    expect(bits(got.transform(rows))).toEqual(bits(sync.transform(Ys)));
    expect(got.transform(new Float64Array(0)).length).toBe(0);
    // the model crosses whole: the arrays the synchronous result shares with its model are shared here too
    const ms = phateModelOf(sync.transform)!, mg = phateModelOf(got.transform)!;
    expect(bits(mg)).toEqual(bits(ms));
    expect(mg.operatorEmbedding === got.embedding).toBe(ms.operatorEmbedding === sync.embedding);
    expect(mg.clusters === got.clusters).toBe(ms.clusters === sync.clusters);
  });

  it('the transform of the training points is what the synchronous contract says: a convex combination of the fitted coordinates', async () => {
    for (const landmarks of [0, 15]) {
      const got = await pool.phate(X, { knn: 5, seed: 3, landmarks });
      const z = got.transform(X);
      const model = phateModelOf(got.transform)!;
      const c = model.components;
      for (let q = 0; q < c; q++) {
        let lo = Infinity, hi = -Infinity;
        for (let g = 0; g < model.operatorSize; g++) { lo = Math.min(lo, model.operatorEmbedding[g * c + q]); hi = Math.max(hi, model.operatorEmbedding[g * c + q]); }
        const tol = 8 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi)); // rounding of a sum of ≤ n weighted terms
        for (let i = 0; i < X.shape[0]; i++) {
          expect(z[i * c + q]).toBeGreaterThanOrEqual(lo - tol * X.shape[0]);
          expect(z[i * c + q]).toBeLessThanOrEqual(hi + tol * X.shape[0]);
        }
      }
    }
  });

  it('a wrong call of the pooled transform throws what the synchronous one throws', async () => {
    for (const [Xs, opts] of [[X, { seed: 3 }], [X, { seed: 3, landmarks: 15 }], [Xp, { seed: 2, nPca: 8 }]] as const) {
      const sync = phate(Xs, opts);
      const got = await pool.phate(Xs, opts);
      const d = Xs.shape[1];
      const bad: unknown[] = [
        randn([4, d + 1], { seed: 1 }), // wrong dimension
        randn([1, 2, 3, d], { seed: 1 }), // wrong rank ([B,T,H] is points: test/geometry/points-rank3.test.ts)
        new Float64Array(2 * d + 1), // flat, not a multiple of the dimension
        [[...new Array<number>(d - 1).fill(0)]], // short row
        [[...new Array<number>(d).fill(0)], [...new Array<number>(d).fill(0).map((_, i) => (i === 1 ? NaN : 0))]], // non-finite
        'points', null,
      ];
      for (const Yb of bad) {
        const want = errorOf(() => sync.transform(Yb as never));
        const err = errorOf(() => got.transform(Yb as never));
        expect(err.constructor).toBe(want.constructor);
        expect(err.message).toBe(want.message);
        expect(err.message).toMatch(/^phate\.transform: Y/);
      }
    }
  });

  it('pool.map over phate gives each result its transform', async () => {
    const argsList: [typeof X, PhateOptions][] = [[X, { seed: 0 }], [X, { seed: 1, landmarks: 15 }], [Xp, { seed: 2, nPca: 8 }]];
    const got = await pool.map('phate', argsList);
    got.forEach((r, i) => {
      const sync = phate(...argsList[i]);
      const Ys = i === 2 ? Yp : Y;
      expect(bits(r)).toEqual(bits(sync));
      expect(bits(r.transform(Ys))).toEqual(bits(sync.transform(Ys)));
    });
  });

  it('an aborted pool.phate rejects within 100 ms with the signal\'s reason, and the next call still has its exact transform', async () => {
    const ac = new AbortController();
    // an exact entropy over 2000 nodes takes seconds: the abort lands while it runs
    const p = pool.phate(randn([2000, 6], { seed: 5 }), { seed: 0, landmarks: 0, signal: ac.signal }).then(() => undefined, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    ac.abort();
    const err = await p;
    expect(performance.now() - t0).toBeLessThan(100);
    expect(err).toBe(ac.signal.reason);
    const sync = phate(X, { seed: 4, landmarks: 15 });
    const got = await pool.phate(X, { seed: 4, landmarks: 15 });
    expect(bits(got.transform(Y))).toEqual(bits(sync.transform(Y)));
  }, 60_000);
});

describe('the PHATE model', () => {
  it('projects new points with PCA as pca(...).transform does, bit for bit', () => {
    const sync = phate(Xp, { seed: 2, nPca: 8 });
    const m = phateModelOf(sync.transform)!;
    expect(m.pcaMean).toBeDefined();
    const fit = pca(Float64Array.from(Xp.data), { dim: 30, components: 8 });
    // the fitted points are pca.transform of X; new points, projected first, land where the model puts them
    expect(bits(m.points)).toEqual(bits(fit.transform(Xp)));
    const noPca: PhateModel = { ...m, pcaMean: undefined, pcaComponents: undefined, inputDim: m.d };
    delete (noPca as { pcaMean?: unknown }).pcaMean;
    delete (noPca as { pcaComponents?: unknown }).pcaComponents;
    expect(bits(sync.transform(Yp))).toEqual(bits(transformPoints(noPca, fit.transform(Yp), 'phate.transform')));
  });

  it('checkPhateModel accepts the models phate makes and names what is wrong in others', () => {
    const m = phateModelOf(phate(X, { seed: 3, landmarks: 15 }).transform)!;
    expect(checkPhateModel(m, 'pool.phate')).toBe(m);
    const mp = phateModelOf(phate(Xp, { seed: 2, nPca: 8 }).transform)!;
    expect(checkPhateModel(mp, 'pool.phate')).toBe(mp);
    const wrong: [unknown, RegExp][] = [
      [null, /got null/],
      [{ ...m, n: 0 }, /n = 0/],
      [{ ...m, decay: '40' }, /decay is string/],
      [{ ...m, points: m.points.subarray(1) }, /points must be a Float64Array/],
      [{ ...m, operatorEmbedding: Array.from(m.operatorEmbedding) }, /operatorEmbedding/],
      [{ ...m, clusters: Float64Array.from(m.clusters!) }, /clusters must be an Int32Array/],
      [{ ...m, inputDim: 9 }, /without PCA/],
      [{ ...mp, pcaComponents: mp.pcaComponents!.subarray(1) }, /pcaComponents/],
    ];
    for (const [v, re] of wrong) {
      const e = errorOf(() => checkPhateModel(v, 'pool.phate'));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^pool\.phate: the transform state is not a PHATE model/);
      expect(e.message).toMatch(re);
    }
  });
});
