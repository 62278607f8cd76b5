/**
 * Shared helpers for the benchmarks: timing, tables, and the optional PyTorch peer.
 * Benchmarks are run by `npm run bench` (all of them) or `npx tsx bench/<name>.bench.ts` (one).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Median milliseconds per call of `fn`, after warm-up, over at least `minMs` of total running time. */
export function timeMs(fn: () => void, opts: { minMs?: number; minRuns?: number; warmup?: number } = {}): number {
  const { minMs = 300, minRuns = 5, warmup = 2 } = opts;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    if (times.length > 10000) break;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints rows as an aligned Markdown table. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => String(r[j] ?? '').length)));
  const line = (r: (string | number)[]) => `| ${r.map((c, j) => String(c ?? '').padEnd(widths[j])).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(line(cells[0]));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of cells.slice(1)) console.log(line(r));
}

/** A number with 3 significant digits (or fixed for large values). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 1) return x.toPrecision(3);
  if (a === 0) return '0';
  return x.toPrecision(3);
}

const PY = '/usr/bin/python3';

/**
 * The environment for a Python peer: one thread (OpenMP, MKL, OpenBLAS), and an OpenBLAS core type
 * when the machine's CPU would be misdetected. Debian 12's OpenBLAS 0.3.21 does not recognise newer
 * Xeons (CPUID model 207 on these machines) and falls back to its generic "Prescott" SSE3 kernels,
 * which makes PyTorch's and NumPy's gemm 3-4x slower than they are (8 vs 34 GFLOP/s at 128x200x200);
 * a benchmark against that would flatter us. On a CPU with AVX2 we name the Haswell kernels unless
 * the caller already set OPENBLAS_CORETYPE.
 */
export function peerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  if (env.OPENBLAS_CORETYPE === undefined && cpuHasAvx2()) env.OPENBLAS_CORETYPE = 'Haswell';
  return env;
}

function cpuHasAvx2(): boolean {
  try {
    return /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

let torchChecked: boolean | undefined;

/** True when /usr/bin/python3 can import torch (Debian's python3-torch). */
export function hasTorch(): boolean {
  if (torchChecked !== undefined) return torchChecked;
  torchChecked = false;
  if (!existsSync(PY)) return false;
  const r = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' });
  torchChecked = r.status === 0;
  return torchChecked;
}

/**
 * Runs a Python peer script with /usr/bin/python3 and parses the JSON it prints on its last line.
 * Returns undefined (and says why) when torch is absent.
 */
export function runPythonPeer<T>(script: string, args: string[] = []): T | undefined {
  if (!hasTorch()) {
    console.log(`(skipped ${script}: /usr/bin/python3 has no torch; apt-get install -y python3-torch)`);
    return undefined;
  }
  const out = execFileSync(PY, [script, ...args], {
    encoding: 'utf8',
    env: peerEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/**
 * Node 20 has WebAssembly relaxed SIMD (the 'wasm-f32-fma' kernels) only behind a V8 flag: when
 * `available` is false and this process was not started with it, runs the bench at `url` again with
 * the flag (same arguments) and exits with its status, so that one run times both float32 builds.
 * RNN_LYAP_BENCH_NO_RELAXED=1 keeps the process as it is.
 */
export function rerunWithRelaxedSimd(available: boolean, url: string): void {
  if (available || process.execArgv.includes('--experimental-wasm-relaxed-simd') || process.env.RNN_LYAP_BENCH_NO_RELAXED !== undefined) return;
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', fileURLToPath(url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
