import type { Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { MethodSite } from '../../project/overrides.js';
import type { Project } from '../../project/project.js';
import { ProjectWideMemo } from '../../project/project-wide-memo.js';
import { checksTokenInPrepare } from './routes.js';

/** Methods that run a state-changing request: one may call the check itself once it knows more (who signed the request in). */
const UNSAFE_REQUEST_METHODS = ['post', 'put', 'patch', 'delete'];

/** What Tornado gives a handler before `prepare()`: reading them tells the early call from a later one no better than the request does. */
const TORNADO_GIVEN_ATTRIBUTES = new Set(['request', 'application', 'settings', 'ui', 'path_args', 'path_kwargs']);

/**
 * Whether a \`check_xsrf_cookie\` override that returns early under a condition only defers the check:
 * Tornado calls it before \`prepare()\`, and the handler calls it again later, in \`prepare()\` (its own,
 * inherited, or a method \`prepare()\` calls) or in a \`post\`/\`put\`/\`patch\`/\`delete\` of the class
 * or a subclass; and the condition reads state the handler's own code sets
 * (\`hasattr(self, "_user")\`, \`self._skip_check\`), which tells the early call from the later one.
 * A condition on the request alone (a header) holds at every call: the check is skipped, not deferred.
 */
export function defersCheck(project: Project, override: MethodSite, ownerClass: string): boolean {
  if (!conditionReadsHandlerState(project, override)) return false;
  return checksTokenInPrepare(project, ownerClass) || requestMethodCallsCheck(project, ownerClass);
}

function conditionReadsHandlerState(project: Project, { module, definition }: MethodSite): boolean {
  const tests = module.facts.conditions.filter((condition) => condition.scope === definition.bodyScope).map((condition) => condition.test);
  const read = new Set(tests.flatMap(handlerAttributesRead));
  if (read.size === 0) return false;
  const set = attributesSetOnSelf(project, module.projectRoot);
  return [...read].some((attribute) => set.has(attribute));
}

/** `self._user`, `hasattr(self, "_user")`, `getattr(self, "_user", None)`: the handler's own attributes a test reads. */
function handlerAttributesRead(test: Expr): string[] {
  const attributes: string[] = [];
  for (const part of walkExpr(test)) {
    if (part.kind === 'attribute' && isSelf(part.object) && !TORNADO_GIVEN_ATTRIBUTES.has(part.attribute)) attributes.push(part.attribute);
    if (part.kind !== 'call' || part.callee.kind !== 'name' || (part.callee.id !== 'hasattr' && part.callee.id !== 'getattr')) continue;
    const [object, name] = part.args;
    if (object && isSelf(object.value) && name?.value.kind === 'string') attributes.push(name.value.value);
  }
  return attributes;
}

// Asked once per override, of few overrides: the project's writes to `self.<attribute>` are gathered once per root.
const attributesSetByRoot = new ProjectWideMemo(findAttributesSetOnSelf);

/** The attributes the project's code assigns on `self` (`self._skip_check = False`). */
function attributesSetOnSelf(project: Project, projectRoot: string): Set<string> {
  return attributesSetByRoot.get(project, projectRoot);
}

function findAttributesSetOnSelf(project: Project, projectRoot: string): Set<string> {
  const attributes = new Set<string>();
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot) continue;
    for (const { target } of module.facts.assignments) {
      if (target.kind === 'attribute' && isSelf(target.object)) attributes.add(target.attribute);
    }
  }
  return attributes;
}

/** A \`post\` (\`put\`, \`patch\`, \`delete\`) of the class or a subclass that calls \`self.check_xsrf_cookie()\` itself. */
function requestMethodCallsCheck(project: Project, ownerClass: string): boolean {
  return [...project.classFamily(new Set([ownerClass]))].some((handler) =>
    UNSAFE_REQUEST_METHODS.some((name) => {
      const site = project.findMethod(handler, name);
      if (!site) return false;
      const { module, definition } = site;
      return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call: { callee } }) => callee.kind === 'attribute' && callee.attribute === 'check_xsrf_cookie' && isSelf(callee.object));
    }),
  );
}

function isSelf(expr: Expr): boolean {
  return expr.kind === 'name' && expr.id === 'self';
}
