/** One measured row of a bench section. */
export interface BenchRow {
  /** What was measured, e.g. `roc (runFeature)`. */
  readonly name: string;
  /** Median wall-clock nanoseconds per unit of work over the repeats. */
  readonly nsPerUnit: number;
  /** Median CPU time (user + system of this process) per unit: less sensitive to other load on the machine. */
  readonly cpuNsPerUnit?: number;
  /** The unit of work, e.g. `bar`. */
  readonly unit: string;
  /** Fastest and slowest repeat, ns per unit (spread of the measurement). */
  readonly minNs?: number;
  readonly maxNs?: number;
  /** Free comparison column, e.g. `0.42x SMA(50)`. */
  readonly relative?: string;
  readonly note?: string;
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} us`;
  return `${ns.toFixed(1)} ns`;
}

/** Plain aligned text table: name, median wall and CPU ns per unit, wall min..max, relative, note. */
export function formatTable(title: string, rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'wall (median)', 'cpu (median)', 'wall min..max', 'relative', 'note'];
  const body = rows.map((row) => [
    row.name,
    `${formatNs(row.nsPerUnit)}/${row.unit}`,
    row.cpuNsPerUnit === undefined ? '' : `${formatNs(row.cpuNsPerUnit)}/${row.unit}`,
    row.minNs === undefined || row.maxNs === undefined ? '' : `${formatNs(row.minNs)}..${formatNs(row.maxNs)}`,
    row.relative ?? '',
    row.note ?? '',
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((line) => line[i].length)));
  const rightAligned = new Set([1, 2, 3, 4]);
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [title, render(header), rule, ...body.map(render)].join('\n') + '\n';
}

export function printTable(title: string, rows: readonly BenchRow[]): void {
  process.stdout.write(`${formatTable(title, rows)}\n`);
}

export interface Measurement {
  /** Wall-clock ns per unit: median, fastest, slowest repeat. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median CPU ns per unit (process user + system time). */
  readonly cpu: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs `body` (which processes `units` units of work) `warmups` times unmeasured so that the JIT
 * settles, then `repeats` times measured; returns ns per unit (median wall, min, max, median CPU).
 */
export function measure(units: number, body: () => unknown, repeats = 7, warmups = 3): Measurement {
  let sink: unknown;
  for (let i = 0; i < warmups; i++) sink = body();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    sink = body();
    const elapsed = Number(process.hrtime.bigint() - start);
    const used = process.cpuUsage(cpuStart);
    wall.push(elapsed / units);
    cpu.push(((used.user + used.system) * 1000) / units);
  }
  if (sink === Symbol.for('never')) process.stdout.write('');
  return { median: median(wall), min: Math.min(...wall), max: Math.max(...wall), cpu: median(cpu) };
}
