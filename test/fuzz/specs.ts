// The fuzz catalogue's description of every public export: a valid call and the argument slots to
// break. Each spec is small so that a valid call takes milliseconds. Grouped by source folder.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
export type Lib = any;
export type Folder = 'core' | 'autodiff' | 'rnn' | 'lyapunov' | 'geometry' | 'data' | 'io' | 'plot';
/** 'bound': an upper bound on a count (`limit`), where a value beyond what exists, or Infinity, means "all". */
/** 'rngLazy': a generator the call keeps for later draws (only its kind can be checked when it is given). */
/** 'text': free text (a title, a label): any string is valid. 'pair': [min, max]. 'record': an object of fields. */
export type OptKind = 'int' | 'num' | 'seed' | 'rng' | 'rngLazy' | 'signal' | 'fn' | 'bool' | 'string' | 'out' | 'bound' | 'text' | 'pair' | 'record';
/** What an argument slot holds: a Tensor, a point set, a model, a system, a count, a number, an options bag… */
export type SlotKind = 'tensor' | 'points' | 'rnn' | 'system' | 'int' | 'num' | 'array' | 'bytes' | 'opts' | 'fn' | 'string' | 'shape' | 'record';

export interface Slot {
  name: string;
  kind: SlotKind;
  /** For kind 'opts': the options to break, by kind. */
  opts?: Record<string, OptKind>;
  /** Tensor/points data must be finite (NaN or Infinity is a RangeError). */
  finite?: boolean;
  /** The slot may be left out (then wrong kinds exclude undefined). */
  optional?: boolean;
  /**
   * What the contract says for a "wrong kind" of value that is in fact documented for this slot, by
   * `typeof`: e.g. `{ number: 'ok' }` for `tensor(42)` (a rank-0 tensor), `{ string: 'ok' }` for a
   * string seed (hashed), `{ string: 'RangeError' }` where a string names a choice ('adam', 'sgd')
   * and an unknown name is a wrong value, not a wrong kind.
   */
  accepts?: Partial<Record<'number' | 'string', Expect>>;
  /** Tensor slot of a rank-agnostic function (elementwise kernels, reductions, copies): a tensor of another rank is valid. */
  anyRank?: boolean;
  /** Shape slot where one entry may be -1 (inferred from the size, as in NumPy): [-1, 2] is valid, two -1 are not. */
  freeDim?: boolean;
  /** Integer slot that counts from the end when negative (−1 is the last step): -1 is valid, below −T is not. */
  negativeIndex?: boolean;
  /**
   * Variants of the valid value with one field inside it broken, for arguments that are records or
   * arrays of records (the plot builders' data): [id, value, the class the contract names].
   */
  variants?: (valid: any) => ReadonlyArray<readonly [string, unknown, 'TypeError' | 'RangeError']>;
}

/** The outcome a case expects (see cases.ts). */
export type Expect = 'TypeError' | 'RangeError' | 'either' | 'ok' | 'clean';

export interface Spec {
  folder: Folder;
  /** The exported name; 'ad.x' for the autodiff namespace. */
  name: string;
  /** The valid call's arguments, fresh on every call. */
  args: (L: Lib) => unknown[];
  slots: Slot[];
  /** The name its messages must carry, when not `name` (the assert helpers take it as an argument). */
  messageName?: string;
  /** Call through `fn(L)` instead of L[name] (e.g. a returned closure). */
  fn?: (L: Lib) => (...a: unknown[]) => unknown;
}

/** Exports outside the catalogue, with the reason (unchecked by contract, or no arguments to break). */
export const EXCLUDED: Record<string, string> = {
  gemmRaw: 'raw kernel, unchecked by contract',
  gemvRaw: 'raw kernel, unchecked by contract',
  dotRaw: 'raw kernel, unchecked by contract',
  sumRaw: 'raw kernel, unchecked by contract',
  norm2Raw: 'raw kernel, unchecked by contract',
  eigenvaluesRaw: 'raw kernel, unchecked by contract',
  symmetricEigenRaw: 'raw kernel, unchecked by contract',
  svdRaw: 'raw kernel, unchecked by contract',
  householderQrColMajor: 'raw kernel, unchecked by contract',
  householderApplyColMajor: 'raw kernel, unchecked by contract',
  householderFormQColMajor: 'raw kernel, unchecked by contract',
  fixQrSignsColMajor: 'raw kernel, unchecked by contract',
  gemmWasmAvailable: 'no arguments',
  getGemmBackend: 'no arguments',
  lyapunovBackend: 'no arguments',
  lyapunovWasmAvailable: 'no arguments',
  float64WasmAvailable: 'no arguments',
  Var: 'class used by the tape (constructed by ops, not by users)',
  ad: 'namespace: its members are specs of their own (ad.*)',
  VEGA_LITE_SCHEMA: 'a constant (the schema URL), not a function',
  createPool: 'rnn-lyap/parallel (not in the root: it starts threads); its checks are tested in test/parallel (options: workers, workerUrl, backends and unknown keys in pool-options.test.ts; function-valued options, errors relayed with the synchronous class and message)',
};

const T = (L: Lib, shape: number[], seed = 1) => L.randn(shape, { seed });
const rnn = (L: Lib) => L.initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, activation: 'tanh', seed: 0 });
const pts = (L: Lib, n = 24, d = 3) => T(L, [n, d], 5);
const tensorSlot = (name: string, finite = false): Slot => ({ name, kind: 'tensor', finite });
/** A tensor argument of a rank-agnostic function: any rank is valid (tanh of a [6] or a [2,3] tensor). */
const anyRankSlot = (name: string): Slot => ({ name, kind: 'tensor', anyRank: true });
const RAND = { seed: 'seed', rng: 'rng' } as const;
const LONG = { onProgress: 'fn', signal: 'signal' } as const;

const core: Spec[] = [
  // a number is a rank-0 tensor (`tensor(42)`, shape []), as NumPy's array(42): documented, not a wrong kind
  { folder: 'core', name: 'tensor', args: () => [[[1, 2], [3, 4]]], slots: [{ name: 'values', kind: 'array', accepts: { number: 'ok' } }] },
  { folder: 'core', name: 'zeros', args: () => [[2, 3]], slots: [{ name: 'shape', kind: 'shape' }] },
  { folder: 'core', name: 'ones', args: () => [[2, 3]], slots: [{ name: 'shape', kind: 'shape' }] },
  { folder: 'core', name: 'full', args: () => [[2, 3], 0.5], slots: [{ name: 'shape', kind: 'shape' }, { name: 'value', kind: 'num' }] },
  { folder: 'core', name: 'eye', args: () => [3], slots: [{ name: 'n', kind: 'int' }] },
  { folder: 'core', name: 'randn', args: () => [[2, 3], { seed: 1, std: 1 }], slots: [{ name: 'shape', kind: 'shape' }, { name: 'opts', kind: 'opts', optional: true, opts: { ...RAND, std: 'num', mean: 'num' } }] },
  { folder: 'core', name: 'randu', args: () => [[2, 3], { seed: 1, low: -1, high: 1 }], slots: [{ name: 'shape', kind: 'shape' }, { name: 'opts', kind: 'opts', optional: true, opts: { ...RAND, low: 'num', high: 'num' } }] },
  { folder: 'core', name: 'clone', args: (L) => [T(L, [2, 2])], slots: [anyRankSlot('t')] },
  // reshape views any tensor; one -1 entry is inferred from the size (documented, as NumPy's reshape)
  { folder: 'core', name: 'reshape', args: (L) => [T(L, [2, 3]), [3, 2]], slots: [anyRankSlot('t'), { name: 'shape', kind: 'shape', freeDim: true }] },
  { folder: 'core', name: 'toNested', args: (L) => [T(L, [2, 3])], slots: [anyRankSlot('t')] },
  { folder: 'core', name: 'sizeOf', args: () => [[2, 3]], slots: [{ name: 'shape', kind: 'shape' }] },
  // formatShape prints the shapes that error messages report, invalid ones included ([-1,2], [1.5,2]):
  // it must not reject them, only a value that is not an array
  { folder: 'core', name: 'formatShape', args: () => [[2, 3]], slots: [{ name: 'shape', kind: 'array' }] },
  { folder: 'core', name: 'rowMajorStrides', args: () => [[2, 3]], slots: [{ name: 'shape', kind: 'shape' }] },
  // a string seed is documented (hashed to 32 bits), so createRng('3') is valid
  { folder: 'core', name: 'createRng', args: () => [7], slots: [{ name: 'seed', kind: 'num', accepts: { string: 'ok' } }] },
  { folder: 'core', name: 'gaussian', args: (L) => [L.createRng(1)], slots: [{ name: 'rng', kind: 'fn' }] },
  // resolveRng(opts, fallbackSeed, caller) returns a generator; a user rng is checked on each draw
  // (probing it up front would consume a draw and shift the user's stream), so the case draws once
  { folder: 'core', name: 'resolveRng', fn: (L) => (opts: unknown, fallback: unknown, caller: unknown) => { const r = L.resolveRng(opts, fallback, caller); return r(); }, args: () => [{ seed: 1 }, 0, 'resolveRng'], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: RAND }] },
  { folder: 'core', name: 'matmul', args: (L) => [T(L, [2, 3]), T(L, [3, 4], 2), {}], slots: [tensorSlot('a'), tensorSlot('b'), { name: 'opts', kind: 'opts', optional: true, opts: { transA: 'bool', transB: 'bool', alpha: 'num', beta: 'num', out: 'out' } }] },
  { folder: 'core', name: 'gemv', args: (L) => [T(L, [3, 2]), T(L, [2], 2), {}], slots: [tensorSlot('a'), tensorSlot('x'), { name: 'opts', kind: 'opts', optional: true, opts: { trans: 'bool', alpha: 'num', beta: 'num', out: 'out' } }] },
  ...['add', 'sub', 'mul'].map((name): Spec => ({ folder: 'core', name, args: (L) => [T(L, [2, 3]), T(L, [2, 3], 2)], slots: [tensorSlot('a'), tensorSlot('b')] })),
  { folder: 'core', name: 'scale', args: (L) => [T(L, [2, 3]), 2], slots: [anyRankSlot('a'), { name: 's', kind: 'num' }] },
  { folder: 'core', name: 'axpy', args: (L) => [0.5, T(L, [2, 3]), T(L, [2, 3], 2)], slots: [{ name: 'alpha', kind: 'num' }, tensorSlot('x'), tensorSlot('y')] },
  { folder: 'core', name: 'addBias', args: (L) => [T(L, [2, 3]), T(L, [3], 2)], slots: [tensorSlot('a'), tensorSlot('bias')] },
  // elementwise kernels and whole-tensor reductions take any rank; sumRows sums all leading dimensions of [..., n]
  ...['tanh', 'relu', 'sigmoid', 'sumRows', 'sum', 'mean', 'norm2'].map((name): Spec => ({ folder: 'core', name, args: (L) => [T(L, [2, 3])], slots: [anyRankSlot('a')] })),
  ...['transpose', 'maxRows', 'argmaxRows'].map((name): Spec => ({ folder: 'core', name, args: (L) => [T(L, [2, 3])], slots: [tensorSlot('a')] })),
  { folder: 'core', name: 'dot', args: (L) => [T(L, [3]), T(L, [3], 2)], slots: [tensorSlot('a'), tensorSlot('b')] },
  { folder: 'core', name: 'qr', args: () => [[[3, 1], [4, 2], [0, 2]]], slots: [{ name: 'a', kind: 'array', finite: true }] },
  { folder: 'core', name: 'symmetricEigen', args: () => [[[2, 1], [1, 2]]], slots: [{ name: 'a', kind: 'array', finite: true }] },
  { folder: 'core', name: 'eigenvalues', args: () => [[[0, -2], [2, 0]]], slots: [{ name: 'a', kind: 'array', finite: true }] },
  { folder: 'core', name: 'svd', args: () => [[[3, 0], [0, -4], [0, 0]]], slots: [{ name: 'a', kind: 'array', finite: true }] },
  { folder: 'core', name: 'toMatrix64', args: () => [[[1, 2], [3, 4]]], slots: [{ name: 'a', kind: 'array' }] },
  { folder: 'core', name: 'matrix64ToArray', args: () => [{ rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) }], slots: [{ name: 'm', kind: 'record' }] },
  { folder: 'core', name: 'fromNdarray', args: () => [{ data: new Float64Array(6), shape: [2, 3], stride: [3, 1], offset: 0 }], slots: [{ name: 'view', kind: 'record' }] },
  { folder: 'core', name: 'toNdarray', args: (L) => [T(L, [2, 3])], slots: [anyRankSlot('t')] },
  { folder: 'core', name: 'writeToNdarray', args: (L) => [T(L, [2, 3]), { data: new Float64Array(6), shape: [2, 3], stride: [3, 1], offset: 0 }], slots: [tensorSlot('t'), { name: 'view', kind: 'record' }] },
  { folder: 'core', name: 'isDynamicalSystem', args: (L) => [L.henonMap()], slots: [] },
  { folder: 'core', name: 'sharesMemory', args: () => [new Float32Array(2), new Float32Array(2)], slots: [{ name: 'x', kind: 'bytes' }, { name: 'y', kind: 'bytes' }] },
  { folder: 'core', name: 'setGemmBackend', args: () => ['auto'], slots: [{ name: 'which', kind: 'string' }] },
  { folder: 'core', name: 'firstNonFinite', args: () => [[1, 2]], slots: [{ name: 'data', kind: 'array' }] },
  { folder: 'core', name: 'assertFinite', messageName: 'x', args: () => [[1, 2], 'x'], slots: [{ name: 'data', kind: 'array' }] },
  { folder: 'core', name: 'assertFiniteTensor', messageName: 'x', args: (L) => [T(L, [2]), 'x'], slots: [anyRankSlot('t')] },
  { folder: 'core', name: 'assertTensor', messageName: 'x', args: (L) => [T(L, [2]), 'x'], slots: [] },
  { folder: 'core', name: 'assertShape', messageName: 'x', args: () => [[2, 3], [2, -1], 'x'], slots: [{ name: 'shape', kind: 'shape' }, { name: 'expected', kind: 'shape' }] },
  { folder: 'core', name: 'assertRank', messageName: 'x', args: (L) => [T(L, [2, 3]), 2, 'x'], slots: [tensorSlot('t'), { name: 'rank', kind: 'int' }] },
  { folder: 'core', name: 'assertNumber', messageName: 'x', args: () => [1, 'x'], slots: [] },
  { folder: 'core', name: 'assertInteger', messageName: 'x', args: () => [1, 'x'], slots: [] },
  { folder: 'core', name: 'assertRng', messageName: 'x', args: (L) => [L.createRng(1), 'x'], slots: [] },
  { folder: 'core', name: 'setKernelBackend', args: () => ['rnnRecurrence', 'auto'], slots: [{ name: 'name', kind: 'string' }, { name: 'backend', kind: 'string' }] },
  { folder: 'core', name: 'getKernelBackend', args: () => ['rnnRecurrence'], slots: [{ name: 'name', kind: 'string' }] },
  { folder: 'core', name: 'setBackend', args: () => ['float64', 'auto'], slots: [{ name: 'kind', kind: 'string' }, { name: 'choice', kind: 'string' }] },
  { folder: 'core', name: 'backend', args: () => ['float64'], slots: [{ name: 'kind', kind: 'string' }] },
  { folder: 'core', name: 'readTensor', messageName: 'x', args: (L) => [T(L, [2]), 'x'], slots: [anyRankSlot('t')] },
  // the input normaliser: any rank (it only converts); messages carry the name it is given
  { folder: 'core', name: 'toTensor', messageName: 'value', args: () => [[[1, 2], [3, 4]], 'value'], slots: [{ name: 'value', kind: 'tensor', anyRank: true }] },
  { folder: 'core', name: 'checkUniform', messageName: 'x', args: () => [0.5, 'x'], slots: [{ name: 'u', kind: 'num' }] },
  { folder: 'core', name: 'throwIfAborted', args: () => [undefined, 'x'], slots: [{ name: 'signal', kind: 'record', optional: true }] },
];

const adTwo = ['add', 'sub', 'mul'];
const autodiff: Spec[] = [
  ...adTwo.map((op): Spec => ({ folder: 'autodiff', name: `ad.${op}`, args: (L) => [T(L, [2, 3]), T(L, [2, 3], 2)], slots: [tensorSlot('a'), tensorSlot('b')] })),
  // elementwise ops and whole-tensor reductions take any rank
  ...['tanh', 'relu', 'sigmoid', 'sum', 'mean'].map((op): Spec => ({ folder: 'autodiff', name: `ad.${op}`, args: (L) => [T(L, [2, 3])], slots: [anyRankSlot('a')] })),
  { folder: 'autodiff', name: 'ad.scale', args: (L) => [T(L, [2, 3]), 2], slots: [anyRankSlot('a'), { name: 'c', kind: 'num' }] },
  { folder: 'autodiff', name: 'ad.matmul', args: (L) => [T(L, [2, 3]), T(L, [3, 4], 2), {}], slots: [tensorSlot('a'), tensorSlot('b'), { name: 'opts', kind: 'opts', optional: true, opts: { transA: 'bool', transB: 'bool' } }] },
  { folder: 'autodiff', name: 'ad.reshape', args: (L) => [T(L, [2, 3]), [3, 2]], slots: [anyRankSlot('a'), { name: 'shape', kind: 'shape', freeDim: true }] },
  // t < 0 counts from the end (documented: timeStep(states, -1) is the last step); below -T is out of range
  { folder: 'autodiff', name: 'ad.timeStep', args: (L) => [T(L, [2, 4, 3]), -1], slots: [tensorSlot('x'), { name: 't', kind: 'int', negativeIndex: true }] },
  { folder: 'autodiff', name: 'ad.mse', args: (L) => [T(L, [2, 3]), T(L, [2, 3], 2)], slots: [tensorSlot('pred'), tensorSlot('target')] },
  { folder: 'autodiff', name: 'ad.softmaxCrossEntropy', args: (L) => [T(L, [2, 3]), [0, 2]], slots: [tensorSlot('logits'), { name: 'labels', kind: 'array' }] },
  { folder: 'autodiff', name: 'ad.rnn', args: (L) => { const p = rnn(L).params; return [T(L, [2, 4, 2]), { wIn: p.wIn, wRec: p.wRec, b: p.b }, { activation: 'tanh' }]; }, slots: [tensorSlot('x'), { name: 'params', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { activation: 'string' } }] },
  { folder: 'autodiff', name: 'isVar', args: () => [1], slots: [] },
  { folder: 'autodiff', name: 'valueAndGrad', args: (L) => [(p: any) => L.ad.sum(L.ad.mul(p.w, p.w))], slots: [{ name: 'fn', kind: 'fn' }] },
  { folder: 'autodiff', name: 'grad', args: (L) => [(p: any) => L.ad.sum(L.ad.mul(p.w, p.w))], slots: [{ name: 'fn', kind: 'fn' }] },
  { folder: 'autodiff', name: 'valueAndGrad(fn)', fn: (L) => L.valueAndGrad((p: any) => L.ad.sum(L.ad.mul(p.w, p.w))), args: (L) => [{ w: T(L, [3]) }], slots: [{ name: 'params', kind: 'record' }] },
  { folder: 'autodiff', name: 'gradientCheck', args: (L) => [(p: any) => L.ad.sum(L.ad.tanh(p.w)), { w: T(L, [3]) }, { h: 1e-3, rtol: 1e-2, atol: 1e-4 }], slots: [{ name: 'fn', kind: 'fn' }, { name: 'params', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { h: 'num', rtol: 'num', atol: 'num' } }] },
];

const rnnOpts = { inputSize: 'int', hiddenSize: 'int', outputSize: 'int', gain: 'num', activation: 'string', init: 'string', ...RAND } as const;
const batch = (L: Lib) => ({ x: T(L, [2, 4, 2]), targets: T(L, [2, 4, 2], 3) });
const rnnFolder: Spec[] = [
  { folder: 'rnn', name: 'initRnn', args: () => [{ inputSize: 2, hiddenSize: 3, outputSize: 2, activation: 'tanh', seed: 0 }], slots: [{ name: 'opts', kind: 'opts', opts: rnnOpts }] },
  { folder: 'rnn', name: 'rnnForward', args: (L) => [rnn(L), T(L, [2, 4, 2])], slots: [{ name: 'rnn', kind: 'rnn' }, tensorSlot('x', true)] },
  { folder: 'rnn', name: 'rnnLoss', args: (L) => [rnn(L), batch(L), { loss: 'mse' }], slots: [{ name: 'rnn', kind: 'rnn' }, { name: 'batch', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { loss: 'string' } }] },
  { folder: 'rnn', name: 'evaluate', args: (L) => [rnn(L), batch(L), { loss: 'mse' }], slots: [{ name: 'rnn', kind: 'rnn' }, { name: 'data', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { loss: 'string', batchSize: 'int', ...LONG } }] },
  { folder: 'rnn', name: 'train', args: (L) => [rnn(L), batch(L), { epochs: 1, batchSize: 2, loss: 'mse', seed: 1 }], slots: [{ name: 'rnn', kind: 'rnn' }, { name: 'data', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { epochs: 'int', batchSize: 'int', learningRate: 'num', clipNorm: 'num', ...RAND, ...LONG } }] },
  // the spec may be the name of an optimizer ('adam', 'sgd'): another string is a wrong value
  { folder: 'rnn', name: 'createOptimizer', args: (L) => [{ type: 'adam', lr: 1e-3 }, rnn(L).params], slots: [{ name: 'spec', kind: 'opts', accepts: { string: 'RangeError' }, opts: { lr: 'num', beta1: 'num', beta2: 'num', eps: 'num', weightDecay: 'num' } }, { name: 'params', kind: 'record' }] },
  { folder: 'rnn', name: 'optimizerStep', args: (L) => { const p = rnn(L).params; const g = rnn(L).params; return [L.createOptimizer('adam', p), p, g, 1e-3]; }, slots: [{ name: 'state', kind: 'record' }, { name: 'params', kind: 'record' }, { name: 'grads', kind: 'record' }, { name: 'lr', kind: 'num', optional: true }] },
  { folder: 'rnn', name: 'gradNorm', args: (L) => [rnn(L).params], slots: [{ name: 'grads', kind: 'record' }] },
  { folder: 'rnn', name: 'clipGradNorm', args: (L) => [rnn(L).params, 1], slots: [{ name: 'grads', kind: 'record' }, { name: 'maxNorm', kind: 'num' }] },
  { folder: 'rnn', name: 'learningRateAt', args: () => [{ type: 'step', stepSize: 2, gamma: 0.5 }, { epoch: 1, step: 1, baseLr: 0.1, totalEpochs: 3 }], slots: [{ name: 'schedule', kind: 'record', optional: true }, { name: 'info', kind: 'record' }] },
  { folder: 'rnn', name: 'applyActivation', args: () => ['tanh', [0.5, -1]], slots: [{ name: 'act', kind: 'string' }, { name: 'a', kind: 'array' }] },
  { folder: 'rnn', name: 'activationDerivative', args: () => ['tanh', [0.5, -1]], slots: [{ name: 'act', kind: 'string' }, { name: 'a', kind: 'array' }] },
  { folder: 'rnn', name: 'sech2', args: () => [0.5], slots: [{ name: 'a', kind: 'num' }] },
  { folder: 'rnn', name: 'toTorchStateDict', args: (L) => [rnn(L)], slots: [{ name: 'rnn', kind: 'rnn' }] },
  { folder: 'rnn', name: 'fromTorchStateDict', args: (L) => [L.toTorchStateDict(rnn(L)), { cell: 'rnn' }], slots: [{ name: 'dict', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { cell: 'string' } }] },
  { folder: 'rnn', name: 'saveRnn', args: (L) => [rnn(L)], slots: [{ name: 'rnn', kind: 'rnn' }] },
  { folder: 'rnn', name: 'loadRnn', args: (L) => [L.saveRnn(rnn(L)), { cell: 'rnn' }], slots: [{ name: 'json', kind: 'string' }, { name: 'opts', kind: 'opts', optional: true, opts: { cell: 'string' } }] },
  // t < 0 counts from the end (documented: statesAt(states, -1) is the last step); below -T is out of range
  { folder: 'rnn', name: 'statesAt', args: (L) => [T(L, [2, 4, 3]), 1], slots: [tensorSlot('states'), { name: 't', kind: 'int', negativeIndex: true }] },
  { folder: 'rnn', name: 'predict', args: (L) => [rnn(L), T(L, [2, 4, 2])], slots: [{ name: 'rnn', kind: 'rnn' }, tensorSlot('x', true)] },
  { folder: 'rnn', name: 'loadOptimizerState', args: (L) => [JSON.stringify(L.createOptimizer({ type: 'adam', lr: 1e-3 }, rnn(L).params))], slots: [{ name: 'json', kind: 'string' }] },
  { folder: 'rnn', name: 'rnnSystem', args: (L) => [rnn(L), { inputs: T(L, [1, 4, 2]) }], slots: [{ name: 'rnn', kind: 'rnn' }, { name: 'opts', kind: 'opts', optional: true, opts: {} }] },
];

const spectrumOpts = { k: 'int', steps: 'int', warmup: 'int', frameWarmup: 'int', reorthEvery: 'int', tolerance: 'num', dt: 'num', ...RAND, ...LONG } as const;
const lyapunov: Spec[] = [
  { folder: 'lyapunov', name: 'lyapunovSpectrum', args: (L) => [L.henonMap(), { steps: 200 }], slots: [{ name: 'system', kind: 'system' }, { name: 'opts', kind: 'opts', optional: true, opts: spectrumOpts }] },
  { folder: 'lyapunov', name: 'lyapunovSpectrum(rnn)', fn: (L) => L.lyapunovSpectrum, args: (L) => [rnn(L), { inputs: T(L, [2, 20, 2]) }], slots: [{ name: 'system', kind: 'rnn' }, { name: 'opts', kind: 'opts', optional: true, opts: spectrumOpts }] },
  { folder: 'lyapunov', name: 'createLyapunovEstimator', args: () => [{ dim: 3, k: 2, seed: 1 }], slots: [{ name: 'opts', kind: 'opts', opts: { dim: 'int', k: 'int', frameWarmup: 'int', reorthEvery: 'int', dt: 'num', ...RAND } }] },
  { folder: 'lyapunov', name: 'estimator.pushJacobian', fn: (L) => { const e = L.createLyapunovEstimator({ dim: 2, k: 2, seed: 1 }); return (j: unknown) => { e.pushJacobian(j); return e.result(); }; }, args: () => [new Float64Array([1.1, 0.2, 0, 0.5])], slots: [{ name: 'jacobian', kind: 'array', finite: true }] },
  { folder: 'lyapunov', name: 'finiteTimeExponents', args: (L) => [L.henonMap(), { window: 10, windows: 5 }], slots: [{ name: 'system', kind: 'system' }, { name: 'opts', kind: 'opts', opts: { window: 'int', windows: 'int', k: 'int', warmup: 'int', ...RAND } }] },
  { folder: 'lyapunov', name: 'kaplanYorkeDimension', args: () => [[0.4, -1.6]], slots: [{ name: 'exponents', kind: 'array', finite: true }] },
  { folder: 'lyapunov', name: 'lyapunovEntropy', args: () => [[0.4, -1.6]], slots: [{ name: 'exponents', kind: 'array', finite: true }] },
  { folder: 'lyapunov', name: 'henonMap', args: () => [{ a: 1.4, b: 0.3 }], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: { a: 'num', b: 'num' } }] },
  { folder: 'lyapunov', name: 'logisticMap', args: () => [{ r: 4 }], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: { r: 'num' } }] },
  { folder: 'lyapunov', name: 'lorenz63', args: () => [{}], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: { sigma: 'num', rho: 'num', beta: 'num', dt: 'num' } }] },
  { folder: 'lyapunov', name: 'lorenz96', args: () => [{ n: 6 }], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: { n: 'int', forcing: 'num', dt: 'num' } }] },
  { folder: 'lyapunov', name: 'linearMap', args: () => [[[0.5, 0], [0, 2]]], slots: [{ name: 'a', kind: 'array', finite: true }] },
  // the callback it returns draws its frames at the first measured epoch, where a bad rng is a RangeError
  // (test/lyapunov/training.test.ts); creating it draws nothing, so only the kind of rng is checked here
  { folder: 'lyapunov', name: 'lyapunovDuringTraining', args: () => [{ k: 1, steps: 50 }], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: { k: 'int', steps: 'int', seed: 'seed', rng: 'rngLazy' } }] },
  { folder: 'lyapunov', name: 'lyapunovValueAndGrad', args: (L) => [rnn(L), { inputs: T(L, [1, 12, 2]), k: 2, frameWarmup: 2 }], slots: [{ name: 'rnn', kind: 'rnn' }, { name: 'opts', kind: 'opts', optional: true, opts: { k: 'int', warmup: 'int', frameWarmup: 'int', ...RAND } }] },
  { folder: 'lyapunov', name: 'flossingLossAndGrad', args: (L) => [rnn(L), T(L, [1, 12, 2]), { k: 1 }], slots: [{ name: 'rnn', kind: 'rnn' }, tensorSlot('inputs', true), { name: 'opts', kind: 'opts', optional: true, opts: { target: 'num', k: 'int', weight: 'num', window: 'int' } }] },
  { folder: 'lyapunov', name: 'flossingRegularizer', args: () => [{ k: 1, before: 2, every: 2 }], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: { target: 'num', k: 'int', weight: 'num', every: 'int', before: 'int', window: 'int', sequences: 'int', frameWarmup: 'int' } }] },
  { folder: 'lyapunov', name: 'covariantLyapunovVectors', args: (L) => [L.henonMap(), { steps: 40, warmup: 10, frameWarmup: 10, backwardWarmup: 10, seed: 1 }], slots: [{ name: 'systemOrRnn', kind: 'system' }, { name: 'opts', kind: 'opts', optional: true, opts: { k: 'int', steps: 'int', warmup: 'int', frameWarmup: 'int', backwardWarmup: 'int', ...RAND, ...LONG } }] },
  { folder: 'lyapunov', name: 'clvAngles', args: (L) => [L.covariantLyapunovVectors(L.henonMap(), { steps: 20, warmup: 5, frameWarmup: 5, backwardWarmup: 5, seed: 1 }), { unstable: 1 }], slots: [{ name: 'result', kind: 'record' }, { name: 'opts', kind: 'opts', opts: { unstable: 'int' } }] },
  { folder: 'lyapunov', name: 'setLyapunovBackend', args: () => ['auto'], slots: [{ name: 'backend', kind: 'string' }] },
];

const ptsOpts = { ...LONG } as const;
const geometry: Spec[] = [
  { folder: 'geometry', name: 'pca', args: (L) => [pts(L), { components: 2 }], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { components: 'int', varianceFraction: 'num', dim: 'int' } }] },
  { folder: 'geometry', name: 'participationRatio', args: (L) => [pts(L)], slots: [{ name: 'X', kind: 'points', finite: true }] },
  { folder: 'geometry', name: 'participationRatioFromEigenvalues', args: () => [[3, 1]], slots: [{ name: 'eigenvalues', kind: 'array', finite: true }] },
  { folder: 'geometry', name: 'twoNN', args: (L) => [pts(L)], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { discardFraction: 'num', ...ptsOpts } }] },
  { folder: 'geometry', name: 'levinaBickel', args: (L) => [pts(L), { k: 5 }], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { k: 'int', ...ptsOpts } }] },
  { folder: 'geometry', name: 'knn', args: (L) => [pts(L), 3], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'k', kind: 'int' }, { name: 'opts', kind: 'opts', optional: true, opts: { dim: 'int', ...ptsOpts } }] },
  // starts sampled from `states` (so the valid call draws from the generator and a bad rng is seen)
  { folder: 'geometry', name: 'findFixedPoints', args: (L) => [L.henonMap(), { states: [[0.5, 0.1], [-1, 0.3], [0.2, 0.2]], nStarts: 2 }], slots: [{ name: 'systemOrRnn', kind: 'system' }, { name: 'opts', kind: 'opts', opts: { nStarts: 'int', noise: 'num', maxIterations: 'int', tolerance: 'num', scale: 'num', ...RAND, ...LONG } }] },
  { folder: 'geometry', name: 'findFixedPoints(rnn)', fn: (L) => L.findFixedPoints, args: (L) => [rnn(L), { states: T(L, [1, 6, 3]), nStarts: 4, seed: 1, input: [0, 0] }], slots: [{ name: 'systemOrRnn', kind: 'rnn' }, { name: 'opts', kind: 'opts', opts: { nStarts: 'int', noise: 'num', ...RAND } }] },
  // no x0: the start is drawn from the generator, so a bad rng is seen
  { folder: 'geometry', name: 'detectLimitCycle', args: (L) => [L.logisticMap({ r: 3.2 }), { transient: 200, maxPeriod: 8 }], slots: [{ name: 'systemOrRnn', kind: 'system' }, { name: 'opts', kind: 'opts', optional: true, opts: { transient: 'int', maxPeriod: 'int', checkWindow: 'int', tolerance: 'num', exponentSteps: 'int', ...RAND, signal: 'signal' } }] },
  { folder: 'geometry', name: 'tsne', args: (L) => [pts(L), { perplexity: 5, iterations: 30, seed: 1 }], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { dims: 'int', perplexity: 'num', iterations: 'int', learningRate: 'num', theta: 'num', ...RAND, ...LONG } }] },
  { folder: 'geometry', name: 'phate', args: (L) => [pts(L), { knn: 4, seed: 1 }], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { knn: 'int', decay: 'num', t: 'int', landmarks: 'int', ...RAND, ...LONG } }] },
  { folder: 'geometry', name: 'phateKernel', args: (L) => [pts(L), { knn: 4 }], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { knn: 'int', decay: 'num' } }] },
  { folder: 'geometry', name: 'mPhate', args: (L) => [T(L, [3, 8, 4]), { seed: 1, intrasliceKnn: 3 }], slots: [{ name: 'X', kind: 'tensor', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { intrasliceKnn: 'int', intersliceKnn: 'int', decay: 'num', ...RAND, ...LONG } }] },
  { folder: 'geometry', name: 'mmPhate', args: (L) => [T(L, [2, 2, 4, 5]), { seed: 1, intrasliceKnn: 3 }], slots: [{ name: 'X', kind: 'tensor', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { intrasliceKnn: 'int', intersliceKnn: 'int', decay: 'num', ...RAND, ...LONG } }] },
  { folder: 'geometry', name: 'multisliceFromStates', args: (L) => [T(L, [3, 4, 5]), { times: [0, -1] }], slots: [{ name: 'states', kind: 'tensor', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: {} }] },
  { folder: 'geometry', name: 'classicalMds', args: (L) => [distanceMatrix(pts(L, 6, 2)), { dims: 2 }], slots: [{ name: 'distances', kind: 'points', finite: true }, { name: 'opts', kind: 'opts', optional: true, opts: { dims: 'int' } }] },
  { folder: 'geometry', name: 'trustworthiness', args: (L) => [pts(L), pts(L, 24, 2), { k: 3 }], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'Y', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { k: 'int', ...ptsOpts } }] },
  { folder: 'geometry', name: 'neighborhoodPreservation', args: (L) => [pts(L), pts(L, 24, 2), { k: 3 }], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'Y', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { k: 'int' } }] },
  { folder: 'geometry', name: 'demap', args: (L) => [pts(L), pts(L, 24, 2), { k: 5 }], slots: [{ name: 'X', kind: 'points', finite: true }, { name: 'Y', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: { k: 'int' } }] },
  { folder: 'geometry', name: 'vonNeumannEntropy', args: () => [[0.5, 0.3, 0.2], 10], slots: [{ name: 'eigenvalues', kind: 'array', finite: true }, { name: 'tMax', kind: 'int', optional: true }] },
  { folder: 'geometry', name: 'findKnee', args: () => [[5, 3, 1, 0.5, 0.4]], slots: [{ name: 'y', kind: 'array', finite: true }] },
];

function distanceMatrix(p: { shape: number[]; data: Float32Array }): number[][] {
  const [n, d] = p.shape;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let c = 0; c < d; c++) s += (p.data[i * d + c] - p.data[j * d + c]) ** 2;
    return Math.sqrt(s);
  }));
}

const idx = (L: Lib) => L.writeIdx({ shape: [2, 28, 28], data: new Uint8Array(2 * 784) });
const data: Spec[] = [
  { folder: 'data', name: 'readIdx', args: (L) => [idx(L)], slots: [{ name: 'bytes', kind: 'bytes' }] },
  { folder: 'data', name: 'writeIdx', args: () => [{ shape: [2, 3], data: new Uint8Array(6) }], slots: [{ name: 'array', kind: 'record' }] },
  // 'permuted' is the variant that draws from seed/rng (the others never draw, so a bad rng cannot matter);
  // limit is an upper bound like slice's end (limit beyond N, or Infinity, gives all N: documented)
  { folder: 'data', name: 'sequentialMnist', args: () => [{ shape: [2, 28, 28], data: new Uint8Array(2 * 784) }, new Uint8Array([3, 7]), { variant: 'permuted' }], slots: [{ name: 'images', kind: 'record' }, { name: 'labels', kind: 'array' }, { name: 'opts', kind: 'opts', optional: true, opts: { offset: 'int', limit: 'bound', ...RAND } }] },
  { folder: 'data', name: 'flipFlopTask', args: () => [{ bits: 2, steps: 5, batch: 2, seed: 1 }], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: { bits: 'int', steps: 'int', batch: 'int', pFlip: 'num', ...RAND } }] },
  { folder: 'data', name: 'delayedRecallTask', args: () => [{ delay: 2, steps: 6, batch: 2, seed: 1 }], slots: [{ name: 'opts', kind: 'opts', optional: true, opts: { delay: 'int', steps: 'int', batch: 'int', inputSize: 'int', ...RAND } }] },
];

const st = (L: Lib) => L.writeSafetensors({ w: { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } });
const io: Spec[] = [
  { folder: 'io', name: 'readSafetensors', args: (L) => [st(L)], slots: [{ name: 'bytes', kind: 'bytes' }] },
  { folder: 'io', name: 'writeSafetensors', args: () => [{ w: { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } }], slots: [{ name: 'tensors', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: {} }] },
  { folder: 'io', name: 'safetensorsToTensors', args: (L) => [L.readSafetensors(st(L))], slots: [{ name: 'file', kind: 'record' }, { name: 'opts', kind: 'opts', optional: true, opts: {} }] },
  { folder: 'io', name: 'readNpy', args: (L) => [L.writeNpy({ shape: [2, 3], data: new Float32Array(6) })], slots: [{ name: 'bytes', kind: 'bytes' }] },
  { folder: 'io', name: 'readNpz', args: () => [new Uint8Array(readFileSync(new URL('../fixtures/io/npz_stored.npz', import.meta.url)))], slots: [{ name: 'bytes', kind: 'bytes' }] },
  { folder: 'io', name: 'writeNpy', args: () => [{ shape: [2, 3], data: new Float32Array(6) }], slots: [{ name: 'array', kind: 'record' }] },
];

const ex = [0.4, -1.6];
const FRAME = { title: 'text', width: 'num', height: 'num' } as const;
/** The options slot of a plot builder (named as its messages name it: options.title, …). */
const plotOpts = (opts: Record<string, OptKind>): Slot => ({ name: 'options', kind: 'opts', optional: true, opts: { ...FRAME, ...opts } });
type Variants = NonNullable<Slot['variants']>;
/** `valid` with `field` (a path of keys) set to `v`. */
const setIn = (valid: unknown, path: (string | number)[], v: unknown): unknown => {
  const c = structuredClone(valid) as any;
  let o = c;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path.at(-1)!] = v;
  return c;
};
/** A numeric field broken by kind (not an array, a non-number inside) and by length (one short). */
const numericField = (valid: unknown, path: (string | number)[], lengthMatters = true): ReturnType<Variants> => {
  const name = path.join('.');
  let a: any = valid;
  for (const k of path) a = a[k];
  return [
    [`${name}='x'`, setIn(valid, path, 'x'), 'TypeError'],
    [`${name}[0]='1'`, setIn(valid, path, ['1', ...a.slice(1)]), 'TypeError'],
    ...(lengthMatters ? [[`${name}:short`, setIn(valid, path, a.slice(1)), 'RangeError'] as const] : []),
  ];
};
const plot: Spec[] = [
  {
    folder: 'plot', name: 'spectrumPlot', args: () => [[{ label: 'a', exponents: ex, spread: [0.1, 0.1] }], {}],
    slots: [
      { name: 'series', kind: 'array', variants: (v) => [['series=[]', [], 'RangeError'], ['series[0]=3', [3], 'TypeError'], ['series[0].label=3', setIn(v, [0, 'label'], 3), 'TypeError'], ...numericField(v, [0, 'exponents'], false), ...numericField(v, [0, 'spread'])] },
      plotOpts({ yTitle: 'text' }),
    ],
  },
  {
    folder: 'plot', name: 'spectraAcrossTrainingPlot', args: () => [[{ label: 'a', epochs: [0, 1], exponents: [ex, ex], spread: [ex, ex] }], { yTitle: 'λ (nats per step)' }],
    slots: [
      {
        name: 'runs', kind: 'array',
        variants: (v) => [
          ['runs=[]', [], 'RangeError'], ['runs[0].label=3', setIn(v, [0, 'label'], 3), 'TypeError'], ...numericField(v, [0, 'epochs']),
          ['runs[0].exponents=3', setIn(v, [0, 'exponents'], 3), 'TypeError'], ['runs[0].exponents:short', setIn(v, [0, 'exponents'], [ex]), 'RangeError'],
          ['runs[0].spread[0]:short', setIn(v, [0, 'spread', 0], [0.1]), 'RangeError'], ['runs[0].exponents[0]=x', setIn(v, [0, 'exponents', 0], 'x'), 'TypeError'],
        ],
      },
      plotOpts({ top: 'bound', columns: 'bound', yTitle: 'text' }),
    ],
  },
  {
    folder: 'plot', name: 'accuracyVsNPlot', args: () => [{ n: [0, 1], cut: { mean: [0.1, 0.2], spread: [0, 0.1] }, hidden: { mean: [0.1, 0.3] } }, {}],
    slots: [
      { name: 'data', kind: 'record', variants: (v) => [...numericField(v, ['n']), ...numericField(v, ['cut', 'mean']), ...numericField(v, ['cut', 'spread']), ['data.cut=3', setIn(v, ['cut'], 3), 'TypeError'], ['data:no curve', { n: [0, 1] }, 'RangeError']] },
      plotOpts({ chance: 'num' }),
    ],
  },
  {
    folder: 'plot', name: 'embeddingScatterPlot', args: () => [{ embedding: [0, 1, 1, 0, 2, 2], labels: [0, 1, 0], panels: ['a', 'b', 'a'], labelName: 'digit', panelName: 'step' }, {}],
    slots: [
      {
        name: 'data', kind: 'record',
        variants: (v) => [
          ...numericField(v, ['embedding']), ['data.labels:short', setIn(v, ['labels'], [0, 1]), 'RangeError'], ['data.labels=x', setIn(v, ['labels'], 'x'), 'TypeError'],
          ['data.labels[0]={}', setIn(v, ['labels'], [{}, 1, 0]), 'TypeError'], ['data.panels:short', setIn(v, ['panels'], ['a']), 'RangeError'],
          ['data.dims=1', setIn(v, ['dims'], 1), 'RangeError'], ['data.dims=2.5', setIn(v, ['dims'], 2.5), 'RangeError'], ['data.dims=x', setIn(v, ['dims'], 'x'), 'TypeError'],
          ['data.labelType=x', setIn(v, ['labelType'], 'x'), 'RangeError'], ['data.labelType=3', setIn(v, ['labelType'], 3), 'TypeError'],
          ['data.labelName=3', setIn(v, ['labelName'], 3), 'TypeError'], ['data.panelName=3', setIn(v, ['panelName'], 3), 'TypeError'],
        ],
      },
      plotOpts({ pointSize: 'num', xTitle: 'text', yTitle: 'text', columns: 'bound', independentScales: 'bool' }),
    ],
  },
  {
    folder: 'plot', name: 'scatterPlot', args: () => [{ x: [1, 2], y: [3, 4], yError: [0.1, 0.2], color: ['a', 'b'], tooltip: ['p', 'q'] }, {}],
    slots: [
      {
        name: 'data', kind: 'record',
        variants: (v) => [
          ...numericField(v, ['x'], false), ...numericField(v, ['y']), ...numericField(v, ['yError']), ['data.yError[0]=-1', setIn(v, ['yError'], [-1, 0.2]), 'RangeError'],
          ['data.color:short', setIn(v, ['color'], ['a']), 'RangeError'], ['data.tooltip=x', setIn(v, ['tooltip'], 'x'), 'TypeError'],
        ],
      },
      plotOpts({ xTitle: 'text', yTitle: 'text', colorTitle: 'text', colorType: 'string', xDomain: 'pair', yDomain: 'pair' }),
    ],
  },
  {
    folder: 'plot', name: 'pcaTrajectoryPlot', args: () => [{ points: [0, 1, 1, 0, 2, 2], trajectory: [0, 0, 1], time: [0, 1, 0] }, {}],
    slots: [
      { name: 'data', kind: 'record', variants: (v) => [...numericField(v, ['points']), ...numericField(v, ['time']), ['data.trajectory:short', setIn(v, ['trajectory'], [0]), 'RangeError'], ['data.dims=1', setIn(v, ['dims'], 1), 'RangeError'], ['data.dims=x', setIn(v, ['dims'], 'x'), 'TypeError']] },
      plotOpts({ xTitle: 'text', yTitle: 'text', trajectoryName: 'text' }),
    ],
  },
  {
    folder: 'plot', name: 'fixedPointsPlot', args: () => [[{ x: 0, y: 0, stability: 'stable' }, { x: 1, y: 0, stability: 'saddle', unstableModes: 1 }], { trajectories: { points: [0, 0, 1, 1] } }],
    slots: [
      {
        name: 'points', kind: 'array',
        variants: (v) => [
          ['points[0]=3', setIn(v, [0], 3), 'TypeError'], ['points[0].x=x', setIn(v, [0, 'x'], 'x'), 'TypeError'], ['points[0].stability=3', setIn(v, [0, 'stability'], 3), 'TypeError'],
          ['points[1].unstableModes=x', setIn(v, [1, 'unstableModes'], 'x'), 'TypeError'], ['points[1].unstableModes=-1', setIn(v, [1, 'unstableModes'], -1), 'RangeError'],
          ['points[1].unstableModes=0.5', setIn(v, [1, 'unstableModes'], 0.5), 'RangeError'],
        ],
      },
      plotOpts({ trajectories: 'record', xTitle: 'text', yTitle: 'text' }),
    ],
  },
];

export const SPECS: Spec[] = [...core, ...autodiff, ...rnnFolder, ...lyapunov, ...geometry, ...data, ...io, ...plot];
