/**
 * Summarizes docs/figures/NAME.json (written by examples/flossing.ts) as the markdown tables of
 * docs/clv.md and docs/studies.md: final validation MSE per seed and arm, λ1 at init / after
 * pre-flossing / trained, epochs to reach 85% of the chance MSE, and the comparison at an equal
 * number of optimizer steps (the flossing arms' `before` steps counted against them).
 *   npx tsx examples/flossing-table.ts [name=flossing]
 */
import { readFileSync } from 'node:fs';

const name = process.argv[2] ?? 'flossing';
const { config, runs, rows } = JSON.parse(readFileSync(new URL(`../docs/figures/${name}.json`, import.meta.url), 'utf8'));
type Run = { arm: string; seed: number; lambdaInit: number; lambdaAfterPre: number; lambdaTrained: number; finalValMse: number; epochsTo85PctOfChance: number | null; seconds: number };
const arms = [...new Set((runs as Run[]).map((r) => r.arm))];
const seeds = [...new Set((runs as Run[]).map((r) => r.seed))].sort((a, b) => a - b);
const get = (arm: string, seed: number) => (runs as Run[]).find((r) => r.arm === arm && r.seed === seed);
const stepsPerEpoch = Math.ceil(config.N / config.BATCH);
// the epoch at which a flossing arm has taken as many optimizer steps (before + training) as the control at the end
const eqEpoch = Math.floor((config.EPOCHS * stepsPerEpoch - config.PRE) / stepsPerEpoch);
const valAt = (arm: string, seed: number, epoch: number) => (rows as { arm: string; seed: number; epoch: number; valLoss: number }[]).find((r) => r.arm === arm && r.seed === seed && r.epoch === epoch)?.valLoss;
const f3 = (v: number | undefined | null) => (v === undefined || v === null ? '—' : v.toFixed(3));
console.log(`delay ${config.DELAY}, T ${config.T}, H ${config.H}, g ${config.GAIN}, k ${config.K}, ${config.EPOCHS} epochs × ${stepsPerEpoch} steps, before ${config.PRE} steps; chance MSE ${config.chance.toFixed(3)}\n`);
console.log(`| validation MSE after ${config.EPOCHS} epochs | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean |`);
console.log(`|---|${seeds.map(() => '---').join('|')}|---|`);
for (const arm of arms) {
  const v = seeds.map((s) => get(arm, s)?.finalValMse);
  const ok = v.filter((x): x is number => x !== undefined);
  console.log(`| ${arm} | ${v.map(f3).join(' | ')} | ${f3(ok.reduce((a, b) => a + b, 0) / ok.length)} |`);
}
for (const arm of arms.slice(1)) {
  const v = seeds.map((s) => valAt(arm, s, eqEpoch));
  const ok = v.filter((x): x is number => x !== undefined);
  console.log(`| ${arm}, epoch ${eqEpoch} (equal optimizer steps) | ${v.map(f3).join(' | ')} | ${f3(ok.reduce((a, b) => a + b, 0) / ok.length)} |`);
}
console.log(`\n| epochs to MSE < 0.85 × chance | ${seeds.map((s) => `seed ${s}`).join(' | ')} |`);
console.log(`|---|${seeds.map(() => '---').join('|')}|`);
for (const arm of arms) console.log(`| ${arm} | ${seeds.map((s) => { const r = get(arm, s); return r === undefined ? '—' : r.epochsTo85PctOfChance === null ? `> ${config.EPOCHS}` : String(r.epochsTo85PctOfChance); }).join(' | ')} |`);
console.log(`\n| λ1 (per step) | ${seeds.map((s) => `seed ${s}`).join(' | ')} |`);
console.log(`|---|${seeds.map(() => '---').join('|')}|`);
console.log(`| at init | ${seeds.map((s) => f3(get(arms[0], s)?.lambdaInit)).join(' | ')} |`);
console.log(`| after pre-flossing | ${seeds.map((s) => f3(get(arms[1], s)?.lambdaAfterPre)).join(' | ')} |`);
for (const arm of arms) console.log(`| trained, ${arm} | ${seeds.map((s) => f3(get(arm, s)?.lambdaTrained)).join(' | ')} |`);
const secs = arms.map((a) => `${a} ${((runs as Run[]).filter((r) => r.arm === a).reduce((x, r) => x + r.seconds, 0) / seeds.length).toFixed(0)} s`);
console.log(`\nmean wall time per run: ${secs.join(', ')}`);
