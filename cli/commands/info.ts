import { eigenvalues, type Tensor } from '../../src/index.js';
import { fmt, parse, toJson, usageError, type CliIo, type Command } from '../common.js';
import { activationLabel, loadModel, modelOptions, MODEL_FLAGS, MODEL_HELP, sizes } from '../load.js';

const HELP = `Usage: rnn-lyap info MODEL [--json]

What a model file holds: the cell (rnn, gru or lstm), sizes, the readout, parameter count, stored
dtypes, the dimension of the dynamical state, and the spectral radius of the recurrent weights (for a
GRU or an LSTM, of each gate's H×H block of weight_hh_l0, or weight_hh for an nn.GRUCell/LSTMCell, in
PyTorch's gate order).

MODEL        a PyTorch state dict: .safetensors, np.savez(**state_dict) .npz, or JSON; or saveRnn JSON
Options:
${MODEL_HELP}
  --json       machine-readable output (non-finite numbers: "NaN", "Infinity", "-Infinity")
  -h, --help   this help`;

const GATES = { rnn: [''], gru: ['r', 'z', 'n'], lstm: ['i', 'f', 'g', 'o'] } as const;

function spectralRadius(w: Tensor, block: number, H: number): number {
  const data = new Float64Array(H * H);
  data.set(Float64Array.from(w.data.subarray(block * H * H, (block + 1) * H * H)));
  const { re, im } = eigenvalues({ shape: [H, H], data });
  return Math.hypot(re[0], im[0]); // sorted by modulus, largest first
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'cell, sizes, parameter count, dtypes, state dimension, spectral radius',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parse('info', args, { json: { type: 'boolean' }, ...MODEL_FLAGS });
    if (values.help) {
      io.stdout(HELP + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw usageError(`info: expected one MODEL file, got ${positionals.length} (see rnn-lyap info --help)`);
    const model = await loadModel(positionals[0], io, modelOptions(values));
    const sz = sizes(model.rnn);
    const params = model.rnn.params as unknown as Record<string, Tensor>;
    const noReadout = model.readoutPrefix === null; // the identity on h was made up: not the file's parameters
    let count = 0;
    for (const [k, t] of Object.entries(params)) if (!(noReadout && (k === 'wOut' || k === 'bOut'))) count += t.data.length;
    const readout = model.readoutPrefix === undefined ? 'wOut, bOut' : model.readoutPrefix === null ? null
      : ['weight', 'bias'].map((k) => `${model.readoutPrefix}${k}`).filter((k) => k in model.tensors).join(', ');
    const radius: Record<string, number> = {};
    GATES[sz.cell].forEach((g, i) => (radius[g === '' ? 'wRec' : `W_h${g}`] = spectralRadius(model.rnn.params.wRec, i, sz.H)));
    const dtypes = [...new Set(Object.values(model.tensors).map((t) => t.dtype))];
    if (values.json) {
      io.stdout(toJson({
        file: model.path, format: model.format, cell: sz.cell, activation: model.rnn.activation,
        inputSize: sz.I, hiddenSize: sz.H, outputSize: sz.O, readoutPrefix: model.readoutPrefix,
        ignored: model.ignored, stateDimension: sz.dim, parameters: count, dtypes, tensors: model.tensors, spectralRadius: radius, metadata: model.metadata ?? {},
      }, 1) + '\n');
      return 0;
    }
    const notes = [noReadout ? 'no readout' : '', sz.cell === 'rnn' && model.format !== 'rnn-lyap json' ? 'bias_ih + bias_hh summed into one bias' : ''].filter((n) => n !== '');
    const lines = [
      `file                ${model.path} (${model.format})`,
      `cell                ${sz.cell}${sz.cell === 'rnn' ? ` (${activationLabel(model, modelOptions(values))})` : ''}`,
      `sizes               input ${sz.I}, hidden ${sz.H}, output ${sz.O}`,
      `readout             ${readout === null ? `none in the file: identity on h (outputs = hidden states, O = H)${model.ignored.length ? `; left out by --no-readout: ${model.ignored.join(', ')}` : ''}` : readout}`,
      `state dimension     ${sz.dim}${sz.cell === 'lstm' ? ' ([h; c])' : ''}`,
      `parameters          ${count}${notes.length ? ` (${notes.join('; ')})` : ''}`,
      `dtypes              ${dtypes.join(', ')}${dtypes.some((d) => d === 'F64' || d === 'F16' || d === 'BF16') ? ' (computed in float32 weights, float64 dynamics)' : ''}`,
    ];
    const names = Object.keys(radius);
    lines.push(`spectral radius     ${names.map((k) => `${names.length > 1 ? `${k} ` : ''}${fmt(radius[k], 4)}`).join(', ')}${sz.cell === 'rnn' ? ` (of ${model.recurrentWeight ?? 'wRec'})` : ` (per gate block of ${model.recurrentWeight ?? 'wRec'})`}`);
    lines.push('tensors');
    for (const [k, t] of Object.entries(model.tensors)) lines.push(`  ${k.padEnd(24)} ${t.dtype.padEnd(5)} [${t.shape.join(',')}]`);
    if (model.metadata && Object.keys(model.metadata).length) lines.push(`metadata            ${JSON.stringify(model.metadata)}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
