/**
 * Every notebook in notebooks/ executes headlessly, cell by cell, through tslab's own executor
 * (scripts/execute-notebook.js: the kernel's compiler and module resolution, no Jupyter), on the
 * bundled sample universe. A failing cell fails the test with the notebook, the cell index and
 * the message. The notebooks are also checked as files: committed without outputs, tslab kernel,
 * the library imported by its package name only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const notebooksDir = join(root, 'notebooks');
const runner = join(root, 'scripts', 'execute-notebook.js');
const notebookNames = readdirSync(notebooksDir).filter((name) => name.endsWith('.ipynb')).sort();

interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

interface RunResult {
  ok: boolean;
  cells: { index: number; ok: boolean; seconds: number; displays: string[] }[];
  error: { cell: number; message: string } | null;
}

const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

function readNotebook(file: string): { cells: Cell[]; metadata: { kernelspec?: { name?: string; language?: string } }; nbformat: number } {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Runs one notebook in a child process (its own tslab state), sample data unless `env` says otherwise. */
function execute(file: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string; result: RunResult | null } {
  const folder = mkdtempSync(join(tmpdir(), 'aq-notebook-'));
  const resultFile = join(folder, 'result.json');
  try {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (env.AQ_DATA_DIR === undefined) delete childEnv.AQ_DATA_DIR;
    const child = spawnSync(process.execPath, [runner, file, '--result', resultFile], { env: childEnv, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
    let result: RunResult | null = null;
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8'));
    } catch {
      result = null;
    }
    return { status: child.status, stdout: child.stdout, stderr: child.stderr, result };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function writeScratchNotebook(folder: string, sources: string[]): string {
  const file = join(folder, 'scratch.ipynb');
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: ['# scratch'] },
    ...sources.map((source) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: [source] })),
  ];
  writeFileSync(file, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

describe('notebooks', function () {
  it('there are the four research notebooks', () => {
    assert.deepEqual(notebookNames, ['01-features.ipynb', '02-lookahead.ipynb', '03-backtest-attribution.ipynb', '04-factor-research.ipynb']);
  });

  for (const name of notebookNames) {
    it(`${name} is committed without outputs, on the tslab kernel, importing the library by name`, () => {
      const notebook = readNotebook(join(notebooksDir, name));
      assert.equal(notebook.nbformat, 4);
      assert.equal(notebook.metadata.kernelspec?.name, 'tslab');
      assert.equal(notebook.cells[0].cell_type, 'markdown');
      assert.match(text(notebook.cells[0]), /^# \d\d · /, 'starts with a numbered title');
      const code = notebook.cells.filter((cell) => cell.cell_type === 'code');
      const markdown = notebook.cells.filter((cell) => cell.cell_type === 'markdown');
      assert.ok(code.length >= 4, 'a few steps');
      assert.ok(markdown.length >= code.length / 2, 'prose explains the steps');
      for (const [index, cell] of notebook.cells.entries()) {
        if (cell.cell_type !== 'code') continue;
        assert.deepEqual(cell.outputs, [], `cell ${index} has outputs: clear them before committing`);
        assert.equal(cell.execution_count ?? null, null, `cell ${index} has an execution count`);
        const source = text(cell);
        assert.doesNotMatch(source, /from\s+['"]\.{1,2}\//, `cell ${index} imports a relative path: import 'aq-research'`);
        assert.doesNotMatch(source, /require\(/, `cell ${index} uses require: use import`);
      }
      assert.match(code.map(text).join('\n'), /import \* as aq from 'aq-research';/);
    });
  }

  describe('headless execution (tslab executor, sample universe)', function () {
    before(function () {
      // The notebooks import dist/ through the package name: build it when src/ is newer.
      const { ensureBuild } = require(join(root, 'scripts', 'ensure-build.js')) as { ensureBuild: () => void };
      ensureBuild();
    });

    for (const name of notebookNames) {
      it(`${name} runs every cell`, function () {
        const file = join(notebooksDir, name);
        const { status, stderr, result } = execute(file);
        if (result === null) assert.fail(`${name}: the runner died (exit ${status}):\n${stderr}`);
        if (result.error !== null) assert.fail(`${name}, cell ${result.error.cell}: ${result.error.message}`);
        assert.equal(status, 0, stderr);
        const codeCells = readNotebook(file).cells.filter((cell) => cell.cell_type === 'code').length;
        assert.equal(result.cells.length, codeCells, 'every code cell ran');
        const displays = result.cells.flatMap((cell) => cell.displays);
        assert.ok(displays.filter((mime) => mime === 'text/html').length >= 3, `${name}: shows its charts and tables`);
      });
    }
  });

  describe('the headless runner', function () {
    let folder: string;
    before(() => {
      folder = mkdtempSync(join(tmpdir(), 'aq-notebook-scratch-'));
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    it('names the notebook, cell and message of a runtime error, and stops there', () => {
      const file = writeScratchNotebook(folder, ['const x: number = 1 + 1;\nx', "throw new Error('deliberate failure');", 'console.log("never")']);
      const { status, stdout, stderr, result } = execute(file);
      assert.equal(status, 1);
      assert.match(stdout, /^2$/m, 'the first cell ran and showed its value');
      assert.doesNotMatch(stdout, /never/);
      assert.deepEqual(result?.error, { cell: 2, message: 'Error: deliberate failure' });
      assert.deepEqual(result?.cells.map((cell) => [cell.index, cell.ok]), [[1, true], [2, false]]);
      assert.match(stderr, /scratch\.ipynb: cell 2 failed: Error: deliberate failure/);
    });

    it('reports a type error as the failure of its cell', () => {
      const file = writeScratchNotebook(folder, ["const label: number = 'not a number';"]);
      const { status, result } = execute(file);
      assert.equal(status, 1);
      assert.equal(result?.error?.cell, 1);
      assert.match(result?.error?.message ?? '', /Type 'string' is not assignable to type 'number'/);
    });
  });
});
