import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

const created: string[] = [];

after(() => {
  for (const directory of created) rmSync(directory, { recursive: true, force: true });
});

/** Writes a throwaway project (`{ "pkg/app.py": "..." }`) and returns its directory; removed after the tests. */
export function writeProject(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'csrflint-test-'));
  created.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}

/** `writeProject`, committed to a new git repository: what pre-commit runs in. */
export function writeCommittedProject(files: Record<string, string | Uint8Array>): string {
  const directory = writeProject(files);
  for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'initial']]) {
    const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: directory, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
  }
  return directory;
}

/**
 * A copy of a fixture folder outside this repository: inside it, every fixture would sit under
 * the repository's `tests/` folder and be test code.
 */
export function copyFixture(directory: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'csrflint-fixture-'));
  created.push(root);
  cpSync(directory, root, { recursive: true });
  return root;
}
