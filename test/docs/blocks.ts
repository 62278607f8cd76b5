// The ```ts blocks of README.md and docs/*.md, and the names the guides use without defining them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CodeBlock {
  /** e.g. 'docs/geometry.md:11' (the line of the opening fence). */
  id: string;
  code: string;
  /** ```ts no-check: a fragment, neither compiled nor run (use sparingly). */
  noCheck: boolean;
  /** ```ts no-run: compiled but not run (expensive, or needs the reader's files). */
  noRun: boolean;
}

export function docFiles(root: string): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

export function codeBlocks(root: string, file: string): CodeBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const flags = open[2].trim().split(/\s+/);
    blocks.push({ id: `${file}:${start + 1}`, code: body.join('\n'), noCheck: flags.includes('no-check'), noRun: flags.includes('no-run') });
  }
  return blocks;
}

/**
 * What the guides' snippets take as given: the reader's data and network, never a library function
 * (a snippet that calls one must import it). Declared in front of a block for the names it uses and
 * does not define itself; a block that uses any of them is type-checked but not run.
 */
const CONTEXT: Record<string, string> = {
  rnn: "import('rnn-lyap').Rnn", // a network, from initRnn or trained
  x: "import('rnn-lyap').Tensor", // inputs [B,T,I] and their labels
  labels: 'Int32Array',
  testX: "import('rnn-lyap').Tensor",
  testLabels: 'Int32Array',
  statesAtT: "import('rnn-lyap').Tensor", // hidden states at one step, n × H
  n: 'number',
  data: 'Float32Array', // a flat recording
  pre: "import('rnn-lyap').Tensor", // kernels.md: pre-activation, bias, gradients, weight, logits
  b: "import('rnn-lyap').Tensor",
  dPre: "import('rnn-lyap').Tensor",
  gw: "import('rnn-lyap').Tensor",
  w: "import('rnn-lyap').Tensor",
  logits: "import('rnn-lyap').Tensor",
  x0: 'Float64Array', // an initial state
  H: 'number',
  controller: 'AbortController',
};
const CONTEXT_BY_FILE: Record<string, Record<string, string>> = {
  'docs/data.md': {
    images: "import('rnn-lyap').IdxArray", // MNIST as readIdx returns it
    labels: "import('rnn-lyap').IdxArray",
    testImages: "import('rnn-lyap').IdxArray",
    testLabels: "import('rnn-lyap').IdxArray",
  },
};

/** The context names a block may use, for the file it is in. */
export function contextFor(file: string): Record<string, string> {
  return { ...CONTEXT, ...CONTEXT_BY_FILE[file] };
}
