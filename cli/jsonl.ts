/** JSON-lines result files: whole lines only; a torn last line (no newline) is reported, not read. */
import { readFileSync } from 'node:fs';
import { CliError } from './common.js';

/** One result line of a sweep. */
export interface SweepRecord {
  key: string;
  index: number;
  total: number;
  spec: string;
  [field: string]: unknown;
}

export interface JsonlFile {
  /** Complete lines with their parsed records. */
  lines: { text: string; record: SweepRecord }[];
  /** Byte length of the complete lines (where a torn tail starts). */
  completeBytes: number;
  /** The torn last line's length in bytes (0 when the file ends with a newline). */
  tornBytes: number;
}

export function readJsonl(path: string, bytes: Uint8Array): JsonlFile {
  const text = new TextDecoder().decode(bytes);
  const lastNewline = text.lastIndexOf('\n');
  const complete = text.slice(0, lastNewline + 1);
  const completeBytes = new TextEncoder().encode(complete).length;
  const lines: JsonlFile['lines'] = [];
  const parts = complete.split('\n');
  parts.pop();
  parts.forEach((line, i) => {
    if (line.trim() === '') return;
    let record: SweepRecord;
    try {
      record = JSON.parse(line);
    } catch {
      throw new CliError(`${path}: line ${i + 1} is not valid JSON (only a torn last line is tolerated); fix or remove it`);
    }
    if (record === null || typeof record !== 'object' || typeof record.key !== 'string' || !Number.isSafeInteger(record.index) || !Number.isSafeInteger(record.total) || typeof record.spec !== 'string') {
      throw new CliError(`${path}: line ${i + 1} is not a sweep record ({ key, index, total, spec, ... })`);
    }
    lines.push({ text: line, record });
  });
  return { lines, completeBytes, tornBytes: bytes.length - completeBytes };
}

export function readJsonlFile(path: string, shown = path): JsonlFile {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read '${shown}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`);
  }
  return readJsonl(shown, bytes);
}
