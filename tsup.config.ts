import { readFile, writeFile } from 'node:fs/promises';
import { defineConfig, type Options } from 'tsup';

// tsup's tree-shaking pass runs each chunk through rollup, whose generate() (rollup ≥ 3) already ends
// the code with `//# sourceMappingURL=<file>.map`; tsup then appends its own, so every built .js/.cjs
// named its map twice. This keeps the last such line of each written file and drops the others.
const oneSourceMapComment: NonNullable<Options['plugins']>[number] = {
  name: 'one-sourcemap-comment',
  async buildEnd({ writtenFiles }) {
    await Promise.all(writtenFiles.filter((f) => /\.c?js$/.test(f.name)).map(async (f) => {
      const code = await readFile(f.name, 'utf8');
      const lines = code.split('\n');
      const comments = lines.flatMap((l, i) => (l.startsWith('//# sourceMappingURL=') ? [i] : []));
      if (comments.length < 2) return;
      const drop = new Set(comments.slice(0, -1));
      await writeFile(f.name, lines.filter((_, i) => !drop.has(i)).join('\n'));
    }));
  },
};

export default defineConfig([{
  entry: {
    index: 'src/index.ts',
    'core/index': 'src/core/index.ts',
    'autodiff/index': 'src/autodiff/index.ts',
    'rnn/index': 'src/rnn/index.ts',
    'lyapunov/index': 'src/lyapunov/index.ts',
    'geometry/index': 'src/geometry/index.ts',
    'data/index': 'src/data/index.ts',
    'plot/index': 'src/plot/index.ts',
    'io/index': 'src/io/index.ts',
    // the pool: Node (worker_threads) and browser (Web Workers) builds, and their worker scripts
    'parallel/index': 'src/parallel/index.ts',
    'parallel/browser': 'src/parallel/browser.ts',
    'parallel/worker-node': 'src/parallel/worker-node.ts',
    'parallel/worker': 'src/parallel/worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false, ignoreDeprecations: "6.0" } },
  tsconfig: 'tsconfig.src.json',
  sourcemap: true,
  // the CLI's own build (below) writes dist/cli.js*; this one must not delete it
  clean: ['!cli.js', '!cli.js.map'],
  splitting: true,
  treeshake: true,
  target: 'es2022',
  plugins: [oneSourceMapComment],
  // src/parallel/browser.ts: the CommonJS build has no import.meta.url to find the worker from
  esbuildOptions(options, { format }) {
    options.define = { ...options.define, __RNN_LYAP_CJS__: String(format === 'cjs') };
  },
}, {
  // the `rnn-lyap` command (package.json "bin"): one self-contained ESM file for Node, shebang kept
  // from cli/main.ts; Node built-ins are allowed here (never in src/)
  entry: { cli: 'cli/main.ts' },
  format: ['esm'],
  platform: 'node',
  dts: false,
  tsconfig: 'tsconfig.src.json',
  sourcemap: true,
  clean: false,
  splitting: false,
  treeshake: true,
  target: 'es2022',
  plugins: [oneSourceMapComment],
}]);
