import { describe, expect, it } from 'vitest';
import { accuracyVsNPlot, embeddingScatterPlot, fixedPointsPlot, pcaTrajectoryPlot, scatterPlot, spectraAcrossTrainingPlot, spectrumPlot } from '../../src/plot/index.js';

const values = (spec: Record<string, unknown>): Record<string, unknown>[] => (spec.data as { values: Record<string, unknown>[] }).values;

describe('plot builders: data rows', () => {
  it('spectrumPlot: one row per exponent, 1-based index, NaN → null, band = λ ± spread', () => {
    const s = spectrumPlot([{ label: 'a', exponents: [0.5, NaN], spread: [0.25, 0.1] }]);
    expect(values(s)).toEqual([
      { series: 'a', i: 1, lambda: 0.5, lo: 0.25, hi: 0.75 },
      { series: 'a', i: 2, lambda: null, lo: null, hi: null },
    ]);
  });
  it('spectraAcrossTrainingPlot keeps only the top exponents', () => {
    const s = spectraAcrossTrainingPlot([{ label: 'r', epochs: [0, 1], exponents: [[1, 2, 3], [4, 5, 6]] }], { top: 2 });
    expect(values(s).map((v) => [v.epoch, v.i, v.lambda])).toEqual([[0, 'λ1', 1], [0, 'λ2', 2], [1, 'λ1', 4], [1, 'λ2', 5]]);
  });
  it('accuracyVsNPlot: a row per (kind, n)', () => {
    const s = accuracyVsNPlot({ n: [0, 28], cut: { mean: [NaN, 1] }, extended: { mean: [1, 0.5] } });
    expect(values(s).map((v) => [v.kind, v.n, v.accuracy])).toEqual([['cut', 0, null], ['cut', 28, 1], ['extended', 0, 1], ['extended', 28, 0.5]]);
  });
  it('embeddingScatterPlot reads the first two of dims coordinates and facets by panel', () => {
    const s = embeddingScatterPlot({ embedding: [1, 2, 3, 4, 5, 6], dims: 3, labels: [7, 8], panels: [0, 1] });
    expect(values(s)).toEqual([{ x: 1, y: 2, label: 7, panel: 0 }, { x: 4, y: 5, label: 8, panel: 1 }]);
    expect((s.facet as { sort: unknown }).sort).toEqual([0, 1]);
    const t = embeddingScatterPlot({ embedding: [0, 0, 1, 1, 2, 2], labels: [1, 1, 1], panels: ['after 4', 'after 14', 'after 4'] });
    expect((t.facet as { sort: unknown }).sort).toEqual(['after 4', 'after 14']);
  });
  it('pcaTrajectoryPlot marks the first point of each trajectory', () => {
    const s = pcaTrajectoryPlot({ points: [0, 0, 1, 1, 2, 2, 3, 3], trajectory: [0, 0, 1, 1], time: [1, 0, 0, 1] });
    const starts = ((s.layer as Record<string, unknown>[])[1].data as { values: Record<string, unknown>[] }).values;
    expect(starts.map((v) => [v.traj, v.pc1])).toEqual([[0, 1], [1, 2]]);
  });
  it('fixedPointsPlot carries stability and unstable modes', () => {
    const s = fixedPointsPlot([{ x: 1, y: 2, stability: 'saddle', unstableModes: 1 }]);
    const v = ((s.layer as Record<string, unknown>[])[0].data as { values: Record<string, unknown>[] }).values;
    expect(v).toEqual([{ pc1: 1, pc2: 2, stability: 'saddle', unstableModes: 1 }]);
  });
});

describe('plot builders: what the figure shows', () => {
  const svgOf = async (spec: Record<string, unknown>): Promise<string> => {
    const { compile } = await import('vega-lite');
    const vega = await import('vega');
    const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    return svg;
  };
  it('spectraAcrossTrainingPlot: the legend lists λ1 … λ12 in index order (not λ1, λ10, λ11, λ12, λ2, …)', async () => {
    const ex = Array.from({ length: 12 }, (_, i) => -0.1 * i);
    const svg = await svgOf(spectraAcrossTrainingPlot([{ label: 'r', epochs: [0, 1], exponents: [ex, ex] }], { top: 12 }));
    expect([...svg.matchAll(/>(λ\d+)</g)].map((m) => m[1])).toEqual(Array.from({ length: 12 }, (_, i) => `λ${i + 1}`));
    // at most 9 lines: text order is index order, and the spec is what it was before bb83e56 (no sort)
    const five = JSON.stringify(spectraAcrossTrainingPlot([{ label: 'r', epochs: [0, 1], exponents: [ex, ex] }], { top: 5 }));
    expect(five).toContain('"color":{"field":"i","type":"nominal","title":"exponent"}');
  });
  it('spectrumPlot and spectraAcrossTrainingPlot name the exponents they cannot draw (−∞, NaN)', async () => {
    const s = spectrumPlot([{ label: 'after', exponents: [0.1, -Infinity, NaN] }], { title: 'spectrum' });
    expect(s.title).toEqual({ text: 'spectrum', subtitle: 'not drawn (not finite): λ2 (after) = −∞, λ3 (after) = NaN' });
    expect(await svgOf(s)).toContain('λ2 (after) = −∞');
    expect(spectrumPlot([{ label: 'a', exponents: [0.1] }], { title: 't' }).title).toBe('t');
    expect(spectrumPlot([{ label: 'a', exponents: [0.1] }]).title).toBeUndefined();
    const t = spectraAcrossTrainingPlot([{ label: 'g=3', epochs: [0, 1], exponents: [[0.2], [NaN]] }], { top: 1 });
    expect(t.title).toEqual({ text: '', subtitle: 'not drawn (not finite): λ1 (g=3, epoch 1) = NaN' });
    const many = spectrumPlot([{ label: 'a', exponents: [1, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity] }]);
    expect((many.title as { subtitle: string }).subtitle).toBe('not drawn (not finite): λ2 (a) = −∞, λ3 (a) = −∞, λ4 (a) = −∞ and 2 more');
  });
  it('scatterPlot: a fixed y range when asked (a ratio of 0.99994…0.99998 is not drawn as a trend), undrawn points counted, legend labels whole', async () => {
    const ys = [0.99998, 0.99994, 0.99996];
    const auto = await svgOf(scatterPlot({ x: [1, 2, 3], y: ys }));
    expect(auto).toMatch(/>0\.99994\d*</); // the default axis spans the data
    const fixed = scatterPlot({ x: [1, 2, 3], y: ys, color: ['gain 1 (trains well)', 'gain 3, lr 1e-2 (trains worse)', 'x'] }, { yDomain: [0, 1] });
    expect((fixed.encoding as { y: { scale: unknown } }).y.scale).toEqual({ domain: [0, 1] });
    const svg = await svgOf(fixed);
    expect(svg).not.toMatch(/>0\.9999\d*</);
    expect(svg).toContain('gain 3, lr 1e-2 (trains worse)<');
    expect(() => scatterPlot({ x: [1], y: [1] }, { yDomain: [1, 0] })).toThrow(/options\.yDomain/);
    // inside the range: no clip and no note (the spec as before); beyond it: clipped (they were drawn outside the frame) and counted
    expect((fixed.mark as { clip?: boolean }).clip).toBeUndefined();
    const beyond = scatterPlot({ x: [1, 2, 3, 4], y: [0.5, 1.5, -2, NaN] }, { title: 'r', yDomain: [0, 1] });
    expect((beyond.mark as { clip?: boolean }).clip).toBe(true);
    expect(beyond.title).toEqual({ text: 'r', subtitle: "not drawn (not finite): y[3] = NaN; 2 points outside the axes' fixed range not drawn" });
    const nan = scatterPlot({ x: [1, NaN, 3], y: [1, 2, Infinity] });
    expect(nan.title).toEqual({ text: '', subtitle: 'not drawn (not finite): x[1] = NaN, y[2] = +∞' });
  });
  it('scatterPlot: yError draws a bar y ± e under each point, the y axis spans the bars, a non-finite e is named', async () => {
    const s = scatterPlot({ x: [1, 2, 3], y: [0.5, 1, 2], yError: [0.25, 0, NaN] }, { title: 'λ1 vs g', yTitle: 'λ1' });
    expect(values(s)).toEqual([
      { x: 1, y: 0.5, lo: 0.25, hi: 0.75 },
      { x: 2, y: 1, lo: 1, hi: 1 },
      { x: 3, y: 2, lo: null, hi: null },
    ]);
    const [bars, points] = s.layer as { mark: { type: string }; encoding: Record<string, { field?: string; title?: string }> }[];
    expect([bars.mark.type, points.mark.type]).toEqual(['errorbar', 'point']);
    expect([bars.encoding.y.field, bars.encoding.y2.field, bars.encoding.y.title, points.encoding.y.title]).toEqual(['lo', 'hi', 'λ1', 'λ1']);
    expect(s.title).toEqual({ text: 'λ1 vs g', subtitle: 'not drawn (not finite): yError[2] = NaN' });
    const svg = await svgOf(s);
    expect(svg).toContain('mark-rule role-mark'); // the bars (the axes' rules are role-axis-*)
    expect(await svgOf(scatterPlot({ x: [1, 2, 3], y: [0.5, 1, 2] }))).not.toContain('mark-rule role-mark');
    // a bar reaching 0 → 6 widens the axis beyond the points' 1 … 2 (zero: false, so only the bar can)
    const wide = await svgOf(scatterPlot({ x: [1, 2], y: [1, 2], yError: [0, 4] }));
    expect(wide).toMatch(/>6</);
    expect(await svgOf(scatterPlot({ x: [1, 2], y: [1, 2] }))).not.toMatch(/>6</);
    // the error of an undrawn point is not named twice
    expect(scatterPlot({ x: [1], y: [NaN], yError: [NaN] }).title).toEqual({ text: '', subtitle: 'not drawn (not finite): y[0] = NaN' });
  });
  it('scatterPlot without yError builds the spec it built before yError existed (byte for byte)', () => {
    // the JSON of scatterPlot at 7dcdcee, before yError: the committed figures that use scatterPlot keep their specs
    expect(JSON.stringify(scatterPlot({ x: [1, 2, 3], y: [0.5, NaN, 2] }))).toBe(
      '{"$schema":"https://vega.github.io/schema/vega-lite/v6.json","width":320,"height":240,"title":{"text":"","subtitle":"not drawn (not finite): y[1] = NaN"},"data":{"values":[{"x":1,"y":0.5},{"x":2,"y":null},{"x":3,"y":2}]},"mark":{"type":"point","filled":true,"size":50},"encoding":{"x":{"field":"x","type":"quantitative","title":"x","scale":{"zero":false}},"y":{"field":"y","type":"quantitative","title":"y","scale":{"zero":false}}}}',
    );
    expect(JSON.stringify(scatterPlot({ x: [1, 2], y: [3, 4], color: [0.5, 1], tooltip: ['a', 'b'] }, { xTitle: 'x', yTitle: 'y', colorType: 'ordinal', title: 't' }))).toBe(
      '{"$schema":"https://vega.github.io/schema/vega-lite/v6.json","title":"t","width":320,"height":240,"data":{"values":[{"x":1,"y":3,"color":0.5,"tooltip":"a"},{"x":2,"y":4,"color":1,"tooltip":"b"}]},"mark":{"type":"point","filled":true,"size":50},"encoding":{"x":{"field":"x","type":"quantitative","title":"x","scale":{"zero":false}},"y":{"field":"y","type":"quantitative","title":"y","scale":{"zero":false}},"color":{"field":"color","type":"ordinal","title":"colour","legend":{"labelLimit":0}},"tooltip":{"field":"tooltip","type":"nominal"}}}',
    );
    expect(JSON.stringify(scatterPlot({ x: [1, 2, 3, 4], y: [0.5, 1.5, -2, NaN] }, { title: 'r', yDomain: [0, 1] }))).toBe(
      '{"$schema":"https://vega.github.io/schema/vega-lite/v6.json","title":{"text":"r","subtitle":"not drawn (not finite): y[3] = NaN; 2 points outside the axes\' fixed range not drawn"},"width":320,"height":240,"data":{"values":[{"x":1,"y":0.5},{"x":2,"y":1.5},{"x":3,"y":-2},{"x":4,"y":null}]},"mark":{"type":"point","filled":true,"size":50,"clip":true},"encoding":{"x":{"field":"x","type":"quantitative","title":"x","scale":{"zero":false}},"y":{"field":"y","type":"quantitative","title":"y","scale":{"domain":[0,1]}}}}',
    );
  });
  it('spectraAcrossTrainingPlot: the y axis names the quantity and its unit, λ (nats per step) unless yTitle says otherwise', async () => {
    const runs = [{ label: 'r', epochs: [0, 1], exponents: [[0.1], [0.2]] }];
    const yOf = (spec: Record<string, unknown>) => ((spec.spec as { layer: { encoding?: { y?: { title?: string } } }[] }).layer[1].encoding!.y!.title);
    expect(yOf(spectraAcrossTrainingPlot(runs, { top: 1 }))).toBe('λ (nats per step)');
    expect(yOf(spectraAcrossTrainingPlot(runs, { top: 1 }))).toBe(((spectrumPlot([{ label: 'a', exponents: [0.1] }]).layer as { encoding: { y: { title?: string } } }[])[1].encoding.y.title));
    const flow = spectraAcrossTrainingPlot(runs, { top: 1, yTitle: 'λ (per unit time)' });
    expect(yOf(flow)).toBe('λ (per unit time)');
    const svg = await svgOf(flow);
    expect(svg).toContain('>λ (per unit time)<');
    expect(svg).not.toContain('nats per step');
    expect(() => spectraAcrossTrainingPlot(runs, { yTitle: 3 as unknown as string })).toThrow(/spectraAcrossTrainingPlot: options\.yTitle: expected a string, got number/);
    // read as an own property only
    expect(yOf(spectraAcrossTrainingPlot(runs, Object.create({ yTitle: 'inherited' }) as object))).toBe('λ (nats per step)');
  });
});

describe('plot builders: errors at the boundary', () => {
  it('name the builder and the argument', () => {
    expect(() => spectrumPlot([])).toThrow(RangeError); // the right kind, the wrong size
    expect(() => spectrumPlot({} as never)).toThrow(TypeError);
    expect(() => spectrumPlot([{ label: 'a', exponents: [1, 2], spread: [1] }])).toThrow(/spectrumPlot: series\[0\]\.spread: expected 2 values, got 1/);
    expect(() => accuracyVsNPlot({ n: [0, 1] })).toThrow(/accuracyVsNPlot: data: expected at least one/);
    expect(() => accuracyVsNPlot({ n: [0, 1], cut: { mean: [1] } })).toThrow(RangeError);
    expect(() => embeddingScatterPlot({ embedding: [1, 2, 3], labels: [1] })).toThrow(/not a multiple of dims = 2/);
    expect(() => embeddingScatterPlot({ embedding: [1, 2], labels: [1, 2] })).toThrow(/expected 1 labels/);
    expect(() => scatterPlot({ x: [1], y: ['a' as unknown as number] })).toThrow(TypeError);
    expect(() => scatterPlot({ x: [1], y: [1] }, { width: -1 })).toThrow(/options\.width/);
    expect(() => scatterPlot({ x: [1, 2], y: [1, 2], yError: [0.1, -0.1] })).toThrow(/scatterPlot: data\.yError\[1\]: expected a half-length ≥ 0 \(the bar is y ± e\), got -0\.1/);
    expect(() => scatterPlot({ x: [1, 2], y: [1, 2], yError: [0.1] })).toThrow(/scatterPlot: data\.yError: expected 2 values, got 1/);
    expect(() => scatterPlot({ x: [1], y: [1], yError: 'big' as unknown as number[] })).toThrow(TypeError);
    expect(() => spectraAcrossTrainingPlot([{ label: 'r', epochs: [0, 1], exponents: [[1]] }])).toThrow(/expected 2 rows/);
    expect(() => fixedPointsPlot([{ x: 'a' as unknown as number, y: 0, stability: 'stable' }])).toThrow(TypeError);
  });
  it('reads options as own properties only', () => {
    const proto = { width: -5 };
    const opts = Object.create(proto) as { width?: number };
    expect(() => scatterPlot({ x: [1], y: [1] }, opts)).not.toThrow();
  });
});
