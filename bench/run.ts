/**
 * `npm run bench` (after `npm run build`): runs every bench section and prints one table each.
 *   node dist/bench/run.js [--only NAME]
 * To add a section, append { name, title, run } to `sections`.
 */
import { benchEngine } from './engine';
import { benchFeatures } from './features';
import { benchLoad } from './load';
import { benchRunner } from './runner';
import { printTable, type BenchRow } from './table';

interface Section {
  readonly name: string;
  readonly title: string;
  readonly run: () => Promise<BenchRow[]>;
}

const sections: readonly Section[] = [
  { name: 'features', title: 'features: 1,000,000 synthetic bars, ns per bar (median of 7 after JIT warm-up)', run: () => benchFeatures() },
  { name: 'engine', title: 'engine: TrendBreakout backtests of generated universes, ns per symbol-bar (targets: >= 2M bars/s; 20y x 500 from CSV < 5 s)', run: () => benchEngine() },
  { name: 'load', title: 'load: 20y x 500 generated symbols from CSV, without and with the columnar bar cache (targets: hashing below parsing; load + backtest < 4 s cold, < 1.5 s warm, peak RSS < 500 MB)', run: () => benchLoad() },
  { name: 'runner', title: 'runner: one aq paper cycle, 3 symbols x 14 years, ms from process start to orders placed (target < 1 s)', run: () => benchRunner() },
];

async function main(argv: readonly string[]): Promise<number> {
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') only = argv[++i];
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`Usage: node dist/bench/run.js [--only NAME]\nSections: ${sections.map((s) => s.name).join(', ')}\n`);
      return 0;
    } else {
      process.stderr.write(`bench: unknown argument "${arg}" (try --help)\n`);
      return 2;
    }
  }
  const chosen = only === undefined ? sections : sections.filter((section) => section.name === only);
  if (chosen.length === 0) {
    process.stderr.write(`bench: unknown section "${only}" (known: ${sections.map((s) => s.name).join(', ')})\n`);
    return 2;
  }
  process.stdout.write(`node ${process.version} on ${process.platform}/${process.arch}\n\n`);
  for (const section of chosen) printTable(section.title, await section.run());
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
