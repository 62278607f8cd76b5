/**
 * Covariant Lyapunov vectors of Lorenz-96 (N = 40, F = 8, RK4 dt = 0.01) and of the Hénon and Lozi maps:
 * the spectrum features, the zero-exponent CLV against the flow, the angle between the unstable and
 * stable subspaces; the numbers quoted in docs/clv.md.
 *   nice npx tsx examples/clv-lorenz96.ts [steps=10000] [frame/backward warm-up=5000] [skip: no Hénon/Lozi]
 */
import { covariantLyapunovVectors } from '../src/lyapunov/clv.js';
import { clvAngles } from '../src/lyapunov/clv-angles.js';
import { henonMap, lorenz96 } from '../src/lyapunov/systems.js';
const t0 = Date.now();
const sys = lorenz96({ n: 40, forcing: 8, dt: 0.01 });
const T = Number(process.argv[2] ?? 10000);
const r = covariantLyapunovVectors(sys, { k: 40, steps: T, warmup: 2000, frameWarmup: Number(process.argv[3] ?? 5000), backwardWarmup: Number(process.argv[3] ?? 5000), seed: 1 });
const e = Array.from(r.exponents);
console.log('time s', (Date.now() - t0) / 1000);
console.log('exponents', e.map((v) => v.toFixed(3)).join(' '));
console.log('lambda1', e[0], 'positive(>0.05)', e.filter((v) => v > 0.05).length, 'positive(>0)', e.filter((v) => v > 0).length, 'sum', e.reduce((a, b) => a + b, 0));
console.log('clv-exp max diff', Math.max(...e.map((v, i) => Math.abs(v - r.clvExponents[i]))));
// KY dimension
let s = 0, j = 0; for (; j < 40 && s + e[j] >= 0; j++) s += e[j];
console.log('KY', j + s / Math.abs(e[j]));
for (let iz = 10; iz < 16; iz++) {
let fwd = 0; const fx = new Float64Array(40); const n = 40, k = 40;
for (let t = 0; t < T; t++) {
  const x = r.states.data.subarray(t * n, (t + 1) * n);
  sys.step(x, t, fx);
  let d = 0, nf = 0, nv = 0;
  for (let a = 0; a < n; a++) { const f = fx[a] - x[a]; const v = r.vectors.data[(t * n + a) * k + iz]; d += f * v; nf += f * f; nv += v * v; }
  fwd += (1 - Math.abs(d) / Math.sqrt(nf * nv)) / T;
}
console.log('index', iz, 'exp', e[iz].toFixed(4), 'mean 1-|cos(v, flow)|', fwd);
}
const npos = e.filter((v) => v > 0.05).length;
for (const u of [npos, npos + 1]) {
  const th = Array.from(clvAngles(r, { unstable: u })).sort((a, b) => a - b);
  console.log(`unstable=${u}: min ${th[0].toFixed(4)} p01 ${th[Math.floor(0.01 * T)].toFixed(4)} p10 ${th[Math.floor(0.1 * T)].toFixed(4)} median ${th[Math.floor(T / 2)].toFixed(4)} max ${th[T - 1].toFixed(4)}`);
}
const th12 = Array.from(clvAngles(r, { pair: [0, 1] })).sort((a, b) => a - b);
console.log('pair 0,1 min', th12[0], 'median', th12[Math.floor(T / 2)], 'frac<0.1', th12.filter((v) => v < 0.1).length / T);
if (process.argv[4] !== 'skip') {
// Hénon vs Lozi
const lozi = {
  dim: 2, initialState: Float64Array.from([0.1, 0.1]),
  step(x: Float64Array, _t: number, o: Float64Array) { const a = 1.7, b = 0.5; const x0 = x[0]; o[0] = 1 - a * Math.abs(x0) + x[1]; o[1] = b * x0; },
  jacobian(x: Float64Array, _t: number, o: Float64Array) { o[0] = -1.7 * Math.sign(x[0]); o[1] = 1; o[2] = 0.5; o[3] = 0; },
};
for (const [nm, s2] of [['henon', henonMap()], ['lozi', lozi]] as const) {
  const rr = covariantLyapunovVectors(s2 as never, { steps: 100000, seed: 2 });
  const a = Array.from(clvAngles(rr, { pair: [0, 1] })).sort((x, y) => x - y);
  console.log(nm, 'exps', Array.from(rr.exponents).map((v) => v.toFixed(4)), 'angle min', a[0].toFixed(5), 'p001', a[100].toFixed(5), 'frac<0.05', a.filter((v) => v < 0.05).length / a.length, 'median', a[50000].toFixed(4));
}
}
