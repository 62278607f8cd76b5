// The one options rule, in core and in the folders that read options through it.
import { describe, expect, it } from 'vitest';
import { ad } from '../../src/autodiff/index.js';
import { checkUniform, createRng, matmul, randn, randu, reshape, resolveRng, tensor } from '../../src/core/index.js';
import { readChoice, readOptions } from '../../src/core/options.js';
import { ownOptions } from '../../src/core/long-run.js';
import { createOptimizer, initRnn, loadOptimizerState, rnnLoss } from '../../src/rnn/index.js';

describe('the options rule', () => {
  it('null or omitted options are all defaults; a non-object is a TypeError naming the argument', () => {
    expect(Object.keys(readOptions(null, 'f'))).toEqual([]);
    expect(() => readOptions(3 as never, 'f')).toThrow(/^f: opts must be an object of options, got number/);
    expect(() => readOptions([] as never, 'f', 'spec')).toThrow(/^f: spec must be an object of options, got an array/);
    expect(Array.from(randn([3], null as never).data)).toEqual(Array.from(randn([3]).data));
    expect(Array.from(randu([3], null as never).data)).toEqual(Array.from(randu([3]).data));
    expect(resolveRng(null)()).toBe(createRng(0)());
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const batch = { x: randn([2, 3, 2], { seed: 2 }), labels: [0, 1] };
    expect(rnnLoss(rnn, batch, null as never).loss).toBe(rnnLoss(rnn, batch).loss);
  });

  it('null options are the defaults in the embeddings, the example systems and covariantLyapunovVectors too (they refused null)', async () => {
    const { tsne, phate } = await import('../../src/geometry/index.js');
    const { covariantLyapunovVectors, henonMap } = await import('../../src/lyapunov/index.js');
    const x = randn([40, 3], { seed: 4 });
    expect(Array.from(tsne(x, null as never).embedding)).toEqual(Array.from(tsne(x).embedding));
    expect(Array.from(phate(x, null as never).embedding)).toEqual(Array.from(phate(x).embedding));
    expect(Array.from(henonMap(null as never).initialState)).toEqual(Array.from(henonMap().initialState));
    const a = covariantLyapunovVectors(henonMap(), null as never);
    expect(Array.from(a.exponents)).toEqual(Array.from(covariantLyapunovVectors(henonMap()).exponents));
  });

  it('an option set to null is a TypeError (omit it for the default), unless the option documents null', () => {
    expect(() => readOptions({ k: null }, 'pca')).toThrow(/^pca: opts\.k must not be null \(omit it, or pass undefined, for the default\)/);
    expect(readOptions({ chance: null }, 'plot', 'opts', ['chance']).chance).toBeNull();
    expect(() => ownOptions({ steps: null }, 'lyapunovSpectrum')).toThrow(TypeError);
    expect(() => matmul(tensor([[1]]), tensor([[1]]), { transA: null } as never)).toThrow(/matmul: opts\.transA must not be null/);
    expect(() => randn([2], { std: null } as never)).toThrow(/randn: opts\.std must not be null/);
    expect(() => resolveRng({ seed: null } as never, 0, 'myFn')).toThrow(/^myFn: opts\.seed must not be null/);
  });

  it('covariantLyapunovVectors names a null option as the rule does (it said "k: expected an integer, got object")', async () => {
    const { covariantLyapunovVectors, henonMap } = await import('../../src/lyapunov/index.js');
    for (const key of ['k', 'steps', 'warmup', 'frameWarmup', 'backwardWarmup', 'x0', 'inputs']) {
      expect(() => covariantLyapunovVectors(henonMap(), { [key]: null } as never)).toThrow(new RegExp(`^covariantLyapunovVectors: opts\\.${key} must not be null`));
    }
  });

  it('ad.rnn reads its options by the rule', () => {
    const p = { wIn: randn([3, 2], { seed: 1 }), wRec: randn([3, 3], { seed: 2 }), b: randn([3], { seed: 3 }) };
    const x = randn([2, 4, 2], { seed: 4 });
    expect(Array.from(ad.rnn(x, p, null as never).data)).toEqual(Array.from(ad.rnn(x, p).data));
    expect(() => ad.rnn(x, p, 'tanh' as never)).toThrow(/^rnn: opts must be an object of options, got string/);
    expect(() => ad.rnn(x, p, { activation: null } as never)).toThrow(TypeError);
    expect(() => ad.rnn(x, p, { activation: 'gelu' } as never)).toThrow(/^rnn: opts\.activation: expected 'tanh', 'relu' or 'identity', got 'gelu'/);
  });
});

describe('messages and classes fixed by the fuzz', () => {
  it('checkUniform: a non-number is a TypeError, a number outside [0, 1) a RangeError', () => {
    for (const u of ['0.5', true, false, null, {}]) expect(() => checkUniform(u as never, 'myFn')).toThrow(TypeError);
    for (const u of [NaN, 1, 1.5, -0.1]) expect(() => checkUniform(u, 'myFn')).toThrow(RangeError);
    expect(checkUniform(0, 'myFn')).toBe(0);
    // a user rng returning a string is caught by the wrapper, not silently coerced
    expect(() => randn([2], { rng: () => '0.5' as never })).toThrow(/randn: rng must return numbers in \[0, 1\), got string/);
  });

  it('reshape and ad.reshape share the -1 rule: one free dimension, inferred; two are a RangeError', () => {
    const t = randn([2, 3], { seed: 1 });
    expect(reshape(t, [-1, 2]).shape).toEqual([3, 2]);
    expect(ad.reshape(t, [-1, 2]).shape).toEqual([3, 2]);
    expect(() => reshape(t, [-1, -1])).toThrow(/^reshape: at most one dimension may be -1, got \[-1,-1\]/);
    expect(() => ad.reshape(t, [-1, -1])).toThrow(/^reshape: at most one dimension may be -1/);
    expect(() => ad.reshape(t, [4, -1])).toThrow(/^reshape: cannot view shape \[2,3\] \(6 elements\) as \[4,-1\]/);
  });

  it('createOptimizer and loadOptimizerState name the argument; a missing type is a TypeError', () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    expect(() => createOptimizer('rmsprop' as never, rnn.params)).toThrow(/^createOptimizer: spec: expected 'adam' or 'sgd', got 'rmsprop'/);
    expect(() => createOptimizer({ lr: 1 } as never, rnn.params)).toThrow(TypeError);
    expect(() => createOptimizer({ type: 'x' } as never, rnn.params)).toThrow(/^createOptimizer: spec\.type: expected 'adam' or 'sgd', got 'x'/);
    expect(() => loadOptimizerState(42)).toThrow(/^loadOptimizerState: json: expected an optimizer state/);
    expect(() => loadOptimizerState({})).toThrow(/^loadOptimizerState: json\.type: expected 'adam' or 'sgd', got undefined/);
    expect(() => loadOptimizerState('{')).toThrow(/^loadOptimizerState: json: not valid JSON/);
  });
});

describe('readChoice', () => {
  it('the fallback for undefined; a TypeError by kind, a RangeError by value; no fallback: required', () => {
    const ab = ['a', 'b'] as const;
    expect(readChoice(undefined, ab, 'b', 'f: o')).toBe('b');
    expect(readChoice('a', ab, 'b', 'f: o')).toBe('a');
    expect(() => readChoice(['a'], ab, 'a', 'f: o')).toThrow(new TypeError("f: o: expected one of 'a', 'b', got array"));
    expect(() => readChoice(null, ab, 'a', 'f: o')).toThrow(new TypeError("f: o: expected one of 'a', 'b', got null"));
    expect(() => readChoice('c', ab, 'a', 'f: o')).toThrow(new RangeError("f: o: expected one of 'a', 'b', got 'c'"));
    expect(() => readChoice(undefined, ab, undefined, 'f: o')).toThrow(new TypeError("f: o: expected one of 'a', 'b', got undefined"));
    expect(() => readChoice(1, ab, 'a', 'f: o', "'a' (one) or 'b' (two)")).toThrow(new TypeError("f: o: expected 'a' (one) or 'b' (two), got number"));
  });
});
