// The `rnn-lyap` bin of the packed package: installed into a fresh project, it runs through npx
// (node_modules/.bin) with plain Node, reads a PyTorch-written safetensors file and a NumPy array.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumerProject, packTarball, root } from './helpers.js';

describe('the rnn-lyap command from the packed tarball', () => {
  it('is installed as a bin and runs info, spectrum and the .pt answer', () => {
    if (!existsSync(join(root, 'dist', 'cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
    const dir = consumerProject(packTarball());
    const bin = join(dir, 'node_modules', '.bin', 'rnn-lyap');
    expect(existsSync(bin)).toBe(true);
    for (const f of ['rnn_f32.safetensors', 'input_3d.npy']) copyFileSync(join(root, 'test', 'fixtures', 'io', f), join(dir, f));
    const run = (...args: string[]) => spawnSync(bin, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const v = run('--version');
    expect([v.status, v.stdout.trim()]).toEqual([0, JSON.parse(execFileSync('npm', ['pkg', 'get', 'version'], { cwd: root, encoding: 'utf8' }))]);
    const info = run('info', 'rnn_f32.safetensors');
    expect(info.status).toBe(0);
    expect(info.stdout).toMatch(/sizes +input 4, hidden 8, output 3/);
    const s = run('spectrum', 'rnn_f32.safetensors', '--inputs', 'input_3d.npy', '--frame-warmup', '1', '--json');
    expect(s.status).toBe(0);
    expect(JSON.parse(s.stdout).exponents).toHaveLength(8);
    writeFileSync(join(dir, 'model.pt'), new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    const pt = run('info', 'model.pt');
    expect(pt.status).toBe(1);
    expect(pt.stderr).toMatch(/^rnn-lyap info: model\.pt is a PyTorch pickle .*save_file\(model\.state_dict\(\), "model\.safetensors"\), or without the safetensors package: np\.savez\(.*\)\n$/);
    // the pure-Python safetensors writer docs/pytorch.md points to ships with the package
    expect(existsSync(join(dir, 'node_modules', 'rnn-lyap', 'examples', 'pytorch', 'save_safetensors.py'))).toBe(true);
    const missing = run('info', 'nope.safetensors');
    expect([missing.status, missing.stderr]).toEqual([1, "rnn-lyap info: cannot read model 'nope.safetensors': no such file\n"]);
  }, 180_000);
});
