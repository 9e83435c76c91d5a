import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createProgress, quietProgress, terminalStream } from '../../src/reports/progress';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('reports/progress', () => {
  it('draws nothing when nobody watches a terminal (CI, pipes, notebooks)', () => {
    const sink = collect();
    const progress = createProgress({ interactive: false, stream: sink.stream });
    assert.equal(progress, quietProgress);
    const task = progress.task('backtest', 10);
    task.update(5);
    task.stop();
    assert.equal(sink.text(), '');
  });

  it('draws a labelled bar up to 100% on an interactive terminal', () => {
    const written: string[] = [];
    const progress = createProgress({ interactive: true, stream: terminalStream((text) => written.push(text)) });
    const task = progress.task('leave one factor out', 4);
    task.update(2);
    task.update(9); // beyond the total: clamped
    task.stop();
    task.stop(); // idempotent
    const text = written.join('');
    assert.match(text, /leave one factor out/);
    assert.match(text, /100% \| 4\/4/);
    assert.doesNotMatch(text, /9\/4/);
  });
});
