import { describeExpr } from '../../python/describe.js';
import type { Argument } from '../../python/facts.js';
import { LITESTAR } from '../../project/litestar.js';
import type { SourceModule } from '../../project/source-module.js';
import { mappingEntries, truthiness } from '../../project/values.js';
import { defineRule, type RuleContext } from '../rule.js';

export default defineRule({
  id: 'litestar-csrf-exempt',
  code: 'CSRF306',
  title: 'Litestar handler or path excluded from CSRF checks',
  severity: 'medium',
  framework: 'litestar',
  fix: 'Remove the exclusion and send the CSRF token; for a webhook, verify its signature instead.',
  keywords: ['exclude_from_csrf', 'CSRFConfig'],
  doc: {
    whatItFinds: `Requests Litestar's CSRF middleware is told to let through unchecked:

- a route handler with \`exclude_from_csrf=True\` or \`opt={"exclude_from_csrf": True}\`
  (\`@post(...)\`, \`@put(...)\`, \`@route(...)\`...);
- \`CSRFConfig(exclude=...)\`: every path matching the patterns skips the check.`,
    whyItMatters: `An excluded handler accepts state-changing requests that another web site makes the user's browser
send, with the user's session cookie.`,
    example: `from litestar import post


@post("/transfer", exclude_from_csrf=True)
async def transfer() -> str:
    return "sent"
`,
    useInstead: `from litestar import post


@post("/transfer")
async def transfer() -> str:
    return "sent"
`,
    whenItIsFine: `A handler that authenticates by a header token, or a webhook that verifies a signature. Record why at
the exclusion.`,
    references: [{ title: 'Litestar: CSRF', url: 'https://docs.litestar.dev/latest/usage/middleware/builtin-middleware.html#csrf' }],
  },
  check(context) {
    for (const module of context.project.modules) {
      reportExcludedHandlers(context, module);
      reportExcludedPaths(context, module);
    }
  },
});

function reportExcludedHandlers(context: RuleContext, module: SourceModule): void {
  const { project } = context;
  for (const definition of module.facts.definitions) {
    for (const { expression, range } of definition.decorators) {
      if (expression.kind !== 'call' || !LITESTAR.handlerDecorators.test(project.resolve(module, expression.callee, definition.scope) ?? '')) continue;
      if (!excludes(context, module, definition.scope, expression.args)) continue;
      context.report({ file: module, range, message: `\`@${describeExpr(expression.callee)}(..., exclude_from_csrf=True)\` turns off the CSRF check for handler \`${definition.name}\`` });
    }
  }
}

/** `exclude_from_csrf=True`, or `opt={"exclude_from_csrf": True}`. */
function excludes({ project }: RuleContext, module: SourceModule, scope: number, args: Argument[]): boolean {
  const isTrue = (argument: { value: Argument['value'] } | undefined) => argument !== undefined && truthiness(project, { module, scope, expr: argument.value }) === 'truthy';
  if (isTrue(args.find((argument) => argument.name === LITESTAR.excludeKey))) return true;
  const opt = args.find((argument) => argument.name === 'opt');
  const entry = opt ? mappingEntries(project, { module, scope, expr: opt.value })?.find((candidate) => candidate.key === LITESTAR.excludeKey) : undefined;
  return entry !== undefined && truthiness(project, entry.value) === 'truthy';
}

function reportExcludedPaths({ project, report }: RuleContext, module: SourceModule): void {
  for (const { call, scope } of module.facts.calls) {
    const exclude = call.args.find((argument) => argument.name === 'exclude');
    if (!exclude || !LITESTAR.csrfConfig.has(project.resolve(module, call.callee, scope) ?? '')) continue;
    if (exclude.value.kind === 'constant' && exclude.value.value === null) continue;
    report({ file: module, range: exclude.range, message: `\`CSRFConfig(exclude=${describeExpr(exclude.value)})\`: requests to matching paths skip the CSRF check` });
  }
}
