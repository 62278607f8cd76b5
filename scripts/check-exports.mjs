// Package check: every subpath of the exports map loads as ESM (import) and as CommonJS (require),
// through the package's own name (self-reference), and exposes the same names both ways.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const expected = {
  '.': ['tensor', 'matmul', 'qr', 'symmetricEigen', 'eigenvalues', 'createRng', 'initRnn', 'rnnForward', 'rnnLoss',
    'train', 'fromTorchStateDict', 'toTorchStateDict', 'rnnSystem', 'lyapunovSpectrum', 'createLyapunovEstimator',
    'pca', 'participationRatio', 'twoNN', 'levinaBickel', 'findFixedPoints', 'detectLimitCycle', 'tsne', 'phate',
    'mPhate', 'mmPhate', 'readIdx', 'sequentialMnist', 'readSafetensors', 'readNpy'],
  './core': ['tensor', 'zeros', 'ones', 'eye', 'randn', 'matmul', 'gemv', 'qr', 'symmetricEigen', 'eigenvalues', 'createRng'],
  './autodiff': ['valueAndGrad', 'grad', 'gradientCheck'],
  './rnn': ['initRnn', 'rnnForward', 'rnnLoss', 'train', 'evaluate', 'fromTorchStateDict', 'toTorchStateDict', 'rnnSystem'],
  './lyapunov': ['lyapunovSpectrum', 'createLyapunovEstimator', 'kaplanYorkeDimension', 'henonMap', 'lorenz63'],
  './geometry': ['pca', 'participationRatio', 'twoNN', 'levinaBickel', 'findFixedPoints', 'detectLimitCycle', 'tsne', 'phate', 'mPhate', 'mmPhate'],
  './data': ['readIdx', 'sequentialMnist', 'flipFlopTask'],
  './plot': ['spectrumPlot', 'spectraAcrossTrainingPlot', 'accuracyVsNPlot', 'embeddingScatterPlot', 'scatterPlot', 'pcaTrajectoryPlot', 'fixedPointsPlot'],
  './io': ['readSafetensors', 'writeSafetensors', 'safetensorsToTensors', 'readNpy', 'writeNpy'],
  './parallel': ['createPool'],
};
let failures = 0;
// Worker entries: not modules to import on the main thread (they serve a pool's messages), so only
// where they resolve to (test/package/worker-bundles.test.ts runs them)
const workerEntries = { './parallel/worker': ['dist/parallel/worker-node.js', 'dist/parallel/worker-node.cjs'] };
for (const sub of Object.keys(pkg.exports)) {
  if (sub.endsWith('.json')) continue;
  const spec = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
  if (sub in workerEntries) {
    const got = [import.meta.resolve(spec), require.resolve(spec)];
    const want = workerEntries[sub];
    if (!got[0].endsWith(`/${want[0]}`) || !got[1].endsWith(`/${want[1]}`)) {
      console.error(`${spec}: resolves to ${got.join(' and ')}, expected ${want.join(' and ')}`);
      failures++;
    }
    console.log(`${spec}: the worker entry (${want.join(', ')})`);
    continue;
  }
  const esm = await import(spec);
  const cjs = require(spec);
  const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort();
  const cjsNames = Object.keys(cjs).filter((k) => k !== 'default' && k !== '__esModule').sort();
  if (esmNames.join() !== cjsNames.join()) {
    console.error(`${spec}: ESM and CJS export different names\n  esm: ${esmNames}\n  cjs: ${cjsNames}`);
    failures++;
  }
  for (const name of expected[sub] ?? []) {
    if (typeof esm[name] !== 'function' || typeof cjs[name] !== 'function') {
      console.error(`${spec}: missing function export '${name}'`);
      failures++;
    }
  }
  console.log(`${spec}: ${esmNames.length} exports (ESM and CJS)`);
}
if (failures) process.exit(1);
