/**
 * A loss on one time step of the states (`ad.timeStep`) leaves the other slots of the states'
 * gradient unwritten (Tape.gradOfStep), and the fused rnn op's WebAssembly backward reads that one
 * step only. The gradients must be bit for bit those of the dense path: the same graph with an
 * `ad.reshape` between the op and the readout (reshape is not step-aware, so the tape zero-fills the
 * gradient before it and the rnn op receives a complete [B,T,H] gradient, as before the change).
 * Every differentiated function is called twice on one pool, the first time with a dense loss, so
 * the pooled buffers are dirty when the one-step path takes them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ad, valueAndGrad, type Var } from '../../src/autodiff/index.js';
import { type Tensor } from '../../src/core/index.js';
import { setKernelBackend } from '../../src/core/wasm/registry.js';
import { rand } from './helpers.js';

type P = { wIn: Var; wRec: Var; b: Var; wOut: Var; x: Var; h0: Var };
type Mode = 'dense-warmup' | 'one-step' | 'via-reshape';

const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));

function backends(): string[] {
  const out: string[] = [];
  for (const b of ['js', 'wasm-f32', 'wasm-f32-fma']) {
    try {
      setKernelBackend('rnnRecurrence', b);
      out.push(b);
    } catch {
      // not available on this engine (relaxed SIMD)
    }
  }
  setKernelBackend('rnnRecurrence', 'auto');
  return out;
}

/** Readout on the given steps (negative counts from the end) after the rnn; `mode` picks the path. */
function loss(p: P, mode: Mode, steps: number[], withH0: boolean): Var {
  const states = ad.rnn(p.x, p, withH0 ? { h0: p.h0 } : {});
  if (mode === 'dense-warmup') return ad.sum(ad.mul(states, states));
  const s = mode === 'via-reshape' ? ad.reshape(states, [...states.shape]) : states;
  let l: Var | undefined;
  for (const t of steps) {
    const term = ad.sum(ad.tanh(ad.matmul(ad.timeStep(s, t), p.wOut, { transB: true })));
    l = l === undefined ? term : ad.add(l, term);
  }
  return l!;
}

function problem(B: number, T: number, I: number, H: number, seed: number): Record<keyof P, Tensor> {
  return {
    wIn: rand([H, I], seed, 0.8), wRec: rand([H, H], seed + 1, 1.3 / Math.sqrt(H)), b: rand([H], seed + 2, 0.3),
    wOut: rand([3, H], seed + 3, 0.5), x: rand([B, T, I], seed + 4), h0: rand([B, H], seed + 5, 0.5),
  };
}

afterEach(() => setKernelBackend('rnnRecurrence', 'auto'));

describe('one-step gradient of the states (timeStep readout)', () => {
  const sizes: [number, number, number, number][] = [[5, 7, 3, 6], [8, 4, 9, 13], [9, 3, 28, 33], [4, 1, 2, 4]];
  for (const backend of backends()) {
    it(`${backend}: gradients bit for bit those of the dense path, random problems, any step, with and without h0`, () => {
      setKernelBackend('rnnRecurrence', backend);
      let seed = 100;
      for (const [B, T, I, H] of sizes) {
        const stepSets = [[-1], [0], [Math.floor(T / 2)], [T - 1, 0], [1 % T, 1 % T]];
        for (const steps of stepSets) {
          for (const withH0 of [true, false]) {
            const prob = problem(B, T, I, H, (seed += 10));
            const fOne = valueAndGrad((p: P, m: Mode) => loss(p, m, steps, withH0));
            const fRef = valueAndGrad((p: P, m: Mode) => loss(p, m, steps, withH0));
            fOne(prob, 'dense-warmup');
            fRef(prob, 'dense-warmup');
            const one = fOne(prob, 'one-step'), ref = fRef(prob, 'via-reshape');
            expect(one.value).toBe(ref.value);
            for (const k of ['wIn', 'wRec', 'b', 'wOut', 'x', 'h0'] as const) {
              const a = (one.grads as Record<string, Tensor>)[k].data, r = (ref.grads as Record<string, Tensor>)[k].data;
              if (!withH0 && k === 'h0') expect(Array.from(a).every((v) => v === 0)).toBe(true);
              else expect(bits(a), `${B}×${T}×${I}×${H} steps ${steps} h0 ${withH0} grad ${k}`).toEqual(bits(r));
            }
          }
        }
      }
    });
  }

  it('a parameter read at one step gets a complete gradient (zeros elsewhere), even from a dirty pool', () => {
    const f = valueAndGrad((p: { s: Var }, dense: boolean) => (dense ? ad.sum(ad.mul(p.s, p.s)) : ad.sum(ad.timeStep(p.s, 1))));
    const s = rand([3, 4, 5], 7);
    f({ s }, true);
    const g = f({ s }, false).grads.s.data;
    for (let b = 0; b < 3; b++) {
      for (let t = 0; t < 4; t++) for (let j = 0; j < 5; j++) expect(g[(b * 4 + t) * 5 + j]).toBe(t === 1 ? 1 : 0);
    }
  });

  it('a one-step gradient read by a further op is completed first (two readers of one value)', () => {
    // states feed a timeStep readout and an elementwise op: the tape must zero-fill before mul reads
    const f = valueAndGrad((p: { s: Var }, dense: boolean) => {
      const y = ad.tanh(p.s);
      if (dense) return ad.sum(ad.mul(y, y));
      return ad.add(ad.sum(ad.timeStep(y, 2)), ad.sum(ad.timeStep(ad.reshape(y, [3, 4, 5]), 0)));
    });
    const s = rand([3, 4, 5], 8);
    f({ s }, true);
    const g = f({ s }, false).grads.s.data;
    for (let i = 0; i < g.length; i++) {
      const t = Math.floor(i / 5) % 4, th = Math.tanh(s.data[i]);
      const want = t === 2 || t === 0 ? Math.fround(1 - Math.fround(th * th)) : 0;
      expect(Math.abs(g[i] - want)).toBeLessThan(1e-6);
    }
  });
});
