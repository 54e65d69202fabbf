import type { Argument, CallExpr } from '../../python/facts.js';
import { methodHeadRange, overrideBehaviour, overridesOf } from '../../project/overrides.js';
import { finalIdentifier, type Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { mappingEntries, truthiness, type MappingEntry } from '../../project/values.js';
import { defineRule, type RuleContext } from '../rule.js';

const APPLICATION = 'tornado.web.Application';
const REQUEST_HANDLER = 'tornado.web.RequestHandler';

export default defineRule({
  id: 'tornado-xsrf-disabled',
  code: 'CSRF303',
  title: 'Tornado application or handler without XSRF protection',
  severity: 'high',
  framework: 'tornado',
  fix: 'Pass xsrf_cookies=True to the Application and put {% module xsrf_form_html() %} in forms.',
  keywords: ['tornado', 'xsrf'],
  doc: {
    whatItFinds: `Tornado checks XSRF tokens only when the application setting \`xsrf_cookies\` is true; it is off by
default. This rule finds:

- a \`tornado.web.Application(...)\` (or \`super().__init__(...)\` in a subclass) whose settings, given
  as keywords or as a \`**settings\` dict written in the code, set \`xsrf_cookies\` false or leave it out.
  Settings read from somewhere csrflint cannot follow are not reported. Without a \`cookie_secret\`
  the app cannot authenticate users by secure cookie, so the finding is then of medium severity;
- a \`RequestHandler\` subclass whose \`check_xsrf_cookie\` does nothing (no call to the parent's, no
  raise), which exempts that handler and its subclasses; reported at medium severity.`,
    whyItMatters: `Without the check, any web site a logged-in user visits can post to the application's handlers
with the user's cookies.`,
    example: `import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def post(self):
        self.write("saved")


app = tornado.web.Application([(r"/", MainHandler)], cookie_secret="secret")
`,
    useInstead: `import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def post(self):
        self.write("saved")


app = tornado.web.Application([(r"/", MainHandler)], cookie_secret="secret", xsrf_cookies=True)
`,
    whenItIsFine: `An application that authenticates no one by cookie (a token API), or a handler for a webhook that
verifies a signature. Record why where the setting or override is.`,
    references: [{ title: 'Tornado: cross-site request forgery protection', url: 'https://www.tornadoweb.org/en/stable/guide/security.html#cross-site-request-forgery-protection' }],
  },
  check(context) {
    reportApplications(context);
    reportHandlers(context);
  },
});

function reportApplications(context: RuleContext): void {
  const { project } = context;
  const family = project.classFamily(new Set([APPLICATION]));
  const names = project.identifiersFor(family);
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      if (!createsApplication(project, module, call, scope, family, names)) continue;
      const settings = settingsOf(project, module, call, scope);
      if (!settings) continue;
      const xsrf = settings.find((entry) => entry.key === 'xsrf_cookies');
      const xsrfState = xsrf ? truthiness(project, xsrf.value) : 'falsy';
      if (xsrfState !== 'falsy') continue;
      const hasSecret = settings.some((entry) => entry.key === 'cookie_secret');
      const message = xsrf ? '`xsrf_cookies` is set to a false value: no handler checks XSRF tokens' : 'Tornado application without `xsrf_cookies=True`: no handler checks XSRF tokens';
      const report = { file: xsrf?.value.module ?? module, range: xsrf?.range ?? call.range, message };
      context.report(hasSecret ? report : { ...report, severity: 'medium', hint: 'the app sets no cookie_secret: if it authenticates no user by cookie, forged requests carry nothing to abuse' });
    }
  }
}

/**
 * `Application(...)` itself, or `super().__init__(...)` in a subclass; an instance of a subclass
 * with its own `__init__` is judged at that `super()` call instead.
 */
function createsApplication(project: Project, module: SourceModule, call: CallExpr, scope: number, family: ReadonlySet<string>, names: ReadonlySet<string>): boolean {
  const { callee } = call;
  if (callee.kind === 'attribute' && callee.attribute === '__init__') {
    const method = module.symbols.definitionOfScope(scope);
    const owner = method && module.symbols.definitionOfScope(method.scope);
    return owner?.kind === 'class' && family.has(module.symbols.definitionName(owner)) && module.symbols.definitionName(owner) !== APPLICATION;
  }
  if (!names.has(finalIdentifier(callee) ?? '')) return false;
  const created = project.resolve(module, callee, scope);
  if (created === undefined || !family.has(created)) return false;
  return created === APPLICATION || !project.findMethod(created, '__init__');
}

/** Keyword settings and those of `**settings` dicts; `undefined` when a part cannot be read. */
function settingsOf(project: Project, module: SourceModule, call: CallExpr, scope: number): MappingEntry[] | undefined {
  const entries: MappingEntry[] = [];
  for (const argument of call.args) {
    if (argument.unpack === '**') {
      const unpacked = mappingEntries(project, { module, scope, expr: argument.value });
      if (!unpacked) return undefined;
      entries.push(...unpacked);
    } else if (argument.name !== undefined) {
      entries.push(keywordEntry(module, scope, argument));
    }
  }
  return entries;
}

function keywordEntry(module: SourceModule, scope: number, argument: Argument): MappingEntry {
  return { key: argument.name!, value: { module, scope, expr: argument.value }, range: argument.range };
}

function reportHandlers({ project, report }: RuleContext): void {
  for (const site of overridesOf(project, new Set([REQUEST_HANDLER]), new Set(['check_xsrf_cookie']))) {
    if (overrideBehaviour(project, site) === 'checks') continue;
    const owner = site.module.symbols.definitionOfScope(site.definition.scope)!;
    report({ file: site.module, range: methodHeadRange(site.definition), severity: 'medium', message: `\`${owner.name}.check_xsrf_cookie\` does not check: \`${owner.name}\` and its subclasses accept forged requests` });
  }
}
