#!/usr/bin/env node
// @ts-check
/**
 * `npm run notebooks`: executes every notebook in notebooks/ with Jupyter and the tslab kernel
 * (`jupyter nbconvert --execute --to html`) and writes reports/<name>.html.
 *
 * The kernel is registered for this run only: a kernelspec named "tslab" is written to a temporary
 * folder put first on JUPYTER_PATH, pointing at this repository's node and node_modules/tslab, so
 * nothing is installed into the user's Jupyter. The HTML uses scripts/nbconvert-templates/aq-offline
 * (nbconvert's lab template minus its CDN scripts), so the files open offline.
 *
 *   npm run notebooks                        all notebooks, bundled sample data
 *   npm run notebooks -- 03-backtest-attribution.ipynb
 *   AQ_DATA_DIR=../shared/data/real/normalized npm run notebooks
 *
 * Environment: JUPYTER (default "jupyter") is the Jupyter command; AQ_DATA_DIR is passed to the
 * notebooks. Exit code 1 when a notebook fails (nbconvert names the cell and shows the error).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureBuild } = require('./ensure-build');

const root = path.resolve(__dirname, '..');
const notebooksDir = path.join(root, 'notebooks');
const outputDir = path.join(root, 'reports');
const jupyter = process.env.JUPYTER || 'jupyter';

function fail(/** @type {string} */ message) {
  process.stderr.write(`notebooks: ${message}\n`);
  process.exit(1);
}

/** A kernelspec "tslab" in a fresh folder; returns the folder to put on JUPYTER_PATH. */
function writeKernelSpec() {
  const jupyterPath = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-jupyter-'));
  const kernelDir = path.join(jupyterPath, 'kernels', 'tslab');
  fs.mkdirSync(kernelDir, { recursive: true });
  const tslab = path.join(root, 'node_modules', 'tslab', 'bin', 'tslab');
  if (!fs.existsSync(tslab)) fail(`${tslab} is missing: run npm install first`);
  // The argv tslab's own `tslab install` writes, with absolute paths instead of a `tslab` on PATH.
  const spec = {
    argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
  };
  fs.writeFileSync(path.join(kernelDir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
  return jupyterPath;
}

function main() {
  const requested = process.argv.slice(2);
  const all = fs.readdirSync(notebooksDir).filter((name) => name.endsWith('.ipynb')).sort();
  const notebooks = requested.length === 0 ? all : requested.map((name) => path.basename(name));
  for (const name of notebooks) if (!all.includes(name)) fail(`no notebook ${name} in ${notebooksDir} (have: ${all.join(', ')})`);

  const version = spawnSync(jupyter, ['nbconvert', '--version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) {
    fail(`"${jupyter} nbconvert" is not available (${version.error?.message ?? version.stderr.trim()}).\n`
      + 'Install Jupyter first: see docs/notebooks.md (Debian/Ubuntu: apt-get install jupyter-nbconvert jupyter-client; or pip install nbconvert jupyter_client).');
  }
  ensureBuild();
  fs.mkdirSync(outputDir, { recursive: true });
  const jupyterPath = writeKernelSpec();
  const env = {
    ...process.env,
    JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    // Progress bars and colours are for terminals; a notebook's output is a document.
    CI: process.env.CI ?? '1',
  };
  let failed = 0;
  try {
    for (const name of notebooks) {
      const started = Date.now();
      process.stderr.write(`notebooks: executing ${name} ...\n`);
      const result = spawnSync(jupyter, [
        'nbconvert',
        '--to', 'html',
        '--execute',
        '--ExecutePreprocessor.kernel_name=tslab',
        '--ExecutePreprocessor.timeout=900',
        `--TemplateExporter.extra_template_basedirs=${path.join(__dirname, 'nbconvert-templates')}`,
        '--template', 'aq-offline',
        '--output-dir', outputDir,
        path.join(notebooksDir, name),
      ], { env, stdio: 'inherit' });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (result.status === 0) {
        process.stderr.write(`notebooks: wrote reports/${name.replace(/\.ipynb$/, '.html')} (${seconds} s)\n`);
      } else {
        failed++;
        process.stderr.write(`notebooks: ${name} FAILED (exit ${result.status ?? result.signal}) after ${seconds} s\n`);
      }
    }
  } finally {
    fs.rmSync(jupyterPath, { recursive: true, force: true });
  }
  if (failed > 0) fail(`${failed} of ${notebooks.length} notebooks failed`);
}

main();
