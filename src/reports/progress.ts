/**
 * Progress bars for long work (many symbols, sweeps, several backtests). Drawn only when a
 * person watches a terminal: `interactive` is the CLI's "stderr is a TTY and not CI" (see
 * `CommandIo.interactive`). Otherwise every call is a no-op, so CI logs and notebooks stay quiet.
 */
import { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';

export interface ProgressTask {
  /** Sets the work done, in the task's own units (0..total). */
  update(done: number): void;
  stop(): void;
}

export interface Progress {
  /** Starts a bar labelled `label` for `total` units; finish it with `stop()` before the next one. */
  task(label: string, total: number): ProgressTask;
}

const quietTask: ProgressTask = Object.freeze({ update() {}, stop() {} });

export const quietProgress: Progress = Object.freeze({ task: () => quietTask });

export interface ProgressOptions {
  readonly interactive: boolean;
  /** Where bars are drawn (default process.stderr). */
  readonly stream?: NodeJS.WritableStream;
}

export function createProgress(options: ProgressOptions): Progress {
  if (!options.interactive) return quietProgress;
  const stream = options.stream ?? process.stderr;
  return {
    task(label: string, total: number): ProgressTask {
      const bar = new SingleBar({
        format: `${label.padEnd(24)} {bar} {percentage}% | {value}/{total}`,
        stream,
        hideCursor: false,
        clearOnComplete: false,
        // The caller already decided a person is watching; draw even if the stream does not say TTY.
        noTTYOutput: true,
        notTTYSchedule: 200,
        barsize: 30,
      });
      bar.start(total, 0);
      let stopped = false;
      return {
        update(done: number) {
          if (!stopped) bar.update(Math.max(0, Math.min(total, done)));
        },
        stop() {
          if (stopped) return;
          stopped = true;
          bar.update(total);
          bar.stop();
        },
      };
    },
  };
}

/**
 * A writable stream over a text sink (e.g. a command's `io.stderr`) that presents itself as a
 * terminal, so cli-progress redraws its bar in place with cursor codes. Use it only when the sink
 * really is an interactive terminal (the caller's `interactive`).
 */
export function terminalStream(write: (text: string) => void, columns = process.stderr.columns ?? 100): NodeJS.WritableStream {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      write(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY: true, columns });
}
