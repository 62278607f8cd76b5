import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { initRnn, lyapunovDuringTraining, train, type AnyRnn, type Tensor } from '../../src/index.js';
import { checkAppendable, CliError, EXIT, libMessage, parse, progressBar, toJson, usageError, type CliIo, type Command } from '../common.js';
import { readJsonl } from '../jsonl.js';
import { lockOutput } from '../lock.js';
import { makeSweepData, sweepScores, type SweepData } from '../sweep-data.js';
import { checkSpec, configAt, gridSize, resolveShard, type Config, type SweepSpec } from '../sweep-spec.js';

const HELP = `Usage: rnn-lyap sweep SPEC.json --out results.jsonl [--shard i/n | --shards n] [--quiet]

Runs a grid of training configurations (the cartesian product of the spec's "grid" lists) on one of
the synthetic tasks (flip-flop, delayed-recall) or on sequential MNIST from IDX files: for each configuration it trains the network, records
the Lyapunov spectrum on held-out sequences before training and after every epoch, and the final loss
and accuracy, and appends one JSON line to the output. The records are deterministic (no wall times),
so shards merged with 'rnn-lyap merge' equal an unsharded run byte for byte.

Records: each epochs[] entry has the training loss (loss; null before training) and the held-out
scores (valLoss, accuracy, r2) and spectrum. final repeats the last epoch's held-out results:
final.loss is the HELD-OUT loss (that epoch's valLoss), not the training loss. Numbers JSON cannot
write are the strings "NaN", "Infinity" and "-Infinity" (e.g. the exponent of a dead ReLU unit);
null is a field without a value.

Resumable: configurations already in the output are skipped; a torn last line (an interrupted write)
is dropped and that configuration is run again. A configuration whose training fails is reported,
not written, and the others go on (exit 1 at the end); a resume runs it again.

One process per output: a lock file beside it (FILE.lock: host and process id) refuses a second
sweep on the same --out; it is removed at the end, also on SIGINT, SIGTERM and SIGHUP. A lock of a
process of this host that no longer runs, or of any host left unrefreshed for 10 minutes (a
running sweep refreshes it every 30 s), is taken over (by one process, when several try at once);
to go on sooner after another machine's sweep is gone, remove it (rm FILE.lock). A sweep stopped
for longer than that (kill -STOP, a suspended machine) whose lock was taken over stops before its
next append (exit 1, naming the new holder) and writes nothing more.

Sharding: --shard i/n runs the configurations whose grid index j has j mod n = i (0 <= i < n).
Without --shard, a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN)
or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the count from --shards n or RNN_LYAP_SHARDS)
picks the shard. '{shard}' in --out is replaced by the shard index.

Options:
  --out FILE     the JSON-lines output (appended to; required)
  --shard i/n    run shard i of n
  --shards n     the shard count for a scheduler's index variable
  --quiet        no per-configuration lines on stderr
  -h, --help     this help
See docs/sweeps.md for the spec format.`;

/** Trains one configuration and returns its record (everything deterministic; no timings). */
async function runConfig(spec: SweepSpec, index: number, total: number, trainData: SweepData, test: SweepData, onBatch: (done: number, all: number) => void): Promise<string> {
  const { config, key } = configAt(spec, index);
  const [, , I] = trainData.x.shape;
  const O = trainData.outputSize;
  const rnn: AnyRnn = initRnn({
    inputSize: I, hiddenSize: config.hiddenSize, outputSize: O, cell: config.cell,
    activation: config.cell === 'rnn' ? config.activation : undefined, init: config.init, gain: config.gain, seed: config.seed,
  });
  const measure = lyapunovDuringTraining({ inputs: test.x, seed: config.seed, ...spec.spectrum });
  const epochs: Record<string, unknown>[] = [];
  const summarize = (epoch: number, loss: number | null, r: AnyRnn) => {
    const ly = measure({ epoch }, r)!.lyapunov;
    const s = sweepScores(r, test, spec.task);
    epochs.push({
      epoch, loss, valLoss: s.valLoss, accuracy: s.accuracy, r2: s.r2,
      exponents: ly.exponents, std: ly.std, kaplanYorkeDimension: ly.kaplanYorkeDimension, entropy: ly.entropy, stationary: ly.stationary,
    });
  };
  summarize(0, null, rnn);
  if (config.epochs > 0) {
    const data = trainData.labels !== undefined ? { x: trainData.x, labels: trainData.labels } : { x: trainData.x, targets: trainData.targets as Tensor };
    await train(rnn, data, {
      epochs: config.epochs, batchSize: config.batchSize, optimizer: config.optimizer, learningRate: config.learningRate,
      clipNorm: config.clipNorm ?? undefined, seed: config.seed,
      onEpoch: (record, r) => {
        summarize(record.epoch, record.loss, r);
      },
      onProgress: (p) => onBatch(p.done, p.total),
    });
  }
  const last = epochs[epochs.length - 1];
  const record = {
    key, index, total, spec: spec.hash, task: spec.task, config,
    final: { epoch: last.epoch, loss: last.valLoss, accuracy: last.accuracy, r2: last.r2, exponents: last.exponents, kaplanYorkeDimension: last.kaplanYorkeDimension },
    epochs,
  };
  return toJson(record);
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'train a grid of configurations, spectra every epoch (resumable, shardable)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse('sweep', args, {
      out: { type: 'string', short: 'o' }, shard: { type: 'string' }, shards: { type: 'string' }, quiet: { type: 'boolean', short: 'q' },
    });
    if (values.help) {
      io.stdout(HELP + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw usageError(`sweep: expected one SPEC.json, got ${positionals.length} (see rnn-lyap sweep --help)`);
    if (values.out === undefined) throw usageError('sweep: --out FILE is required (see rnn-lyap sweep --help)');
    const specPath = positionals[0];
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(resolve(io.cwd, specPath), 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(`cannot read spec '${specPath}': ${code === 'ENOENT' ? 'no such file' : (err as Error).message.split('\n')[0]}`);
    }
    const spec = checkSpec(doc);
    const shard = resolveShard(values.shard, values.shards, io.env);
    const out = resolve(io.cwd, values.out.replaceAll('{shard}', String(shard.index)));
    const total = gridSize(spec);
    const shown = values.out.replaceAll('{shard}', String(shard.index));
    // taken before anything is read or written: a second process on the same --out stops here
    const lock = lockOutput(out, shown, io);
    try {
      checkAppendable(out, shown);
      return await runSweep(spec, specPath, shard, out, total, { out: values.out, quiet: values.quiet === true, beat: lock.beat, check: lock.check }, io);
    } finally {
      lock.release();
    }
  },
};

/** The sweep proper, once --out is locked: resume, run the shard's remaining configurations, append. */
async function runSweep(spec: SweepSpec, specPath: string, shard: ReturnType<typeof resolveShard>, out: string, total: number, values: { out: string; quiet: boolean; beat: () => void; check: () => void }, io: CliIo): Promise<number> {
  const done = new Set<string>();
  if (existsSync(out)) {
    const file = readJsonl(values.out, new Uint8Array(readFileSync(out)));
    for (const { record } of file.lines) {
      if (record.spec !== spec.hash) {
        throw new CliError(`${values.out} holds results of another spec (hash ${record.spec}, this spec is ${spec.hash}): write to a new --out`);
      }
      done.add(record.key);
    }
    if (file.tornBytes > 0) {
      truncateSync(out, file.completeBytes);
      io.stderr(`rnn-lyap: ${values.out}: dropped a torn last line (${file.tornBytes} bytes, an interrupted write); its configuration runs again\n`);
    }
  }
  const mine: number[] = [];
  for (let j = shard.index; j < total; j += shard.count) mine.push(j);
  const todo = mine.filter((j) => !done.has(configAt(spec, j).key));
  if (!values.quiet) {
    io.stderr(`rnn-lyap sweep: ${total} configurations; shard ${shard.index}/${shard.count} (${shard.from}) has ${mine.length}, ${mine.length - todo.length} already in ${values.out}, ${todo.length} to run\n`);
  }
  const specDir = dirname(resolve(io.cwd, specPath));
  const trainData = makeSweepData(spec, 'train', specDir);
  const test = makeSweepData(spec, 'test', specDir);
  const bar = progressBar(io, 'sweep');
  let n = 0;
  // a configuration that fails (a training that diverges) fails the same way on every run: the
  // others still run, and the failures are listed at the end (exit 1)
  const failed: string[] = [];
  for (const j of todo) {
    n++;
    const key = configAt(spec, j).key;
    let line: string;
    try {
      line = await runConfig(spec, j, total, trainData, test, (d, all) => {
        values.beat();
        bar.update(d, all, `${n}/${todo.length} ${key}`);
      });
    } catch (err) {
      bar.end();
      if (err instanceof CliError) throw err;
      const why = `configuration ${j} (${key}): ${libMessage(err)}`;
      failed.push(why);
      io.stderr(`rnn-lyap sweep: [${n}/${todo.length}] ${why}; not written, the other configurations go on\n`);
      continue;
    }
    bar.end();
    // still this sweep's --out? A sweep stopped (SIGSTOP, a suspended machine) past the lock's
    // staleness has had its lock taken over by another, which resumed from what this one had
    // written: this one stops (a CliError naming that one) instead of appending what it also runs
    values.check();
    appendFileSync(out, line + '\n');
    values.beat();
    if (!values.quiet) {
      // non-finite numbers are the strings "NaN", "Infinity", "-Infinity" in the record (a diverged training's loss): printed as such
      const rec = JSON.parse(line) as { final: { loss: number | string; accuracy: number | string | null; exponents: (number | string)[] } };
      const num = (x: number | string | undefined): string => (typeof x === 'number' ? x.toPrecision(4) : String(x));
      const acc = rec.final.accuracy === null ? '' : ` accuracy ${typeof rec.final.accuracy === 'number' ? rec.final.accuracy.toFixed(4) : rec.final.accuracy}`;
      io.stderr(`[${n}/${todo.length}] #${j} ${key}: val loss ${num(rec.final.loss)}${acc} λ1 ${num(rec.final.exponents[0])}\n`);
    }
  }
  if (failed.length > 0) {
    throw new CliError(`${failed.length} of ${todo.length} configuration${todo.length === 1 ? '' : 's'} failed and ${failed.length === 1 ? 'is' : 'are'} not in ${values.out} (a rerun fails the same way: change the spec, e.g. a smaller learningRate or a clipNorm): ${failed.slice(0, 3).join('; ')}${failed.length > 3 ? '; …' : ''}`);
  }
  return EXIT.ok;
}

export type { Config, Tensor };
