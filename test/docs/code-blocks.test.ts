// Every ```ts block of README.md and docs/*.md compiles against the public package ('rnn-lyap' and its
// subpaths, mapped to src/ by tsconfig.json), in one TypeScript program; the blocks that need nothing
// from the reader (no context names, no files) also run. A doc that drifts from the API fails here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { codeBlocks, contextFor, docFiles, type CodeBlock } from './blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Prepared extends CodeBlock {
  file: string;
  path: string;
  text: string;
  preludeLines: number;
  usesContext: string[];
}

/** Names a block declares at top level (imports, variables, functions, classes, types). */
function declaredNames(code: string): Set<string> {
  const sf = ts.createSourceFile('b.ts', code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) names.add(c.name.text);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) names.add(nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) names.add(e.name.text);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) bind(d.name);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) {
      names.add(st.name.text);
    }
  }
  return names;
}

function prepare(): Prepared[] {
  const out: Prepared[] = [];
  for (const file of docFiles(root)) {
    const ctx = contextFor(file);
    for (const block of codeBlocks(root, file)) {
      if (block.noCheck) continue;
      const own = declaredNames(block.code);
      const prelude = Object.entries(ctx).filter(([name]) => !own.has(name)).map(([name, type]) => `declare const ${name}: ${type};`);
      const text = `${prelude.join(' ')}\n${block.code}\nexport {};\n`;
      const path = join(root, 'docs', '.blocks', `${block.id.replace(/[/:.]/g, '_')}.ts`);
      out.push({ ...block, file, path, text, preludeLines: 1, usesContext: [] });
    }
  }
  return out;
}

const blocks = prepare();

const SUBPATHS = ['core', 'autodiff', 'rnn', 'lyapunov', 'geometry', 'data', 'plot', 'io', 'parallel'];

function compileAll(): { diagnostics: Map<string, string[]>; exports: Map<string, Set<string>> } {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error('tsconfig.json did not parse');
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
  const byPath = new Map(blocks.map((b) => [b.path, b]));
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) => {
    const b = byPath.get(name);
    return b ? ts.createSourceFile(name, b.text, lang, true) : getSourceFile(name, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => byPath.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => byPath.get(name)?.text ?? readFile(name);
  const indexes = ['', ...SUBPATHS].map((sub) => join(root, 'src', sub, 'index.ts'));
  const program = ts.createProgram([...byPath.keys(), ...indexes], options, host);
  const checker = program.getTypeChecker();
  const exports = new Map<string, Set<string>>();
  ['', ...SUBPATHS].forEach((sub, i) => {
    const mod = checker.getSymbolAtLocation(program.getSourceFile(indexes[i])!)!;
    exports.set(sub, new Set(checker.getExportsOfModule(mod).map((e) => e.name)));
  });
  const diagnostics = new Map<string, string[]>();
  for (const b of blocks) {
    const sf = program.getSourceFile(b.path)!;
    const preludeEnd = b.text.indexOf('\n');
    const messages = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
      const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line - b.preludeLines + 1;
      return `${b.file}:${Number(b.id.split(':').pop()) + line}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    diagnostics.set(b.id, messages);
    const used = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.pos > preludeEnd) {
        const decl = checker.getSymbolAtLocation(node)?.declarations?.[0];
        if (decl && decl.getSourceFile() === sf && decl.pos < preludeEnd) used.add(node.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    b.usesContext = [...used];
  }
  return { diagnostics, exports };
}

const { diagnostics, exports } = compileAll();

describe('code blocks in README.md and docs/*.md type-check against the package', () => {
  for (const b of blocks) {
    it(b.id, () => {
      expect(diagnostics.get(b.id)).toEqual([]);
    });
  }
});

const tmp = mkdtempSync(join(tmpdir(), 'rnn-lyap-doc-blocks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 'rnn-lyap' and 'rnn-lyap/sub' to the sources, so a block runs as the package would. */
function toSource(code: string): string {
  return code.replace(/from '(rnn-lyap)(?:\/([a-z]+))?'/g, (_m, _p, sub: string | undefined) =>
    `from '${pathToFileURL(join(root, 'src', sub ? `${sub}/index.ts` : 'index.ts')).href}'`);
}

// The README quickstart is run as a user runs it, by test/package/quickstart.test.ts.
const quickstart = readFileSync(join(root, 'examples', 'quickstart.ts'), 'utf8').trim();

describe('self-contained code blocks run', () => {
  for (const b of blocks) {
    const skip = b.noRun || b.code.trim() === quickstart || b.usesContext.length > 0 || /from 'node:/.test(b.code) || (diagnostics.get(b.id)?.length ?? 0) > 0;
    it.skipIf(skip)(`${b.id}${b.usesContext.length ? ` (uses ${b.usesContext.join(', ')}: type-checked only)` : ''}`, async () => {
      const path = join(tmp, `${b.id.replace(/[/:.]/g, '_')}.ts`);
      writeFileSync(path, `${toSource(b.code)}\nexport {};\n`);
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await import(pathToFileURL(path).href);
      } finally {
        log.mockRestore();
      }
    });
  }
});

/** Backticked names `name` or `name(...)` in a markdown table cell that look like API names. */
function apiNames(cell: string): string[] {
  const names: string[] = [];
  for (const m of cell.matchAll(/`([A-Za-z_$][\w$]*)(\(|`)/g)) {
    // a call form, or a bare camelCase / PascalCase identifier (not an option value such as `tanh`)
    if (m[2] === '(' || /[A-Z]/.test(m[1])) names.push(m[1]);
  }
  return names;
}

describe('functions the guides list in their tables are exported', () => {
  for (const file of docFiles(root)) {
    it(file, () => {
      const text = readFileSync(join(root, file), 'utf8');
      const missing: string[] = [];
      for (const row of text.split('\n').filter((l) => l.startsWith('| `'))) {
        const cells = row.split('|').slice(1, -1);
        const sub = /^\s*`rnn-lyap\/([a-z]+)`\s*$/.exec(cells[0])?.[1];
        // README's "What is in it": every name in the row's subpath; elsewhere the first cell
        const names = sub ? cells.slice(1).flatMap(apiNames) : apiNames(cells[0]);
        const where = exports.get(sub ?? '')!;
        for (const name of names) if (!where.has(name)) missing.push(`${name}${sub ? ` (rnn-lyap/${sub})` : ''}`);
      }
      expect(missing).toEqual([]);
    });
  }
});
