// plot's copy of core's suggestOption (plot may not import core at runtime) gives core's answer on
// every builder's options, for misspellings of them and for unrelated keys
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestOption } from '../../src/core/options.js';
import * as K from '../../src/plot/option-keys.js';
import { suggestPlotOption } from '../../src/plot/suggest.js';

const LISTS = Object.entries(K).filter(([, v]) => typeof v === 'object' && v !== null && 'keys' in v).map(([n, v]) => [n, (v as { keys: readonly string[] }).keys] as const);

/** A key a few random edits (insert, delete, replace, swap, case, `_`) from `base`. */
const misspelt = (base: string) => fc.array(fc.tuple(fc.nat(5), fc.nat(40), fc.constantFrom('a', 'e', 't', 'x', '_', '-', 'T')), { maxLength: 3 }).map((edits) => {
  let s = base;
  for (const [op, at, ch] of edits) {
    const i = at % (s.length + 1);
    if (op === 0) s = s.slice(0, i) + ch + s.slice(i);
    else if (op === 1) s = s.slice(0, i) + s.slice(i + 1);
    else if (op === 2) s = s.slice(0, i) + ch + s.slice(i + 1);
    else if (op === 3 && i + 1 < s.length) s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    else if (op === 4) s = s.toUpperCase();
    else s = s.replace(/([A-Z])/g, '_$1').toLowerCase();
  }
  return s;
});

describe('suggestPlotOption', () => {
  it('finds the lists (the check is not vacuous)', () => {
    expect(LISTS.length).toBe(7);
    expect(suggestPlotOption('ytitle', K.SPECTRUM_PLOT_KEYS.keys)).toBe('yTitle');
    expect(suggestPlotOption('point_size', K.EMBEDDING_SCATTER_KEYS.keys)).toBe('pointSize');
    expect(suggestPlotOption('widht', K.SCATTER_KEYS.keys)).toBe('width');
  });
  for (const [name, keys] of LISTS) {
    it(`gives core's suggestOption answer on ${name}`, () => {
      const key = fc.oneof(fc.constantFrom(...keys).chain(misspelt), fc.string({ maxLength: 12 }));
      fc.assert(fc.property(key, (k) => suggestPlotOption(k, keys) === suggestOption(k, keys)), { numRuns: 400 });
    });
  }
});
