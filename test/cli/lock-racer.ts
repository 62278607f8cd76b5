// A racer for test/cli/lock-race.test.ts, run as its own process (node --import tsx lock-racer.ts DIR
// TRIALS SLOT_MS): it prints "ready", waits for a line with the start time (epoch ms) on stdin, then
// at start + t * SLOT_MS tries to take the lock of DIR/t.jsonl for each trial t. A lock it wins is
// held (never released while the racers run: a later winner is a second winner, not a successor)
// until stdin closes. It prints one JSON line per trial: { t, won, error? } and exits.
import { lockOutput, type OutputLock } from '../../cli/lock.js';
import type { CliIo } from '../../cli/common.js';
import { join } from 'node:path';

const [dir, trialsArg, slotArg] = process.argv.slice(2);
const trials = Number(trialsArg), slot = Number(slotArg);
const io = { stdout: () => {}, stderr: () => {}, stderrIsTTY: false, env: {}, cwd: dir, columns: 80 } as CliIo;
const held: OutputLock[] = [];
let input = '', started = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  input += d;
  const nl = input.indexOf('\n');
  if (nl < 0 || started) return;
  started = true;
  const start = Number(input.slice(0, nl));
  input = input.slice(nl + 1);
  const results: string[] = [];
  for (let t = 0; t < trials; t++) {
    while (Date.now() < start + t * slot) {
      // spin: the racers start each trial within microseconds of each other
    }
    try {
      held.push(lockOutput(join(dir, `${t}.jsonl`), `${t}.jsonl`, io));
      results.push(JSON.stringify({ t, won: true }));
    } catch (err) {
      results.push(JSON.stringify({ t, won: false, error: (err as Error).message }));
    }
  }
  process.stdout.write(results.join('\n') + '\n');
});
process.stdin.on('end', () => {
  for (const lock of held) lock.release();
});
process.stdout.write('ready\n');
