// Runs the CLI in-process (cli/run.ts) with captured output, in a temporary working directory.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../cli/run.js';
import { toTorchStateDict, writeNpy, writeSafetensors, type AnyRnn, type Tensor } from '../../src/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh temporary directory. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'rnn-lyap-cli-'));

/** Runs `rnn-lyap ...args` in `cwd` with the given environment (nothing from the real one). */
export async function cli(args: string[], opts: { cwd?: string; env?: Record<string, string>; tty?: boolean } = {}): Promise<CliResult> {
  let stdout = '', stderr = '';
  const code = await run(args, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stderrIsTTY: opts.tty ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    columns: 80,
  });
  return { code, stdout, stderr };
}

/** Saves a network as a PyTorch-style safetensors file (rnn.* and fc.* names, F32). */
export function saveSafetensors(dir: string, name: string, rnn: AnyRnn): string {
  const dict = toTorchStateDict(rnn, { format: 'tensor' }) as Record<string, Tensor>;
  writeFileSync(join(dir, name), writeSafetensors(dict));
  return join(dir, name);
}

/** Saves a float32 array as .npy. */
export function saveNpy(dir: string, name: string, t: Tensor): string {
  writeFileSync(join(dir, name), writeNpy({ shape: t.shape, data: t.data }));
  return join(dir, name);
}
