import { randn } from '../../../src/core/tensor.js';
import { setKernelBackend } from '../../../src/core/wasm/registry.js';
import { initRnn, rnnLoss } from '../../../src/rnn/index.js';

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
    const h0 = randn([B, H], { seed: 6 });
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
  return worst;
}

