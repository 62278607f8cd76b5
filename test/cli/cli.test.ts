import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { version } from '../../cli/run.js';
import { splitArrayRef } from '../../cli/load.js';
import { fromTorchStateDict, initRnn, tensor, loadRnn, lyapunovSpectrum, randn, readSafetensors, rnnSystem, safetensorsToTensors, saveRnn, toTorchStateDict, type Rnn } from '../../src/index.js';
import { cli, saveNpy, saveSafetensors, tempDir } from './helpers.js';

const fixtures = new URL('../fixtures/io/', import.meta.url).pathname;

/** log|det A| of a row-major n×n matrix by LU with partial pivoting. */
function logAbsDet(a: Float64Array, n: number): number {
  const m = Float64Array.from(a);
  let ld = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]) > Math.abs(m[p * n + k])) p = i;
    if (p !== k) for (let c = 0; c < n; c++) [m[k * n + c], m[p * n + c]] = [m[p * n + c], m[k * n + c]];
    const piv = m[k * n + k];
    ld += Math.log(Math.abs(piv));
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k] / piv;
      for (let c = k; c < n; c++) m[i * n + c] -= f * m[k * n + c];
    }
  }
  return ld;
}

describe('rnn-lyap: help, version, usage errors', () => {
  it('--help and --version; no command prints the help on stderr with exit 2', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['spectrum', 'fixed-points', 'info', 'sweep', 'merge']) expect(h.stdout).toContain(`  ${c}`);
    expect(h.stdout).toMatch(/Exit codes: 0 success; 1 .*; 2 bad command line/);
    expect((await cli(['--version'])).stdout).toBe(`${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version}\n`);
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
    const none = await cli([]);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toMatch(/^Usage: rnn-lyap/);
  });
  it('every command has --help', async () => {
    for (const c of ['spectrum', 'fixed-points', 'info', 'sweep', 'merge']) {
      const r = await cli([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: rnn-lyap ${c} `));
      expect((await cli(['help', c])).stdout).toBe(r.stdout);
    }
  });
  it('bad command lines exit 2 with one line and no stack trace', async () => {
    for (const args of [['frobnicate'], ['spectrum'], ['spectrum', 'a', 'b'], ['spectrum', 'm.safetensors', '--k', 'two'], ['info', 'm', '--bogus'], ['sweep', 's.json']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(args[0] === 'frobnicate' ? /^rnn-lyap: [^\n]+\n$/ : new RegExp(`^rnn-lyap ${args[0]}: [^\\n]+\\n$`));
    }
  });
  it('a missing file exits 1 with one line', async () => {
    const r = await cli(['info', 'nope.safetensors']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: "rnn-lyap info: cannot read model 'nope.safetensors': no such file\n" });
  });
  it('a PyTorch pickle (.pt zip, or a raw pickle under any name) gets the one-line safetensors answer', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'model.pt'), new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    writeFileSync(join(dir, 'model.safetensors'), new Uint8Array([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20]));
    for (const f of ['model.pt', 'model.safetensors']) {
      const r = await cli(['spectrum', f], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`rnn-lyap spectrum: ${f} is a PyTorch pickle (torch.save), which rnn-lyap does not read; save the state dict as safetensors instead: from safetensors.torch import save_file; save_file(model.state_dict(), "model.safetensors"), or without the safetensors package: np.savez("model.npz", **{k: v.cpu().numpy() for k, v in model.state_dict().items()})\n`);
    }
  });
  it('a file that is no model, and inputs of the wrong size, are one-line errors', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'junk.bin2'), new Uint8Array(64).fill(7));
    expect((await cli(['info', 'junk.bin2'], { cwd: dir })).stderr).toMatch(/^rnn-lyap info: junk\.bin2: not a model file rnn-lyap reads.*\n$/);
    const wrong = await cli(['spectrum', join(fixtures, 'rnn_f32.safetensors'), '--inputs', join(fixtures, 'f4_le.npy')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/inputs must be \[B,T,I\] or \[T,I\] with I = 4 \(the model's input size\), got \[3,2\]\n$/);
  });
  it('splits file.npz:name only after an .npz', () => {
    expect(splitArrayRef('a/b.npz:x')).toEqual({ file: 'a/b.npz', name: 'x' });
    expect(splitArrayRef('C:\\data\\x.npy')).toEqual({ file: 'C:\\data\\x.npy' });
    expect(splitArrayRef('b.npz')).toEqual({ file: 'b.npz' });
  });
});

describe('rnn-lyap info', () => {
  it('reads the PyTorch-written safetensors fixture: sizes, count, dtypes, tensors', async () => {
    const r = await cli(['info', join(fixtures, 'rnn_f64.safetensors'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ cell: 'rnn', inputSize: 4, hiddenSize: 8, outputSize: 3, stateDimension: 8, dtypes: ['F64'] });
    expect(j.parameters).toBe(8 * 4 + 8 * 8 + 8 + 3 * 8 + 3); // PyTorch's two biases are one here
    expect(j.tensors['rnn.weight_hh_l0']).toEqual({ dtype: 'F64', shape: [8, 8] });
  });
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`spectral radius of gain × orthogonal recurrent blocks is the gain (${cell})`, async () => {
      const dir = tempDir();
      const rnn = initRnn({ inputSize: 3, hiddenSize: 6, outputSize: 2, cell, init: 'orthogonal', gain: 1.25, seed: 4 });
      const file = saveSafetensors(dir, 'm.safetensors', rnn);
      const j = JSON.parse((await cli(['info', file, '--json'])).stdout);
      const G = { rnn: 1, gru: 3, lstm: 4 }[cell];
      expect(j.cell).toBe(cell);
      expect(j.stateDimension).toBe(cell === 'lstm' ? 12 : 6);
      expect(j.parameters).toBe(G * 6 * 3 + G * 6 * 6 + (cell === 'rnn' ? 6 : 2 * G * 6) + 2 * 6 + 2);
      const radii = Object.values(j.spectralRadius) as number[];
      expect(radii).toHaveLength(G);
      // float32 weights: |λ| of a float32-rounded orthogonal matrix is 1 to ~H·ε32
      for (const r of radii) expect(Math.abs(r - 1.25)).toBeLessThan(1.25 * 6 * 2 ** -23 * 8);
      const text = (await cli(['info', file])).stdout;
      expect(text).toMatch(new RegExp(`cell +${cell}`));
      expect(text).toMatch(/spectral radius +.*1\.250/);
    });
  }
});

describe('rnn-lyap spectrum prints what lyapunovSpectrum computes', () => {
  const seen = new Set<boolean>();
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`${cell}: --json equals the library call on the same network and inputs, bit for bit`, async () => {
      const dir = tempDir();
      const rnn = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 2, cell, gain: 1.5, seed: 2 });
      const file = saveSafetensors(dir, 'm.safetensors', rnn);
      const x = randn([3, 40, 3], { seed: 5 });
      saveNpy(dir, 'x.npy', x);
      const r = await cli(['spectrum', 'm.safetensors', '--inputs', 'x.npy', '--k', '4', '--warmup', '5', '--frame-warmup', '5', '--seed', '3', '--json'], { cwd: dir });
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      const back = fromTorchStateDict(safetensorsToTensors(readSafetensors(readFileSync(file))));
      const want = lyapunovSpectrum(back, { inputs: x, k: 4, warmup: 5, frameWarmup: 5, seed: 3 });
      expect(j.exponents).toEqual(Array.from(want.exponents));
      expect(j.stderr).toEqual(Array.from(want.stderr));
      expect(j.std).toEqual(Array.from(want.std));
      expect(j.kaplanYorkeDimension).toBe(want.kaplanYorkeDimension);
      expect(j.entropy).toBe(want.entropy);
      expect(j).toMatchObject({ steps: 30, sequences: 3, warmup: 5, frameWarmup: 5, autonomous: false, cell, dim: cell === 'lstm' ? 10 : 5, k: 4 });
      // the table shows the same numbers
      const t = await cli(['spectrum', 'm.safetensors', '--inputs', 'x.npy', '--k', '4', '--warmup', '5', '--frame-warmup', '5', '--seed', '3'], { cwd: dir });
      expect(t.stdout).toContain(`3 sequences of 40 steps`);
      expect(t.stdout).toMatch(/Kaplan–Yorke dimension/);
      const firstRow = t.stdout.split('\n').find((l) => /^ {3}1 /.test(l))!;
      expect(Number(firstRow.trim().split(/\s+/)[1])).toBeCloseTo(want.exponents[0], 5);
      // the alignment diagnostic: in the JSON, and said in the text when it exceeds the stderr
      expect(j.alignmentError).toEqual(Array.from(want.alignmentError!));
      expect(j.misaligned).toBe(want.misaligned);
      expect(t.stdout.includes('note     near-degenerate exponents: the frame warm-up (5)')).toBe(want.misaligned);
      expect(/ align$/m.test(t.stdout)).toBe(want.misaligned);
      seen.add(want.misaligned === true);
    });
  }
  it('the three cells show both: a run flagged misaligned and one not (so both branches above are checked)', () => {
    expect([...seen].sort()).toEqual([false, true]);
  });
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`${cell}: the sum of all exponents is the mean log|det J| along the trajectory from h0 = 0 (an exact identity)`, async () => {
      const dir = tempDir();
      const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 1, cell, gain: 1.2, seed: 9 });
      saveSafetensors(dir, 'm.safetensors', rnn);
      const x = randn([2, 30, 2], { seed: 4 });
      saveNpy(dir, 'x.npy', x);
      const j = JSON.parse((await cli(['spectrum', 'm.safetensors', '--inputs', 'x.npy', '--frame-warmup', '3', '--json'], { cwd: dir })).stdout);
      const back = fromTorchStateDict(safetensorsToTensors(readSafetensors(readFileSync(join(dir, 'm.safetensors')))));
      let want = 0;
      for (let b = 0; b < 2; b++) {
        const sys = rnnSystem(back, { inputs: { shape: [1, 30, 2], data: x.data.subarray(b * 60, (b + 1) * 60) } });
        const n = sys.dim;
        let s = new Float64Array(n); // h0 = 0 (and c0 = 0)
        const J = new Float64Array(n * n);
        for (let t = 0; t < 30; t++) {
          sys.jacobian(s, t, J);
          if (t >= 3) want += logAbsDet(J, n) / 27 / 2;
          const next = new Float64Array(n);
          sys.step(s, t, next);
          s = next;
        }
      }
      const sum = j.exponents.reduce((a: number, v: number) => a + v, 0);
      // the CLI runs the default re-orthonormalisation interval (a QR at most every 16 steps while the
      // frame's condition stays under 1e8), which amplifies float64 rounding by up to that condition:
      // the identity then holds to about 1e8·ε ≈ 2e-8, not to ε
      expect(Math.abs(sum - want)).toBeLessThan(8 * 1e8 * 2 ** -52 * (1 + Math.abs(want))); // 8 × condition bound × ε
    });
  }
  it('autonomous without --inputs, and says so; a saveRnn JSON model; --input constant', async () => {
    const dir = tempDir();
    const rnn = initRnn({ inputSize: 2, hiddenSize: 6, outputSize: 2, gain: 2, seed: 1 }) as Rnn;
    writeFileSync(join(dir, 'm.json'), saveRnn(rnn));
    const r = await cli(['spectrum', 'm.json', '--steps', '500', '--warmup', '50', '--json', '--input', '0.1,-0.2'], { cwd: dir });
    const want = lyapunovSpectrum(loadRnn(saveRnn(rnn)), { steps: 500, warmup: 50, seed: 0, input: [0.1, -0.2] });
    const j = JSON.parse(r.stdout);
    expect(j.exponents).toEqual(Array.from(want.exponents));
    expect(j.autonomous).toBe(true);
    expect(j.std).toEqual(new Array(6).fill('NaN')); // undefined for one run: NaN, spelled out
    const t = await cli(['spectrum', 'm.json', '--steps', '500'], { cwd: dir });
    expect(t.stdout).toMatch(/inputs +none: autonomous run \(constant input zero\), from the seeded random start/);
  });
  it('reads --inputs from an .npz written by NumPy, with :name, and refuses an ambiguous archive', async () => {
    const m = join(fixtures, 'rnn_f32.safetensors');
    const viaNpz = await cli(['spectrum', m, '--inputs', `${join(fixtures, 'npz_deflate.npz')}:inputs`, '--frame-warmup', '1', '--json']);
    const viaNpy = await cli(['spectrum', m, '--inputs', join(fixtures, 'input_3d.npy'), '--frame-warmup', '1', '--json']);
    expect(viaNpz.code).toBe(0);
    expect(viaNpz.stdout).toBe(viaNpy.stdout);
    const amb = await cli(['spectrum', m, '--inputs', join(fixtures, 'npz_deflate.npz')]);
    expect(amb.code).toBe(2);
    expect(amb.stderr).toMatch(/holds 3 arrays \(inputs, b1, zeros\); pick one with .*npz_deflate\.npz:NAME/);
    const none = await cli(['spectrum', m, '--inputs', `${join(fixtures, 'npz_deflate.npz')}:nope`]);
    expect(none.stderr).toMatch(/has no array 'nope' \(it holds inputs, b1, zeros\)/);
  });
  it('draws a progress bar on stderr only when it is a terminal', async () => {
    const m = join(fixtures, 'rnn_f32.safetensors');
    const quiet = await cli(['spectrum', m, '--steps', '20000', '--json']);
    expect(quiet.stderr).toBe('');
    const tty = await cli(['spectrum', m, '--steps', '20000', '--json'], { tty: true });
    expect(tty.stdout).toBe(quiet.stdout);
    expect(tty.stderr).toMatch(/\rspectrum \[[#.]+\] +\d+% /);
  });
});

describe('rnn-lyap fixed-points', () => {
  it('h = tanh(2h) per unit: 9 fixed points, 4 stable, 4 saddle, 1 unstable', async () => {
    const dir = tempDir();
    const rnn = initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 1, seed: 0 }) as Rnn;
    rnn.params.wRec.data.set([2, 0, 0, 2]);
    rnn.params.b.data.fill(0);
    writeFileSync(join(dir, 'm.json'), saveRnn(rnn));
    const r = await cli(['fixed-points', 'm.json', '--json', '--starts', '400', '--noise', '0.5'], { cwd: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.count, j.stable, j.saddle, j.unstable, j.outliers]).toEqual([9, 4, 4, 1, 0]);
    // the nonzero root of h = tanh(2h), and |λ| = 2·sech²(2h*) there, 2 at the origin
    let h = 1;
    for (let i = 0; i < 60; i++) h = Math.tanh(2 * h);
    for (const p of j.points) {
      for (const v of p.x) expect(Math.min(Math.abs(v), Math.abs(Math.abs(v) - h))).toBeLessThan(1e-6);
      expect(p.residual).toBeLessThan(1e-5);
    }
    const origin = j.points.find((p: { stability: string }) => p.stability === 'unstable');
    expect(origin.spectralRadius).toBeCloseTo(2, 6);
    const stable = j.points.find((p: { stability: string }) => p.stability === 'stable');
    expect(stable.spectralRadius).toBeCloseTo(2 / Math.cosh(2 * h) ** 2, 6);
    const t = await cli(['fixed-points', 'm.json', '--starts', '400', '--noise', '0.5'], { cwd: dir });
    expect(t.stdout).toMatch(/found +9 fixed points: 4 stable, 4 saddle, 1 unstable/);
  });
  it('tolerances in units of the states\' scale: --scale, reported in the JSON and the text', async () => {
    const dir = tempDir();
    // relu, h = relu(0.5h + 1e-6): one stable fixed point at 2e-6 per unit, states far below 2^-8
    const rnn = initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 1, activation: 'relu', seed: 0 }) as Rnn;
    rnn.params.wRec.data.set([0.5, 0, 0, 0.5]);
    rnn.params.b.data.fill(1e-6);
    writeFileSync(join(dir, 'm.json'), saveRnn(rnn));
    // driven by zeros from h0 = 0: the starts are states between 1e-6 and 2e-6
    saveNpy(dir, 'x.npy', tensor(new Float32Array(40), [1, 40, 1]));
    const r = await cli(['fixed-points', 'm.json', '--inputs', 'x.npy', '--json', '--starts', '32', '--noise', '0'], { cwd: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.scale).toBeLessThan(2 ** -8);
    expect(j.failures).toEqual([]);
    expect(j.count).toBe(1);
    for (const v of j.points[0].x) expect(Math.abs(v / 2e-6 - 1)).toBeLessThan(1e-5);
    const t = await cli(['fixed-points', 'm.json', '--inputs', 'x.npy', '--starts', '32', '--noise', '0'], { cwd: dir });
    expect(t.stdout).toMatch(/scale +tolerances in units of [0-9.e-]+ \(the states' scale, by default\)/);
    const one = JSON.parse((await cli(['fixed-points', 'm.json', '--inputs', 'x.npy', '--json', '--starts', '32', '--noise', '0', '--scale', '1'], { cwd: dir })).stdout);
    expect(one.scale).toBe(1);
    for (const bad of ['0', '-1', 'x']) {
      const e = await cli(['fixed-points', 'm.json', '--scale', bad], { cwd: dir });
      expect(e.code).not.toBe(0);
      expect(e.stderr).toMatch(/--scale (must be|needs)/);
    }
  });
  it('an LSTM: starts from the driven [h; c] states', async () => {
    const dir = tempDir();
    const rnn = initRnn({ inputSize: 2, hiddenSize: 4, outputSize: 1, cell: 'lstm', seed: 3 });
    saveSafetensors(dir, 'm.safetensors', rnn);
    saveNpy(dir, 'x.npy', randn([2, 20, 2], { seed: 1 }));
    const r = await cli(['fixed-points', 'm.safetensors', '--inputs', 'x.npy', '--json', '--starts', '16'], { cwd: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.dim).toBe(8);
    expect(j.count).toBeGreaterThan(0);
    for (const p of j.points) expect(p.x).toHaveLength(8);
  });
});

describe('fromTorchStateDict / loadRnn { cell }', () => {
  it('narrow to the expected cell, or refuse another', () => {
    const lstm = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 1, cell: 'lstm', seed: 1 });
    const vanilla = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 1 });
    const dict = JSON.parse(JSON.stringify(toTorchStateDict(lstm)));
    expect(fromTorchStateDict(dict, { cell: 'lstm' }).params.wRec.shape).toEqual([12, 3]);
    expect(fromTorchStateDict(JSON.parse(JSON.stringify(toTorchStateDict(vanilla))), { cell: 'rnn' }).params.b.shape).toEqual([3]);
    expect(() => fromTorchStateDict(dict, { cell: 'gru' })).toThrow(/^fromTorchStateDict: expected a state dict of cell 'gru', got 'lstm' \(weight_hh_l0 \[12,3\]\)/);
    expect(loadRnn(saveRnn(vanilla), { cell: 'rnn' }).params.b.shape).toEqual([3]);
    expect(loadRnn(saveRnn(lstm), { cell: 'lstm' }).params.bRec.shape).toEqual([12]);
    expect(() => loadRnn(saveRnn(lstm), { cell: 'rnn' })).toThrow(/^loadRnn: expected a saved RNN of cell 'rnn', got 'lstm'/);
    expect(() => loadRnn(saveRnn(lstm), { cell: 'cnn' as 'rnn' })).toThrow(RangeError);
  });
});
