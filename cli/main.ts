#!/usr/bin/env node
// The `rnn-lyap` executable (package.json "bin" → dist/cli.js, built from this file by tsup).
import { run } from './run.js';

run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  columns: process.stderr.columns,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rnn-lyap: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
