// The example systems of rnn-lyap/lyapunov cross to the pool's workers as the spec they were made
// from (their methods cannot), and the pooled calls return the synchronous results bit for bit;
// a system whose methods are not the factory's own is refused as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectLimitCycle, findFixedPoints, lyapunovSpectrum } from '../../src/index.js';
import { henonMap, linearMap, logisticMap, lorenz63, lorenz96 } from '../../src/lyapunov/index.js';
import { createPool, type Pool } from '../../src/parallel/index.js';
import { bits } from './helpers.js';

let pool: Pool;
beforeAll(() => {
  pool = createPool({ workers: 2 });
});
afterAll(async () => {
  await pool?.close();
});

describe('example systems in the pool', () => {
  it('lyapunovSpectrum of each example system equals the synchronous call bit for bit', async () => {
    const cases = [
      [henonMap({ a: 1.3 }), { steps: 3000 }],
      [logisticMap(), { steps: 2000 }],
      [linearMap([[0.5, 1], [0, 2]]), { steps: 200 }],
      [lorenz63({ dt: 0.01 }), { steps: 800, k: 2 }],
      [lorenz96({ n: 8 }), { steps: 600, k: 3 }],
    ] as const;
    for (const [sys, opts] of cases) {
      const sync = lyapunovSpectrum(sys, opts);
      const got = await pool.lyapunovSpectrum(sys as never, opts);
      expect(bits(got)).toEqual(bits(sync));
    }
  });

  it('carries data properties set since (a new initialState), and the options as they were when made', async () => {
    const o = { n: 6, forcing: 8 };
    const sys = lorenz96(o);
    o.forcing = 2; // changing the caller's options object afterwards does not change the system
    (sys as { initialState: Float64Array }).initialState = Float64Array.from({ length: 6 }, (_, i) => 8 + 0.01 * i);
    const sync = lyapunovSpectrum(sys, { steps: 400, k: 2 });
    const got = await pool.lyapunovSpectrum(sys as never, { steps: 400, k: 2 });
    expect(bits(got)).toEqual(bits(sync));
  });

  it('findFixedPoints, detectLimitCycle and map take them too', async () => {
    const h = henonMap();
    const fp = { inits: [[0.6, 0.2], [-1.1, -0.4]] };
    expect(bits(await pool.findFixedPoints(h as never, fp))).toEqual(bits(findFixedPoints(h, fp)));
    const lm = logisticMap({ r: 3.2 });
    const viaMap = await pool.map('detectLimitCycle', [[lm as never, { maxPeriod: 8 }]]);
    expect(bits(viaMap[0])).toEqual(bits(detectLimitCycle(lm, { maxPeriod: 8 })));
    const spectra = await pool.map('lyapunovSpectrum', [[henonMap() as never, { steps: 500 }], [henonMap({ b: 0.2 }) as never, { steps: 500 }]]);
    expect(bits(spectra[1])).toEqual(bits(lyapunovSpectrum(henonMap({ b: 0.2 }), { steps: 500 })));
  });

  it('refuses an example system whose methods were replaced, and other objects with methods', async () => {
    const h = henonMap();
    const changed = { ...h, step: (x: Float64Array, t: number, out: Float64Array) => h.step(x, t, out) };
    await expect(pool.lyapunovSpectrum(changed as never, { steps: 10 })).rejects.toThrow(/DynamicalSystem with methods of its own/);
    const patched = henonMap();
    (patched as { jacobian: unknown }).jacobian = () => {};
    await expect(pool.lyapunovSpectrum(patched as never, { steps: 10 })).rejects.toThrow(TypeError);
    await expect(pool.map('lyapunovSpectrum', [[{ dim: 1, step: () => {}, jacobian: () => {} } as never, {}]])).rejects.toThrow(/functions cannot cross/);
  });
});
