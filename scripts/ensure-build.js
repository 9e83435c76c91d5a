// @ts-check
/**
 * Notebooks import the compiled library (dist/, through the package name aq-research), so they
 * must not run against a stale build: `ensureBuild()` rebuilds when any source file is newer than
 * dist/src/index.js, and says so on standard error.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

/** @param {string} dir @returns {number} newest mtime (ms) of the .ts files under dir */
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** @returns {string | null} why a build is needed, or null when dist is fresh */
function buildNeeded() {
  const built = path.join(root, 'dist', 'src', 'index.js');
  if (!fs.existsSync(built)) return 'dist/src/index.js is missing';
  const sources = Math.max(newestSource(path.join(root, 'src')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  return sources > fs.statSync(built).mtimeMs ? 'src/ is newer than dist/' : null;
}

/** Builds with the repository's TypeScript when dist is missing or stale; throws if the build fails. */
function ensureBuild() {
  const reason = buildNeeded();
  if (reason === null) return;
  process.stderr.write(`notebooks: ${reason}, building (npm run build) ...\n`);
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`npm run build failed (exit ${result.status}); the notebooks need dist/:\n${result.stdout}${result.stderr}`);
  }
  // tsc leaves index.js untouched when its output did not change: mark the build as fresh anyway.
  const now = new Date();
  fs.utimesSync(path.join(root, 'dist', 'src', 'index.js'), now, now);
}

module.exports = { ensureBuild, buildNeeded };
