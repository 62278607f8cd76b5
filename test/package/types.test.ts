// The shipped declarations compile in a consumer's strict project (skipLibCheck: false) under the
// three module resolutions users have: node16 (ESM .mts and CommonJS .cts), bundler and node10.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerSource } from './consumer-source.js';
import { consumerProject, packTarball } from './helpers.js';

let dir = '';
beforeAll(() => {
  dir = consumerProject(packTarball());
}, 120_000);

const strict: ts.CompilerOptions = {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
};

function compile(sub: string, file: string, options: ts.CompilerOptions): string[] {
  const d = join(dir, sub);
  mkdirSync(d, { recursive: true });
  const path = join(d, file);
  writeFileSync(path, consumerSource);
  const program = ts.createProgram([path], { ...strict, ...options });
  return ts.getPreEmitDiagnostics(program).map((diag) => {
    const where = diag.file ? `${diag.file.fileName.slice(dir.length)}:${diag.file.getLineAndCharacterOfPosition(diag.start ?? 0).line + 1}` : '';
    return `${where} TS${diag.code}: ${ts.flattenDiagnosticMessageText(diag.messageText, '\n')}`;
  });
}

describe('the packed package type-checks in a strict consumer project', () => {
  it('node16, ESM (.mts)', () => {
    expect(compile('node16', 'consumer.mts', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 })).toEqual([]);
  });
  it('node16, CommonJS (.cts)', () => {
    expect(compile('node16', 'consumer.cts', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 })).toEqual([]);
  });
  it('bundler', () => {
    expect(compile('bundler', 'consumer.ts', { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler })).toEqual([]);
  });
  it('node10', () => {
    expect(compile('node10', 'consumer.ts', {
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      ignoreDeprecations: '6.0',
      esModuleInterop: true,
    })).toEqual([]);
  });
});
