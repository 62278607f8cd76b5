/**
 * Float64 linear algebra at n = 200 against ml-matrix, in the same process and on the same data:
 * thin QR with explicit Q and R, symmetric eigen-decomposition (values and vectors), eigenvalues of
 * a general matrix, thin SVD. The target: QR at least 5× faster than ml-matrix's
 * QrDecomposition (+ orthogonalMatrix + upperTriangularMatrix).
 *
 * Our timings include validating and copying the input (a row-major Matrix64) and building the
 * row-major outputs. ml-matrix's general EigenvalueDecomposition always computes eigenvectors too;
 * `eigenvalues` computes values only, which is what the fixed-point finder needs.
 *
 * Run: `npx tsx bench/linalg.bench.ts` (or `npm run bench -- linalg`).
 */
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import {
  fixQrSignsColMajor,
  householderFormQColMajor,
  householderQrColMajor,
} from '../src/core/linalg/householder.js';
import { eigenvalues } from '../src/core/linalg/eigenvalues.js';
import type { Matrix64 } from '../src/core/linalg/matrix64.js';
import { qr } from '../src/core/linalg/qr.js';
import { svd } from '../src/core/linalg/svd.js';
import { symmetricEigen } from '../src/core/linalg/symmetric-eigen.js';
import { createRng } from '../src/core/rng.js';
import { setBackend } from '../src/core/backend.js';
import { printTable, timeMs } from './util.js';

const n = Number(process.env.LINALG_BENCH_N ?? 200);
const rng = createRng(2024);
const general = new Float64Array(n * n);
for (let i = 0; i < n * n; i++) general[i] = 2 * rng() - 1;
const symmetric = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) symmetric[i * n + j] = general[i * n + j] + general[j * n + i];
const toMl = (d: Float64Array) => {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(d.subarray(i * n, (i + 1) * n)));
  return new Matrix(rows);
};
const A: Matrix64 = { rows: n, cols: n, data: general };
const S: Matrix64 = { rows: n, cols: n, data: symmetric };
const mlA = toMl(general), mlS = toMl(symmetric);

// raw column-major kernels, as the Lyapunov estimator calls them (buffers reused)
const f = new Float64Array(n * n), tau = new Float64Array(n), qc = new Float64Array(n * n);
const rawQr = () => {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) f[j * n + i] = general[i * n + j];
  householderQrColMajor(n, n, f, tau);
  householderFormQColMajor(n, n, f, tau, qc);
  fixQrSignsColMajor(n, n, f, qc);
};

interface Row { label: string; ours: () => void; ml: (() => void) | undefined; mlLabel: string }
const cases: Row[] = [
  {
    label: `qr ${n}×${n} (explicit Q and R)`,
    ours: () => qr(A),
    ml: () => {
      const d = new QrDecomposition(mlA);
      void d.orthogonalMatrix;
      void d.upperTriangularMatrix;
    },
    mlLabel: 'QrDecomposition + Q + R',
  },
  { label: `householder kernels ${n}×${n} (raw, col-major)`, ours: rawQr, ml: undefined, mlLabel: '' },
  {
    label: `symmetricEigen ${n}×${n} (values + vectors)`,
    ours: () => symmetricEigen(S),
    ml: () => {
      const d = new EigenvalueDecomposition(mlS, { assumeSymmetric: true });
      void d.realEigenvalues;
      void d.eigenvectorMatrix;
    },
    mlLabel: 'EVD assumeSymmetric',
  },
  {
    label: `symmetricEigen ${n}×${n} (values only)`,
    ours: () => symmetricEigen(S, { vectors: false }),
    ml: undefined,
    mlLabel: '',
  },
  {
    // the same on the 'js' float64 backend: its tridiagonalization passes are JS loops, not wasm
    label: `symmetricEigen ${n}×${n} (values only, 'js' backend)`,
    ours: () => {
      setBackend('float64', 'js');
      try {
        symmetricEigen(S, { vectors: false });
      } finally {
        setBackend('float64', 'auto');
      }
    },
    ml: undefined,
    mlLabel: '',
  },
  {
    label: `eigenvalues ${n}×${n} (general, balanced)`,
    ours: () => eigenvalues(A),
    ml: () => {
      const d = new EigenvalueDecomposition(mlA);
      void d.realEigenvalues;
      void d.imaginaryEigenvalues;
    },
    mlLabel: 'EVD general (+ vectors)',
  },
  {
    label: `svd ${n}×${n} (U, s, V)`,
    ours: () => svd(A),
    ml: () => {
      const d = new SingularValueDecomposition(mlA);
      void d.diagonal;
      void d.leftSingularVectors;
      void d.rightSingularVectors;
    },
    mlLabel: 'SingularValueDecomposition',
  },
];

// The machine may be shared: alternate the contenders over ROUNDS rounds and keep each one's best
// median, so a burst of outside load does not land on one side only.
const ROUNDS = 3;
const opts = { minMs: 300, minRuns: 5, warmup: 2 };
const rows: (string | number)[][] = [];
let qrRatio = 0;
for (const c of cases) {
  let ours = Infinity, ml = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    ours = Math.min(ours, timeMs(c.ours, opts));
    if (c.ml) ml = Math.min(ml, timeMs(c.ml, opts));
  }
  const ratio = c.ml ? ml / ours : NaN;
  if (c.label.startsWith('qr ')) qrRatio = ratio;
  rows.push([c.label, ours, c.ml ? ml : '—', c.ml ? `${ratio.toFixed(1)}×` : '—', c.mlLabel || '—']);
}
printTable(
  `Float64 linear algebra, n = ${n} (median ms per call, best of ${ROUNDS} rounds; node ${process.version})`,
  ['operation', 'rnn-lyap ms', 'ml-matrix ms', 'speed-up', 'ml-matrix call'],
  rows,
);
const target = 5;
console.log(`\nQR target (≥ ${target}× ml-matrix): ${qrRatio.toFixed(1)}× — ${qrRatio >= target ? 'met' : 'NOT met'}`);
