import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, EXIT, parse, usageError, writeWhole, type CliIo, type Command } from '../common.js';
import { readJsonlFile } from '../jsonl.js';
import { liveLock } from '../lock.js';
import { checkSpec, configAt } from '../sweep-spec.js';

const HELP = `Usage: rnn-lyap merge A.jsonl B.jsonl ... --out all.jsonl [--spec SPEC.json] [--ignore-locks]

Joins the outputs of sweep shards: records are deduplicated (the same configuration with the same
content), ordered by their grid index, and written to --out. Configurations present twice with
different content are conflicts: they are listed and nothing is written (exit 1). A record that
differs from another only by null where the other has "NaN", "Infinity" or "-Infinity" is the same
record (an earlier version wrote every non-finite number as null): the spelled-out one is kept.
Missing configurations are listed (by key with --spec, else by grid index); the merged file is
still written and the exit code is 3. A torn last line in an input is ignored with a warning.

An input that a sweep is still writing (its lock, FILE.lock, is live: a process of this host that
runs, or any host's lock refreshed within 10 minutes) is refused (exit 1), naming that process:
wait for it to end, or pass --ignore-locks to merge what it holds now. --out is never the output of
a running sweep: merge would replace the file that sweep appends to.

Options:
  --out FILE     the merged JSON-lines file (required)
  --spec FILE    the sweep spec, to check the records against it and name missing configurations
  --ignore-locks merge inputs that running sweeps are still writing (a warning names each)
  -h, --help     this help`;

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/**
 * A record line as the CLI wrote it before it spelled out non-finite numbers: "NaN", "Infinity" and
 * "-Infinity" as null (finite numbers and everything else as they are), so a record of the old
 * spelling and the same record of the new one are duplicates, not a conflict.
 */
function legacy(text: string): string {
  return JSON.stringify(JSON.parse(text), (_k, v: unknown) => (typeof v === 'string' && NON_FINITE.has(v) ? null : v));
}

/**
 * Refuses inputs that running sweeps still write (their lock is live; with `ignore`: warns), and an
 * --out that a running sweep writes (always: the merge would replace the file it appends to).
 */
function checkLocks(inputs: string[], out: string, ignore: boolean, io: CliIo): void {
  const outLock = liveLock(resolve(io.cwd, out), out, io.env);
  if (outLock !== undefined) {
    throw new CliError(`--out ${out} is the output of a sweep still running (${outLock.who}): the merge would replace the file it appends to. Write the merged file elsewhere (if that process no longer runs, remove its lock: rm '${outLock.lockShown}')`);
  }
  for (const p of inputs) {
    const held = liveLock(resolve(io.cwd, p), p, io.env);
    if (held === undefined) continue;
    if (ignore) {
      io.stderr(`rnn-lyap merge: warning: ${p} is still being written by ${held.who}: merging the lines it holds now (--ignore-locks); its other configurations are still being computed\n`);
      continue;
    }
    throw new CliError(`${p} is still being written by ${held.who}: the configurations it lacks are still being computed. Wait for that sweep to end, or pass --ignore-locks to merge what it holds now; if that process no longer runs (killed, or its machine is gone), remove its lock: rm '${held.lockShown}'`);
  }
}

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'join sweep shards: dedup, order by the grid, report missing or conflicting configurations',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse('merge', args, { out: { type: 'string', short: 'o' }, spec: { type: 'string' }, 'ignore-locks': { type: 'boolean' } });
    if (values.help) {
      io.stdout(HELP + '\n');
      return 0;
    }
    if (positionals.length === 0) throw usageError('merge: expected at least one results file (see rnn-lyap merge --help)');
    if (values.out === undefined) throw usageError('merge: --out FILE is required (see rnn-lyap merge --help)');
    let spec: ReturnType<typeof checkSpec> | undefined;
    if (values.spec !== undefined) {
      try {
        spec = checkSpec(JSON.parse(readFileSync(resolve(io.cwd, values.spec), 'utf8')));
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError(`cannot read spec '${values.spec}': ${(err as Error).message.split('\n')[0]}`);
      }
    }
    checkLocks(positionals, values.out, values['ignore-locks'] === true, io);
    const byIndex = new Map<number, { text: string; key: string; from: string }>();
    const conflicts: string[] = [];
    let hash = spec?.hash, total: number | undefined, duplicates = 0;
    for (const p of positionals) {
      const file = readJsonlFile(resolve(io.cwd, p), p);
      if (file.tornBytes > 0) io.stderr(`rnn-lyap: ${p}: ignoring a torn last line (${file.tornBytes} bytes)\n`);
      for (const { text, record } of file.lines) {
        hash ??= record.spec;
        total ??= record.total;
        if (record.spec !== hash) throw new CliError(`${p}: record '${record.key}' belongs to another spec (hash ${record.spec}, expected ${hash})`);
        if (record.total !== total) throw new CliError(`${p}: record '${record.key}' says the grid has ${record.total} configurations, others say ${total}`);
        if (record.index < 0 || record.index >= total) throw new CliError(`${p}: record '${record.key}' has index ${record.index} outside the grid of ${total}`);
        if (spec !== undefined && configAt(spec, record.index).key !== record.key) throw new CliError(`${p}: record '${record.key}' has index ${record.index}, which the spec calls '${configAt(spec, record.index).key}'`);
        const prev = byIndex.get(record.index);
        if (prev === undefined) byIndex.set(record.index, { text, key: record.key, from: p });
        else if (prev.text === text) duplicates++;
        else if (legacy(prev.text) === legacy(text)) {
          // the same record, one written before non-finite numbers were spelled out: keep the spelled-out one
          duplicates++;
          if (legacy(text) !== text) byIndex.set(record.index, { text, key: record.key, from: p });
        } else conflicts.push(`'${record.key}' (index ${record.index}) differs between ${prev.from} and ${p}`);
      }
    }
    if (conflicts.length > 0) {
      throw new CliError(`merge: ${conflicts.length} conflicting configuration${conflicts.length === 1 ? '' : 's'}, nothing written: ${conflicts.slice(0, 5).join('; ')}${conflicts.length > 5 ? '; …' : ''}`);
    }
    if (spec !== undefined) total ??= spec.grid.reduce((n, [, l]) => n * l.length, 1);
    total ??= 0;
    const order = [...byIndex.keys()].sort((a, b) => a - b);
    writeWhole(resolve(io.cwd, values.out), values.out, order.map((i) => byIndex.get(i)!.text + '\n').join(''));
    const missing: string[] = [];
    for (let i = 0; i < total; i++) if (!byIndex.has(i)) missing.push(spec !== undefined ? configAt(spec, i).key : `#${i}`);
    io.stderr(`rnn-lyap merge: ${order.length} of ${total} configurations written to ${values.out}${duplicates ? ` (${duplicates} duplicate line${duplicates === 1 ? '' : 's'} dropped)` : ''}\n`);
    if (total === 0 && spec === undefined) {
      // no record anywhere and no spec: the grid is unknown, so nothing says the merge is complete
      io.stderr(`rnn-lyap merge: the inputs hold no records, so the grid's size is unknown: every configuration may be missing (pass --spec SPEC.json to name them)\n`);
      return EXIT.incomplete;
    }
    if (missing.length > 0) {
      io.stderr(`rnn-lyap merge: ${missing.length} missing: ${missing.slice(0, 20).join(' ')}${missing.length > 20 ? ' …' : ''}\n`);
      return EXIT.incomplete;
    }
    return EXIT.ok;
  },
};
