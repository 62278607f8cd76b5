/**
 * PHATE beside its Python reference (phate 1.0.11, graphtools 2.1.0, s_gd2) on identical float32
 * points: PHATE's tutorial tree (gen_dla, 2000 points in 100-D), scikit-learn's digits (1797 in 64-D)
 * and the same tree sampled ten times as densely (20 000 points: ten noisy draws around each
 * noiseless tree point; landmarks). Each side runs in its own process ("peak MB" is that
 * process's peak resident set, data included). Reported per dataset: t (ours / reference), seconds,
 * peak memory, DEMaP on the noiseless tree (Spearman of kNN-geodesic vs embedding distances;
 * digits: on the data itself), trustworthiness (k = 5), and the Procrustes disparity between the
 * embeddings (each against the first row of its dataset). Both sides run SMACOF and SGD-MDS (the
 * reference's default). Above 3000
 * points DEMaP and trustworthiness are scored on a fixed random subsample of 2000 points (geodesics
 * on the subsample's own kNN graph).
 *
 * At n = 20 000 a further row is the exact computation (no landmarks) on the scored subsample alone.
 *
 * Skips cleanly when the reference is not importable. Point PYTHONPATH at the reference sources
 * (see scripts/fixtures/phate.py).
 * A last dataset, `recording`, is the hidden states of the fixture generator's small trained RNN:
 * mPhate and mmPhate beside m_phate 0.1.6 (M-PHATE, and M-PHATE on the [epochs·steps, units,
 * samples] reshape, as the MM-PHATE authors run it).
 *
 * Run: npx tsx bench/phate-reference.bench.ts   (env PHATE_BENCH_QUICK=1: without n = 20 000;
 * PHATE_BENCH_SETS=tree2000,digits,tree20000,recording to choose; PHATE_BENCH_SOLVERS=smacof,sgd
 * for both MDS solvers above 3000 points, where the default is SGD-MDS alone; PHATE_BENCH_SEEDS=0,1,2
 * runs each side with each seed, since with landmarks t moves with the seed on both sides)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/core/rng.js';
import { phate } from '../src/geometry/embedding/phate.js';
import { mmPhate, mPhate } from '../src/geometry/embedding/multislice.js';
import { demap } from '../src/geometry/embedding/demap.js';
import { trustworthiness } from '../src/geometry/embedding/quality.js';
import { procrustesRaw } from '../src/geometry/embedding/procrustes.js';
import { peerEnv, printTable } from './util.js';

const PY = '/usr/bin/python3';
const here = dirname(fileURLToPath(import.meta.url));
const peer = join(here, 'peers', 'phate_ref.py');
const self = fileURLToPath(import.meta.url);

function readF32(path: string, count: number, offset = 0): Float64Array {
  const b = readFileSync(path);
  const f = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return Float64Array.from(f.subarray(offset, offset + count));
}

function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

interface Side { t: number; seconds: number; peakMB: number }

// child: ours on the file, embedding written as float64
const caseIdx = process.argv.indexOf('--case');
const multiIdx = process.argv.indexOf('--multi');
if (multiIdx >= 0) {
  // [E, T, U, S] recording: 'm' = mPhate on the last time step's slices, 'mm' = mmPhate
  const [path, E, T, U, S, out, kind] = process.argv.slice(multiIdx + 1) as string[];
  const [e, tt, u, sm] = [E, T, U, S].map(Number) as [number, number, number, number];
  const X = readF32(path!, e * tt * u * sm);
  const t0 = performance.now();
  let r;
  if (kind === 'm') {
    const last = new Float64Array(e * u * sm);
    for (let a = 0; a < e; a++) last.set(X.subarray(((a * tt) + tt - 1) * u * sm, ((a * tt) + tt) * u * sm), a * u * sm);
    r = mPhate({ shape: [e, u, sm], data: last }, { seed: 0 });
  } else {
    r = mmPhate({ shape: [e, tt, u, sm], data: X }, { seed: 0 });
  }
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(out!, new Uint8Array(r.embedding.buffer));
  console.log(JSON.stringify({ t: r.t, seconds, peakMB: process.resourceUsage().maxRSS / 1024 }));
} else if (caseIdx >= 0) {
  const [path, n, d, out, solver, seed] = process.argv.slice(caseIdx + 1) as [string, string, string, string, 'smacof' | 'sgd', string];
  const X = readF32(path, Number(n) * Number(d));
  const t0 = performance.now();
  const r = phate(X, { dim: Number(d), seed: Number(seed ?? 0), mdsSolver: solver });
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(out, new Uint8Array(r.embedding.buffer));
  console.log(JSON.stringify({ t: r.t, seconds, peakMB: process.resourceUsage().maxRSS / 1024 }));
} else {
  main();
}

function py(args: string[]): string | undefined {
  const r = spawnSync(PY, [peer, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: peerEnv() });
  if (r.status !== 0) return undefined;
  return r.stdout.trim().split('\n').pop();
}

function main(): void {
  if (spawnSync(PY, [peer, 'check'], { stdio: 'ignore' }).status !== 0) {
    console.log(`(PHATE reference not importable by ${PY}: skipped; see scripts/fixtures/phate.py for its PYTHONPATH)`);
    return;
  }
  const sets = process.env.PHATE_BENCH_SETS?.split(',')
    ?? (process.env.PHATE_BENCH_QUICK === '1' ? ['tree2000', 'digits', 'recording'] : ['tree2000', 'digits', 'tree20000', 'recording']);
  const dir = mkdtempSync(join(tmpdir(), 'phate-bench-'));
  const rows: (string | number)[][] = [];
  try {
    for (const name of sets.filter((x) => x !== 'recording')) {
      const data = join(dir, `${name}.f32`);
      const meta = JSON.parse(py(['gen', name, data])!) as { n: number; d: number };
      const { n, d } = meta;
      const X = readF32(data, n * d);
      const clean = readF32(data, n * d, n * d);
      const runs: { label: string; side: Side; emb: Float64Array }[] = [];
      // SMACOF and SGD-MDS on both sides; above 3000 points (landmarks) only SGD-MDS, the
      // reference's default, unless PHATE_BENCH_SOLVERS says otherwise
      const solvers = process.env.PHATE_BENCH_SOLVERS?.split(',') ?? (n > 3000 ? ['sgd'] : ['smacof', 'sgd']);
      // random_state / seed of both sides (several: the landmark partition, hence t, moves with it)
      const seeds = (process.env.PHATE_BENCH_SEEDS ?? '0').split(',').map(Number);
      const seedNote = (seed: number) => (seeds.length > 1 ? `, seed ${seed}` : '');
      for (const seed of seeds) {
        for (const solver of solvers) {
          const ourOut = join(dir, `${name}.ours-${solver}-${seed}.f64`);
          const c = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', data, String(n), String(d), ourOut, solver, String(seed)], { encoding: 'utf8' });
          if (c.status !== 0) { console.log(`(ours failed on ${name}: ${c.stderr.trim().split('\n').slice(-2).join(' | ')})`); continue; }
          runs.push({ label: `rnn-lyap (${solver === 'sgd' ? 'SGD-MDS' : 'SMACOF, default'}${seedNote(seed)})`, side: JSON.parse(c.stdout.trim().split('\n').pop()!) as Side, emb: readF64(ourOut) });
        }
      }
      if (runs.length === 0) continue;
      for (const seed of seeds) {
        for (const solver of solvers) {
          const out = join(dir, `${name}.${solver}-${seed}.f64`);
          const line = py(['run', data, String(n), String(d), out, solver, String(seed)]);
          if (line === undefined) { console.log(`(reference ${solver} failed on ${name})`); continue; }
          runs.push({ label: `phate 1.0.11 (${solver === 'sgd' ? 'SGD-MDS, default' : 'SMACOF'}${seedNote(seed)})`, side: JSON.parse(line) as Side, emb: readF64(out) });
        }
      }
      let sub: Int32Array | undefined;
      if (n > 3000) {
        const rng = createRng(5);
        const idx = Int32Array.from({ length: n }, (_, i) => i);
        for (let i = n - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); const t = idx[i]!; idx[i] = idx[j]!; idx[j] = t; }
        sub = idx.slice(0, 2000).sort();
      }
      const pick = (A: Float64Array, dim: number) => {
        if (!sub) return A;
        const o = new Float64Array(sub.length * dim);
        sub.forEach((i, a) => o.set(A.subarray(i * dim, (i + 1) * dim), a * dim));
        return o;
      };
      const Xs = pick(X, d);
      if (sub) {
        // the exact computation (no landmarks) on the scored subsample, for the landmark check
        const subFile = join(dir, `${name}.sub.f32`);
        writeFileSync(subFile, new Uint8Array(Float32Array.from(Xs).buffer));
        const subOut = join(dir, `${name}.sub.f64`);
        const c = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', subFile, String(sub.length), String(d), subOut, 'smacof'], { encoding: 'utf8' });
        if (c.status === 0) {
          const side = JSON.parse(c.stdout.trim().split('\n').pop()!) as Side;
          const e = readF64(subOut);
          const cleanSub = pick(clean, d);
          const dm = demap(cleanSub, { embedding: e, shape: [sub.length, 2] }, { dimX: d });
          const tw = trustworthiness(Xs, { embedding: e, shape: [sub.length, 2] }, { dimX: d, k: 5 });
          rows.push([`${name} (${n}×${d})`, `rnn-lyap exact, on the ${sub.length}-point subsample only`, String(side.t), side.seconds, side.peakMB, dm, tw, '—']);
        }
      }
      for (const r of runs) {
        // at n > 3000 both scores are of the subsample (its own kNN graph for the geodesics)
        const dm = demap(pick(clean, d), { embedding: pick(r.emb, 2), shape: [sub ? sub.length : n, 2] }, { dimX: d });
        const tw = trustworthiness(Xs, { embedding: pick(r.emb, 2), shape: [sub ? sub.length : n, 2] }, { dimX: d, k: 5 });
        const disp = r === runs[0] ? NaN : procrustesRaw(runs[0]!.emb, r.emb, n, 2).disparity;
        rows.push([`${name} (${n}×${d})`, r.label, String(r.side.t), r.side.seconds, r.side.peakMB, dm, tw, r === runs[0] ? '—' : disp.toExponential(2)]);
      }
    }
    if (sets.includes('recording')) multisliceRows(dir, rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable('PHATE beside the Python reference (knn 5, α 40, t auto, γ 1, 2000 landmarks; same float32 points)',
    ['data', 'implementation', 't', 'seconds', 'peak MB', 'DEMaP', 'trust. (k=5)', 'disparity vs the first row of its dataset'], rows);
}

/** z-scored node vectors of a recording, as the multislice kernel sees them (the scored points). */
function nodeVectors(X: Float64Array, nodes: number, S: number): Float64Array {
  const out = Float64Array.from(X);
  for (let g = 0; g < nodes; g++) {
    let m = 0, v = 0;
    for (let f = 0; f < S; f++) m += out[g * S + f]!;
    m /= S;
    for (let f = 0; f < S; f++) v += (out[g * S + f]! - m) ** 2;
    const sd = Math.sqrt(v / S) || 1;
    for (let f = 0; f < S; f++) out[g * S + f] = (out[g * S + f]! - m) / sd;
  }
  return out;
}

/**
 * M-PHATE and MM-PHATE on the hidden states of the small trained RNN of scripts/fixtures/phate.py
 * (30 epochs × 5 steps × 16 units × 40 samples), beside m_phate 0.1.6 with its defaults; scored on
 * the z-scored node vectors (DEMaP of the data itself, trustworthiness k = 5).
 */
function multisliceRows(dir: string, rows: (string | number)[][]): void {
  const [E, T, U, S] = [30, 5, 16, 40];
  const data = join(dir, 'recording.f32');
  if (py(['genrec', data, String(E), String(T), String(U), String(S)]) === undefined) { console.log('(recording generation failed)'); return; }
  const all = readF32(data, E * T * U * S);
  for (const kind of ['m', 'mm'] as const) {
    const nodes = kind === 'm' ? E * U : E * T * U;
    let X = all;
    if (kind === 'm') {
      X = new Float64Array(E * U * S);
      for (let a = 0; a < E; a++) X.set(all.subarray((a * T + T - 1) * U * S, (a * T + T) * U * S), a * U * S);
    }
    const pts = nodeVectors(X, nodes, S);
    const label = kind === 'm' ? `recording, last step (${E} slices × ${U} units × ${S})` : `recording (${E}·${T} slices × ${U} units × ${S})`;
    const what = kind === 'm' ? 'M-PHATE' : 'MM-PHATE';
    const got: { emb: Float64Array; side: Side }[] = [];
    const ours = join(dir, `rec-${kind}.ours.f64`);
    const c = spawnSync(process.execPath, ['--import', 'tsx', self, '--multi', data, String(E), String(T), String(U), String(S), ours, kind], { encoding: 'utf8' });
    if (c.status !== 0) { console.log(`(ours failed on ${what}: ${c.stderr.trim().split('\n').slice(-2).join(' | ')})`); continue; }
    got.push({ side: JSON.parse(c.stdout.trim().split('\n').pop()!) as Side, emb: readF64(ours) });
    const refOut = join(dir, `rec-${kind}.ref.f64`);
    const line = py(['multi', data, String(E), String(T), String(U), String(S), refOut, kind]);
    if (line !== undefined) got.push({ side: JSON.parse(line) as Side, emb: readF64(refOut) });
    else console.log(`(reference m_phate failed on ${what})`);
    got.forEach((g, i) => {
      const Y = { embedding: g.emb, shape: [nodes, 2] as [number, number] };
      const dm = demap(pts, Y, { dimX: S });
      const tw = trustworthiness(pts, Y, { dimX: S, k: 5 });
      const disp = i === 0 ? '—' : procrustesRaw(got[0]!.emb, g.emb, nodes, 2).disparity.toExponential(2);
      rows.push([label, i === 0 ? `rnn-lyap ${kind === 'm' ? 'mPhate' : 'mmPhate'}` : `m_phate 0.1.6 (${what === 'M-PHATE' ? 'M_PHATE' : 'M_PHATE on [E·T, U, S]'})`, String(g.side.t), g.side.seconds, g.side.peakMB, dm, tw, disp]);
    });
  }
}
