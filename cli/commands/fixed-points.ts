import { findFixedPoints, rnnForward, rnnSystem, createRng, type AnyRnn } from '../../src/index.js';
import { CliError, cliMessage, fmt, intOption, numberOption, parse, progressBar, toJson, usageError, vectorOption, type CliIo, type Command } from '../common.js';
import { activationLabel, asBatch, layoutNote, loadArray, loadModel, modelOptions, MODEL_FLAGS, MODEL_HELP, sizes, TIME_FIRST_HELP } from '../load.js';

const HELP = `Usage: rnn-lyap fixed-points MODEL [--inputs X.npy] [--input V] [options]

Fixed points x = F(x) of the network's one-step map under a constant input (--input, default zeros),
found by Levenberg–Marquardt from many starts (Sussillo & Barak 2013), then classified by the
eigenvalues of the Jacobian there: stable (all |λ| < 1), saddle, or unstable. The starts are states
visited by the network: driven by the sequences of --inputs, or, without it, autonomous trajectories
from random states. An LSTM's state is [h; c].

Options:
  --inputs X     sequences [B,T,I] or [T,I] (.npy, or .npz with :name) whose states seed the starts
${TIME_FIRST_HELP}
  --input V      the constant input, comma-separated (length I; default zeros)
  --starts N     number of starts (default 256)
  --noise S      standard deviation of noise added to each start (default 0.01)
  --tolerance Q  a start has converged when q/scale² < Q, q = ½‖F(x) − x‖² (default 1e-12)
  --scale S      the unit of the states the tolerance is measured in (default: 1 for ordinary
                 states, the median start's RMS coordinate in [2^-8, 2^8); else a power of two that
                 follows it, so states of 1e-6 or 1e12 are judged alike); 1 for an absolute tolerance
  --method lm|adam
  --seed S       seed of the start sampling (default 0)
${MODEL_HELP}
  --json         machine-readable output (non-finite numbers: "NaN", "Infinity", "-Infinity")
  -h, --help     this help`;

/** Full states visited by the autonomous map from random starts (rows of dim), for the starts. */
function autonomousStates(rnn: AnyRnn, input: Float64Array | undefined, dim: number, seed: number): Float64Array {
  const sys = rnnSystem(rnn, { input });
  const rng = createRng(seed);
  const runs = 32, steps = 64;
  const out = new Float64Array(runs * steps * dim);
  const x = new Float64Array(dim), y = new Float64Array(dim);
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < dim; i++) {
      // Box–Muller, spread 0.5 so the starts cover the region the trajectories pass through
      x[i] = 0.5 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    }
    for (let t = 0; t < steps; t++) {
      sys.step(x, t, y);
      x.set(y);
      out.set(x, (r * steps + t) * dim);
    }
  }
  return out;
}

export const fixedPointsCommand: Command = {
  name: 'fixed-points',
  summary: 'fixed points under a constant input: count, stability, residuals',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse('fixed-points', args, {
      inputs: { type: 'string' }, input: { type: 'string' }, starts: { type: 'string' }, noise: { type: 'string' },
      tolerance: { type: 'string' }, scale: { type: 'string' }, method: { type: 'string' }, seed: { type: 'string' }, 'time-first': { type: 'boolean' },
      json: { type: 'boolean' }, ...MODEL_FLAGS,
    });
    if (values.help) {
      io.stdout(HELP + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw usageError(`fixed-points: expected one MODEL file, got ${positionals.length} (see rnn-lyap fixed-points --help)`);
    const nStarts = intOption(values.starts, 'starts', 1) ?? 256;
    const noise = numberOption(values.noise, 'noise', 0) ?? 0.01;
    const tolerance = numberOption(values.tolerance, 'tolerance', 0);
    const scale = numberOption(values.scale, 'scale', 0);
    if (scale === 0) throw usageError('--scale must be positive, got 0');
    const seed = intOption(values.seed, 'seed', 0) ?? 0;
    const method = values.method ?? 'lm';
    if (method !== 'lm' && method !== 'adam') throw usageError(`--method must be lm or adam, got '${method}'`);
    const input = vectorOption(values.input, 'input');
    const timeFirst = values['time-first'] === true;
    if (timeFirst && values.inputs === undefined) throw usageError('--time-first says how --inputs is laid out; there are no --inputs');
    const model = await loadModel(positionals[0], io, modelOptions(values));
    const sz = sizes(model.rnn);
    if (input !== undefined && input.length !== sz.I) throw usageError(`--input must have ${sz.I} values (the model's input size), got ${input.length}`);
    let states: Float64Array;
    let source: string;
    if (values.inputs !== undefined) {
      const loaded = await loadArray(values.inputs, io);
      const x = asBatch(loaded, sz.I, timeFirst);
      let fwd;
      try {
        fwd = rnnForward(model.rnn, x);
      } catch (err) {
        const lib = cliMessage(err);
        throw new CliError(`fixed-points: ${/\binputs\b|\bx\b/.test(lib) ? `--inputs ${loaded.source}: ` : ''}${lib}`);
      }
      const rows = fwd.states.data.length / sz.H;
      states = new Float64Array(rows * sz.dim);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < sz.H; j++) states[r * sz.dim + j] = fwd.states.data[r * sz.H + j];
        if (fwd.cells) for (let j = 0; j < sz.H; j++) states[r * sz.dim + sz.H + j] = fwd.cells.data[r * sz.H + j];
      }
      source = `states of ${loaded.source} [${loaded.x.shape.join(',')}] (${layoutNote(loaded.x.shape, timeFirst)})`;
    } else {
      states = autonomousStates(model.rnn, input, sz.dim, seed);
      source = 'states of 32 autonomous trajectories from random starts';
    }
    const bar = progressBar(io, 'fixed points');
    let result;
    try {
      result = findFixedPoints(model.rnn, {
        states, nStarts, noise, seed, input, tolerance, method, ...(scale === undefined ? {} : { scale }),
        onProgress: (p) => bar.update(p.done, p.total, p.phase ?? ''),
      });
    } catch (err) {
      throw new CliError(`fixed-points: ${cliMessage(err)}`);
    } finally {
      bar.end();
    }
    const points = result.points.map((p) => ({
      stability: p.stability, unstableModes: p.unstableModes, q: p.q, residual: Math.sqrt(2 * p.q),
      spectralRadius: Math.hypot(p.eigenvalues.re[0], p.eigenvalues.im[0]), count: p.count, converged: p.converged,
      x: p.x, eigenvalues: p.eigenvalues,
    }));
    const byKind = { stable: 0, saddle: 0, unstable: 0 };
    for (const p of points) byKind[p.stability]++;
    if (values.json) {
      io.stdout(toJson({ points, count: points.length, ...byKind, convergedFraction: result.convergedFraction, outliers: result.outliers, scale: result.scale, failures: result.failures, starts: nStarts, method: result.method, cell: sz.cell, dim: sz.dim }) + '\n');
      return 0;
    }
    const lines = [
      `model    ${model.path}: ${sz.cell.toUpperCase()}, state dimension ${sz.dim}${sz.cell === 'lstm' ? ' ([h; c])' : ''}`,
      ...(sz.cell === 'rnn' ? [`         ${activationLabel(model, modelOptions(values))}`] : []),
      `input    constant ${input === undefined ? 'zero' : `[${Array.from(input).join(', ')}]`}`,
      `starts   ${nStarts} sampled from the ${source}, noise ${noise}; ${(100 * result.convergedFraction).toFixed(1)}% converged (${result.method})`,
      `found    ${points.length} fixed point${points.length === 1 ? '' : 's'}: ${byKind.stable} stable, ${byKind.saddle} saddle, ${byKind.unstable} unstable`,
      // converged starts the outlier rule dropped (far from the starts' centroid): say so, or "0 found, 100 % converged" reads as a contradiction
      ...(result.scale !== 1 ? [`scale    tolerances in units of ${result.scale} (the states' scale${scale === undefined ? ', by default' : ''}): converged where q/scale² < ${tolerance ?? 1e-12}`] : []),
      ...(result.failures.length > 0 ? [`failed   ${result.failures.length} start${result.failures.length === 1 ? '' : 's'} ended on a non-finite map or Jacobian (not counted): ${result.failures.slice(0, 3).map((f) => `start ${f.start} at iteration ${f.iteration}: ${f.reason}`).join('; ')}${result.failures.length > 3 ? '; …' : ''}`] : []),
      ...(result.outliers > 0 ? [`note     ${result.outliers} converged start${result.outliers === 1 ? '' : 's'} dropped as outliers (more than 10× the starts' mean distance from their centroid); the library's outlierDistanceScale option keeps them`] : []),
      '',
      `   #  stability  unstable modes  max |λ|      ‖F(x) − x‖   starts`,
    ];
    points.forEach((p, i) => {
      lines.push(`${String(i + 1).padStart(4)}  ${p.stability.padEnd(9)}  ${String(p.unstableModes).padStart(14)}  ${fmt(p.spectralRadius, 5).padStart(9)}  ${fmt(p.residual, 3).padStart(12)}  ${String(p.count).padStart(7)}${p.converged ? '' : '  (slow point)'}`);
    });
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
