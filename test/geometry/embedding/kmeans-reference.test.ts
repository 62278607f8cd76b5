/**
 * miniBatchKmeansRaw against scikit-learn 1.2.1's MiniBatchKMeans (graphtools' settings: init_size
 * 3L, n_init 1, the other defaults), replaying scikit-learn's own random draws: the fixtures
 * (scripts/fixtures/kmeans.py) record every draw scikit-learn made and rewrite them as the uniform
 * stream our port consumes. With the same draws the two runs are the same algorithm step for step:
 * the same seeding, batches, centre updates, reassignments (how many, onto which rows, with which
 * counts), early stop and final labels.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { miniBatchKmeansRaw } from '../../../src/geometry/embedding/kmeans.js';
import { numpyArgsort } from '../../../src/geometry/embedding/npy-argsort.js';

const dir = new URL('../../fixtures/kmeans/', import.meta.url);
const bytes = (name: string): ArrayBuffer => {
  const b = readFileSync(new URL(name, dir));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};

interface KmeansFixture {
  n: number; d: number; L: number; batchSize: number; initSize: number;
  steps: number; inertia: number; groups: number; reassigned: number[]; labels: number[];
}

describe('miniBatchKmeansRaw replays scikit-learn 1.2.1 MiniBatchKMeans exactly', () => {
  for (const name of ['curve', 'capped', 'wide', 'whole']) {
    it(`${name}: same steps, labels and inertia on scikit-learn's draws`, () => {
      const r = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as KmeansFixture;
      const F = Float64Array.from(new Float32Array(bytes(`${name}.f32`)));
      const u = new Float64Array(bytes(`${name}.u.f64`));
      let k = 0;
      const rng = (): number => {
        if (k >= u.length) throw new Error('the replayed stream ran out');
        return u[k++]!;
      };
      const got = miniBatchKmeansRaw(F, r.n, r.d, r.L, rng, { batchSize: r.batchSize, initSize: r.initSize });
      // every recorded draw used, none more: same seeding, batches and reassignment counts
      expect(k).toBe(u.length);
      expect(got.steps).toBe(r.steps);
      expect(got.groups).toBe(r.groups);
      expect(Array.from(got.labels)).toEqual(r.labels);
      expect(Math.abs(got.inertia - r.inertia)).toBeLessThan(1e-9 * r.inertia);
    });
  }
});

describe("numpyArgsort (NumPy 1.24's argsort, the order scikit-learn's capped reassignment uses)", () => {
  it('gives NumPy\'s order among ties, for its introsort and its heapsort', () => {
    const r = JSON.parse(readFileSync(new URL('argsort.json', dir), 'utf8')) as {
      cases: { v: number[]; quicksort: number[]; heapsort: number[] }[];
    };
    for (const c of r.cases) {
      expect(Array.from(numpyArgsort(c.v))).toEqual(c.quicksort);
      expect(Array.from(numpyArgsort(c.v, 'heapsort'))).toEqual(c.heapsort);
    }
  });
});
