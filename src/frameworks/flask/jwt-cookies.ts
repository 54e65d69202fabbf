import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue, truthiness, type ValueSite } from '../../project/values.js';
import { flaskConfigWrites } from './config-writes.js';

const TOKEN_LOCATION = 'JWT_TOKEN_LOCATION';
const COOKIE_CSRF_PROTECT = 'JWT_COOKIE_CSRF_PROTECT';

/**
 * Flask-JWT-Extended told to read its JWT from a cookie (`JWT_TOKEN_LOCATION` includes
 * "cookies") with its own double-submit check off (`JWT_COOKIE_CSRF_PROTECT = False`): the JWT
 * is then an ambient credential that a forged request carries and nothing checks. The words for
 * an unprotected app's hint, naming both settings; `undefined` when the project does not do both.
 */
export function unprotectedJwtCookieNote(project: Project, app: SourceModule): string | undefined {
  const writes = flaskConfigWrites(project, new Set([TOKEN_LOCATION, COOKIE_CSRF_PROTECT])).filter((write) => write.context === 'production' && write.value.module.projectRoot === app.projectRoot);
  const location = writes.find((write) => write.key === TOKEN_LOCATION && includesCookies(project, write.value));
  const protection = writes.find((write) => write.key === COOKIE_CSRF_PROTECT && truthiness(project, write.value) === 'falsy');
  if (!location || !protection) return undefined;
  const at = (value: ValueSite, line: number) => `${value.module.path}:${line}`;
  return `Flask-JWT-Extended reads the JWT from a cookie (\`${TOKEN_LOCATION}\` includes "cookies", ${at(location.value, location.range.line)}) with its own CSRF check off (\`${COOKIE_CSRF_PROTECT} = False\`, ${at(protection.value, protection.range.line)}): a forged request carries that cookie and nothing checks it`;
}

function includesCookies(project: Project, value: ValueSite): boolean {
  const { expr } = value;
  if (expr.kind === 'list' || expr.kind === 'tuple' || expr.kind === 'set') return expr.items.some((item) => stringValue(project, { ...value, expr: item }) === 'cookies');
  return stringValue(project, value) === 'cookies';
}
