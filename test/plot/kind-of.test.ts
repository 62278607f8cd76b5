// plot's kindOf is a copy of core's (plot may not import core at runtime: test/structure/rules.ts).
// It said 'object' for every object where core says 'Object' or the class ('Float64Array', 'Map'),
// so the same wrong argument read differently in a plot builder's message and everywhere else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kindOf as coreKindOf } from '../../src/core/options.js';
import { kindOf as plotKindOf } from '../../src/plot/spec.js';
import { spectrumPlot } from '../../src/plot/index.js';

class Custom {}
const samples: unknown[] = [
  null, undefined, 0, NaN, 'x', true, 1n, Symbol('s'), () => 1, [], [1], {}, Object.create(null), new Float64Array(1),
  new Uint8Array(1), new Map(), new Set(), new Date(0), /x/, new Custom(), Promise.resolve(1), new (class {})(),
];

describe('plot kindOf', () => {
  it("agrees with core's on listed kinds and on arbitrary values", () => {
    for (const v of samples) expect(plotKindOf(v)).toBe(coreKindOf(v));
    expect(plotKindOf({})).toBe('Object');
    fc.assert(fc.property(fc.anything({ withTypedArray: true, withMap: true, withSet: true, withDate: true, withNullPrototype: true, withBigInt: true }), (v) => plotKindOf(v) === coreKindOf(v)), { numRuns: 2000 });
  });
  it('a plot builder names the kind as core does', () => {
    // it said 'got object'
    expect(() => spectrumPlot(new Map() as never)).toThrow(/^spectrumPlot: series: expected a non-empty array of \{ label, exponents \}, got Map$/);
    expect(() => spectrumPlot({} as never)).toThrow(/, got Object$/);
  });
});
