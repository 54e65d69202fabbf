import { describeExpr } from '../../../python/describe.js';
import { packagesOf } from '../../../project/known-names.js';
import type { Argument } from '../../../python/facts.js';
import { LITESTAR } from '../routes.js';
import type { SourceModule } from '../../../project/source-module.js';
import { mappingEntries, truthiness } from '../../../project/values.js';
import { defineRule, type RuleContext } from '../../../rules/rule.js';

export default defineRule({
  id: 'litestar-csrf-exempt',
  code: 'CSRF306',
  title: 'Litestar handler or path excluded from CSRF checks',
  severity: 'medium',
  framework: 'litestar',
  fix: 'Remove the exclusion and send the CSRF token; for a webhook, verify its signature instead.',
  keywords: ['exclude_from_csrf', 'CSRFConfig'],
  packages: packagesOf(LITESTAR.routers),
  doc: {
    whatItFinds: `Requests Litestar's CSRF middleware is told to let through unchecked:

- a route handler with \`exclude_from_csrf=True\` or \`opt={"exclude_from_csrf": True}\`
  (\`@post(...)\`, \`@put(...)\`, \`@route(...)\`...);
- a \`Router(..., opt={"exclude_from_csrf": True})\` (or the application's own \`opt\`), or a
  \`Controller\` subclass with \`opt = {"exclude_from_csrf": True}\`: Litestar merges \`opt\` into every
  handler below that layer, so all of them are excluded;
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
      reportExcludedLayers(context, module);
      reportExcludedControllers(context, module);
      reportExcludedPaths(context, module);
    }
  },
});

function reportExcludedHandlers(context: RuleContext, module: SourceModule): void {
  const { project } = context;
  for (const definition of module.facts.definitions) {
    for (const { expression, range } of definition.decorators) {
      if (expression.kind !== 'call' || !LITESTAR.handlerDecorators.test(project.resolve(module, expression.callee, definition.scope) ?? '')) continue;
      const spelling = exclusion(context, module, definition.scope, expression.args);
      if (!spelling) continue;
      context.report({ file: module, range, message: `\`@${describeExpr(expression.callee)}(..., ${spelling})\` turns off the CSRF check for handler \`${definition.name}\`` });
    }
  }
}

/** `Router(..., opt={"exclude_from_csrf": True})`: Litestar merges `opt` into every handler below the router. */
function reportExcludedLayers(context: RuleContext, module: SourceModule): void {
  const { project } = context;
  for (const { call, scope } of module.facts.calls) {
    if (!call.args.some((argument) => argument.name === 'opt')) continue;
    const layer = project.resolve(module, call.callee, scope);
    if (layer === undefined || !project.isSubclassOf(layer, LITESTAR.routers)) continue;
    const spelling = exclusion(context, module, scope, call.args);
    if (!spelling) continue;
    const opt = call.args.find((argument) => argument.name === 'opt')!;
    context.report({ file: module, range: opt.range, message: `\`${describeExpr(call.callee)}(..., ${spelling})\` turns off the CSRF check for every handler below it` });
  }
}

/** `class Webhooks(Controller): opt = {"exclude_from_csrf": True}`. */
function reportExcludedControllers(context: RuleContext, module: SourceModule): void {
  const { project } = context;
  for (const { target, value, scope, range } of module.facts.assignments) {
    if (target.kind !== 'name' || target.id !== 'opt' || !value) continue;
    const owner = module.symbols.definitionOfScope(scope);
    if (owner?.kind !== 'class' || !project.isSubclassOf(module.symbols.definitionName(owner), LITESTAR.controllers)) continue;
    const entry = mappingEntries(project, { module, scope, expr: value })?.find((candidate) => candidate.key === LITESTAR.excludeKey);
    if (!entry || truthiness(project, entry.value) !== 'truthy') continue;
    context.report({ file: module, range, message: `\`opt = {"${LITESTAR.excludeKey}": True}\` turns off the CSRF check for every handler of controller \`${owner.name}\`` });
  }
}

/** How the arguments exclude the handler: `exclude_from_csrf=True`, or `opt={"exclude_from_csrf": True}`; `undefined` if they do not. */
function exclusion({ project }: RuleContext, module: SourceModule, scope: number, args: Argument[]): string | undefined {
  const keyword = args.find((argument) => argument.name === LITESTAR.excludeKey);
  if (keyword && truthiness(project, { module, scope, expr: keyword.value }) === 'truthy') return `${LITESTAR.excludeKey}=True`;
  const opt = args.find((argument) => argument.name === 'opt');
  const entry = opt ? mappingEntries(project, { module, scope, expr: opt.value })?.find((candidate) => candidate.key === LITESTAR.excludeKey) : undefined;
  return entry !== undefined && truthiness(project, entry.value) === 'truthy' ? `opt={"${LITESTAR.excludeKey}": True}` : undefined;
}

function reportExcludedPaths({ project, report }: RuleContext, module: SourceModule): void {
  for (const { call, scope } of module.facts.calls) {
    const exclude = call.args.find((argument) => argument.name === 'exclude');
    if (!exclude || !LITESTAR.csrfConfig.has(project.resolve(module, call.callee, scope) ?? '')) continue;
    if (exclude.value.kind === 'constant' && exclude.value.value === null) continue;
    report({ file: module, range: exclude.range, message: `\`CSRFConfig(exclude=${describeExpr(exclude.value)})\`: requests to matching paths skip the CSRF check` });
  }
}
