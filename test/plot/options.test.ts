// The options of the plot builders, as in every other folder: own properties only, undefined/null
// for all defaults, an unknown key refused, TypeError for a wrong kind and RangeError for a wrong
// value, each naming the builder and the option.
import { describe, expect, it } from 'vitest';
import { suggestOption } from '../../src/core/options.js';
import * as P from '../../src/plot/index.js';
import * as K from '../../src/plot/option-keys.js';

type Builder = (opts?: unknown) => Record<string, unknown>;
const ex = [0.4, -1.6];
/** Each builder with a valid first argument, and its string options (titles, labels). */
const BUILDERS: Record<string, { call: Builder; text: string[] }> = {
  spectrumPlot: { call: (o) => P.spectrumPlot([{ label: 'a', exponents: ex }], o as never), text: ['title', 'yTitle'] },
  spectraAcrossTrainingPlot: { call: (o) => P.spectraAcrossTrainingPlot([{ label: 'a', epochs: [0, 1], exponents: [ex, ex] }], o as never), text: ['title', 'yTitle'] },
  accuracyVsNPlot: { call: (o) => P.accuracyVsNPlot({ n: [0, 1], cut: { mean: [0.1, 0.2] } }, o as never), text: ['title'] },
  embeddingScatterPlot: { call: (o) => P.embeddingScatterPlot({ embedding: [0, 1, 1, 0], labels: [0, 1], panels: [0, 1] }, o as never), text: ['title', 'xTitle', 'yTitle'] },
  scatterPlot: { call: (o) => P.scatterPlot({ x: [1, 2], y: [3, 4], color: ['a', 'b'] }, o as never), text: ['title', 'xTitle', 'yTitle', 'colorTitle'] },
  pcaTrajectoryPlot: { call: (o) => P.pcaTrajectoryPlot({ points: [0, 1, 1, 0], trajectory: [0, 1] }, o as never), text: ['title', 'xTitle', 'yTitle', 'trajectoryName'] },
  fixedPointsPlot: { call: (o) => P.fixedPointsPlot([{ x: 0, y: 0, stability: 'stable' }], o as never), text: ['title', 'xTitle', 'yTitle'] },
};
const json = (v: unknown) => JSON.stringify(v);
/** Each builder's known options. */
const KEYS: Record<string, { keys: readonly string[] }> = {
  spectrumPlot: K.SPECTRUM_PLOT_KEYS, spectraAcrossTrainingPlot: K.SPECTRA_ACROSS_TRAINING_KEYS, accuracyVsNPlot: K.ACCURACY_VS_N_KEYS,
  embeddingScatterPlot: K.EMBEDDING_SCATTER_KEYS, scatterPlot: K.SCATTER_KEYS, pcaTrajectoryPlot: K.PCA_TRAJECTORY_KEYS, fixedPointsPlot: K.FIXED_POINTS_PLOT_KEYS,
};

describe('plot builders read their options as every folder does', () => {
  for (const [name, { call, text }] of Object.entries(BUILDERS)) {
    it(`${name}: a title or label that is not a string is a TypeError naming ${name} and the option`, () => {
      for (const key of text) {
        for (const bad of [3, true, {}, ['t']]) {
          expect(() => call({ [key]: bad }), `${key} = ${json(bad)}`).toThrow(TypeError);
          expect(() => call({ [key]: bad })).toThrow(new RegExp(`^${name}: options\\.${key}: expected a string`));
        }
        expect(() => call({ [key]: 'a title' })).not.toThrow();
      }
    });
    it(`${name}: an unknown option is a RangeError naming it; inherited options and null options are ignored`, () => {
      expect(() => call({ ytitle: 'λ' })).toThrow(RangeError);
      // the hint core's checkOptionKeys gives (yTitle, or title for a builder without one), the list only without a guess
      const guess = suggestOption('ytitle', KEYS[name]!.keys);
      expect(guess).toBeDefined();
      expect(() => call({ ytitle: 'λ' })).toThrow(new RegExp(`^${name}: unknown option options\\.ytitle \\(did you mean ${guess}\\?\\)$`));
      expect(() => call({ zqxv: 1 })).toThrow(new RegExp(`^${name}: unknown option options\\.zqxv; the options of ${name} are title, width, height`));
      const plain = json(call());
      expect(json(call(Object.create({ title: 'inherited', yTitle: 'inherited', width: -1 }) as object))).toBe(plain);
      expect(json(call(null))).toBe(plain);
      expect(json(call({ title: undefined }))).toBe(plain);
      expect(() => call(42)).toThrow(new RegExp(`^${name}: options: expected an object of options, got number`));
      expect(() => call({ width: '300' })).toThrow(TypeError);
      expect(() => call({ width: Infinity })).toThrow(new RegExp(`^${name}: options\\.width: expected a positive number, got Infinity`));
      expect(() => call({ height: 0 })).toThrow(RangeError);
    });
  }

  it('a polluted Object.prototype.title reaches no figure (the frame read base.title through the prototype)', () => {
    const plain = Object.fromEntries(Object.entries(BUILDERS).map(([name, b]) => [name, json(b.call())]));
    Object.defineProperty(Object.prototype, 'title', { value: 'polluted', configurable: true, writable: true, enumerable: false });
    try {
      for (const [name, b] of Object.entries(BUILDERS)) expect(json(b.call()), name).toBe(plain[name]);
    } finally {
      delete (Object.prototype as { title?: unknown }).title;
    }
  });

  it('the other options: a wrong kind is a TypeError, a wrong value a RangeError', () => {
    const emb = BUILDERS.embeddingScatterPlot!.call;
    expect(() => emb({ pointSize: 'big' })).toThrow(/embeddingScatterPlot: options\.pointSize: expected a positive number, got string/);
    expect(() => emb({ pointSize: -1 })).toThrow(RangeError);
    expect(() => emb({ independentScales: 'yes' })).toThrow(/embeddingScatterPlot: options\.independentScales: expected a boolean, got string/);
    expect(() => emb({ columns: '2' })).toThrow(TypeError);
    expect(() => P.embeddingScatterPlot({ embedding: [0, 1], labels: [0], labelName: 7 as never })).toThrow(/embeddingScatterPlot: data\.labelName: expected a string, got number/);
    expect(() => P.embeddingScatterPlot({ embedding: [0, 1], labels: [0], labelType: 3 as never })).toThrow(TypeError);
    expect(() => P.embeddingScatterPlot({ embedding: [0, 1], labels: [0], dims: '2' as never })).toThrow(TypeError);
    const sc = BUILDERS.scatterPlot!.call;
    expect(() => sc({ colorType: 'pie' })).toThrow(/^scatterPlot: options\.colorType: expected one of 'nominal', 'ordinal', 'quantitative', got 'pie'$/);
    expect(() => sc({ colorType: 3 })).toThrow(TypeError);
    // the message of core's readChoice (which geometry and the pool use)
    expect(() => sc({ colorType: ['nominal'] })).toThrow(/^scatterPlot: options\.colorType: expected one of 'nominal', 'ordinal', 'quantitative', got array$/);
    expect(() => sc({ xDomain: 'auto' })).toThrow(/scatterPlot: options\.xDomain: expected \[min, max\] \(two numbers\), got string/);
    expect(() => sc({ xDomain: [0, NaN] })).toThrow(RangeError);
    const acc = BUILDERS.accuracyVsNPlot!.call;
    expect(() => acc({ chance: NaN })).toThrow(/accuracyVsNPlot: options\.chance: expected a finite accuracy/);
    expect(() => acc({ chance: '0.1' })).toThrow(TypeError);
    expect(json(acc({ chance: null }))).not.toContain('"rule"'); // null is documented: no line
    const tr = BUILDERS.spectraAcrossTrainingPlot!.call;
    expect(() => tr({ top: '3' })).toThrow(/spectraAcrossTrainingPlot: options\.top: expected a positive integer or Infinity, got string/);
    expect(() => tr({ top: 0 })).toThrow(RangeError);
    // Infinity is "all": every exponent, every panel in one row (a finite number in the spec)
    expect(json(tr({ top: Infinity }))).toBe(json(tr({ top: 2 })));
    expect((tr({ columns: Infinity }) as { columns: number }).columns).toBe(1);
    expect(() => P.spectraAcrossTrainingPlot([{ label: 'a', epochs: [0], exponents: 'x' as never }])).toThrow(TypeError);
    expect(() => P.fixedPointsPlot([{ x: 0, y: 0, stability: 'saddle', unstableModes: 'one' as never }])).toThrow(/fixedPointsPlot: points\[0\]\.unstableModes: expected a count/);
    expect(() => P.fixedPointsPlot([{ x: 0, y: 0, stability: 'saddle', unstableModes: -1 }])).toThrow(RangeError);
    expect(() => BUILDERS.fixedPointsPlot!.call({ trajectories: 'none' })).toThrow(/fixedPointsPlot: options\.trajectories: expected an object/);
  });

  it('pcaTrajectoryPlot: trajectoryName titles a legend of the trajectories (it used to be ignored); without it, no legend as before', () => {
    const call = BUILDERS.pcaTrajectoryPlot!.call;
    const enc = (s: Record<string, unknown>) => (s.layer as { encoding: { color?: unknown } }[])[0]!.encoding.color;
    expect(enc(call())).toEqual({ field: 'traj', type: 'nominal', legend: null });
    expect(enc(call({ trajectoryName: 'digit' }))).toEqual({ field: 'traj', type: 'nominal', title: 'digit' });
  });
});
