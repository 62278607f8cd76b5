/**
 * The structure rules of rnn-lyap (docs/architecture.md), measured on the source with the
 * TypeScript compiler API: function and file lengths, the import graph between folders of src/,
 * import cycles between modules, and imports of anything but relative modules. Used by
 * test/structure.test.ts; `npx tsx test/structure/report.ts` prints the figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');
export const SRC = join(ROOT, 'src');

/** Longest function allowed (lines, its whole text including nested functions). */
export const MAX_FUNCTION_LINES = 150;
/** Longest file allowed outside src/core/linalg (lines). */
export const MAX_FILE_LINES = 500;

/** What each folder of src/ may import (besides itself). `*` is anything. */
export const ALLOWED_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  core: [],
  autodiff: ['core'],
  rnn: ['core', 'autodiff'],
  // analyses see models only through DynamicalSystem: the RNN is adapted in src/rnn (toDynamicalSystem)
  lyapunov: ['core', 'rnn'],
  geometry: ['core', 'rnn'],
  data: ['core'],
  io: ['core'],
  plot: [], // and type-only imports of result types (see TYPE_ONLY_DEPENDENCIES)
  parallel: ['*'],
  // the main entry: src/index.ts, and src/train.ts (the rnn train plus the lyapunov layer's flossing)
  'index.ts': ['*'],
  'train.ts': ['*'],
};

/** Folders whose type-only imports from anywhere are allowed (plot builds on the result types only). */
export const TYPE_ONLY_DEPENDENCIES: readonly string[] = ['plot'];

export interface FunctionSpan {
  file: string; // relative to the repository root
  name: string;
  start: number; // 1-based line
  lines: number;
}

export interface ImportEdge {
  from: string; // relative to src/, e.g. 'rnn/train.ts'
  to: string; // relative to src/, or the bare specifier for a non-relative import
  typeOnly: boolean;
  line: number;
}

export function sourceFiles(dir = SRC): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (sf === undefined) {
    sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    parsed.set(file, sf);
  }
  return sf;
}

/** A readable name for a function-like node: its own name, or the variable/property it is assigned to. */
function functionName(node: ts.SignatureDeclaration): string {
  if (node.name !== undefined && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  const p = node.parent;
  if (p !== undefined) {
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return p.name.text;
    if (ts.isBinaryExpression(p) && ts.isIdentifier(p.left)) return p.left.text;
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '<anonymous>';
}

/** Every function-like node with a body in `files`, with its length in lines. */
export function functionSpans(files = sourceFiles()): FunctionSpan[] {
  const spans: FunctionSpan[] = [];
  for (const file of files) {
    const sf = parse(file);
    const visit = (node: ts.Node): void => {
      if (
        (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)
          || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node))
        && node.body !== undefined
      ) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        spans.push({ file: relative(ROOT, file), name: functionName(node), start: start + 1, lines: end - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return spans;
}

/** Line counts of the files (as `wc -l` counts them, a final line without newline included). */
export function fileLengths(files = sourceFiles()): { file: string; lines: number }[] {
  return files.map((f) => {
    const text = readFileSync(f, 'utf8');
    const lines = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    return { file: relative(ROOT, f), lines };
  });
}

function resolveModule(fromFile: string, spec: string): string {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base + '.ts', join(base, 'index.ts')];
  for (const c of candidates) {
    try {
      readFileSync(c);
      return relative(SRC, c);
    } catch {
      // try the next form
    }
  }
  return relative(SRC, candidates[0]);
}

/** Every import and re-export of the files of src/ (dynamic `import()` included). */
export function importEdges(files = sourceFiles()): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const sf = parse(file);
    const from = relative(SRC, file);
    const add = (spec: string, typeOnly: boolean, node: ts.Node) => {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      edges.push({ from, to: spec.startsWith('.') ? resolveModule(file, spec) : spec, typeOnly, line });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const c = node.importClause;
        const typeOnly = c !== undefined && (c.isTypeOnly
          || (c.name === undefined && c.namedBindings !== undefined && ts.isNamedImports(c.namedBindings)
            && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
        add(node.moduleSpecifier.text, typeOnly, node);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
        const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause)
          && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
        add(node.moduleSpecifier.text, typeOnly, node);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword
        && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
        add((node.arguments[0] as ts.StringLiteral).text, false, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return edges;
}

/** The folder of src/ a module belongs to ('index.ts' for src/index.ts). */
export function layerOf(srcRelative: string): string {
  return srcRelative.split('/')[0];
}

/** Imports that break the dependency rule, as `from → to`. */
export function layerViolations(edges = importEdges()): ImportEdge[] {
  return edges.filter((e) => {
    if (!e.to.endsWith('.ts')) return false; // non-relative: see bareImports
    const a = layerOf(e.from);
    const b = layerOf(e.to);
    if (a === b) return false;
    const allowed = ALLOWED_DEPENDENCIES[a];
    if (allowed === undefined) return true; // a new folder must be given a place in the rule
    if (allowed.includes('*') || allowed.includes(b)) return false;
    return !(e.typeOnly && TYPE_ONLY_DEPENDENCIES.includes(a));
  });
}

/**
 * The Node entry of the worker pool: the files the package's `node` export condition loads
 * (worker_threads), never reached from the browser build. The only places src/ may import
 * Node built-ins, and only those.
 */
export const NODE_ENTRY_FILES: Readonly<Record<string, readonly string[]>> = {
  'parallel/index.ts': ['node:worker_threads', 'node:os', 'node:url'],
  'parallel/worker-node.ts': ['node:worker_threads'],
};

/** Imports of anything but a relative module (a package or a Node built-in): src/ has neither, but for the pool's Node entry. */
export function bareImports(edges = importEdges()): ImportEdge[] {
  return edges.filter((e) => !e.to.endsWith('.ts') && !(NODE_ENTRY_FILES[e.from] ?? []).includes(e.to));
}

/** The cycles of the module graph (runtime imports; type-only imports are erased), each once. */
export function importCycles(edges = importEdges()): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of edges) {
    if (e.typeOnly || !e.to.endsWith('.ts')) continue;
    const list = graph.get(e.from) ?? [];
    list.push(e.to);
    graph.set(e.from, list);
  }
  // Tarjan's strongly connected components; a component of two or more modules is a cycle
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const comps: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) comps.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return comps;
}

/**
 * Non-null assertions on index accesses (`a[i]!`): noise under the project's one dialect
 * (`noUncheckedIndexedAccess` off everywhere, so `a[i]` already has the element type). Counted per file.
 */
export function indexNonNullAssertions(files = sourceFiles()): { file: string; count: number }[] {
  const out: { file: string; count: number }[] = [];
  for (const file of files) {
    const sf = parse(file);
    let count = 0;
    const visit = (node: ts.Node): void => {
      if (ts.isNonNullExpression(node) && ts.isElementAccessExpression(node.expression)) count++;
      ts.forEachChild(node, visit);
    };
    visit(sf);
    if (count > 0) out.push({ file: relative(ROOT, file), count });
  }
  return out;
}
