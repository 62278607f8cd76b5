import { lyapunovSpectrum, type LyapunovResult } from '../../src/index.js';
import { CliError, cliMessage, fmt, intOption, parse, progressBar, seedOption, toJson, usageError, vectorOption, type CliIo, type Command } from '../common.js';
import { activationLabel, asBatch, layoutNote, loadArray, loadModel, modelOptions, MODEL_FLAGS, MODEL_HELP, sizes, TIME_FIRST_HELP } from '../load.js';

const HELP = `Usage: rnn-lyap spectrum MODEL [--inputs X.npy|X.npz[:name]] [options]

The Lyapunov spectrum of a recurrent network (vanilla RNN, GRU or LSTM; an LSTM's state is [h; c]).
With --inputs the trajectory is driven by each input sequence from h0 = 0 and the spectrum is the
mean over sequences, with their spread (std) and the standard error of the mean. Without --inputs
the network runs autonomously (constant --input, default zeros) from a seeded random start.

MODEL        a PyTorch state dict (.safetensors, np.savez(**state_dict) .npz, or JSON), or saveRnn JSON
Options:
  --inputs X   input sequences [B,T,I] or [T,I] (.npy, or .npz with :name to pick an array)
${TIME_FIRST_HELP}
  --k K        number of exponents (default: all, the state dimension)
  --warmup W   state steps discarded before the frame starts (default 0 with inputs, 1000 without)
  --frame-warmup F  frame steps re-orthonormalized but not counted (default ⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100)
  --steps N    counted steps (autonomous default 10000; with inputs at most T - W - F)
  --input V    autonomous run: constant input, comma-separated (length I)
  --seed S     seed of the random initial frame and autonomous start: an integer or a word
               (default 0)
${MODEL_HELP}
  --json       print { exponents, stderr, std, kaplanYorkeDimension, entropy, ... } as JSON;
               non-finite numbers as strings: "-Infinity" (e.g. a dead ReLU unit), "Infinity", "NaN"
  -h, --help   this help
Exponents are natural log per step.`;

export const spectrumCommand: Command = {
  name: 'spectrum',
  summary: 'Lyapunov spectrum (mean ± spread over sequences), Kaplan–Yorke dimension, entropy',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse('spectrum', args, {
      inputs: { type: 'string' }, k: { type: 'string' }, warmup: { type: 'string' }, 'frame-warmup': { type: 'string' },
      steps: { type: 'string' }, input: { type: 'string' }, seed: { type: 'string' }, 'time-first': { type: 'boolean' },
      json: { type: 'boolean' }, ...MODEL_FLAGS,
    });
    if (values.help) {
      io.stdout(HELP + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw usageError(`spectrum: expected one MODEL file, got ${positionals.length} (see rnn-lyap spectrum --help)`);
    const k = intOption(values.k, 'k', 1);
    const warmup = intOption(values.warmup, 'warmup', 0);
    const frameWarmup = intOption(values['frame-warmup'], 'frame-warmup', 0);
    const steps = intOption(values.steps, 'steps', 1);
    const seed = seedOption(values.seed) ?? 0;
    const input = vectorOption(values.input, 'input');
    const timeFirst = values['time-first'] === true;
    if (timeFirst && values.inputs === undefined) throw usageError('--time-first says how --inputs is laid out; there are no --inputs');
    const model = await loadModel(positionals[0], io, modelOptions(values));
    const sz = sizes(model.rnn);
    if (k !== undefined && k > sz.dim) throw usageError(`--k must be at most the state dimension ${sz.dim}, got ${k}`);
    const bar = progressBar(io, 'spectrum');
    const onProgress = (p: { done: number; total: number; sequence: number; sequences: number }) =>
      bar.update(p.done, p.total, p.sequences > 1 ? `seq ${p.sequence + 1}/${p.sequences}` : '');
    let result: LyapunovResult & { std?: Float64Array; sequences?: number };
    let driven: { source: string; shape: number[]; dtype: string; rounded: boolean } | null = null;
    try {
      if (values.inputs !== undefined) {
        if (input !== undefined) throw usageError('--input (a constant input) is for an autonomous run; with --inputs the sequences drive the network');
        const loaded = await loadArray(values.inputs, io);
        const x = asBatch(loaded, sz.I, timeFirst);
        driven = { source: loaded.source, shape: [...loaded.x.shape], dtype: loaded.dtype, rounded: loaded.rounded };
        try {
          result = lyapunovSpectrum(model.rnn, { inputs: x, k, warmup, frameWarmup, steps, seed, onProgress });
        } catch (err) {
          // the library's message, about the inputs file when it says so: '--inputs x.npy: inputs have T = …'
          const lib = cliMessage(err);
          const msg = /\binputs\b/.test(lib) ? `--inputs ${loaded.source}: ${lib}` : lib;
          // too few steps: a time-first array read batch first is the likeliest cause; say how it was read
          const hint = /inputs have T = \d+ steps/.test(msg) && loaded.x.shape.length === 3
            ? `; ${loaded.source} [${loaded.x.shape.join(',')}] was read ${layoutNote(loaded.x.shape, timeFirst)}${timeFirst ? '' : ": if it is time-first [T,B,I] (PyTorch's default batch_first=False), pass --time-first"}`
            : '';
          throw new CliError(`spectrum: ${msg}${hint}`);
        }
      } else {
        if (input !== undefined && input.length !== sz.I) throw usageError(`--input must have ${sz.I} values (the model's input size), got ${input.length}`);
        result = lyapunovSpectrum(model.rnn, { k, warmup, frameWarmup, steps, seed, input, onProgress });
      }
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`spectrum: ${cliMessage(err)}`);
    } finally {
      bar.end();
    }
    const n = result.exponents.length;
    const std = result.std ?? new Float64Array(n).fill(NaN);
    if (values.json) {
      io.stdout(toJson({
        exponents: result.exponents, stderr: result.stderr, std,
        kaplanYorkeDimension: result.kaplanYorkeDimension, entropy: result.entropy,
        steps: result.steps, sequences: result.sequences ?? 1, warmup: result.warmup, frameWarmup: result.frameWarmup,
        stationary: result.stationary ?? false, alignmentError: result.alignmentError, misaligned: result.misaligned ?? false, autonomous: driven === null, cell: sz.cell, dim: sz.dim, k: n,
      }) + '\n');
      return 0;
    }
    const lines: string[] = [];
    lines.push(`model    ${model.path}: ${sz.cell.toUpperCase()}, I = ${sz.I}, H = ${sz.H}, O = ${sz.O}, state dimension ${sz.dim}${sz.cell === 'lstm' ? ' ([h; c])' : ''}`);
    if (sz.cell === 'rnn') lines.push(`         ${activationLabel(model, modelOptions(values))}`);
    if (driven !== null) {
      lines.push(`inputs   ${driven.source} [${driven.shape.join(',')}] ${driven.dtype}${driven.rounded ? ' (rounded to float32)' : ''}, ${layoutNote(driven.shape, timeFirst)}, from h0 = 0`);
      const [b, t] = timeFirst ? [driven.shape[1], driven.shape[0]] : [driven.shape[0], driven.shape[1]];
      if (driven.shape.length === 3 && !timeFirst && b > t) lines.push(`note     more sequences (${b}) than steps (${t}): if ${driven.source} is time-first [T,B,I], pass --time-first`);
      lines.push(`run      warm-up ${result.warmup} + frame warm-up ${result.frameWarmup} + ${result.steps} counted steps per sequence`);
    } else {
      lines.push(`inputs   none: autonomous run (constant input ${input === undefined ? 'zero' : `[${Array.from(input).join(', ')}]`}), from the seeded random start 0.1·N(0,1) (seed ${seed})`);
      lines.push(`run      warm-up ${result.warmup} + frame warm-up ${result.frameWarmup} + ${result.steps} counted steps`);
    }
    if (result.stationary) lines.push('note     the counted trajectory sat on a fixed point: these are that point\'s exponents');
    if (result.misaligned && result.alignmentError !== undefined) {
      const worst = result.alignmentError.reduce((w, e, i) => (e / result.stderr[i] > result.alignmentError![w] / result.stderr[w] ? i : w), 0);
      lines.push(`note     near-degenerate exponents: the frame warm-up (${result.frameWarmup}) leaves an alignment error beyond the stderr (λ${worst + 1}: ${fmt(result.alignmentError[worst], 3)} against ±${fmt(result.stderr[worst], 3)}), so those λ_i move with --seed by more than their stderr: raise --frame-warmup (column 'align')`);
    }
    lines.push('');
    const spread = driven !== null && (result.sequences ?? 1) > 1;
    const align = result.misaligned === true ? result.alignmentError : undefined;
    lines.push(`   i  ${'λ_i (per step)'.padStart(14)}  ${spread ? `${'± std'.padStart(12)}  ` : ''}${'stderr'.padStart(12)}${align ? `  ${'align'.padStart(12)}` : ''}`);
    for (let i = 0; i < n; i++) {
      lines.push(`${String(i + 1).padStart(4)}  ${fmt(result.exponents[i]).padStart(14)}  ${spread ? `${fmt(std[i], 3).padStart(12)}  ` : ''}${fmt(result.stderr[i], 3).padStart(12)}${align ? `  ${fmt(align[i], 3).padStart(12)}` : ''}`);
    }
    lines.push('');
    const top = k !== undefined && k < sz.dim;
    lines.push(`Kaplan–Yorke dimension  ${Number.isNaN(result.kaplanYorkeDimension) && top ? `≥ ${k}: the top ${k} exponents sum to ≥ 0, ask for more (--k)` : `${fmt(result.kaplanYorkeDimension)}${top ? ` (from the top ${k})` : ''}`}`);
    lines.push(`entropy (sum of λ > 0)  ${Number.isNaN(result.entropy) && top ? `not determined: λ_${k} > 0, ask for more exponents (--k)` : `${fmt(result.entropy)} per step`}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
