import { describe, expect, it } from 'vitest';
import { createF32Module, F32_WASM_BASE64 } from '../../../src/core/wasm/f32-loader.js';
import { createRng } from '../../../src/core/rng.js';

// The gated cells' element-wise kernels of f32.wat (lstmfwd, grufwd, lstmbwd, grubwd), on their own
// instance of the multiply-then-add build (the FMA build differs only in gemm). Oracles: the gates must be
// `act`'s values bit for bit (the kernels call it); every product and sum is checked against float64
// arithmetic on the same float32 operands, within c·ε32 of the sum of the magnitudes of its terms.
const mod = createF32Module(F32_WASM_BASE64);
const w = mod.wasm();
const EPS = 2 ** -23;
const ROWS = 3, HP = 8, SPARE = 1; // one row past `rows` must stay untouched

/** Float32Array of n values uniform in (−s, s). */
function uniform(n: number, s: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => (2 * rng() - 1) * s);
}

/** Writes the arrays one after another into the module's memory; returns their byte offsets. */
function place(...arrays: Float32Array[]): number[] {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const m = mod.memory(4 * total)!;
  const offs: number[] = [];
  let o = 0;
  for (const a of arrays) {
    m.set(a, o);
    offs.push(4 * o);
    o += a.length;
  }
  return offs;
}
const read = (off: number, n: number) => mod.memory(0)!.slice(off / 4, off / 4 + n);

/** `act` of kind over a copy of xs (the reference for the kernels' gates). */
function act(kind: number, xs: Float32Array): Float32Array {
  const [o] = place(xs);
  w!.act(kind, o, xs.length, 0);
  return read(o, xs.length);
}

/** |got − ref| ≤ c·ε32·mag elementwise, where mag is the sum of the terms' magnitudes. */
function near(got: Float32Array, ref: number[], mag: number[], c: number): void {
  for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThanOrEqual(c * EPS * mag[i] + 1e-44);
}

/** Gate block [rows + SPARE, G·hp] → gate q of row r, column j. */
const at = (a: Float32Array, G: number, r: number, q: number, j: number) => a[r * G * HP + q * HP + j];

describe.skipIf(w === undefined)('float32 WebAssembly gate kernels', () => {
  it('lstmfwd: σ/tanh gates bit-identical to act; c = f⊙cp + i⊙g, tanh c (act), h = o⊙tanh c; rows past `rows` untouched', () => {
    const n = (ROWS + SPARE) * HP;
    const pre = uniform(4 * n, 4, 1), cp = uniform(n, 2, 2), sentinel = uniform(n, 1, 3);
    const [g, cpo, cn, tc, hn] = place(pre, cp, sentinel, sentinel, sentinel);
    w!.lstmfwd(g, cpo, cn, tc, hn, ROWS, HP);
    const G = read(g, 4 * n), C = read(cn, n), TC = read(tc, n), Hn = read(hn, n);
    const ref: number[] = [], mag: number[] = [], href: number[] = [], hmag: number[] = [];
    for (let r = 0; r < ROWS; r++) {
      const row = pre.subarray(4 * r * HP, 4 * (r + 1) * HP);
      const want = [act(1, row.slice(0, 2 * HP)), act(0, row.slice(2 * HP, 3 * HP)), act(1, row.slice(3 * HP))];
      expect(Array.from(G.subarray(4 * r * HP, 4 * (r + 1) * HP))).toEqual([...want[0], ...want[1], ...want[2]]);
      for (let j = 0; j < HP; j++) {
        const i = at(G, 4, r, 0, j), f = at(G, 4, r, 1, j), gg = at(G, 4, r, 2, j), o = at(G, 4, r, 3, j);
        ref.push(f * cp[r * HP + j] + i * gg);
        mag.push(Math.abs(f * cp[r * HP + j]) + Math.abs(i * gg));
        href.push(o * TC[r * HP + j]);
        hmag.push(Math.abs(o * TC[r * HP + j]));
      }
    }
    near(C, ref, mag, 2);
    expect(Array.from(TC.subarray(0, ROWS * HP))).toEqual(Array.from(act(0, C.slice(0, ROWS * HP))));
    near(Hn, href, hmag, 1);
    expect(Array.from(G.subarray(4 * ROWS * HP))).toEqual(Array.from(pre.subarray(4 * ROWS * HP)));
    for (const a of [C, TC, Hn]) expect(Array.from(a.subarray(ROWS * HP))).toEqual(Array.from(sentinel.subarray(ROWS * HP)));
  });

  it('grufwd: r, z = σ(gx + gh), n = tanh(gx_n + r⊙gh_n) (act), ghn = gh_n, h = (1 − z)⊙n + z⊙h0', () => {
    const n = (ROWS + SPARE) * HP;
    const gx = uniform(3 * n, 3, 4), gh = uniform(3 * n, 3, 5), h0 = uniform(n, 1, 6), sentinel = uniform(3 * n, 1, 7);
    const [gxo, gho, g, ghn, h0o, hn] = place(gx, gh, sentinel, sentinel.slice(0, n), h0, sentinel.slice(0, n));
    w!.grufwd(gxo, gho, g, ghn, h0o, hn, ROWS, HP);
    const G = read(g, 3 * n), GHN = read(ghn, n), Hn = read(hn, n);
    const ref: number[] = [], mag: number[] = [];
    for (let r = 0; r < ROWS; r++) {
      const sum = Float32Array.from({ length: 2 * HP }, (_, j) => gx[3 * r * HP + j] + gh[3 * r * HP + j]);
      expect(Array.from(G.subarray(3 * r * HP, 3 * r * HP + 2 * HP))).toEqual(Array.from(act(1, sum)));
      const an = Float32Array.from({ length: HP }, (_, j) => at(gx, 3, r, 2, j) + Math.fround(at(G, 3, r, 0, j) * at(gh, 3, r, 2, j)));
      // the kernel rounds r⊙gh_n, then the sum, to float32: the same as here
      expect(Array.from(G.subarray(3 * r * HP + 2 * HP, 3 * (r + 1) * HP))).toEqual(Array.from(act(0, an)));
      expect(Array.from(GHN.subarray(r * HP, (r + 1) * HP))).toEqual(Array.from(gh.subarray(3 * r * HP + 2 * HP, 3 * (r + 1) * HP)));
      for (let j = 0; j < HP; j++) {
        const z = at(G, 3, r, 1, j), nn = at(G, 3, r, 2, j), h = h0[r * HP + j];
        ref.push((1 - z) * nn + z * h);
        mag.push(Math.abs((1 - z) * nn) + Math.abs(z * h));
      }
    }
    near(Hn, ref, mag, 3);
    expect(Array.from(G.subarray(3 * ROWS * HP))).toEqual(Array.from(sentinel.subarray(3 * ROWS * HP)));
    expect(Array.from(Hn.subarray(ROWS * HP))).toEqual(Array.from(sentinel.subarray(ROWS * HP, n)));
  });

  it('lstmbwd: the four pre-activation gradients and the cell carry against float64', () => {
    const n = (ROWS + SPARE) * HP;
    const gates = Float32Array.from(uniform(4 * n, 1, 8), (v, k) => ((k / HP) | 0) % 4 === 2 ? v : (v + 1) / 2);
    const ds = uniform(n, 1, 9), carry = uniform(n, 1, 10), cc = uniform(n, 1, 11), cp = uniform(n, 2, 12), tc = uniform(n, 1, 13);
    const sentinel = uniform(4 * n, 1, 14);
    const [g, dso, co, cco, cpo, tco, da] = place(gates, ds, carry, cc, cp, tc, sentinel);
    w!.lstmbwd(g, dso, co, cco, cpo, tco, da, ROWS, HP);
    const DA = read(da, 4 * n), CC = read(cco, n);
    const ref: number[][] = [[], [], [], [], []], mag: number[][] = [[], [], [], [], []];
    for (let r = 0; r < ROWS; r++) for (let j = 0; j < HP; j++) {
      const k = r * HP + j, i = at(gates, 4, r, 0, j), f = at(gates, 4, r, 1, j), gg = at(gates, 4, r, 2, j), o = at(gates, 4, r, 3, j), th = tc[k];
      const dh = ds[k] + carry[k], dhm = Math.abs(ds[k]) + Math.abs(carry[k]);
      const dc = cc[k] + dh * o * (1 - th * th), dcm = Math.abs(cc[k]) + dhm * Math.abs(o) * (1 + th * th);
      const vals = [dc * gg * i * (1 - i), dc * cp[k] * f * (1 - f), dc * i * (1 - gg * gg), dh * th * o * (1 - o), dc * f];
      const mags = [dcm * Math.abs(gg * i) * (1 + Math.abs(i)), dcm * Math.abs(cp[k] * f) * (1 + Math.abs(f)), dcm * Math.abs(i) * (1 + gg * gg), dhm * Math.abs(th * o) * (1 + Math.abs(o)), dcm * Math.abs(f)];
      for (let q = 0; q < 5; q++) { ref[q].push(vals[q]); mag[q].push(mags[q]); }
    }
    for (let q = 0; q < 4; q++) near(Float32Array.from({ length: ROWS * HP }, (_, k) => at(DA, 4, (k / HP) | 0, q, k % HP)), ref[q], mag[q], 8);
    near(CC, ref[4], mag[4], 6);
    expect(Array.from(DA.subarray(4 * ROWS * HP))).toEqual(Array.from(sentinel.subarray(4 * ROWS * HP)));
    expect(Array.from(CC.subarray(ROWS * HP))).toEqual(Array.from(cc.subarray(ROWS * HP)));
  });

  it('grubwd: input-side and recurrent-side pre-activation gradients and dh⊙z against float64', () => {
    const n = (ROWS + SPARE) * HP;
    const gates = Float32Array.from(uniform(3 * n, 1, 15), (v, k) => ((k / HP) | 0) % 3 === 2 ? v : (v + 1) / 2);
    const ds = uniform(n, 1, 16), carry = uniform(n, 1, 17), ghn = uniform(n, 2, 18), h0 = uniform(n, 1, 19);
    const sentinel = uniform(3 * n, 1, 20);
    const [g, dso, co, ghno, h0o, dx, dr] = place(gates, ds, carry, ghn, h0, sentinel, sentinel);
    w!.grubwd(g, dso, co, ghno, h0o, dx, dr, ROWS, HP);
    const DX = read(dx, 3 * n), DR = read(dr, 3 * n), C = read(co, n);
    const ref: number[][] = [[], [], [], [], []], mag: number[][] = [[], [], [], [], []];
    for (let r = 0; r < ROWS; r++) for (let j = 0; j < HP; j++) {
      const k = r * HP + j, rg = at(gates, 3, r, 0, j), z = at(gates, 3, r, 1, j), nn = at(gates, 3, r, 2, j);
      const dh = ds[k] + carry[k], dhm = Math.abs(ds[k]) + Math.abs(carry[k]);
      const dan = dh * (1 - z) * (1 - nn * nn), danm = dhm * (1 + Math.abs(z)) * (1 + nn * nn);
      const vals = [dan * ghn[k] * rg * (1 - rg), dh * (h0[k] - nn) * z * (1 - z), dan, dan * rg, dh * z];
      const mags = [danm * Math.abs(ghn[k] * rg) * (1 + Math.abs(rg)), dhm * (Math.abs(h0[k]) + Math.abs(nn)) * Math.abs(z) * (1 + Math.abs(z)), danm, danm * Math.abs(rg), dhm * Math.abs(z)];
      for (let q = 0; q < 5; q++) { ref[q].push(vals[q]); mag[q].push(mags[q]); }
    }
    const gate = (a: Float32Array, q: number) => Float32Array.from({ length: ROWS * HP }, (_, k) => at(a, 3, (k / HP) | 0, q, k % HP));
    near(gate(DX, 0), ref[0], mag[0], 8);
    near(gate(DX, 1), ref[1], mag[1], 8);
    near(gate(DX, 2), ref[2], mag[2], 6);
    expect(Array.from(gate(DR, 0))).toEqual(Array.from(gate(DX, 0)));
    expect(Array.from(gate(DR, 1))).toEqual(Array.from(gate(DX, 1)));
    near(gate(DR, 2), ref[3], mag[3], 7);
    near(C, ref[4], mag[4], 2);
    expect(Array.from(DX.subarray(3 * ROWS * HP))).toEqual(Array.from(sentinel.subarray(3 * ROWS * HP)));
    expect(Array.from(C.subarray(ROWS * HP))).toEqual(Array.from(carry.subarray(ROWS * HP)));
  });
});
