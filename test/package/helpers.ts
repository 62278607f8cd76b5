// The package as a consumer gets it: `npm pack` of the built package, installed offline into a fresh
// project (the tarball has no runtime dependencies, so no registry is needed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * `npm test` builds before vitest runs, so dist/ is fresh there. Run alone (`npx vitest run
 * test/package`) without a build, this builds once rather than skip: a skipped package test would
 * pass without checking anything. A dist/ older than src/ is the caller's (`npm test` rebuilds).
 */
export function ensureDist(): void {
  if (existsSync(join(root, 'dist', 'index.js')) && existsSync(join(root, 'dist', 'index.d.ts'))) return;
  execFileSync(npm, ['run', 'build'], { cwd: root, stdio: 'pipe' });
}

/** Packs the built package into a fresh temporary directory and returns the tarball's path. */
export function packTarball(): string {
  ensureDist();
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lyap-pack-'));
  execFileSync(npm, ['pack', '--pack-destination', dir, '--silent'], { cwd: root, stdio: 'pipe' });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack wrote no tarball into ${dir}`);
  return join(dir, tgz);
}

/** A fresh `npm init -y` project with the tarball installed offline; returns its directory. */
export function consumerProject(tarball: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lyap-consumer-'));
  execFileSync(npm, ['init', '-y'], { cwd: dir, stdio: 'pipe' });
  execFileSync(npm, ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, stdio: 'pipe' });
  return dir;
}
