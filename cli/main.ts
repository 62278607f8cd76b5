#!/usr/bin/env node
// The `rnn-lyap` executable (package.json "bin" → dist/cli.js, built from this file by tsup).
import { setFlagsFromString } from 'node:v8';
import { run } from './run.js';

// Node 20 has WebAssembly relaxed SIMD only behind a V8 flag; with it the training kernel runs its
// fused multiply-add build ('wasm-f32-fma', about 1.5x faster on an FMA CPU). The kernels compile on
// first use, after this line. RNN_LYAP_NO_RELAXED_SIMD=1 keeps the multiply-then-add build, whose
// bits are the same on every engine.
if (process.env.RNN_LYAP_NO_RELAXED_SIMD === undefined) setFlagsFromString('--experimental-wasm-relaxed-simd');

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
