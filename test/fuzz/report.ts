// The fuzz report: runs the whole catalogue and prints counts by problem, by folder and by export.
//   npx tsx test/fuzz/report.ts            counts
//   npx tsx test/fuzz/report.ts --list     and every failing case with its detail
//   npx tsx test/fuzz/report.ts --known    the KNOWN_FAILURES table for test/fuzz/known-failures.ts
import { CASES } from './cases.js';
import { runCases } from './runner.js';

const t0 = performance.now();
const outcomes = await runCases(CASES.map((c) => c.id));
const secs = ((performance.now() - t0) / 1000).toFixed(1);
const failing = outcomes.filter((o) => o.problem);
const byCase = new Map(CASES.map((c) => [c.id, c]));
const count = (key: (o: (typeof failing)[number]) => string) => {
  const m = new Map<string, number>();
  for (const o of failing) m.set(key(o), (m.get(key(o)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
};
const arg = process.argv[2];
if (arg === '--known') {
  // grouped by the source folder that owns the fix (src/geometry/embedding apart from src/geometry)
  const EMBEDDING = new Set(['tsne', 'phate', 'phateKernel', 'mPhate', 'mmPhate', 'multisliceFromStates', 'classicalMds', 'trustworthiness', 'neighborhoodPreservation', 'vonNeumannEntropy', 'findKnee']);
  const group = (id: string): string => { const c = byCase.get(id)!; return EMBEDDING.has(c.name) ? 'geometry/embedding' : c.folder; };
  const order = ['core', 'autodiff', 'rnn', 'data', 'lyapunov', 'geometry', 'geometry/embedding', 'io', 'plot'];
  for (const g of order) {
    const rows = failing.filter((o) => group(o.id) === g);
    if (rows.length === 0) continue;
    console.log(`  // src/${g} (${rows.length})`);
    for (const o of rows) console.log(`  [${JSON.stringify(o.id)}, ${JSON.stringify(o.problem)}],`);
  }
} else {
  console.log(`${CASES.length} cases over ${new Set(CASES.map((c) => c.name)).size} exports in ${secs} s: ${failing.length} problems`);
  console.log('\nby problem:');
  for (const [k, n] of count((o) => o.problem!)) console.log(`  ${k.padEnd(20)} ${n}`);
  console.log('\nby folder:');
  for (const [k, n] of count((o) => byCase.get(o.id)!.folder)) console.log(`  ${k.padEnd(20)} ${n}`);
  const problems = [...new Set(failing.map((o) => o.problem!))];
  console.log(`\nby folder and problem:\n  ${'folder'.padEnd(10)} ${problems.map((p) => p.padStart(p.length)).join('  ')}`);
  for (const folder of ['core', 'autodiff', 'rnn', 'lyapunov', 'geometry', 'data', 'io', 'plot']) {
    const row = problems.map((p) => String(failing.filter((o) => o.problem === p && byCase.get(o.id)!.folder === folder).length).padStart(p.length));
    console.log(`  ${folder.padEnd(10)} ${row.join('  ')}`);
  }
  console.log('\nby export:');
  for (const [k, n] of count((o) => byCase.get(o.id)!.name)) console.log(`  ${k.padEnd(28)} ${n}`);
  if (arg === '--list') {
    console.log('\ncases:');
    for (const o of failing) console.log(`  ${o.problem!.padEnd(18)} ${o.id}  ${o.detail}`);
  }
}
