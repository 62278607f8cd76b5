/**
 * The quadrature path of PHATE's automatic t (operators above `vneExactMax` nodes) against the exact
 * curve from the dense singular values, on the PHATE fixtures' tree (500×20) and digits (500×64):
 * deflated Lanczos quadrature (the 64 largest eigenvalues of P·Pᵀ exact, the rest by quadrature with
 * that eigenspace projected out) puts the knee where the exact curve has it, for every seed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { diffusionEntropy } from '../../../src/geometry/embedding/diffusion-time.js';
import { findKnee } from '../../../src/geometry/embedding/entropy.js';
import { alphaDecayKernelRaw } from '../../../src/geometry/embedding/kernel.js';

const dir = new URL('../../fixtures/phate/', import.meta.url);

function points(name: 'tree' | 'digits'): { X: Float64Array; n: number; d: number } {
  const r = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as { n: number; d: number };
  const raw = readFileSync(new URL(name === 'tree' ? 'tree.f32' : 'digits.u8', dir));
  const all = name === 'tree'
    ? Float64Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)))
    : Float64Array.from(raw);
  return { X: all.slice(0, r.n * r.d), n: r.n, d: r.d };
}

describe.each(['tree', 'digits'] as const)('diffusionEntropy by deflated quadrature on the %s fixture', (name) => {
  const { X, n, d } = points(name);
  const { kernel } = alphaDecayKernelRaw(X, n, d, 5, 40, 1e-4);
  const exact = diffusionEntropy(kernel, 100, n, createRng(0));
  const tExact = Math.max(1, findKnee(exact));

  it('gives the exact knee for every seed, and the curve to a few hundredths', () => {
    for (let seed = 0; seed < 3; seed++) {
      const H = diffusionEntropy(kernel, 100, 0, createRng(seed));
      expect(Math.max(1, findKnee(H))).toBe(tExact);
      let err = 0;
      for (let t = 0; t < 100; t++) err = Math.max(err, Math.abs(H[t]! - exact[t]!));
      // not derived: a stochastic estimate (32 probes) has no exact bound; measured up to 0.017 on
      // these fixtures and 0.018 on the 2000-node tutorial tree, against 0.2–0.45 for plain quadrature
      expect(err).toBeLessThan(0.05);
    }
  });

  it('is closer to the exact curve than plain quadrature with the same probes (the deflation is what helps)', () => {
    let errDeflated = 0, errPlain = 0;
    for (let seed = 0; seed < 2; seed++) {
      const Hd = diffusionEntropy(kernel, 100, 0, createRng(seed));
      const Hp = diffusionEntropy(kernel, 100, 0, createRng(seed), 32, 80, 0);
      for (let t = 0; t < 100; t++) {
        errDeflated = Math.max(errDeflated, Math.abs(Hd[t]! - exact[t]!));
        errPlain = Math.max(errPlain, Math.abs(Hp[t]! - exact[t]!));
      }
    }
    expect(errDeflated).toBeLessThan(errPlain / 2);
  });
});
