// Runs fuzz cases in worker threads with a watchdog: a case that does not finish within the time
// bound is a hang (the worker is terminated and replaced), a worker that dies is an engine error.
import { Worker } from 'node:worker_threads';
import type { Outcome } from './classify.js';

export const TIME_BOUND_MS = 1500;
const workerUrl = new URL('./worker.ts', import.meta.url);

function spawn(): Worker {
  // tsx's loader, registered inside the worker, so it runs the TypeScript sources as they are
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(boot, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: 512 },
    stdout: true,
    stderr: true,
  });
}

/** Runs the cases on `parallel` workers; resolves with one outcome per id, in order. */
export async function runCases(ids: string[], parallel = 2, timeBoundMs = TIME_BOUND_MS): Promise<Outcome[]> {
  const results = new Map<string, Outcome>();
  let next = 0;
  const ready = async (): Promise<Worker> => {
    const w = spawn();
    w.stdout.resume();
    w.stderr.resume();
    await new Promise<void>((resolve, reject) => {
      w.once('message', (m) => (m.ready ? resolve() : reject(new Error('worker did not start'))));
      w.once('error', reject);
    });
    return w;
  };
  const lane = async (): Promise<void> => {
    // a started spare per lane, so that replacing a hung worker costs no start-up time
    let spare = ready();
    while (next < ids.length) {
      const w = await spare;
      spare = ready();
      // feed this worker until it hangs or dies
      const alive = await new Promise<boolean>((resolve) => {
        let current = '';
        let timer: NodeJS.Timeout | undefined;
        const feed = (): void => {
          if (next >= ids.length) { clearTimeout(timer); resolve(true); return; }
          current = ids[next++];
          timer = setTimeout(() => {
            results.set(current, { id: current, problem: 'hang', detail: `no result within ${timeBoundMs} ms` });
            resolve(false);
          }, timeBoundMs);
          w.postMessage([current]);
        };
        w.on('message', (m) => {
          if (m.done) { clearTimeout(timer); results.set(m.done.id, m.done); feed(); }
        });
        w.on('error', (e) => { clearTimeout(timer); results.set(current, { id: current, problem: 'engine error', detail: `worker died: ${String(e).slice(0, 200)}` }); resolve(false); });
        w.on('exit', () => { clearTimeout(timer); if (!results.has(current)) { results.set(current, { id: current, problem: 'engine error', detail: 'worker exited' }); } resolve(false); });
        feed();
      });
      w.removeAllListeners();
      await w.terminate();
      if (alive) break;
    }
    await (await spare).terminate();
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, lane));
  return ids.map((id) => results.get(id)!);
}
