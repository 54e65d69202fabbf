import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Tests run compiled from `dist/tests/...`; fixtures and the CLI are found from the repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures');
export const CLI = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js');
