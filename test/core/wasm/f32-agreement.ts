import { randn } from '../../../src/core/tensor.js';
import { setKernelBackend } from '../../../src/core/wasm/registry.js';
import { initRnn, rnnForward, rnnLoss, type GatedRnn } from '../../../src/rnn/index.js';

/**
 * Loss and gradients of `rnnLoss` on `backend` against the 'js' backend (float64 accumulation): the
 * largest error in units of c·T·(I+H)·ε32 relative to the loss and each gradient's largest entry
 * (≤ 1 passes). Shared with fma-child.ts, which runs it where relaxed SIMD is switched on.
 */
export function backendAgreement(backend: string): number {
  let worst = 0;
  for (const [B, T, I, H] of [[5, 7, 3, 6], [8, 4, 9, 13], [9, 3, 28, 33]]) {
    const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 3, gain: 1.2, seed: 4 });
    const x = randn([B, T, I], { seed: 5 });
    const labels = Int32Array.from({ length: B }, (_, i) => i % 3);
    // with an h0, and without (the fast path then skips the products with h0 = 0)
    for (const h0 of [randn([B, H], { seed: 6 }), undefined]) {
      setKernelBackend('rnnRecurrence', 'js');
      const ref = rnnLoss(rnn, { x, labels, h0 });
      setKernelBackend('rnnRecurrence', backend);
      const got = rnnLoss(rnn, { x, labels, h0 });
      setKernelBackend('rnnRecurrence', 'auto');
      const tol = 8 * T * (I + H + 1) * 2 ** -24;
      worst = Math.max(worst, Math.abs(got.loss - ref.loss) / (tol * Math.max(1, ref.loss)));
      for (const name of ['wIn', 'wRec', 'b', 'wOut', 'bOut'] as const) {
        const a = got.grads[name].data, r = ref.grads[name].data;
        let scale = 1;
        for (const v of r) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(a[i] - r[i]) / (tol * scale));
      }
    }
  }
  return worst;
}


/**
 * The same for the gated cells' kernel 'gatedRecurrence' (GRU and LSTM): states, cells, loss and
 * every gradient of `backend` against 'js', in units of 16·T·(I+H+2)·ε32 (gradients 4× that), as
 * test/rnn/gated/backends.test.ts bounds 'wasm-f32'.
 */
export function gatedBackendAgreement(backend: string): number {
  let worst = 0;
  for (const cell of ['gru', 'lstm'] as const) {
    for (const [B, T, I, H] of [[5, 7, 3, 6], [9, 4, 5, 13]]) {
      const rnn = initRnn({ cell, inputSize: I, hiddenSize: H, outputSize: 3, seed: B + H, gain: 1.5 }) as GatedRnn;
      const x = randn([B, T, I], { seed: T });
      const targets = randn([B, T, 3], { seed: 9 });
      const h0 = randn([B, cell === 'lstm' ? 2 * H : H], { seed: 4 });
      const run = (b: string) => {
        setKernelBackend('gatedRecurrence', b);
        try {
          return { f: rnnForward(rnn, x, h0), l: rnnLoss(rnn, { x, targets, h0 }) };
        } finally {
          setKernelBackend('gatedRecurrence', 'auto');
        }
      };
      const js = run('js'), got = run(backend);
      const tol = 16 * T * (I + H + 2) * 2 ** -24;
      worst = Math.max(worst, maxRel(got.f.states.data, js.f.states.data) / tol);
      if (cell === 'lstm') worst = Math.max(worst, maxRel(got.f.cells!.data, js.f.cells!.data) / tol);
      worst = Math.max(worst, Math.abs(got.l.loss - js.l.loss) / (tol * Math.max(1, js.l.loss)));
      for (const k of ['wIn', 'wRec', 'bIn', 'bRec', 'wOut', 'bOut'] as const) worst = Math.max(worst, maxRel(got.l.grads[k].data, js.l.grads[k].data) / (4 * tol));
    }
  }
  return worst;
}

/**
 * The largest difference, on `backend`, between a run without h0 and one with h0 = 0 given (loss
 * and every gradient, T = 1 and T = 5): 0 when skipping the products with the zero h0 changes nothing.
 */
export function h0AbsentEqualsZero(backend: string): number {
  let worst = 0;
  for (const T of [1, 5]) {
    const B = 6, I = 5, H = 7;
    const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 3, gain: 1.2, seed: 8 });
    const x = randn([B, T, I], { seed: 9 });
    const labels = Int32Array.from({ length: B }, (_, i) => i % 3);
    setKernelBackend('rnnRecurrence', backend);
    try {
      const a = rnnLoss(rnn, { x, labels });
      const z = rnnLoss(rnn, { x, labels, h0: { shape: [B, H], data: new Float32Array(B * H) } });
      worst = Math.max(worst, Math.abs(a.loss - z.loss));
      for (const k of ['wIn', 'wRec', 'b', 'wOut', 'bOut'] as const) {
        for (let i = 0; i < a.grads[k].data.length; i++) worst = Math.max(worst, Math.abs(a.grads[k].data[i] - z.grads[k].data[i]));
      }
    } finally {
      setKernelBackend('rnnRecurrence', 'auto');
    }
  }
  return worst;
}

/** max |a − b| / max |b| (the error relative to the reference's largest entry). */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-30, worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}
