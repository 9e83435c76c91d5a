import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';
import { repositoryRoot } from './helpers';

/**
 * The tests that start the CLI dozens of times (the kill test) cannot pay ts-node's compile cost
 * in every child: the sources are transpiled once (no type check; the type check is `npm run
 * typecheck`) into a temporary folder, and the children run plain JavaScript from it, with the
 * repository's node_modules on NODE_PATH. It is always the current source, never a stale dist/.
 */
export interface CompiledCli {
  /** Absolute path of the compiled src/cli/main.js. */
  readonly main: string;
  /**
   * A script that runs `aq paper` alone, without the dispatcher (which loads every command:
   * the reports' chart libraries alone take ~0.6 s to load). Same command code, faster start.
   */
  readonly paper: string;
  /** Environment for a child: NODE_PATH pointing at the repository's node_modules. */
  readonly env: NodeJS.ProcessEnv;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

export function compileCli(outDir: string): CompiledCli {
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    resolveJsonModule: true,
  };
  for (const file of sourceFiles(join(repositoryRoot, 'src'))) {
    const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file }).outputText;
    const target = join(outDir, relative(repositoryRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
  }
  writeFileSync(join(outDir, 'package.json'), readFileSync(join(repositoryRoot, 'package.json')));
  const paper = join(outDir, 'paper.js');
  writeFileSync(paper, `const { paperCommand } = require('./src/cli/commands/paper.js');
const io = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), interactive: false };
paperCommand.run(process.argv.slice(2), io).then(
  (code) => { process.exitCode = code; },
  (error) => {
    // As main.ts: a user-facing error is its message and its exit code, anything else exit 70.
    if (error && error.userFacing) { process.stderr.write('aq paper: ' + error.message + '\\n'); process.exitCode = error.exitCode ?? 1; return; }
    process.stderr.write(String(error && error.stack || error) + '\\n'); process.exitCode = 70;
  },
);
`);
  const nodePath = [join(repositoryRoot, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(':');
  return { main: join(outDir, 'src', 'cli', 'main.js'), paper, env: { ...process.env, NODE_PATH: nodePath } };
}
