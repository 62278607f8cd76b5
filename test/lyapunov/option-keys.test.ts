// Unknown options of the lyapunov folder's functions are refused, naming the option they most likely
// mean; a tensor passed as the options is named as such; internal forwarding keeps working.
import { describe, expect, it } from 'vitest';
import { randn } from '../../src/core/index.js';
import {
  clvAngles, covariantLyapunovVectors, createLyapunovEstimator, finiteTimeExponents, flossingLossAndGrad, flossingRegularizer,
  henonMap, logisticMap, lorenz63, lorenz96, lyapunovDuringTraining, lyapunovSpectrum, lyapunovValueAndGrad,
} from '../../src/lyapunov/index.js';
import { initRnn } from '../../src/rnn/index.js';

const rnn = () => initRnn({ inputSize: 2, hiddenSize: 8, outputSize: 2, seed: 0 });
const inputs = () => randn([2, 30, 2], { seed: 1 });

describe('unknown options in lyapunov', () => {
  it('lyapunovSpectrum: frameWarmUp → frameWarmup, K → k, input next to inputs → inputs', () => {
    expect(() => lyapunovSpectrum(rnn(), { inputs: inputs(), frameWarmUp: 5, K: 2 } as never))
      .toThrow(/^lyapunovSpectrum: unknown options opts\.frameWarmUp \(did you mean frameWarmup\?\), opts\.K \(did you mean k\?\)$/);
    expect(() => lyapunovSpectrum(henonMap(), { step: 100 } as never)).toThrow(/did you mean steps\?/);
    expect(() => lyapunovSpectrum(henonMap(), { burn_in: 10 } as never)).toThrow(/did you mean warmup\?/);
  });
  it('lyapunovSpectrum(rnn, x) with a tensor as the options says where it goes', () => {
    const e = (() => { try { lyapunovSpectrum(rnn(), inputs() as never); } catch (err) { return err as Error; } })();
    expect(e).toBeInstanceOf(TypeError);
    expect(e?.message).toBe('lyapunovSpectrum: opts looks like a tensor ({ shape, data }), not an object of options; pass it as { inputs: x }');
  });
  it('lyapunovDuringTraining: its own keys (every, onProgress with the epoch) and the spectrum\'s, but not history', () => {
    expect(() => lyapunovDuringTraining({ evry: 2 } as never)).toThrow(/^lyapunovDuringTraining: unknown option opts\.evry \(did you mean every\?\)$/);
    expect(() => lyapunovDuringTraining({ history: true } as never)).toThrow(/unknown option opts\.history/);
    const measure = lyapunovDuringTraining({ inputs: inputs(), k: 2, every: 1, frameWarmup: 5 });
    expect(measure({ epoch: 0 }, rnn())?.lyapunov.exponents).toHaveLength(2);
  });
  it('finiteTimeExponents (forwarding to the spectrum), createLyapunovEstimator, covariantLyapunovVectors, clvAngles', () => {
    expect(() => finiteTimeExponents(henonMap(), { window: 10, windws: 5 } as never)).toThrow(/^finiteTimeExponents: unknown option opts\.windws \(did you mean windows\?\)$/);
    expect(finiteTimeExponents(henonMap(), { window: 10, windows: 3, seed: 1 }).exponents).toHaveLength(3);
    expect(() => createLyapunovEstimator({ dim: 2, dims: 2 } as never)).toThrow(/opts\.dims \(did you mean dim\?\)/);
    expect(() => covariantLyapunovVectors(henonMap(), { backward_warmup: 10 } as never)).toThrow(/^covariantLyapunovVectors: unknown option opts\.backward_warmup \(did you mean backwardWarmup\?\)$/);
    const r = covariantLyapunovVectors(henonMap(), { steps: 20, warmup: 5, frameWarmup: 5, backwardWarmup: 5, seed: 1 });
    expect(() => clvAngles(r, { unstabel: 1 } as never)).toThrow(/did you mean unstable\?/);
  });
  it('lyapunovValueAndGrad, flossingLossAndGrad, flossingRegularizer', () => {
    expect(() => lyapunovValueAndGrad(rnn(), { inputs: inputs(), frame_warmup: 2 } as never)).toThrow(/^lyapunovValueAndGrad: unknown option opts\.frame_warmup \(did you mean frameWarmup\?\)$/);
    expect(() => flossingLossAndGrad(rnn(), randn([1, 12, 2]), { targt: 0 } as never)).toThrow(/^flossingLossAndGrad: unknown option opts\.targt \(did you mean target\?\)$/);
    expect(() => flossingRegularizer({ evry: 2 } as never)).toThrow(/^flossingRegularizer: unknown option opts\.evry \(did you mean every\?\)$/);
    expect(flossingLossAndGrad(rnn(), randn([1, 12, 2]), { k: 1 }).exponents).toHaveLength(1);
  });
  it('the example systems', () => {
    expect(() => henonMap({ A: 1.4 } as never)).toThrow(/^henonMap: unknown option opts\.A \(did you mean a\?\)$/);
    expect(() => logisticMap({ mu: 4 } as never)).toThrow(/^logisticMap: unknown option opts\.mu; the options of logisticMap are r$/);
    expect(() => lorenz63({ sigm: 10 } as never)).toThrow(/did you mean sigma\?/);
    expect(() => lorenz96({ N: 6 } as never)).toThrow(/did you mean n\?/);
  });
});
