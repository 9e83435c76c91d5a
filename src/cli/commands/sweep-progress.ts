import { SingleBar } from 'cli-progress';

/**
 * The sweep's progress: on a terminal a bar with trials done and the time left (cli-progress,
 * as `aq backtest` draws its bar); piped or in CI, a line now and then (every 10 % or 30 s),
 * so a log shows the sweep is alive without a line per trial.
 */
export interface SweepProgress {
  update(done: number, total: number): void;
  stop(): void;
}

export function sweepProgress(label: string, interactive: boolean, write: (text: string) => void): SweepProgress {
  if (interactive) {
    const bar = new SingleBar({
      format: `${label.padEnd(16)} {bar} {percentage}% | {value}/{total} trials | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: false,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 200,
      barsize: 30,
      etaBuffer: 50,
    });
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else {
          bar.update(done);
        }
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastShare = -1;
  let lastTime = Date.now();
  const start = Date.now();
  let first: number | undefined;
  return {
    update(done, total) {
      first ??= done;
      const share = Math.floor((done / total) * 10);
      const now = Date.now();
      if (done === total || share > lastShare || now - lastTime > 30_000) {
        if (share === lastShare && done !== total && now - lastTime <= 30_000) return;
        lastShare = share;
        lastTime = now;
        const ran = done - first;
        const left = ran > 0 ? ((now - start) / ran) * (total - done) / 1000 : Number.NaN;
        write(`${label}: ${done}/${total} trials${Number.isFinite(left) && done < total ? `, about ${Math.ceil(left)} s left` : ''}\n`);
      }
    },
    stop() {},
  };
}
