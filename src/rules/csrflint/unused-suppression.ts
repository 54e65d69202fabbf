import { defineRule } from '../rule.js';

export default defineRule({
  id: 'unused-suppression',
  code: 'CSRF001',
  title: 'Suppression comment that silences no finding',
  severity: 'low',
  framework: 'csrflint',
  reads: 'suppressions',
  optIn: true,
  fix: 'Delete the comment: the finding it was written for is gone.',
  keywords: ['csrflint', 'noqa'],
  doc: {
    whatItFinds: `A \`# csrflint: ignore[...]\` comment, or a \`# noqa: CSRF...\` code, that silences no finding on its
line or, standing alone, on the line below. Off by default; \`--report-unused-suppressions\` (or
selecting the rule) turns it on. A comment naming only rules that did not run is not reported.`,
    whyItMatters: `A stale suppression hides the next finding that lands on its line, and tells reviewers that an
exemption was accepted when the code has changed since.`,
    example: `from django.http import HttpResponse


def health(request):  # csrflint: ignore -- was a webhook
    return HttpResponse("ok")
`,
    useInstead: `from django.http import HttpResponse


def health(request):
    return HttpResponse("ok")
`,
    whenItIsFine: `Never: a suppression that silences nothing can go.`,
    references: [{ title: 'Ruff: unused-noqa (RUF100), the same idea', url: 'https://docs.astral.sh/ruff/rules/unused-noqa/' }],
  },
  check() {
    // Judged by the engine once every rule has reported: see src/suppress/apply.ts.
  },
});
