import { afterEach, describe, expect, it, vi } from 'vitest';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { henonMap } from '../../src/lyapunov/systems.js';

describe('covariantLyapunovVectors: onProgress', () => {
  afterEach(() => vi.restoreAllMocks());
  it('done runs from 1 to total over the forward steps and then the backward pass (the backward pass restarted at 1 of the forward total, never reaching it)', () => {
    let clock = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => (clock += 200)); // every call past the 100 ms throttle
    const events: { phase: string; done: number; total: number }[] = [];
    covariantLyapunovVectors(henonMap(), { steps: 30, warmup: 5, frameWarmup: 7, backwardWarmup: 11, onProgress: (p) => events.push({ ...p }) });
    const total = 5 + 7 + 30 + 11 + 30 + 11;
    expect(events.every((e) => e.total === total)).toBe(true);
    expect(events.map((e) => e.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(events.at(-1)!.phase).toBe('backward');
    expect(events.filter((e) => e.phase === 'backward').length).toBe(41);
  });
});
