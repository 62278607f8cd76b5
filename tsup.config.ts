import { defineConfig } from 'tsup';

export default defineConfig({
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
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'es2022',
});
