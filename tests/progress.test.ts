import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { EventEmitter } from 'node:events';
import { ProgressLine, withProgressLine } from '../src/cli/progress.js';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

function terminal() {
  const written: string[] = [];
  return { stream: { isTTY: true, write: (text: string) => written.push(text) }, written };
}

describe('progress line', () => {
  test('only on a terminal, and never in CI or on a dumb terminal', () => {
    assert.equal(ProgressLine.forStream({ isTTY: false, write: () => true }, {}), undefined);
    assert.equal(ProgressLine.forStream(terminal().stream, { CI: 'true' }), undefined);
    assert.equal(ProgressLine.forStream(terminal().stream, { TERM: 'dumb' }), undefined);
    assert.ok(ProgressLine.forStream(terminal().stream, { CI: 'false' }));
  });

  test('silent for a quick scan; then one line redrawn in place, wiped before the report', async () => {
    const { stream, written } = terminal();
    const progress = ProgressLine.forStream(stream, {})!;
    progress.update(1, 10);
    assert.deepEqual(written, []);
    await sleep(450);
    progress.update(2, 10);
    progress.update(3, 10);
    progress.update(10, 10);
    assert.deepEqual(written, ['\r\u001b[2Kcsrflint: checking files 2/10', '\r\u001b[2Kcsrflint: checking files 10/10']);
    progress.clear();
    assert.equal(written.at(-1), '\r\u001b[2K');
  });

  test('a piped run writes nothing but the report and its file problems', () => {
    const run = runCli(['check', '--format', 'concise'], writeProject({ 'pyproject.toml': '', 'app.py': 'x = 1\n' }));
    assert.equal(run.stderr, '');
  });

  test('Ctrl-C wipes the line before the process stops', async () => {
    const { stream, written } = terminal();
    const interrupts = new EventEmitter();
    let stopped = false;
    await withProgressLine(stream, {}, interrupts, () => (stopped = true), async (onProgress) => {
      await sleep(450);
      onProgress?.(1, 3);
      interrupts.emit('SIGINT');
    });
    assert.ok(stopped);
    assert.deepEqual(written, ['\r\u001b[2Kcsrflint: checking files 1/3', '\r\u001b[2K']);
    assert.equal(interrupts.listenerCount('SIGINT'), 0);
  });
});
