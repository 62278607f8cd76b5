// Unknown options of autodiff's functions are refused, naming the option they most likely mean.
import { describe, expect, it } from 'vitest';
import { ad, gradientCheck, valueAndGrad } from '../../src/autodiff/index.js';
import { randn } from '../../src/core/index.js';

describe('unknown options in autodiff', () => {
  it('ad.matmul, ad.rnn, valueAndGrad, gradientCheck', () => {
    const a = randn([2, 2], { seed: 1 });
    expect(() => ad.matmul(a, a, { trans_a: true } as never)).toThrow(/^matmul: unknown option opts\.trans_a \(did you mean transA\?\)$/);
    const p = { wIn: randn([3, 2]), wRec: randn([3, 3]), b: randn([3]) };
    expect(() => ad.rnn(randn([1, 4, 2]), p, { nonlinearity: 'tanh' } as never)).toThrow(/^rnn: unknown option opts\.nonlinearity \(did you mean activation\?\)$/);
    expect(() => valueAndGrad((q: { w: unknown }) => ad.sum(q.w as never), { dtpye: 'float64' } as never)).toThrow(/did you mean dtype\?/);
    expect(() => gradientCheck((q: { w: unknown }) => ad.sum(q.w as never), { w: randn([3]) }, { eps: 1e-3 } as never)).toThrow(/^gradientCheck: unknown option opts\.eps; the options of gradientCheck are h, rtol, atol, dtype, maxPerParam, seed, args$/);
  });
});
