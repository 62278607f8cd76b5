// Compiles src/core/wasm64/f64.wat, with f64-embedding.wat spliced into its module (WebAssembly
// text, SIMD), with the `wabt` dev dependency and writes two builds of it, as base64, into
// generated files that are committed (building the package needs no extra step; rerun this after
// editing either .wat):
//   src/core/wasm64/f64-wasm.ts      — the module as written (f64x2.mul then f64x2.add)
//   src/core/wasm64/f64-fma-wasm.ts  — its fused multiply-add variant (WebAssembly relaxed SIMD)
//   node scripts/build-f64-wasm.mjs
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embedWasm } from './embed-wasm.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watPath = join(root, 'src/core/wasm64/f64.wat');
const extraPath = join(root, 'src/core/wasm64/f64-embedding.wat');

/**
 * The functions whose f64x2 multiply-adds the variant fuses, and how many rewrites each must get
 * (a changed .wat that no longer matches fails the build instead of silently losing the FMAs).
 * `gemvPairs` is left as it is on purpose: it computes the RNN's state update W·h, which stays bit
 * for bit the plain JS loop on every backend (the state trajectory never depends on the backend),
 * and its two-accumulator loop is bound by the add latency, which a fused multiply-add does not
 * shorten.
 */
const EXPECTED = { $dot: 2, $gemmTN: 16, $applyReflector: 13, $applyPair: 25 };

/** `text` with `;; …` and `(; … ;)` comments blanked (same length, newlines kept). */
function blankComments(text) {
  const blank = (m) => m.replace(/[^\n]/g, ' ');
  return text.replace(/\(;[\s\S]*?;\)/g, blank).replace(/;;[^\n]*/g, blank);
}

/** The children (token or list spans [start, end)) of the list starting at s[a] === '('. */
function children(s, a) {
  const out = [];
  let i = a + 1;
  for (;;) {
    while (/\s/.test(s[i])) i++;
    if (s[i] === ')') return { kids: out, end: i + 1 };
    if (s[i] === '(') {
      const { end } = children(s, i);
      out.push({ start: i, end });
      i = end;
    } else if (s[i] === '"') {
      const j = s.indexOf('"', i + 1);
      out.push({ start: i, end: j + 1 });
      i = j + 1;
    } else {
      const j = i;
      while (i < s.length && !/[\s()]/.test(s[i])) i++;
      if (i === j) throw new Error(`build-f64-wasm: unbalanced parentheses at ${i}`);
      out.push({ start: j, end: i });
    }
  }
}

/**
 * The fused multiply-add variant of f64.wat, in the functions of EXPECTED only:
 * - `(f64x2.add c (f64x2.mul x y))` → `(f64x2.relaxed_madd x y c)` (accumulations),
 * - `(f64x2.sub b (f64x2.mul w x))` → `(f64x2.relaxed_nmadd w x b)` (a reflector's update),
 * - `(f64x2.sub b (f64x2.add (f64x2.mul p x) (f64x2.mul q y)))` →
 *   `(f64x2.relaxed_nmadd q y (f64x2.relaxed_nmadd p x b))` (a pair of reflectors' update).
 * Everything else is f64.wat unchanged (comments included).
 */
function fmaVariant(orig) {
  const s = blankComments(orig);
  const counts = {};
  let fn = null;
  const kidsOf = (c) => (s[c.start] === '(' ? children(s, c.start).kids : []);
  const head = (c) => {
    const k = kidsOf(c);
    return k.length > 0 ? s.slice(k[0].start, k[0].end) : null;
  };
  const isOp = (c, op) => head(c) === op && kidsOf(c).length === 3;
  const rewrite = (a, b) => {
    if (s[a] !== '(') return orig.slice(a, b);
    const { kids } = children(s, a);
    const h = kids.length > 0 ? s.slice(kids[0].start, kids[0].end) : '';
    if (h === 'func') fn = s.slice(kids[1].start, kids[1].end);
    const R = (c) => rewrite(c.start, c.end);
    if (fn in EXPECTED && kids.length === 3) {
      const [, u, v] = kids;
      const hit = (text) => ((counts[fn] = (counts[fn] ?? 0) + 1), text);
      if (h === 'f64x2.sub' && isOp(v, 'f64x2.add') && kidsOf(v).slice(1).every((m) => isOp(m, 'f64x2.mul'))) {
        const [[, p, x], [, q, y]] = kidsOf(v).slice(1).map(kidsOf);
        return hit(`(f64x2.relaxed_nmadd ${R(q)} ${R(y)} (f64x2.relaxed_nmadd ${R(p)} ${R(x)} ${R(u)}))`);
      }
      if (h === 'f64x2.sub' && isOp(v, 'f64x2.mul')) {
        const [, w, x] = kidsOf(v);
        return hit(`(f64x2.relaxed_nmadd ${R(w)} ${R(x)} ${R(u)})`);
      }
      if (h === 'f64x2.add' && isOp(v, 'f64x2.mul')) {
        const [, x, y] = kidsOf(v);
        return hit(`(f64x2.relaxed_madd ${R(x)} ${R(y)} ${R(u)})`);
      }
    }
    let out = '';
    let at = a;
    for (const c of kids) {
      out += orig.slice(at, c.start) + R(c);
      at = c.end;
    }
    return out + orig.slice(at, b);
  };
  const start = s.indexOf('(module');
  const { end } = children(s, start);
  const text = orig.slice(0, start) + rewrite(start, end) + orig.slice(end);
  for (const [name, n] of Object.entries(EXPECTED)) {
    if (counts[name] !== n) throw new Error(`build-f64-wasm: expected ${n} multiply-adds in f64.wat's ${name}, found ${counts[name] ?? 0}`);
  }
  return text;
}

const wabt = await require('wabt')();
// f64-embedding.wat holds functions only: spliced in before the module's closing parenthesis
const main = readFileSync(watPath, 'utf8').trimEnd();
if (!main.endsWith(')')) throw new Error('build-f64-wasm: f64.wat must end with the module\'s closing parenthesis');
const wat = `${main.slice(0, -1)}\n${readFileSync(extraPath, 'utf8')})\n`;
for (const [name, constName, relaxed] of [
  ['f64', 'F64_WASM_BASE64', false],
  ['f64-fma', 'F64_FMA_WASM_BASE64', true],
]) {
  embedWasm(wabt, {
    name, text: relaxed ? fmaVariant(wat) : wat, features: { simd: true }, relaxed,
    out: join(root, `src/core/wasm64/${name}-wasm.ts`), constName,
    header: [
      `Generated by scripts/build-f64-wasm.mjs from src/core/wasm64/f64.wat and f64-embedding.wat${relaxed ? ' (its fused multiply-add variant)' : ''} — do not edit by hand.`,
      `{bytes} bytes of WebAssembly (SIMD, f64x2${relaxed ? ', relaxed SIMD' : ''}), base64.`,
    ],
  });
}
