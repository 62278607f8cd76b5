import { defineConfig } from 'tsup';

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
}]);
