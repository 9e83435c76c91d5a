/**
 * Numbered checkpoints around every journal transaction and every broker call, so a test can
 * stop the runner at exactly the Nth step: `AQ_CRASH_AT=N` sends SIGKILL to this process at
 * checkpoint N (nothing is flushed, no handler runs: the same as a power cut for the journal,
 * whose committed transactions are all that survives). Tests running in-process install a hook
 * instead, which may throw to abandon the cycle at that step.
 */
export type CheckpointHook = (step: number, label: string) => void;

let steps = 0;
let hook: CheckpointHook | null = null;
const crashAt = parseCrashAt(process.env.AQ_CRASH_AT);

function parseCrashAt(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const step = Number(value);
  if (!Number.isInteger(step) || step < 1) throw new Error(`AQ_CRASH_AT must be an integer >= 1, got "${value}"`);
  return step;
}

export function checkpoint(label: string): void {
  steps++;
  if (hook !== null) hook(steps, label);
  if (steps === crashAt) {
    if (process.env.AQ_CRASH_LOG === '1') process.stderr.write(`AQ_CRASH_AT=${crashAt}: killed at ${label}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

/** Installs (or removes, with null) the in-process hook and restarts the step count. */
export function setCheckpointHook(next: CheckpointHook | null): void {
  hook = next;
  steps = 0;
}

export function checkpointCount(): number {
  return steps;
}
