#!/usr/bin/env node
// @ts-check
/**
 * Executes a tslab (TypeScript) notebook headlessly, without Jupyter: every code cell in order,
 * through tslab's own executor (the same compiler and module resolution as the Jupyter kernel),
 * in the notebook's folder. Stops at the first failing cell and names notebook, cell and message.
 *
 *   node scripts/execute-notebook.js notebooks/01-features.ipynb [--result result.json]
 *
 * Cell output (console.log, tslab.display) goes to standard output as text; with --result the
 * outcome is also written as JSON: { notebook, ok, cells: [{ index, ok, seconds, displays }],
 * error: { cell, message } | null }. Exit code 0 when every cell ran, 1 on a failing cell,
 * 2 on bad usage. Cell indexes count every cell (markdown too), from 0, as Jupyter shows them.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { format } = require('node:util');

/** @param {string} message */
function usage(message) {
  process.stderr.write(`execute-notebook: ${message}\nUsage: node scripts/execute-notebook.js NOTEBOOK.ipynb [--result FILE.json]\n`);
  process.exit(2);
}

/**
 * tslab as the notebook's folder resolves it (as Jupyter's kernel would), else this repository's.
 * @param {string} dir
 */
function resolveTslab(dir) {
  try {
    return createRequire(path.join(dir, 'notebook.js')).resolve('tslab/package.json');
  } catch {
    return require.resolve('tslab/package.json');
  }
}

/** @param {unknown} value */
function describeError(value) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return format('%s', value);
}

/** @param {unknown} source */
function cellSource(source) {
  return Array.isArray(source) ? source.join('') : String(source ?? '');
}

async function main() {
  const args = process.argv.slice(2);
  let notebookArg;
  let resultFile;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--result') resultFile = args[++i] ?? usage('--result needs a file');
    else if (args[i].startsWith('-')) usage(`unknown option ${args[i]}`);
    else if (notebookArg === undefined) notebookArg = args[i];
    else usage('one notebook at a time');
  }
  if (notebookArg === undefined) return usage('a notebook path is required');
  const notebookPath = path.resolve(notebookArg);
  const resultPath = resultFile === undefined ? undefined : path.resolve(resultFile);
  let notebook;
  try {
    notebook = JSON.parse(fs.readFileSync(notebookPath, 'utf8'));
  } catch (error) {
    return usage(`cannot read ${notebookArg}: ${describeError(error)}`);
  }
  const name = path.basename(notebookPath);
  // The kernel runs in the notebook's folder: relative paths and module resolution start there.
  process.chdir(path.dirname(notebookPath));
  const tslabDir = path.dirname(resolveTslab(process.cwd()));
  const { createConverter } = require(path.join(tslabDir, 'dist', 'converter'));
  const { createExecutor } = require(path.join(tslabDir, 'dist', 'executor'));
  const jupyter = require(path.join(tslabDir, 'dist', 'jupyter'));

  /** @type {{ index: number, ok: boolean, seconds: number, displays: string[] }[]} */
  const cells = [];
  /** @type {string[]} */
  let displays = [];
  /** @type {string[]} */
  let errors = [];
  // tslab.display.* writes through this hook; in Jupyter the kernel installs it.
  jupyter.lastWriteDisplayData = (/** @type {{ data: Record<string, string> }} */ message) => {
    for (const [mime, data] of Object.entries(message.data)) {
      displays.push(mime);
      process.stdout.write(`[display ${mime}, ${String(data).length} characters]\n`);
    }
  };
  /** @type {any} */
  let converter;
  const converters = {
    get node() {
      converter ??= createConverter({ isJS: false, isBrowser: false });
      return converter;
    },
    get browser() {
      throw new Error('browser cells are not supported headlessly');
    },
    close() {
      converter?.close();
    },
  };
  const executor = createExecutor(process.cwd(), converters, {
    log: (/** @type {unknown[]} */ ...values) => process.stdout.write(`${format(...values)}\n`),
    error: (/** @type {unknown[]} */ ...values) => {
      const text = values.length > 0 && typeof values[0] === 'string' && values[0].includes('%') ? format(...values) : values.map(describeError).join(' ');
      errors.push(text);
      process.stderr.write(`${text}\n`);
    },
  });
  /** @type {{ cell: number, message: string } | null} */
  let failure = null;
  try {
    const all = Array.isArray(notebook.cells) ? notebook.cells : [];
    for (let index = 0; index < all.length; index++) {
      const cell = all[index];
      if (cell.cell_type !== 'code') continue;
      const source = cellSource(cell.source);
      displays = [];
      errors = [];
      const started = performance.now();
      let ok;
      try {
        ok = await executor.execute(source);
      } catch (error) {
        ok = false;
        errors.push(describeError(error));
      }
      cells.push({ index, ok, seconds: (performance.now() - started) / 1000, displays });
      if (!ok) {
        const message = errors.join('\n').trim() || 'the cell failed without a message';
        failure = { cell: index, message };
        process.stderr.write(`${name}: cell ${index} failed: ${message.split('\n')[0]}\n`);
        break;
      }
    }
  } finally {
    executor.close();
  }
  if (resultPath !== undefined) {
    fs.writeFileSync(resultPath, `${JSON.stringify({ notebook: notebookPath, ok: failure === null, cells, error: failure }, null, 2)}\n`);
  }
  process.exitCode = failure === null ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`execute-notebook: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
