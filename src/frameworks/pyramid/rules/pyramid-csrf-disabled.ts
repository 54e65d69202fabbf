import { describeExpr } from '../../../python/describe.js';
import type { Argument, Definition, Expr } from '../../../python/facts.js';
import { answersOnlySafeMethods, defaultCsrfSetting, isExceptionView, keywordArgument, methodCalls, PYRAMID } from '../configuration.js';
import type { SourceModule } from '../../../project/source-module.js';
import type { Project } from '../../../project/project.js';
import { stringValue, truthiness } from '../../../project/values.js';
import { defineRule, type RuleContext, type RuleReport } from '../../../rules/rule.js';
import { type KeptReports, reportModuleByModule } from '../../../rules/support/kept-reports.js';
import { exemptionDetails, exemptionReason, GUARDED_EXEMPTIONS_DOC, type ExemptionReason } from '../../../rules/support/exempt-views.js';
import { restrictedToSafeMethodsByDeriver } from '../method-derivers.js';
import { everyoneOnlyRouteFactory } from '../route-factories.js';
import { addedViewFunction, answersOnlyWithError } from '../error-only-views.js';

const RULE_ID = 'pyramid-csrf-disabled';

export default defineRule({
  id: RULE_ID,
  code: 'CSRF301',
  title: "Pyramid's CSRF check turned off or weakened",
  severity: 'high',
  framework: 'pyramid',
  fix: 'Call config.set_default_csrf_options(require_csrf=True) and drop require_csrf=False from views.',
  // A service's implementations (`@implementer(IService)`) and the project's view derivers are read
  // to judge an exempted view: a module holding one need not import, nor be imported by, the view's.
  keywords: ['require_csrf', 'set_default_csrf_options', 'check_origin', { exact: 'implementer(' }, 'add_view_deriver'],
  // Every finding is a `set_default_csrf_options(...)` call or a `require_csrf` keyword or key written out.
  projectWords: ['require_csrf', 'set_default_csrf_options'],
  doc: {
    whatItFinds: `Places where Pyramid is told not to check CSRF tokens:

- \`config.set_default_csrf_options(require_csrf=False)\`, or with both \`token=None\` and \`header=None\`
  (no token is read): no view is checked by default;
- \`check_origin=False\` in those options (lower severity): the Origin/Referer check of HTTPS requests
  is dropped, so a token leaked to another origin is accepted there;
- \`@view_config(require_csrf=False)\`, \`@view_defaults(require_csrf=False)\` and
  \`config.add_view(..., require_csrf=False)\` (lower severity): one view, or a class of views, is
  exempt. Several such decorators stacked on one view (one body on several routes) are one finding,
  at the first, naming the routes. So is every view of a decorator factory that adds it to the keywords it forwards
  (\`kwargs.update(require_csrf=False)\` or \`kwargs["require_csrf"] = False\`, then
  \`view_config(**kwargs)\`). A view limited to \`request_method="GET"\` (or HEAD, OPTIONS, TRACE) is
  not reported: Pyramid never checks those methods, so the argument changes nothing. Nor is an
  exception view: \`@view_config(context=<exception class>, require_csrf=False)\` (or \`add_view\`) with
  no \`route_name\`, \`@exception_view_config\`, \`@notfound_view_config\`, \`@forbidden_view_config\`,
  \`config.add_exception_view(...)\`: Pyramid's CSRF view deriver skips exception views unless
  \`require_csrf\` is given ("skip exception views unless value is explicitly defined",
  \`pyramid/viewderivers.py\` \`csrf_view\`), so \`False\` there turns nothing off; such a view runs
  only after the real view has failed (often after its own CSRF check failed). Nor is a view that
  answers every request with an error (Cornice's fallback view, a retired endpoint): its whole body is
  \`return\` of one Pyramid HTTP error built from literals (\`return HTTPGone("moved")\`), or it ends in a
  \`raise\` and has no \`return\`, it builds no success or redirect (\`HTTPFound\`, which Pyramid
  raises to redirect after the work is done, counts as one), and it writes nothing past its own names
  and its request's \`errors\` or \`response\` (no writing method called on anything else, no project
  function the scan cannot show to only read). A view registered as \`add_view(view=factory(...))\`
  is judged by the nested function the factory returns.`,
    whyItMatters: `With the check off, any web site a logged-in user visits can submit forms to the Pyramid app with
the user's session cookie.`,
    example: `from pyramid.config import Configurator


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_default_csrf_options(require_csrf=False)
    return config.make_wsgi_app()
`,
    useInstead: `from pyramid.config import Configurator


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_default_csrf_options(require_csrf=True)
    return config.make_wsgi_app()
`,
    whenItIsFine: `A view that authenticates by a token in a header, or a webhook that verifies a signature, may be
exempt with \`require_csrf=False\`; record why: \`# csrflint: ignore[pyramid-csrf-disabled] -- ...\`.
A \`@view_config(require_csrf=False)\` view that verifies a signature (itself, through a helper or a
decorator: \`validate_helpscout_signature(request)\`, Stripe's \`construct_event\`; or through a
service it looks up, \`request.find_service(IBilling).webhook_received(...)\`, when every class of the
project declared \`@implementer(IBilling)\` verifies one in that method), that a view deriver of the
project limits to GET (an option the deriver declares, \`require_methods=["GET"]\`, and whose wrapper
turns any other \`request.method\` away by raising), reads a credential
from a header, only returns an empty response, or (without a \`permission\`) reads no user from its
request and hands the request only to project functions that read none either (or take a header
token) is reported at low severity, with a hint and a fix
that say so. So is a decorator factory's \`kwargs.update(require_csrf=False)\` when every view the scan
sees decorated by it (or by a \`functools.partial\` of it) has the same such reason, none of them with
a \`permission\` where the reason is that it reads no user. A view's \`require_csrf=False\` in a project where no configuration (tests aside) turns
the default check on is low severity too: the view would go unchecked without it, and the app
itself is CSRF302's finding. So is a view whose every route is added with a \`factory=\` whose ACL
(\`__acl__\` on the class, \`self.__acl__\` set or appended to, or a \`__acl__\` method's returns) grants
only \`Everyone\`: no signed-in user is needed on those routes (the factory decides from what the
request carries, such as an API key), so the cookie gives a forged request nothing.

${GUARDED_EXEMPTIONS_DOC}`,
    references: [
      { title: 'Pyramid: checking CSRF tokens automatically', url: 'https://docs.pylonsproject.org/projects/pyramid/en/latest/narr/security.html#checking-csrf-tokens-automatically' },
      { title: 'Pyramid view derivers: csrf_view skips exception views unless require_csrf is explicit', url: 'https://github.com/Pylons/pyramid/blob/main/src/pyramid/viewderivers.py' },
    ],
  },
  check(context) {
    reportDefaultOptions(context);
    reportModuleByModule(context, keptReports, '', (module, report) => {
      const moduleContext = { ...context, report };
      reportViewDecorators(moduleContext, module);
      reportAddView(moduleContext, module);
      reportForwardedKeywords(moduleContext, module);
    });
  },
});

/** Each module's exemptions found, kept across a language server's edits of modules they did not read. */
const keptReports = new WeakMap<Project, KeptReports>();

function reportDefaultOptions({ project, report }: RuleContext): void {
  for (const site of methodCalls(project, 'set_default_csrf_options')) {
    const { module, scope, call } = site;
    if (defaultCsrfSetting(project, site) === 'off') {
      report({ file: module, range: call.range, message: '`set_default_csrf_options(...)` leaves every view that does not ask for a check with `require_csrf=True` unchecked' });
    }
    const origin = keywordArgument(call, 'check_origin');
    if (origin && truthiness(project, { module, scope, expr: origin.value }) === 'falsy') {
      report({ file: module, range: origin.range, severity: 'medium', message: '`check_origin=False` drops the Origin check of HTTPS requests: a token leaked to another site is accepted from it' });
    }
  }
}

/** `require_csrf=False`, unless the view answers only methods Pyramid never checks, or is an exception view. */
function exemptingArgument(module: SourceModule, scope: number, args: Argument[], context: RuleContext): Argument | undefined {
  const argument = args.find((candidate) => candidate.name === 'require_csrf');
  if (!argument || truthiness(context.project, { module, scope, expr: argument.value }) !== 'falsy') return undefined;
  if (isExceptionView(context.project, module, scope, args)) return undefined;
  return answersOnlySafeMethods(context.project, module, scope, args) ? undefined : argument;
}

function reportViewDecorators(context: RuleContext, module: SourceModule): void {
  for (const definition of module.facts.definitions) {
    // Stacked `@view_config`s put one view on several routes: one exemption of one body, reported once.
    const exempting = definition.decorators.filter(({ expression }) =>
      expression.kind === 'call' &&
      expression.args.some((argument) => argument.name === 'require_csrf') &&
      isViewDecorator(context, module, expression.callee, definition.scope) &&
      exemptingArgument(module, definition.scope, expression.args, context) !== undefined,
    );
    const [first] = exempting;
    if (first?.expression.kind !== 'call') continue;
    if (answersOnlyWithError(context.project, { module, definition })) continue;
    const what = definition.kind === 'class' ? `the views of \`${definition.name}\`` : `view \`${definition.name}\``;
    const message = `\`@${describeExpr(first.expression.callee)}(require_csrf=False)\` turns off the CSRF check for ${what}${onRoutes(exempting.map(({ expression }) => expression))}`;
    const reason = methodsReason(context, module, definition.scope, exempting) ?? (definition.kind === 'function' ? exemptionReason(context.project, [{ module, definition }]) : undefined);
    // A view that needs a permission acts for a user, whatever its body reads.
    const needsUser = exempting.some(({ expression }) => expression.kind === 'call' && expression.args.some((argument) => argument.name === 'permission'));
    const details = reason && !(reason.kind === 'no-user' && needsUser) ? exemptionDetails(RULE_ID, reason) : (everyoneRouteDetails(context.project, exempting.map(({ expression }) => expression)) ?? exemptionWithoutReason(context.project, module));
    context.report({ file: module, range: first.range, message, ...details });
  }
}

/** Every exempting decorator limits the view to safe methods by an option a deriver of the project enforces (`require_methods=["GET"]`). */
function methodsReason(context: RuleContext, module: SourceModule, scope: number, decorators: Array<{ expression: Expr }>): ExemptionReason | undefined {
  const restricted = decorators.every(({ expression }) => expression.kind === 'call' && restrictedToSafeMethodsByDeriver(context.project, module, scope, expression.args) !== undefined);
  return restricted ? { kind: 'safe-methods-only' } : undefined;
}

/**
 * Low when every route of the view is built by a factory whose ACL grants only `Everyone`: the
 * view's permission then needs no signed-in principal, so the cookie gives a forged request nothing.
 */
function everyoneRouteDetails(project: Project, decorators: Expr[]): Pick<RuleReport, 'severity' | 'hint' | 'fix'> | undefined {
  const routes = decorators.map((decorator) => (decorator.kind === 'call' ? decorator.args.find((argument) => argument.name === 'route_name')?.value : undefined));
  const names = routes.map((route) => (route?.kind === 'string' ? route.value : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  const factory = everyoneOnlyRouteFactory(project, names as string[]);
  if (factory === undefined) return undefined;
  return {
    severity: 'low',
    hint: `the view's routes are built by \`${factory}\`, whose ACL grants its permissions to \`Everyone\` only: no signed-in user is needed there, so the browser's cookie gives a forged request nothing anybody could not do by calling the view`,
    fix: `Keep the exemption while \`${factory}\` grants only \`Everyone\` (it authenticates by what the request carries, such as an API key) and record why where it is (\`# csrflint: ignore[${RULE_ID}] -- <reason>\`); remove it before the routes start granting to signed-in users.`,
  };
}

/** ` on routes \`a\`, \`b\``: the literal route names of the stacked decorators, when there are several. */
function onRoutes(decorators: Expr[]): string {
  const names = decorators.flatMap((decorator) => {
    const routeName = decorator.kind === 'call' ? decorator.args.find((argument) => argument.name === 'route_name')?.value : undefined;
    return routeName?.kind === 'string' ? [`\`${routeName.value}\``] : [];
  });
  return decorators.length > 1 && names.length > 0 ? ` on routes ${[...new Set(names)].join(', ')}` : '';
}

function isViewDecorator(context: RuleContext, module: SourceModule, callee: Expr, scope: number): boolean {
  return PYRAMID.viewDecorators.has(context.project.resolve(module, callee, scope) ?? '');
}

function reportAddView(context: RuleContext, module: SourceModule): void {
  for (const { call, scope } of module.facts.calls) {
    if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'add_view') continue;
    const argument = exemptingArgument(module, scope, call.args, context);
    if (!argument) continue;
    const added = addedViewFunction(context.project, module, scope, call.args);
    if (added && answersOnlyWithError(context.project, added)) continue;
    const [view] = call.args;
    const what = view && view.name === undefined ? `\`${describeExpr(view.value)}\`` : 'the view';
    context.report({ file: module, range: argument.range, message: `\`add_view(..., require_csrf=False)\` turns off the CSRF check for ${what}`, ...exemptionWithoutReason(context.project, module) });
  }
}

/**
 * A decorator factory that adds `require_csrf=False` to the keywords it forwards
 * (`kwargs.update(require_csrf=False)`, then `view_config(**kwargs)`): every view it decorates is
 * exempt. The keyword is Pyramid's, so any call the dict is unpacked into counts.
 */
function reportForwardedKeywords(context: RuleContext, module: SourceModule): void {
  const { project } = context;
  // What is unpacked is resolved only once a write of the keyword is seen: most modules have none.
  let unpacked: Set<string | undefined> | undefined;
  const unpackedNames = () => (unpacked ??= new Set(module.facts.calls.flatMap(({ call, scope }) => call.args.filter((argument) => argument.unpack === '**').map((argument) => project.resolve(module, argument.value, scope)))));
  const isForwarded = (expr: Expr, scope: number) => expr.kind === 'name' && unpackedNames().has(project.resolve(module, expr, scope));
  for (const { call, scope } of module.facts.calls) {
    const { callee } = call;
    if (callee.kind !== 'attribute' || callee.attribute !== 'update' || !call.args.some((argument) => argument.name === 'require_csrf')) continue;
    if (!isForwarded(callee.object, scope)) continue;
    const argument = exemptingArgument(module, scope, call.args, context);
    if (argument) context.report({ file: module, range: argument.range, message: forwardedMessage(`${describeExpr(callee.object)}.update(require_csrf=False)`), ...forwardedDetails(project, module, scope) });
  }
  for (const { target, value, scope, range } of module.facts.assignments) {
    if (target.kind !== 'subscript' || !value || stringValue(project, { module, scope, expr: target.index }) !== 'require_csrf') continue;
    if (!isForwarded(target.object, scope) || truthiness(project, { module, scope, expr: value }) !== 'falsy') continue;
    context.report({ file: module, range, message: forwardedMessage(`${describeExpr(target.object)}["require_csrf"] = False`), ...forwardedDetails(project, module, scope) });
  }
}

/**
 * Low with the reason every view the decorator factory decorates shares (each of warehouse's
 * XML-RPC methods reads no user), when the scan sees them all decorated by it or by a
 * `functools.partial` of it; otherwise as an exemption without a reason.
 */
function forwardedDetails(project: Project, module: SourceModule, scope: number): Pick<RuleReport, 'severity' | 'hint' | 'fix' | 'guard'> {
  const factory = module.symbols.definitionOfScope(scope);
  const views = factory?.kind === 'function' ? viewsDecoratedBy(project, module.symbols.definitionName(factory)) : [];
  const reason = views.length > 0 ? sharedReason(project, views) : undefined;
  return reason ? exemptionDetails(RULE_ID, reason, `each of the ${views.length} views it decorates`) : exemptionWithoutReason(project, module);
}

interface DecoratedView {
  module: SourceModule;
  definition: Definition;
  /** The decorator's keywords ask for a permission: the view acts for a signed-in user. */
  needsPermission: boolean;
}

/** The functions of the project decorated by `factory(...)` or by a `functools.partial(factory, ...)` of it. */
function viewsDecoratedBy(project: Project, factory: string): DecoratedView[] {
  project.noteEveryModuleRead();
  const decorates = (module: SourceModule, callee: Expr, scope: number) => {
    const name = project.resolve(module, callee, scope);
    if (name === factory) return true;
    if (name === undefined || !project.isScannedName(name)) return false;
    return project.assignmentsOf(module, callee, scope).some(({ module: owner, assignment }) => {
      const value = assignment.value;
      if (value?.kind !== 'call' || project.resolve(owner, value.callee, assignment.scope) !== 'functools.partial') return false;
      const [wrapped] = value.args;
      return wrapped !== undefined && project.resolve(owner, wrapped.value, assignment.scope) === factory;
    });
  };
  return project.modules.flatMap((module) =>
    module.facts.definitions.flatMap((definition) => {
      if (definition.kind !== 'function') return [];
      const calls = definition.decorators.flatMap(({ expression }) => (expression.kind === 'call' && decorates(module, expression.callee, definition.scope) ? [expression] : []));
      if (calls.length === 0) return [];
      return [{ module, definition, needsPermission: calls.some((call) => call.args.some((argument) => argument.name === 'permission')) }];
    }),
  );
}

/** The reason every view has, when it is one kind (reads no user, verifies a signature...); a view that needs a permission acts for a user. */
function sharedReason(project: Project, views: DecoratedView[]): ExemptionReason | undefined {
  const reasons = views.map(({ module, definition, needsPermission }) => {
    const reason = exemptionReason(project, [{ module, definition }]);
    return reason?.kind === 'no-user' && needsPermission ? undefined : reason;
  });
  const [first] = reasons;
  if (!first || reasons.some((reason) => reason?.kind !== first.kind)) return undefined;
  if (first.kind !== 'no-user') return first;
  const noUser = reasons as Array<Extract<ExemptionReason, { kind: 'no-user' }>>;
  const handedTo = [...new Set(noUser.flatMap((reason) => reason.handedTo))].sort();
  return noUser.every((reason) => reason.readsInput === true) ? { kind: 'no-user', handedTo, readsInput: true } : { kind: 'no-user', handedTo };
}

/**
 * Medium, or low where no configuration of the project turns Pyramid's default check on: then the
 * view would go unchecked without the keyword too (a missing default is CSRF302's finding).
 */
function exemptionWithoutReason(project: Project, module: SourceModule): Pick<RuleReport, 'severity' | 'hint'> {
  // A test that turns the default on (to test the exemption) says nothing of how the app runs.
  const counts = (site: SourceModule) => site.projectRoot === module.projectRoot && (site.context !== 'test' || module.context === 'test');
  const defaultOn = methodCalls(project, 'set_default_csrf_options').some((site) => counts(site.module) && defaultCsrfSetting(project, site) !== 'off');
  return defaultOn ? { severity: 'medium' } : DEFAULT_CHECK_NEVER_ON;
}

const DEFAULT_CHECK_NEVER_ON = {
  severity: 'low',
  hint: "no configuration of the project turns Pyramid's default CSRF check on (`set_default_csrf_options(require_csrf=True)`): the view would go unchecked without the keyword as well, so it changes nothing until the default is turned on",
} as const;

function forwardedMessage(write: string): string {
  return `\`${write}\` turns off the CSRF check for every view configured with these keywords`;
}
