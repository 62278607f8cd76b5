/**
 * Embeddings of hidden activity: t-SNE (n = 2 000 and 10 000 points in 50-D, beside scikit-learn's
 * TSNE on the same data when /usr/bin/python3 has scikit-learn), PHATE (n = 2 000 and 20 000 points
 * of noisy branching trajectories in 50-D) and MM-PHATE on a 20 epochs × 28 time steps × 64 units ×
 * 100 samples recording of a tanh RNN whose weights drift across epochs.
 *
 * Each case runs in its own child process, so that "peak MB" is that process's peak resident set
 * (process.resourceUsage().maxRSS) and "+MB" its growth over the resident set just before the
 * embedding started (data already generated). Time is wall-clock for one run. Trustworthiness
 * (k = 5, scikit-learn's definition) is computed by this library for both t-SNE embeddings.
 *
 * MM-PHATE runs with the sparse 'adjacent' interslice links; the published all-slices kernel
 * (about 20 M interslice links at this size, ~1.1 GB peak) runs too with EMBEDDING_BENCH_ALL=1.
 *
 * Run: npx tsx bench/embedding.bench.ts   (env EMBEDDING_BENCH_QUICK=1 for small sizes only)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/core/rng.js';
import { tsne } from '../src/geometry/embedding/tsne.js';
import { phate } from '../src/geometry/embedding/phate.js';
import { mmPhate, type MultisliceOptions } from '../src/geometry/embedding/multislice.js';
import { trustworthiness } from '../src/geometry/embedding/quality.js';
import type { EmbeddingProgress } from '../src/geometry/embedding/options.js';
import { fmt, peerEnv, printTable } from './util.js';

const quick = process.env.EMBEDDING_BENCH_QUICK === '1';
const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);
const PY = '/usr/bin/python3';

// ---- data ----
/** 10 Gaussian clusters in d dimensions with centres spread on a curve, unit noise. */
function clusterData(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = new Float64Array(10 * d);
  for (let c = 0; c < 10; c++) for (let p = 0; p < d; p++) centres[c * d + p] = 6 * Math.sin(0.7 * c * (p + 1) + p);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    for (let p = 0; p < d; p++) x[i * d + p] = centres[c * d + p]! + rng.normal();
  }
  return x;
}

/** Three branches leaving a common stem, mapped into d dimensions by a fixed random linear map, with noise. */
function branchingData(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const map = Float64Array.from({ length: 4 * d }, () => rng.normal());
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const s = rng();
    const z = [s, 0, 0, 0];
    if (s > 0.4) z[1 + (i % 3)] = 1.5 * (s - 0.4);
    for (let p = 0; p < d; p++) {
      let v = 0;
      for (let q = 0; q < 4; q++) v += map[q * d + p]! * z[q]!;
      x[i * d + p] = v + 0.05 * rng.normal();
    }
  }
  return x;
}

/** Hidden states of a U-unit tanh RNN on S fixed input sequences (T steps of 28 inputs), with the
 * recurrent weights moving linearly from a random start to a random end over E "epochs";
 * layout [E, T, U, S]. */
function rnnRecording(E: number, T: number, U: number, S: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const I = 28;
  const W0 = Float64Array.from({ length: U * U }, () => (1.4 * rng.normal()) / Math.sqrt(U));
  const W1 = Float64Array.from({ length: U * U }, () => (0.8 * rng.normal()) / Math.sqrt(U));
  const Win = Float64Array.from({ length: U * I }, () => rng.normal() / Math.sqrt(I));
  const inputs = Float64Array.from({ length: S * T * I }, () => (rng() < 0.3 ? rng() : 0));
  const out = new Float64Array(E * T * U * S);
  const h = new Float64Array(U), a = new Float64Array(U), W = new Float64Array(U * U);
  for (let e = 0; e < E; e++) {
    const lam = e / Math.max(1, E - 1);
    for (let k = 0; k < U * U; k++) W[k] = (1 - lam) * W0[k]! + lam * W1[k]!;
    for (let s = 0; s < S; s++) {
      h.fill(0);
      for (let t = 0; t < T; t++) {
        for (let u = 0; u < U; u++) {
          let v = 0;
          for (let q = 0; q < U; q++) v += W[u * U + q]! * h[q]!;
          for (let q = 0; q < I; q++) v += Win[u * I + q]! * inputs[(s * T + t) * I + q]!;
          a[u] = v;
        }
        for (let u = 0; u < U; u++) {
          h[u] = Math.tanh(a[u]!);
          out[((e * T + t) * U + u) * S + s] = h[u]!;
        }
      }
    }
  }
  return out;
}

// ---- one case per child process ----
interface CaseResult {
  seconds: number;
  peakMB: number;
  growthMB: number;
  stages: string;
  info: Record<string, string | number>;
}

function stageTimer(): { onProgress: (p: EmbeddingProgress) => void; summary: () => string } {
  const phases = new Map<string, number>();
  let phase = '';
  let start = performance.now();
  return {
    onProgress: (p) => {
      if (p.phase === phase) return;
      const now = performance.now();
      if (phase) phases.set(phase, (phases.get(phase) ?? 0) + now - start);
      phase = p.phase;
      start = now;
    },
    summary: () => {
      if (phase) phases.set(phase, (phases.get(phase) ?? 0) + performance.now() - start);
      phase = '';
      return [...phases].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ');
    },
  };
}

function runCase(name: string, arg: string): CaseResult {
  const rssMB = (): number => process.memoryUsage().rss / 2 ** 20;
  const timer = stageTimer();
  if (name === 'tsne') {
    const n = Number(arg), d = 50;
    const x = clusterData(n, d, n);
    const before = rssMB();
    const t0 = performance.now();
    const r = tsne(x, { dim: d, seed: 0, onProgress: timer.onProgress });
    const seconds = (performance.now() - t0) / 1000;
    const peakMB = process.resourceUsage().maxRSS / 1024;
    const stages = timer.summary();
    const tw = trustworthiness(x, r, { dimX: d, k: 5 });
    let skInfo: Record<string, string | number> = {};
    if (hasSklearn()) {
      const dir = mkdtempSync(join(tmpdir(), 'rnn-lyap-emb-'));
      try {
        const pin = join(dir, 'x.f64'), pout = join(dir, 'y.f64');
        writeFileSync(pin, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
        const res = spawnSync(PY, [join(here, 'peers', 'sklearn_tsne.py'), pin, String(n), String(d), pout, '0'], {
          encoding: 'utf8', env: peerEnv(),
          maxBuffer: 64 * 1024 * 1024,
        });
        if (res.status === 0) {
          const lines = res.stdout.trim().split('\n');
          const info = JSON.parse(lines[lines.length - 1]!) as { sklearn: string; seconds: number; kl: number; iterations: number };
          const buf = readFileSync(pout);
          const y = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
          const twSk = trustworthiness(x, { embedding: y, shape: [n, 2] }, { dimX: d, k: 5 });
          skInfo = { skVersion: info.sklearn, skSeconds: info.seconds, skKl: info.kl, skTw: twSk, skIter: info.iterations };
        } else {
          skInfo = { skError: res.stderr.trim().split('\n').slice(-1)[0] ?? 'failed' };
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return {
      seconds, peakMB, growthMB: peakMB - before, stages,
      info: { method: r.method, kl: r.kl, tw, iterations: r.iterations, ...skInfo },
    };
  }
  if (name === 'phate') {
    const n = Number(arg), d = 50;
    const x = branchingData(n, d, 3);
    const before = rssMB();
    const t0 = performance.now();
    const r = phate(x, { dim: d, seed: 0, onProgress: timer.onProgress });
    const seconds = (performance.now() - t0) / 1000;
    const peakMB = process.resourceUsage().maxRSS / 1024;
    const stages = timer.summary();
    const tw = n <= 2000 ? trustworthiness(x, r, { dimX: d, k: 5 }).toFixed(4) : 'not computed';
    return { seconds, peakMB, growthMB: peakMB - before, stages, info: { t: r.t, op: r.operatorSize, tw } };
  }
  // mmphate: arg = "E,T,U,S,links"
  const [E, T, U, S] = arg.split(',').slice(0, 4).map(Number) as [number, number, number, number];
  const links = arg.split(',')[4] as MultisliceOptions['intersliceLinks'];
  const data = rnnRecording(E, T, U, S, 11);
  const before = rssMB();
  const t0 = performance.now();
  const r = mmPhate({ shape: [E, T, U, S], data }, { seed: 0, landmarks: 2000, intersliceLinks: links, onProgress: timer.onProgress });
  const seconds = (performance.now() - t0) / 1000;
  const peakMB = process.resourceUsage().maxRSS / 1024;
  return {
    seconds, peakMB, growthMB: peakMB - before, stages: timer.summary(),
    info: { t: r.t, op: r.operatorSize, eps: r.intersliceBandwidth, nodes: E * T * U },
  };
}

function hasSklearn(): boolean {
  if (!existsSync(PY)) return false;
  return spawnSync(PY, ['-c', 'import sklearn.manifold'], { stdio: 'ignore' }).status === 0;
}

function child(name: string, arg: string): CaseResult | undefined {
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', name, arg], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60 * 1000,
  });
  const lines = (r.stdout ?? '').trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (r.status !== 0 || !last.startsWith('{')) {
    console.log(`(case ${name} ${arg} failed: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ') || `status ${r.status} ${r.signal ?? ''}`})`);
    return undefined;
  }
  return JSON.parse(last) as CaseResult;
}

const caseIdx = process.argv.indexOf('--case');
if (caseIdx >= 0) {
  console.log(JSON.stringify(runCase(process.argv[caseIdx + 1]!, process.argv[caseIdx + 2]!)));
} else {
  const benchStart = performance.now();
  if (!hasSklearn()) console.log(`(scikit-learn peer skipped: ${PY} cannot import sklearn.manifold; apt-get install -y python3-sklearn)`);
  const tsneRows: (string | number)[][] = [];
  for (const n of quick ? [2000] : [2000, 10000]) {
    const r = child('tsne', String(n));
    if (!r) continue;
    const i = r.info;
    tsneRows.push([`rnn-lyap tsne (${i.method})`, n, fmt(r.seconds), fmt(r.peakMB), fmt(r.growthMB), Number(i.kl).toFixed(3), Number(i.tw).toFixed(4), i.iterations!, r.stages]);
    if (i.skSeconds !== undefined) {
      tsneRows.push([`scikit-learn ${i.skVersion} TSNE (1 thread)`, n, fmt(Number(i.skSeconds)), '—', '—', Number(i.skKl).toFixed(3), Number(i.skTw).toFixed(4), i.skIter!, '']);
    } else if (i.skError) {
      console.log(`(scikit-learn peer failed: ${i.skError})`);
    }
  }
  printTable('t-SNE (10 clusters in 50-D, perplexity 30, 1000 iterations, Barnes–Hut θ = 0.5, PCA init)',
    ['implementation', 'n', 'seconds', 'peak MB', '+MB', 'KL', 'trustworthiness (k=5)', 'iterations', 'stages'], tsneRows);

  const phateRows: (string | number)[][] = [];
  for (const n of quick ? [2000] : [2000, 20000]) {
    const r = child('phate', String(n));
    if (!r) continue;
    phateRows.push([n, fmt(r.seconds), fmt(r.peakMB), fmt(r.growthMB), r.info.op!, r.info.t!, r.info.tw!, r.stages]);
  }
  printTable('PHATE (3 noisy branches in 50-D; knn 5, α 40, t auto, γ 1, metric MDS, 2000 landmarks)',
    ['n', 'seconds', 'peak MB', '+MB', 'operator size', 't', 'trustworthiness (k=5)', 'stages'], phateRows);

  const mmRows: (string | number)[][] = [];
  const dims = quick ? '5,28,64,100' : '20,28,64,100';
  for (const links of process.env.EMBEDDING_BENCH_ALL === '1' ? ['adjacent', 'all'] : ['adjacent']) {
    const r = child('mmphate', `${dims},${links}`);
    if (!r) continue;
    mmRows.push([dims.replace(/,/g, '×'), links, r.info.nodes!, fmt(r.seconds), fmt(r.peakMB), fmt(r.growthMB), r.info.op!, r.info.t!, Number(r.info.eps).toFixed(3), r.stages]);
  }
  printTable('MM-PHATE (epochs × time steps × units × samples of a tanh RNN with drifting weights; 2000 landmarks, γ 0)',
    ['shape', 'interslice links', 'nodes', 'seconds', 'peak MB', '+MB', 'operator size', 't', 'interslice ε', 'stages'], mmRows);
  console.log(`\ntotal bench time ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
}
