import { defineRule } from '../rule.js';

export default defineRule({
  id: 'suppression-without-reason',
  code: 'CSRF002',
  title: 'Suppression comment without a reason',
  severity: 'low',
  framework: 'csrflint',
  reads: 'suppressions',
  optIn: true,
  fix: 'Say why after two dashes: # csrflint: ignore[rule] -- the webhook verifies its signature',
  keywords: ['csrflint'],
  doc: {
    whatItFinds: `A \`# csrflint: ignore[...]\` comment with no reason after \`--\`. On when the configuration sets
\`require-reason = true\` (or \`--require-reason\`, or when the rule is selected). The finding it
silences stays silenced; this one asks for the reason.`,
    whyItMatters: `An exemption from CSRF protection is a security decision. Without the reason next to it, the next
reviewer cannot tell a signed webhook from a shortcut taken to make a form work.`,
    example: `from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # csrflint: ignore[django-csrf-exempt]
def hook(request):
    pass
`,
    useInstead: `from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # csrflint: ignore[django-csrf-exempt] -- Stripe webhook, signature verified below
def hook(request):
    pass
`,
    whenItIsFine: `When the team does not ask for reasons: leave \`require-reason\` off.`,
    references: [{ title: 'Ruff: error suppression, the same convention', url: 'https://docs.astral.sh/ruff/linter/#error-suppression' }],
  },
  check() {
    // Judged by the engine with the suppression comments: see src/suppress/apply.ts.
  },
});
