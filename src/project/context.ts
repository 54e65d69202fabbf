import path from 'node:path';
import type { Definition, SourceRange } from '../python/facts.js';
import { enclosing } from './enclosing.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** Where a finding sits: test code disables CSRF on purpose, production code should not. */
export type FindingContext = 'production' | 'test' | 'development';

const TEST_DIRECTORIES = new Set(['tests', 'test', 'testing']);
/**
 * Test-support packages: `cms/test_utils/project/` holds the sample project a test suite mounts.
 * Named for the support they hold: `bank/test_results/` may be a production app about test runs.
 */
const TEST_SUPPORT_DIRECTORY = /^test_?(?:utils?|utilities|support|helpers?|tools|projects?|apps?|sites?|fixtures?|data|settings|runner|mocks?|doubles|env)$/;
/**
 * Code that shows how to use a project, or that its maintainers run on their own machines
 * (benchmarks, `maint/` scripts), rather than code the project deploys. `scripts/` and `tools/` are
 * not among them: they often hold the entry point that starts the production server.
 */
const DEVELOPMENT_DIRECTORIES = new Set(['examples', 'example', 'demo', 'demos', 'samples', 'sample', 'docs', 'docs_src', 'benchmarks', 'benchmark', 'bench', 'maint']);
const TEST_WORDS = new Set(['test', 'tests', 'testing']);
/** `ci` settings run the test suite on a build server. */
const TEST_SETTINGS_WORDS = new Set([...TEST_WORDS, 'ci']);
const DEVELOPMENT_WORDS = new Set(['dev', 'development', 'local', 'debug']);
/** Words that make a module a settings or config module, whose name then says where it runs. */
const SETTINGS_WORDS = new Set(['settings', 'config', 'configs', 'conf', 'configuration']);

/**
 * Test code by pytest's and unittest's naming conventions. Whole path segments only: `contest/`
 * and `attestation.py` are production code.
 */
function isTestPath(relativePath: string): boolean {
  const segments = relativePath.split('/');
  const fileName = segments.pop() ?? '';
  if (segments.some((segment) => TEST_DIRECTORIES.has(segment) || TEST_SUPPORT_DIRECTORY.test(segment) || namesAMock(segment))) return true;
  const stem = fileName.replace(/\.pyi?$/, '');
  // `testing.py` holds a package's test-support code (Kotti's, Pyramid's): dummy views and fixtures for test suites.
  return stem === 'conftest' || stem === 'tests' || stem === 'testing' || stem.startsWith('test_') || stem.endsWith('_test');
}

/**
 * A folder holding a stand-in for an outside service that a test suite or a development stack runs
 * (`github_mock/`, `mocks/`): a fake github.com is no app of the project's users.
 */
function namesAMock(segment: string): boolean {
  return words(segment).some((word) => word === 'mock' || word === 'mocks');
}

/** The context of a whole file, from its path in its project: tests, examples and benchmarks, test or development settings. */
export function contextOfPath(relativePath: string): FindingContext {
  if (isTestPath(relativePath)) return 'test';
  const segments = relativePath.replace(/\.pyi?$/, '').split('/');
  if (segments.slice(0, -1).some((segment) => DEVELOPMENT_DIRECTORIES.has(segment))) return 'development';
  const stemWords = words(segments[segments.length - 1] ?? '');
  const isSettings = segments.some((segment) => words(segment).some((word) => SETTINGS_WORDS.has(word)));
  if (!isSettings) return 'production';
  if (stemWords.some((word) => TEST_SETTINGS_WORDS.has(word))) return 'test';
  if (stemWords.some((word) => DEVELOPMENT_WORDS.has(word))) return 'development';
  return 'production';
}

/**
 * Whether a file is development code only because it sits in a folder of sample or maintainer code
 * (\`examples/\`, \`docs/\`): nothing in its own name or its settings folder says it is a development
 * configuration. Sample code is what users copy into the apps they deploy.
 */
export function isSampleCode(relativePath: string): boolean {
  const segments = relativePath.split('/');
  if (!segments.slice(0, -1).some((segment) => DEVELOPMENT_DIRECTORIES.has(segment))) return false;
  return contextOfPath(segments.filter((segment) => !DEVELOPMENT_DIRECTORIES.has(segment)).join('/')) !== 'development';
}

/** The words of an identifier or file name: `TestingConfig` → testing, config; `settings_dev` → settings, dev. */
export function words(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    // `HTTPServer` → `HTTP Server`; a lookahead, as `([A-Z]+)([A-Z][a-z])` backtracks quadratically on a long run of capitals.
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** The context named by a class: `TestingConfig` is test, `DevelopmentConfig` development. */
export function contextOfClassName(name: string): FindingContext | undefined {
  const classWords = words(name);
  if (classWords.some((word) => TEST_WORDS.has(word))) return 'test';
  if (classWords.some((word) => DEVELOPMENT_WORDS.has(word))) return 'development';
  return undefined;
}

/**
 * The context of a finding: its file's, unless it sits in a `TestCase` subclass or a `test_`
 * function (test), or in a class named for testing or development (`TestingConfig`, `DevConfig`).
 */
export function contextOfFinding(project: Project, module: SourceModule, range: SourceRange): FindingContext {
  if (module.context === 'test') return 'test';
  let context = module.context;
  for (const definition of enclosingDefinitions(module, range)) {
    if (definition.kind === 'function' && definition.name.startsWith('test_')) return 'test';
    if (definition.kind !== 'class') continue;
    if (isTestCaseClass(project, module, definition)) return 'test';
    const named = contextOfClassName(definition.name);
    if (named === 'test') return 'test';
    if (named === 'development') context = 'development';
  }
  return context;
}

/** By lines, as a finding's place is judged: a definition on the finding's line encloses it. */
function enclosingDefinitions(module: SourceModule, range: SourceRange): Definition[] {
  return enclosing(module.facts.definitions, { line: range.line, column: Number.MAX_SAFE_INTEGER, endLine: range.endLine, endColumn: 0 });
}

/** `unittest.TestCase`, Django's and DRF's test cases, Flask-Testing's: any ancestor named `...TestCase`. */
function isTestCaseClass(project: Project, module: SourceModule, definition: Definition): boolean {
  return project.inheritsFrom(module.symbols.definitionName(definition), (name) => name.endsWith('TestCase'));
}

/** Folders a project copies other projects' code into, by the usual names. */
const VENDORED_DIRECTORIES = new Set(['vendor', 'vendored', '_vendor', 'third_party', 'thirdparty', 'third-party', 'externals', '_extern']);

/**
 * A library copied into the project (`octoprint/vendor/sockjs/...`): its own design decisions (a
 * transport that skips Tornado's XSRF check) are the library's, not the project's. Known by a
 * package folder inside a vendor folder (`vendor/<package>/`), in its path inside the project or in
 * its import name. A module lying directly in such a folder (`web/third_party/github.py`) is as
 * likely the project's own integration code, and stays the project's.
 */
export function isVendoredModule(module: SourceModule): boolean {
  const folders = path.relative(module.projectRoot, module.absolutePath).split(path.sep).slice(0, -1);
  return holdsVendoredPackage(folders) || holdsVendoredPackage(module.name.split('.').slice(0, -1));
}

/** A vendor folder followed by at least one more folder: `vendor/sockjs`. */
function holdsVendoredPackage(folders: readonly string[]): boolean {
  return folders.some((segment, index) => index < folders.length - 1 && VENDORED_DIRECTORIES.has(segment));
}
