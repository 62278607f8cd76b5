// The known-options check: unknown keys refused with a suggestion, the tensor hint, own keys only,
// and the key lists typed from the interfaces (a missing or extra key does not compile).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOptionKeys, optionKeys, readOptions, suggestOption } from '../../src/core/options.js';

interface Opts { epochs?: number; batchSize?: number; learningRate?: number; clipNorm?: number; inputs?: unknown; k?: number }
const KEYS = optionKeys<Opts>({ epochs: true, batchSize: true, learningRate: true, clipNorm: true, inputs: true, k: true }, 'inputs');
const err = (o: object, known = KEYS, caller = 'f', arg?: string): Error => {
  try {
    checkOptionKeys(o, known, caller, arg);
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
};

describe('checkOptionKeys', () => {
  it('accepts known keys, any subset, and the empty bag', () => {
    expect(() => checkOptionKeys({}, KEYS, 'f')).not.toThrow();
    expect(() => checkOptionKeys({ epochs: 2, k: undefined }, KEYS, 'f')).not.toThrow();
  });
  it('refuses an unknown key with a RangeError naming the caller, the argument and the key, and a suggestion', () => {
    const e = err({ epoch: 3 });
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('f: unknown option opts.epoch (did you mean epochs?)');
    expect(err({ lr: 1 }, KEYS, 'train', 'options').message).toBe('train: unknown option options.lr (did you mean learningRate?)');
  });
  it('a key that holds undefined is still unknown (a misspelling, not a default)', () => {
    expect(err({ epoch: undefined }).message).toMatch(/opts\.epoch \(did you mean epochs\?\)/);
  });
  it('suggests snake_case, kebab-case and other cases of a known option', () => {
    for (const [bad, good] of [['batch_size', 'batchSize'], ['clip_norm', 'clipNorm'], ['learning_rate', 'learningRate'], ['batch-size', 'batchSize'], ['K', 'k'], ['EPOCHS', 'epochs']]) {
      expect(suggestOption(bad, KEYS.keys), bad).toBe(good);
    }
  });
  it('suggests within two edits, not for short keys far from everything, not when two are equally close', () => {
    expect(suggestOption('epohcs', KEYS.keys)).toBe('epochs'); // a transposition
    expect(suggestOption('bachSize', KEYS.keys)).toBe('batchSize');
    expect(suggestOption('inptus', KEYS.keys)).toBe('inputs');
    expect(suggestOption('zz', KEYS.keys)).toBeUndefined();
    expect(suggestOption('q', KEYS.keys)).toBeUndefined(); // one edit from k, but a one-letter key is no evidence
    expect(suggestOption('ab', ['ac', 'ad'])).toBeUndefined();
    expect(suggestOption('abcx', ['abcd', 'abce'])).toBeUndefined(); // a tie
  });
  it('knows the usual PyTorch / scikit-learn / Python names, resolved to each function\'s own option', () => {
    expect(suggestOption('lr', KEYS.keys)).toBe('learningRate');
    expect(suggestOption('n_components', ['components', 'dim'])).toBe('components'); // pca
    expect(suggestOption('n_components', ['dims', 'perplexity'])).toBe('dims'); // tsne
    expect(suggestOption('n_components', ['k', 'steps'])).toBe('k');
    expect(suggestOption('random_state', ['seed', 'rng'])).toBe('seed');
    expect(suggestOption('g', ['gain', 'seed'])).toBe('gain');
    expect(suggestOption('max_iter', ['maxIterations'])).toBe('maxIterations');
    expect(suggestOption('batch_size', ['batch', 'steps'])).toBe('batch'); // the tasks' option
    expect(suggestOption('learningRate', ['lr', 'beta1'])).toBe('lr'); // an optimizer spec
    expect(suggestOption('worker', ['workers', 'workerUrl'])).toBe('workers');
    expect(suggestOption('lr', ['k', 'steps'])).toBeUndefined(); // an alias only names a known option
  });
  it('lists the known options when there is no good guess', () => {
    const e = err({ foo: 1 });
    expect(e.message).toBe('f: unknown option opts.foo; the options of f are epochs, batchSize, learningRate, clipNorm, inputs, k');
    expect(err({ foo: 1 }, optionKeys<Record<never, never>>({}), 'g').message).toBe('g: unknown option opts.foo; the options of g are none');
  });
  it('names every unknown key at once', () => {
    expect(err({ lr: 1, epoch: 2, epochs: 3 }).message).toBe('f: unknown options opts.lr (did you mean learningRate?), opts.epoch (did you mean epochs?)');
  });
  it('a tensor passed as the options is a TypeError saying so, with the option it belongs to', () => {
    const x = { shape: [1, 3, 2], data: new Float32Array(6) };
    const e = err(readOptions(x, 'lyapunovSpectrum'), KEYS, 'lyapunovSpectrum');
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('lyapunovSpectrum: opts looks like a tensor ({ shape, data }), not an object of options; pass it as { inputs: x }');
    expect(err(x, optionKeys<{ k?: number }>({ k: true }), 'pca').message).toBe('pca: opts looks like a tensor ({ shape, data }), not an object of options');
  });
  it('only own enumerable keys count: inherited ones (a polluted prototype) and non-enumerable ones do not', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.epoch = 3;
    try {
      expect(() => checkOptionKeys(readOptions({ epochs: 1 }, 'f'), KEYS, 'f')).not.toThrow();
      expect(() => checkOptionKeys(Object.create({ lr: 1 }), KEYS, 'f')).not.toThrow();
    } finally {
      delete proto.epoch;
    }
    const o = { epochs: 1 };
    Object.defineProperty(o, 'hidden', { value: 1, enumerable: false });
    expect(() => checkOptionKeys(o, KEYS, 'f')).not.toThrow();
  });
  it('works on a null-prototype bag (what readOptions returns) and on one passed in by the user', () => {
    const o = Object.assign(Object.create(null) as Record<string, unknown>, { epochs: 1, lr: 2 });
    expect(err(o).message).toBe('f: unknown option opts.lr (did you mean learningRate?)');
    expect(() => checkOptionKeys(readOptions(Object.assign(Object.create(null), { k: 2 }), 'f'), KEYS, 'f')).not.toThrow();
  });
  it('property: every listed key is accepted, every other key refused naming it', () => {
    fc.assert(fc.property(fc.subarray([...KEYS.keys]), fc.string({ minLength: 1, maxLength: 12 }), (known, extra) => {
      const bag = Object.fromEntries(known.map((k) => [k, 1]));
      expect(() => checkOptionKeys(bag, KEYS, 'f')).not.toThrow();
      if (KEYS.keys.includes(extra) || extra === '__proto__') return;
      const e = err({ ...bag, [extra]: 1 });
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toContain(`opts.${extra}`);
    }), { seed: 7, numRuns: 300 });
  });
});

describe('optionKeys', () => {
  it('lists the keys of the interface, frozen', () => {
    expect(KEYS.keys).toEqual(['epochs', 'batchSize', 'learningRate', 'clipNorm', 'inputs', 'k']);
    expect(Object.isFrozen(KEYS) && Object.isFrozen(KEYS.keys)).toBe(true);
    expect(KEYS.tensorOption).toBe('inputs');
  });
  it('does not compile with a missing or an extra key (the list cannot drift from the interface)', () => {
    // @ts-expect-error k is missing
    optionKeys<{ a?: number; k?: number }>({ a: true });
    // @ts-expect-error b is not an option
    optionKeys<{ a?: number }>({ a: true, b: true });
    // a union's keys are those of every member
    expect(optionKeys<{ type: 'x'; a?: number } | { type: 'y'; b?: number }>({ type: true, a: true, b: true }).keys).toEqual(['type', 'a', 'b']);
  });
});

describe('unknown options in core', () => {
  it('randn, randu, matmul, gemv, toTensor, qr, svd, eigenvalues, symmetricEigen', async () => {
    const { eigenvalues, gemv, matmul, qr, randn, randu, svd, symmetricEigen } = await import('../../src/core/index.js');
    const { toTensor } = await import('../../src/core/input.js');
    const a = randn([2, 2], { seed: 1 });
    expect(() => randn([2], { sigma: 2 } as never)).toThrow(/^randn: unknown option opts\.sigma; the options of randn are mean, std, seed, rng$/);
    expect(() => randn([2], { random_state: 2 } as never)).toThrow(/did you mean seed\?/);
    expect(() => randu([2], { lo: 0 } as never)).toThrow(/^randu: unknown option opts\.lo \(did you mean low\?\)$/);
    expect(() => matmul(a, a, { transposeB: true } as never)).toThrow(/^matmul: unknown option opts\.transposeB/);
    expect(() => matmul(a, a, { trans_b: true } as never)).toThrow(/did you mean transB\?/);
    expect(() => gemv(a, randn([2]), { transA: true } as never)).toThrow(/^gemv: unknown option opts\.transA \(did you mean trans\?\)$/);
    expect(() => toTensor([1, 2], 'x', { ranks: 1 } as never)).toThrow(/did you mean rank\?/);
    expect(() => qr([[1, 0], [0, 1]], { Q: false } as never)).toThrow(/^qr: unknown option opts\.Q \(did you mean q\?\)$/);
    expect(() => svd([[1, 0], [0, 1]], { vector: false } as never)).toThrow(/did you mean vectors\?/);
    expect(() => eigenvalues([[1, 0], [0, 1]], { balanced: false } as never)).toThrow(/did you mean balance\?/);
    expect(() => symmetricEigen([[1, 0], [0, 1]], { eigenvectors: false } as never)).toThrow(/^symmetricEigen: unknown option opts\.eigenvectors/);
  });
});
