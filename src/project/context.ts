/** Where a finding sits: test code disables CSRF on purpose, production code should not. */
export type FindingContext = 'production' | 'test' | 'development';

const TEST_DIRECTORIES = new Set(['tests', 'test', 'testing']);

/**
 * Test code by pytest's and unittest's naming conventions. Whole path segments only: `contest/`
 * and `attestation.py` are production code.
 */
export function isTestPath(relativePath: string): boolean {
  const segments = relativePath.split('/');
  const fileName = segments.pop() ?? '';
  if (segments.some((segment) => TEST_DIRECTORIES.has(segment))) return true;
  const stem = fileName.replace(/\.pyi?$/, '');
  return stem === 'conftest' || stem === 'tests' || stem.startsWith('test_') || stem.endsWith('_test');
}

export function contextOfPath(relativePath: string): FindingContext {
  return isTestPath(relativePath) ? 'test' : 'production';
}
