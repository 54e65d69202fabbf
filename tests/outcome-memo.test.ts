import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FileOutcomeMemo } from '../src/analysis/outcome-memo.js';
import type { FileOutcome } from '../src/analysis/file-loader.js';
import { writeProject } from './support/projects.js';

test('an outcome is remembered while the file and the overlay stay the same, and loaded again when either changes', async () => {
  const root = writeProject({ 'app.py': 'x = 1\n' });
  const file = path.join(root, 'app.py');
  const memo = new FileOutcomeMemo();
  let loads = 0;
  const load = async (): Promise<FileOutcome> => {
    loads++;
    return { kind: 'passed-over' };
  };
  const request = { absolutePath: file, mayPassOver: true };
  await memo.load(request, undefined, load);
  await memo.load(request, undefined, load);
  assert.equal(loads, 1);
  writeFileSync(file, 'x = 22\n');
  await memo.load(request, undefined, load);
  assert.equal(loads, 2);
  await memo.load(request, 'unsaved = 1\n', load);
  await memo.load(request, 'unsaved = 1\n', load);
  assert.equal(loads, 3);
  await memo.load(request, 'unsaved = 2\n', load);
  await memo.load({ ...request, mayPassOver: false }, 'unsaved = 2\n', load);
  assert.equal(loads, 5);
});
