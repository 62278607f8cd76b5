// What train does with onEpoch's return value. A returned (or resolved: train awaits a Promise)
// plain object is merged into the epoch's record. Anything else was silently dropped: a number, a
// string, an array (merged as fields '0', '1', …), a Float64Array, a Map, a Promise resolving to a
// number; and a returned { loss } silently replaced the measured training loss. Now the first kinds
// are a TypeError and a clash with the record's own fields a RangeError, both naming onEpoch.
import { describe, expect, it } from 'vitest';
import { initRnn, train, type EpochRecord } from '../../src/rnn/index.js';
import { flipFlop } from './flipflop.js';

const data = flipFlop(24, 6, { seed: 10 });
const net = () => initRnn({ inputSize: 3, hiddenSize: 4, outputSize: 3, seed: 11 });
const opts = { epochs: 2, batchSize: 8, seed: 1 };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('train onEpoch', () => {
  it('awaits an async callback before the next epoch and merges what it resolves to', async () => {
    const log: string[] = [];
    const h = await train(net(), data, {
      ...opts,
      onProgress: (p) => log.push(`batch ${p.epoch}.${p.batch}`),
      onEpoch: async (r) => {
        await wait(30); // a timer: the next epoch would run meanwhile were it not awaited
        log.push(`resolved ${r.epoch}`);
        return { probe: r.epoch * 10 };
      },
    });
    expect(log).toEqual(['batch 1.1', 'batch 1.2', 'batch 1.3', 'resolved 1', 'batch 2.1', 'batch 2.2', 'batch 2.3', 'resolved 2']);
    expect(h.epochs.map((e) => e.probe)).toEqual([10, 20]);
  });

  it('undefined and null add nothing', async () => {
    for (const ret of [undefined, null]) {
      const h = await train(net(), data, { ...opts, onEpoch: () => ret as never });
      expect(Object.keys(h.epochs[0]).sort()).toEqual(['epoch', 'gradNorm', 'learningRate', 'loss', 'steps', 'timeMs']);
    }
  });

  const refused: [string, unknown, string][] = [
    ['a number', 0.93, 'a number (0.93)'],
    ['a string', 'ok', "a string ('ok')"],
    ['a boolean', true, 'a boolean (true)'],
    ['an array', [1, 2], 'an array'],
    ['a Float64Array', new Float64Array(2), 'a Float64Array'],
    ['a Map', new Map([['x', 1]]), 'a Map'],
    ['a function', () => 1, 'a function'],
  ];
  for (const [what, ret, said] of refused) {
    it(`${what} is a TypeError naming onEpoch and what it returned`, async () => {
      await expect(train(net(), data, { ...opts, onEpoch: () => ret as never })).rejects.toThrow(
        new TypeError(`train: onEpoch must return undefined or a plain object of fields to merge into the epoch's record (e.g. { lyapunov }), got ${said} after epoch 1; training stops here, the parameters hold that epoch's updates`),
      );
    });
  }

  it('a Promise resolving to a number: the message says it was awaited and what it resolved to', async () => {
    await expect(train(net(), data, { ...opts, onEpoch: async () => 3 as never })).rejects.toThrow(/^train: onEpoch must return .*, got a Promise \(awaited\) that resolved to a number \(3\) after epoch 1;/);
  });

  it("a field that would replace the record's own is a RangeError; the parameters hold epoch 1's updates", async () => {
    const rnn = net();
    let seen: EpochRecord | undefined;
    await expect(train(rnn, data, { ...opts, onEpoch: (r) => ((seen = { ...r }), { loss: 0, extra: 1 }) })).rejects.toThrow(
      new RangeError("train: onEpoch returned 'loss', which would replace the epoch record's own field (measured by train) after epoch 1: return it under another name; training stops here, the parameters hold that epoch's updates"),
    );
    expect(seen!.loss).toBeGreaterThan(0);
    const once = net();
    await train(once, data, { ...opts, epochs: 1 });
    expect(Array.from(rnn.params.wRec.data)).toEqual(Array.from(once.params.wRec.data));
  });
});
