/** Prints the structure figures: `npx tsx test/structure/report.ts [n]` (the n longest functions and files). */
import { bareImports, fileLengths, functionSpans, importCycles, layerViolations } from './rules.js';

const n = Number(process.argv[2] ?? 12);
console.log('longest functions:');
for (const f of functionSpans().sort((a, b) => b.lines - a.lines).slice(0, n)) console.log(`  ${String(f.lines).padStart(4)}  ${f.file}:${f.start} ${f.name}`);
console.log('longest files:');
for (const f of fileLengths().sort((a, b) => b.lines - a.lines).slice(0, n)) console.log(`  ${String(f.lines).padStart(4)}  ${f.file}`);
console.log('layer violations:', layerViolations().map((e) => `${e.from}:${e.line} → ${e.to}`));
console.log('bare imports:', bareImports().map((e) => `${e.from}:${e.line} → ${e.to}`));
console.log('cycles:', importCycles());
