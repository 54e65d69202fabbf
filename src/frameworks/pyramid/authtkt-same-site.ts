import type { Project } from '../../project/project.js';
import { stringValue } from '../../project/values.js';
import type { SameSiteSetting } from '../../rules/support/unprotected-apps.js';

const AUTHTKT_CLASSES = new Set(['pyramid.authentication.AuthTktAuthenticationPolicy', 'pyramid.authentication.AuthTktCookieHelper']);
/** Pyramid 1.10 made `samesite="Lax"` the default of both classes and writes it into the cookie. */
const PYRAMID_DEFAULT_SAME_SITE = 'lax';

/**
 * The SameSite the project's AuthTkt cookies get: the weakest over every \`AuthTktAuthenticationPolicy(...)\`
 * and \`AuthTktCookieHelper(...)\` outside tests. One left to the default counts as Lax; one that writes
 * \`samesite=None\`, a value the scan cannot read, or hands its options over in \`**kwargs\` gives none.
 */
export function authTktSameSite(project: Project, projectRoot: string): SameSiteSetting | undefined {
  const settings: SameSiteSetting[] = [];
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot || module.context === 'test') continue;
    for (const { call, scope } of module.facts.calls) {
      const className = project.resolve(module, call.callee, scope);
      if (className === undefined || !AUTHTKT_CLASSES.has(className)) continue;
      if (call.args.some((argument) => argument.unpack === '**')) return undefined;
      const shortName = className.slice(className.lastIndexOf('.') + 1);
      const option = call.args.find((argument) => argument.name === 'samesite');
      if (!option) {
        const note = `which leaves \`samesite\` to Pyramid's default (since 1.10), "Lax", written into the cookie`;
        settings.push({ setting: `${shortName}(...)`, note, path: module.path, line: call.range.line, level: PYRAMID_DEFAULT_SAME_SITE, cookie: 'the AuthTkt cookie' });
        continue;
      }
      const level = stringValue(project, { module, scope, expr: option.value })?.toLowerCase();
      if (level !== 'strict' && level !== 'lax') return undefined;
      settings.push({ setting: `${shortName}(..., samesite="${level}")`, path: module.path, line: option.range.line, level, cookie: 'the AuthTkt cookie' });
    }
  }
  return settings.find((setting) => setting.level === 'lax') ?? settings[0];
}
