// Every builder's spec validates against the Vega-Lite JSON schema (draft-07, shipped by vega-lite)
// and compiles with vega-lite, for representative inputs.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import {
  accuracyVsNPlot, embeddingScatterPlot, fixedPointsPlot, pcaTrajectoryPlot, scatterPlot, spectraAcrossTrainingPlot, spectrumPlot,
  VEGA_LITE_SCHEMA, type VegaLiteSpec,
} from '../../src/plot/index.js';

// the schema file is not in vega-lite's exports map: read it from the installed package
const schema = JSON.parse(readFileSync(new URL('../../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false }) // formats (uri) are not checked;
const validate = ajv.compile(schema);

const specs: Record<string, VegaLiteSpec> = {
  spectrum: spectrumPlot([
    { label: 'before', exponents: new Float64Array([0.1, 0, -0.3]) },
    { label: 'after', exponents: [-0.2, -0.5, NaN], spread: [0.01, 0.02, 0.03] },
  ], { title: 'spectra', width: 300, yTitle: 'λ (bits per step)' }),
  training: spectraAcrossTrainingPlot([
    { label: 'g=0.5', epochs: [0, 1], exponents: [[-0.7, -0.8], [-0.5, -0.6]], spread: [[0.1, 0.1], [0.1, 0.1]] },
    { label: 'g=3', epochs: [0, 1], exponents: [[0.3, 0.2], [0.1, 0]] },
  ], { top: 2, columns: 2, title: 'training' }),
  accuracy: accuracyVsNPlot({ n: [0, 1, 2], cut: { mean: [NaN, 0.2, 0.4] }, hidden: { mean: [0.1, 0.2, 0.3], spread: [0, 0.1, 0.1] }, extended: { mean: [0.9, 0.8, 0.5] } }),
  accuracyNoChance: accuracyVsNPlot({ n: [0, 1], hidden: { mean: [0.1, 0.2] } }, { chance: null }),
  embedding: embeddingScatterPlot({ embedding: [0, 0, 1, 1, 2, 0], labels: [1, 2, 1], labelName: 'digit' }),
  embeddingPanels: embeddingScatterPlot({ embedding: new Float64Array([0, 0, 1, 1, 2, 0, 3, 3]), labels: [1, 2, 3, 4], labelType: 'quantitative', panels: ['a', 'a', 'b', 'b'] }),
  embedding3d: embeddingScatterPlot({ embedding: [0, 0, 9, 1, 1, 9], dims: 3, labels: ['x', 'y'] }, { independentScales: false }),
  scatter: scatterPlot({ x: [1, 2], y: [3, 4], color: [0.5, 1], tooltip: ['a', 'b'] }, { xTitle: 'x', yTitle: 'y', colorType: 'ordinal' }),
  scatterErrors: scatterPlot({ x: [1, 2, 3], y: [0.5, 1, 2], yError: [0.1, 0, NaN], color: ['a', 'b', 'a'], tooltip: ['p', 'q', 'r'] }, { title: 'bars', yTitle: 'λ1' }),
  scatterErrorsFixed: scatterPlot({ x: [1, 2], y: [0.5, 1], yError: [0.1, 0.5] }, { yDomain: [0, 1.2] }),
  trainingFlow: spectraAcrossTrainingPlot([{ label: 'flow', epochs: [0, 1], exponents: [[0.9, 0], [0.8, 0]] }], { top: 2, yTitle: 'λ (per unit time)' }),
  scatterFixed: scatterPlot({ x: [1, 2, NaN], y: [0.99, 1, 1] }, { title: 'ratio', xDomain: [0, 3], yDomain: [0, 1] }),
  spectrumUndrawn: spectrumPlot([{ label: 'a', exponents: [0.1, -Infinity] }], { title: 'with −∞' }),
  trainingUndrawn: spectraAcrossTrainingPlot([{ label: 'r', epochs: [0, 1], exponents: [[0.1], [NaN]] }], { top: 1 }),
  trajectory: pcaTrajectoryPlot({ points: [0, 0, 1, 1, 2, 0, 5, 5], trajectory: [0, 0, 1, 1], time: [0, 1, 0, 1] }),
  fixedPoints: fixedPointsPlot([{ x: 0, y: 0, stability: 'stable' }, { x: 1, y: 0, stability: 'saddle', unstableModes: 1 }], {
    trajectories: { points: [0, 0, 1, 1], trajectory: [0, 0] },
  }),
};

describe('plot builders produce valid Vega-Lite', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`${name}: validates against the schema and compiles`, () => {
      expect(spec.$schema).toBe(VEGA_LITE_SCHEMA);
      const ok = validate(spec);
      expect(ok ? [] : validate.errors?.slice(0, 5)).toEqual([]);
      // plain JSON: a round trip loses nothing
      expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
      expect(() => compile(spec as never)).not.toThrow();
    });
  }
  it('an invalid spec is caught by the validator (the check can fail)', () => {
    expect(validate({ ...specs.scatter, mark: { type: 'not-a-mark' } })).toBe(false);
  });
});
