// Systems of your own cross to the pool's workers through systemFromModule: the workers import the
// same module and call the same factory with the same arguments, so pooled calls give the
// synchronous results bit for bit; anything that could differ in a worker is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFixedPoints, lyapunovSpectrum } from '../../src/index.js';
import { createPool, systemFromModule, type Pool } from '../../src/parallel/index.js';
import { bits } from './helpers.js';

const FIXTURE = new URL('./fixtures/user-systems.mjs', import.meta.url);
let pool: Pool;
beforeAll(() => {
  pool = createPool({ workers: 2 });
});
afterAll(async () => {
  await pool?.close();
});

describe('systemFromModule', () => {
  it('a closure system: the synchronous spectrum is ln|a_ii| (exact identity), and the pooled one is the same bit for bit', async () => {
    const diag = [0.9, -0.8, 0.5, 0.25];
    const sys = await systemFromModule(FIXTURE, 'bidiagonal', diag, 0.7);
    const sync = lyapunovSpectrum(sys, { steps: 2000, warmup: 10, seed: 1 });
    const want = diag.map((d) => Math.log(Math.abs(d))).sort((a, b) => b - a);
    for (let i = 0; i < 4; i++) expect(Math.abs(sync.exponents[i] - want[i])).toBeLessThan(2e-3);
    const pooled = await pool.lyapunovSpectrum(sys as never, { steps: 2000, warmup: 10, seed: 1 });
    expect(bits(pooled)).toEqual(bits(sync));
  });

  it('a class instance from an async default export, with a data field changed after it was made: pooled = synchronous (lyapunovSpectrum, map, findFixedPoints)', async () => {
    const ring = (await systemFromModule(FIXTURE.href)) as unknown as { initialState: Float64Array };
    ring.initialState = Float64Array.from({ length: 8 }, (_, i) => 0.2 + 0.05 * i);
    const opts = { steps: 1500, warmup: 100 };
    const sync = lyapunovSpectrum(ring as never, opts);
    expect(bits(await pool.lyapunovSpectrum(ring as never, opts))).toEqual(bits(sync));
    const [a, b] = await pool.map('lyapunovSpectrum', [[ring as never, opts], [ring as never, { ...opts, k: 2 }]]);
    expect(bits(a)).toEqual(bits(sync));
    expect(bits(b)).toEqual(bits(lyapunovSpectrum(ring as never, { ...opts, k: 2 })));
    const fp = { inits: Array.from({ length: 6 }, (_, j) => Array.from({ length: 8 }, (_, i) => 0.1 + 0.8 * (((8 * j + i) * 0.377) % 1))) };
    expect(bits(await pool.findFixedPoints(ring as never, fp))).toEqual(bits(findFixedPoints(ring as never, fp)));
  });

  it('refuses what could not be made the same in a worker, naming the call', async () => {
    await expect(systemFromModule('./fixtures/user-systems.mjs', 'bidiagonal', [1], 0)).rejects.toThrow(RangeError);
    await expect(systemFromModule('./fixtures/user-systems.mjs')).rejects.toThrow(/systemFromModule: url must be absolute/);
    await expect(systemFromModule(42 as never)).rejects.toThrow(TypeError);
    await expect(systemFromModule(FIXTURE, 'missing')).rejects.toThrow(/no export 'missing' that is a function/);
    await expect(systemFromModule(FIXTURE, 'notAFunction')).rejects.toThrow(TypeError);
    await expect(systemFromModule(FIXTURE, 'notASystem')).rejects.toThrow(/must return a DynamicalSystem/);
    await expect(systemFromModule(FIXTURE, 'bidiagonal', [1, 2], () => 0)).rejects.toThrow(/args\[1\] is a function/);
    // a method replaced after the system was made: the worker's copy would not have it
    const sys = await systemFromModule(FIXTURE, 'bidiagonal', [0.5, 0.25], 0);
    (sys as { step: unknown }).step = () => {};
    await expect(pool.lyapunovSpectrum(sys as never, { steps: 10 })).rejects.toThrow(/DynamicalSystem with methods of its own/);
  });
});
