// The fuzz worker: imports the library from src (through tsx) and runs the cases it is sent, one
// message per case, so the parent's watchdog can time each one.
import { parentPort } from 'node:worker_threads';
import { CASE_BY_ID } from './cases.js';
import { runCase } from './classify.js';

const L = await import('../../src/index.js');
parentPort!.on('message', async (ids: string[]) => {
  for (const id of ids) {
    parentPort!.postMessage({ start: id });
    const c = CASE_BY_ID.get(id)!;
    const o = await runCase(L, c).catch((e: unknown) => ({ id, problem: 'engine error' as const, detail: `runner: ${String(e)}` }));
    parentPort!.postMessage({ done: o });
  }
  parentPort!.postMessage({ idle: true });
});
parentPort!.postMessage({ ready: true });
