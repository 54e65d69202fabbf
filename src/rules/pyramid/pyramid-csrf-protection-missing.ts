import type { SourceModule } from '../../project/source-module.js';
import { finalIdentifier } from '../../project/project.js';
import { defaultCsrfSetting, methodCalls, PYRAMID, setsUpSessions } from '../../project/pyramid.js';
import { truthiness } from '../../project/values.js';
import { defineRule, type RuleContext } from '../rule.js';

export default defineRule({
  id: 'pyramid-csrf-protection-missing',
  code: 'CSRF302',
  title: 'Pyramid application with sessions and no default CSRF check',
  severity: 'high',
  framework: 'pyramid',
  fix: 'Call config.set_default_csrf_options(require_csrf=True) where the Configurator is set up.',
  keywords: ['Configurator', 'session', 'set_default_csrf_options', 'beaker'],
  doc: {
    whatItFinds: `A Pyramid \`Configurator(...)\` in a project that keeps sessions (\`Configurator(session_factory=...)\`,
\`config.set_session_factory(...)\`, or an included session package such as \`pyramid_beaker\`) but
never calls \`config.set_default_csrf_options(...)\` to turn the check on. Pyramid checks no CSRF
token by default. Reported at the \`Configurator(...)\` call; views that set \`require_csrf=True\`
themselves are named in the hint.`,
    whyItMatters: `Pyramid's session is kept in a cookie the browser sends with every request, including those a
hostile site makes it send. Until the default check is on, every view that changes state can be
triggered by another web site in the user's name.`,
    example: `from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings, session_factory=SignedCookieSessionFactory("secret"))
    config.scan()
    return config.make_wsgi_app()
`,
    useInstead: `from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings, session_factory=SignedCookieSessionFactory("secret"))
    config.set_default_csrf_options(require_csrf=True)
    config.scan()
    return config.make_wsgi_app()
`,
    whenItIsFine: `The session holds nothing that authenticates a user (a language preference), or every
state-changing view checks a token itself with \`check_csrf_token(request)\`. Record why at the
\`Configurator(...)\` call.`,
    references: [
      { title: 'Pyramid: preventing cross-site request forgery', url: 'https://docs.pylonsproject.org/projects/pyramid/en/latest/narr/security.html#preventing-cross-site-request-forgery-attacks' },
    ],
  },
  check(context) {
    const byProject = modulesByProject(context);
    for (const modules of byProject.values()) reportProject(context, modules);
  },
});

function modulesByProject({ project }: RuleContext): Map<string, SourceModule[]> {
  const byProject = new Map<string, SourceModule[]>();
  for (const module of project.modules) byProject.set(module.projectRoot, [...(byProject.get(module.projectRoot) ?? []), module]);
  return byProject;
}

function reportProject(context: RuleContext, modules: SourceModule[]): void {
  const { project } = context;
  const inProject = new Set(modules);
  const defaults = methodCalls(project, 'set_default_csrf_options').filter((site) => inProject.has(site.module));
  if (defaults.some((site) => defaultCsrfSetting(project, site) !== 'off') || !setsUpSessions(project, modules)) return;
  const names = project.identifiersFor([PYRAMID.configurator]);
  const optedIn = viewsRequiringCsrf(context, modules);
  for (const module of modules) {
    for (const { call, scope } of module.facts.calls) {
      if (!names.has(finalIdentifier(call.callee) ?? '') || project.resolve(module, call.callee, scope) !== PYRAMID.configurator) continue;
      const hint = optedIn > 0 ? `${optedIn} view(s) set require_csrf=True themselves; every other view is unchecked` : 'Pyramid checks no CSRF token unless told to';
      context.report({ file: module, range: call.range, message: 'Pyramid application keeps sessions but never turns on the default CSRF check (set_default_csrf_options)', hint });
    }
  }
}

function viewsRequiringCsrf({ project }: RuleContext, modules: SourceModule[]): number {
  let count = 0;
  for (const module of modules) {
    for (const { call, scope } of module.facts.calls) {
      const argument = call.args.find((candidate) => candidate.name === 'require_csrf');
      if (argument && truthiness(project, { module, scope, expr: argument.value }) === 'truthy') count++;
    }
  }
  return count;
}
