import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

const HEADER = `from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
`;

function exemptView(name: string, comment = ''): string {
  return `\n\n@csrf_exempt${comment}\ndef ${name}(request):\n    return HttpResponse("ok")\n`;
}

function plainView(name: string): string {
  return `\n\ndef ${name}(request):\n    return HttpResponse("ok")\n`;
}

interface JsonFinding {
  line: number;
  message: string;
  suppressed: boolean;
  suppression?: { kind: string };
}

/** Records a baseline of `before`, rewrites the file as `after`, and returns what the baseline leaves reported. */
function newFindingsAfter(before: string, after: string): string[] {
  const directory = writeProject({ 'pyproject.toml': '', 'shop/views.py': before });
  assert.equal(runCli(['check', '--write-baseline', 'csrflint-baseline.json'], directory).status, 0);
  writeFileSync(path.join(directory, 'shop', 'views.py'), after);
  const run = runCli(['check', '--format', 'json', '--baseline', 'csrflint-baseline.json'], directory);
  const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
  for (const finding of findings) assert.ok(!finding.suppressed || finding.suppression?.kind === 'baseline');
  return findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.line}: ${finding.message}`);
}

describe('baseline fingerprints', () => {
  test('a new exempt view added above a baselined one is new; the baselined one stays hidden', () => {
    const before = HEADER + exemptView('stripe_hook');
    const after = HEADER + exemptView('new_hook') + exemptView('stripe_hook');
    assert.deepEqual(newFindingsAfter(before, after), ['5: `@csrf_exempt` turns off CSRF protection for view `new_hook`']);
  });

  test('a comment added to a baselined line, or reformatting, keeps it baselined', () => {
    const before = HEADER + exemptView('stripe_hook');
    assert.deepEqual(newFindingsAfter(before, HEADER + exemptView('stripe_hook', '  # Stripe signs its calls')), []);
    const methodDecorator = `from django.utils.decorators import method_decorator\nfrom django.views import View\n${HEADER}\n\n@method_decorator(csrf_exempt, name="dispatch")\nclass Hook(View):\n    pass\n`;
    const reformatted = methodDecorator.replace('@method_decorator(csrf_exempt, name="dispatch")', '@method_decorator(\n    csrf_exempt,  # "#" in a comment\n    name = "dispatch",\n)');
    assert.deepEqual(newFindingsAfter(methodDecorator, reformatted), []);
  });

  test('an exemption moved to another view is not covered by the baseline', () => {
    const before = HEADER + exemptView('stripe_hook') + plainView('checkout');
    const after = HEADER + plainView('stripe_hook') + exemptView('checkout');
    assert.deepEqual(newFindingsAfter(before, after), ['9: `@csrf_exempt` turns off CSRF protection for view `checkout`']);
  });

  test('--write-baseline to a path that cannot be written exits 2 with one line', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'shop/views.py': HEADER + exemptView('stripe_hook') });
    mkdirSync(path.join(directory, 'baseline.json'));
    const run = runCli(['check', '--write-baseline', 'baseline.json'], directory);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^csrflint: error: cannot write the baseline to baseline\.json \(EISDIR[^\n]*\)\n$/);
  });
});
