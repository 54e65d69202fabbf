import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import ajvDraft04 from 'ajv-draft-04';
import { RULES } from '../src/rules/index.js';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/paths.js';
import { writeProject } from './support/projects.js';
import { HOSTILE_FILE_NAME, REPORT_PROJECT_FILES, REPORT_PROJECT_FINDINGS, writeReportProject } from './support/report-project.js';

interface SarifLog {
  runs: Array<{
    tool: { driver: { rules: Array<Record<string, any>> } };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>; partialFingerprints: Record<string, string>; suppressions?: Array<{ kind: string; justification?: string }> }>;
  }>;
}

// A CommonJS module whose export is the class itself, with the class again as `default`.
const AjvDraft04 = ajvDraft04.default;

const SARIF_SCHEMA = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tests', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')) as object;

/** The OASIS schema is draft-04 and uses the `uri`, `uri-reference` and `date-time` formats. */
function validateSarif(log: unknown): void {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/'));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  const validate = ajv.compile(SARIF_SCHEMA);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
}

function sarifOf(args: string[], cwd: string): SarifLog {
  const run = runCli(['check', '--format', 'sarif', ...args], cwd);
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  return JSON.parse(run.stdout) as SarifLog;
}

const uriAndLine = (result: SarifLog['runs'][0]['results'][0]) => `${result.locations[0]!.physicalLocation.artifactLocation.uri}:${result.locations[0]!.physicalLocation.region.startLine}`;
const encodedPath = (file: string) => file.split('/').map(encodeURIComponent).join('/');

describe('--format sarif', () => {
  test('the examples give SARIF 2.1.0 that validates, with rule metadata and fingerprints', () => {
    const log = sarifOf(['examples'], REPO_ROOT);
    validateSarif(log);
    const [run] = log.runs;
    assert.ok(run);
    assert.deepEqual(run.tool.driver.rules.map((rule) => rule.id), RULES.map((rule) => rule.id));
    for (const descriptor of run.tool.driver.rules) {
      const rule = RULES.find((candidate) => candidate.id === descriptor.id)!;
      assert.equal(descriptor.shortDescription.text, rule.title);
      assert.ok(descriptor.fullDescription.text.length > 40, rule.id);
      assert.ok(descriptor.help.markdown.includes('## Why it matters'), rule.id);
      assert.ok(descriptor.help.text.includes('Why it matters'), rule.id);
      assert.equal(descriptor.helpUri, `https://github.com/csrflint/csrflint/blob/main/docs/rules/${rule.id}.md`);
      assert.deepEqual(descriptor.properties.tags.slice(0, 2), ['security', 'external/cwe/cwe-352']);
      assert.match(descriptor.properties['security-severity'], /^\d+\.\d$/);
      assert.ok(['very-high', 'high', 'medium'].includes(descriptor.properties.precision), rule.id);
    }
    assert.deepEqual(run.results.map(uriAndLine), [
      'examples/django-shop/shop/api.py:11',
      'examples/django-shop/shop/settings_kiosk.py:6',
      'examples/django-shop/shop/urls.py:11',
      'examples/django-shop/shop/views.py:24',
      'examples/flask-blog/blog/__init__.py:15',
      'examples/flask-blog/blog/forms.py:13',
      'examples/flask-blog/blog/stats.py:6',
      'examples/flask-blog/blog/views.py:31',
    ]);
    for (const result of run.results) {
      assert.match(result.partialFingerprints['csrflint/v1'] ?? '', /^[0-9a-f]{16}$/);
      assert.equal(run.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
    }
  });

  test('suppressed findings are left out, or carry their justification with --show-suppressed', () => {
    const directory = writeReportProject();
    const plain = sarifOf([], directory);
    validateSarif(plain);
    assert.deepEqual(plain.runs[0]!.results.map(uriAndLine), REPORT_PROJECT_FINDINGS.map(([file, line]) => `${encodedPath(file)}:${line}`));
    const shown = sarifOf(['--show-suppressed'], directory);
    validateSarif(shown);
    const suppressed = shown.runs[0]!.results.filter((result) => result.suppressions);
    assert.deepEqual(suppressed.map(uriAndLine), ['shop/views.py:10']);
    assert.deepEqual(suppressed[0]!.suppressions, [{ kind: 'inSource', justification: 'the payment provider signs every call' }]);
  });

  test('URIs are relative to the repository root when csrflint runs in a subfolder', () => {
    const repository = writeProject({});
    const project = path.join(repository, 'services', 'web');
    mkdirSync(project, { recursive: true });
    for (const [file, content] of Object.entries({ 'shop/views.py': REPORT_PROJECT_FILES['shop/views.py']!, 'pyproject.toml': '' })) {
      mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      spawnSync('sh', ['-c', 'cat > "$0"', path.join(project, file)], { input: content });
    }
    mkdirSync(path.join(repository, '.git'));
    assert.deepEqual(sarifOf([], project).runs[0]!.results.map(uriAndLine), ['services/web/shop/views.py:5']);
  });
});

describe('CI formats', () => {
  test('github: one workflow command per finding, with escaped properties', () => {
    const run = runCli(['check', '--format', 'github'], writeReportProject());
    assert.equal(run.status, 1);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, REPORT_PROJECT_FINDINGS.length);
    assert.equal(lines[0], '::error file=app.py,line=3,col=7,endLine=3,endColumn=22,title=CSRF202 flask-csrf-protect-missing::Flask application `app` is never protected against CSRF: no CSRFProtect(app), csrf.init_app(app) or SeaSurf(app) anywhere in the project (hint: its users are authenticated by a session cookie (`flask.session` imported, app.py:1); views that accept state-changing requests without a form or token check: `update_profile` (app.py:8))');
    assert.ok(lines[2]!.startsWith('::warning file=shop/"><svg onload=window.csrflintInjected=1>.py,line=4,col=1,'), lines[2]);
    assert.deepEqual(lines.map((line) => /title=(\S+) /.exec(line)?.[1]), ['CSRF202', 'CSRF201', 'CSRF102', 'CSRF102', 'CSRF401']);
  });

  test('gitlab-sast: a SAST report with scan metadata and CWE-352 identifiers', () => {
    const run = runCli(['check', '--format', 'gitlab-sast'], writeReportProject());
    const report = JSON.parse(run.stdout) as { version: string; scan: Record<string, any>; vulnerabilities: Array<Record<string, any>> };
    assert.match(report.version, /^15\.\d+\.\d+$/);
    assert.equal(report.scan.type, 'sast');
    assert.equal(report.scan.status, 'success');
    assert.equal(report.scan.analyzer.id, 'csrflint');
    assert.equal(report.scan.scanner.id, 'csrflint');
    assert.match(report.scan.start_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.match(report.scan.end_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.deepEqual(
      report.vulnerabilities.map((vulnerability) => [vulnerability.location.file, vulnerability.location.start_line, vulnerability.identifiers[0].value]),
      REPORT_PROJECT_FINDINGS.map(([file, line, rule]) => [file, line, rule]),
    );
    for (const vulnerability of report.vulnerabilities) {
      assert.match(vulnerability.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(vulnerability.identifiers[1], { type: 'cwe', name: 'CWE-352', value: '352', url: 'https://cwe.mitre.org/data/definitions/352.html' });
      assert.ok(['High', 'Medium', 'Low'].includes(vulnerability.severity));
    }
    assert.equal(new Set(report.vulnerabilities.map((vulnerability) => vulnerability.id)).size, report.vulnerabilities.length);
  });

  test('sonarqube: generic external issues with 0-based columns and the rules they use', () => {
    const run = runCli(['check', '--format', 'sonarqube'], writeReportProject());
    const report = JSON.parse(run.stdout) as { rules: Array<Record<string, any>>; issues: Array<{ ruleId: string; primaryLocation: { filePath: string; textRange: Record<string, number> } }> };
    assert.deepEqual(report.rules.map((rule) => rule.id).sort(), ['django-csrf-exempt', 'flask-csrf-protect-missing', 'flask-wtf-csrf-disabled', 'template-form-missing-csrf-token']);
    for (const rule of report.rules) {
      assert.equal(rule.engineId, 'csrflint');
      assert.equal(rule.impacts[0].softwareQuality, 'SECURITY');
    }
    assert.deepEqual(
      report.issues.map((issue) => [issue.primaryLocation.filePath, issue.primaryLocation.textRange.startLine, issue.ruleId]),
      REPORT_PROJECT_FINDINGS.map(([file, line, rule]) => [file, line, rule]),
    );
    assert.deepEqual(report.issues[0]!.primaryLocation.textRange, { startLine: 3, endLine: 3, startColumn: 6, endColumn: 21 });
  });

  test('junit: one failing test case per finding, everything escaped', () => {
    const run = runCli(['check', '--format', 'junit', '--show-suppressed'], writeReportProject());
    const cases = [...run.stdout.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*>(<failure|<skipped)/g)];
    assert.deepEqual(
      cases.map((match) => [match[1], match[3]]),
      [
        ['app.py', '<failure'],
        ['app.py', '<failure'],
        ['shop/&#34;&#62;&#60;svg onload=window.csrflintInjected=1&#62;.py', '<failure'],
        ['shop/views.py', '<failure'],
        ['shop/views.py', '<skipped'],
        ['templates/comment.html', '<failure'],
      ],
    );
    assert.match(run.stdout, /<testsuites name="csrflint" tests="6" failures="5" /);
    assert.ok(!run.stdout.includes('<svg'));
  });

  test('several reports in one run: files for some formats, standard output for one', () => {
    const directory = writeReportProject();
    const run = runCli(['check', '--format', 'concise', '--format', 'sarif=reports/csrflint.sarif', '--format', 'json=reports/result.json'], directory);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^app\.py:3:7: CSRF202 /);
    validateSarif(JSON.parse(readFileSync(path.join(directory, 'reports', 'csrflint.sarif'), 'utf8')));
    const result = JSON.parse(readFileSync(path.join(directory, 'reports', 'result.json'), 'utf8')) as { findings: unknown[] };
    assert.equal(result.findings.length, REPORT_PROJECT_FINDINGS.length + 1);
  });

  test('--output writes the one report to a file', () => {
    const directory = writeReportProject();
    const run = runCli(['check', '--format', 'github', '--output', 'annotations.txt'], directory);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.equal(readFileSync(path.join(directory, 'annotations.txt'), 'utf8').split('\n').filter(Boolean).length, REPORT_PROJECT_FINDINGS.length);
  });

  test('two reports for standard output, or two for one file, are usage errors', () => {
    const directory = writeReportProject();
    for (const args of [['--format', 'json', '--format', 'sarif'], ['--format', 'json=out.txt', '--format', 'sarif=out.txt'], ['--format', 'xml']]) {
      const run = runCli(['check', ...args], directory);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /^csrflint: error: /);
    }
  });
});

describe('HOSTILE_FILE_NAME', () => {
  test('is a name the file system accepts, so the reports really meet it', () => {
    const directory = writeReportProject();
    const result = JSON.parse(runCli(['check', '--format', 'json'], directory).stdout) as { findings: Array<{ path: string }> };
    assert.ok(result.findings.some((finding) => finding.path === `shop/${HOSTILE_FILE_NAME}`));
  });
});
