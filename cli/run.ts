/**
 * `rnn-lyap`: the command line. `run(argv, io)` does everything and returns the exit code, so tests
 * run it in-process; main.ts binds it to the process.
 */
import { readFileSync } from 'node:fs';
import { CliError, cliMessage, EXIT, type CliIo, type Command } from './common.js';
import { fixedPointsCommand } from './commands/fixed-points.js';
import { infoCommand } from './commands/info.js';
import { mergeCommand } from './commands/merge.js';
import { spectrumCommand } from './commands/spectrum.js';
import { sweepCommand } from './commands/sweep.js';

export type { CliIo } from './common.js';
export { EXIT } from './common.js';

const COMMANDS: Command[] = [spectrumCommand, fixedPointsCommand, infoCommand, sweepCommand, mergeCommand];

/** The package version (package.json is one folder up from both cli/ and dist/). */
export function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function topHelp(): string {
  return `Usage: rnn-lyap <command> [options]

Recurrent networks as dynamical systems, from the files a PyTorch user has.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(13)}${c.summary}`).join('\n')}

Run 'rnn-lyap <command> --help' for a command's options. Models: a PyTorch state dict of nn.RNN /
nn.GRU / nn.LSTM + nn.Linear as .safetensors, an np.savez(**state_dict) .npz or JSON, or saveRnn
JSON (a torch.save .pt is a pickle: not read). Inputs: .npy or .npz[:name], batch first [B,T,I];
--time-first for [T,B,I]. Guides: docs/pytorch.md, docs/sweeps.md.

Options:
  -h, --help     this help
  -v, --version  the version

Exit codes: 0 success; 1 a file could not be read or a computation failed; 2 bad command line;
3 merge found configurations missing (the merged file is still written).`;
}

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = [...argv];
  const name = args[0];
  try {
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      if (name === 'help' && args[1] !== undefined) return await run([args[1], '--help'], io);
      (name === undefined ? io.stderr : io.stdout)(topHelp() + '\n');
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '-v' || name === '--version') {
      io.stdout(`${version()}\n`);
      return EXIT.ok;
    }
    const cmd = COMMANDS.find((c) => c.name === name);
    if (cmd === undefined) {
      throw new CliError(`unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see rnn-lyap --help)`, EXIT.usage);
    }
    return await cmd.run(args.slice(1), io);
  } catch (err) {
    // within a command, the message starts with it: 'rnn-lyap spectrum: model.safetensors: …'
    const command = COMMANDS.some((c) => c.name === name) ? name : undefined;
    const lead = command === undefined ? 'rnn-lyap: ' : `rnn-lyap ${command}: `;
    const own = (msg: string): string => (command !== undefined && msg.startsWith(`${command}: `) ? msg.slice(command.length + 2) : msg);
    if (err instanceof CliError) {
      io.stderr(`${lead}${own(err.message)}\n`);
      return err.code;
    }
    // an unexpected failure: still one line, no stack (RNN_LYAP_DEBUG=1 prints it)
    io.stderr(`${command === undefined ? `rnn-lyap: ${name}: ` : lead}${own(cliMessage(err))}\n`);
    if (io.env.RNN_LYAP_DEBUG) io.stderr(`${(err as Error)?.stack ?? ''}\n`);
    return EXIT.error;
  }
}
