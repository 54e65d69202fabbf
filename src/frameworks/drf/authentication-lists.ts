import type { Definition, Expr, SourceRange } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import { headersReadIn } from '../../project/view-bodies.js';
import { finalIdentifier, type Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, mappingEntries, stringValue, type ValueSite } from '../../project/values.js';
import { gatherModuleByModule, type KeptShares } from '../../project/kept-shares.js';
import { ProjectWideMemo } from '../../project/project-wide-memo.js';

export const BASIC_AUTHENTICATION = 'rest_framework.authentication.BasicAuthentication';
/** Where DRF reads the authentication classes a view uses: the setting and the view attribute (the decorator sets the attribute). */
const AUTHENTICATION_LISTS = new Set(['DEFAULT_AUTHENTICATION_CLASSES', 'authentication_classes']);

/** A list of DRF authentication classes written in the project, in the order DRF tries them. */
export interface AuthenticationList {
  /** `DEFAULT_AUTHENTICATION_CLASSES`, `authentication_classes` or `@authentication_classes`. */
  name: string;
  /** Each class, as written: a dotted string or a name. */
  items: ValueSite[];
  /** The assignment, the `key: value` pair or the decorator call, in `module`. */
  module: SourceModule;
  range: SourceRange;
}

/**
 * The lists in `DEFAULT_AUTHENTICATION_CLASSES`, `authentication_classes = [...]` and
 * `@authentication_classes([...])`, found once per project: both DRF rules, the JWT cookie settings
 * and the endpoint inventory ask for them, and finding them reads every assignment of the project.
 */
export function authenticationLists(project: Project): readonly AuthenticationList[] {
  return listsByProject.get(project, 'all');
}

const listsByProject = new ProjectWideMemo((project: Project, _key: 'all') => {
  // Only a `dict(...)` call builds a mapping; resolving every other call's callee would cost more than the rules.
  const dictNames = project.identifiersFor(['builtins.dict']);
  return gatherModuleByModule(project, keptLists, JSON.stringify([...dictNames].sort()), (module, add) => addListsIn(project, module, dictNames, add));
});

/** Each module's lists, kept across a language server's edits of modules they did not read. */
const keptLists = new WeakMap<Project, KeptShares<AuthenticationList>>();

function addListsIn(project: Project, module: SourceModule, dictNames: ReadonlySet<string>, add: (list: AuthenticationList) => void): void {
  for (const { target, value, scope, range } of module.facts.assignments) {
    if (!value) continue;
    const site = { module, scope, expr: value };
    const key = assignedKey(project, module, target, scope) ?? '';
    if (AUTHENTICATION_LISTS.has(key)) add({ name: key, items: listItems(project, site), module, range });
    if (value.kind !== 'dict' && (value.kind !== 'call' || !dictNames.has(finalIdentifier(value.callee) ?? ''))) continue;
    for (const entry of mappingEntries(project, site) ?? []) {
      if (AUTHENTICATION_LISTS.has(entry.key)) add({ name: entry.key, items: listItems(project, entry.value), module: entry.value.module, range: entry.range });
    }
  }
  for (const { call, scope } of module.facts.calls) {
    const [classes] = call.args;
    if (classes && finalIdentifier(call.callee) === 'authentication_classes') {
      add({ name: '@authentication_classes', items: listItems(project, { module, scope, expr: classes.value }), module, range: call.range });
    }
  }
}

/** The class an item names, canonical: `"rest_framework.authentication.BasicAuthentication"` or an imported name. */
export function authenticationClassOf(project: Project, item: ValueSite): string | undefined {
  const name = stringValue(project, item) ?? project.resolve(item.module, item.expr, item.scope);
  return name === undefined ? undefined : project.canonical(name, item.module);
}

/**
 * `BasicAuthentication` or a subclass whose `authenticate_header`, if the project overrides it, still
 * returns a Basic challenge. DRF takes the `WWW-Authenticate` header of its 401 answers from the first
 * class alone: with such a class there, browsers prompt for a password and then send it by themselves.
 */
export function challengesForBasic(project: Project, className: string): boolean {
  if (!project.isSubclassOf(className, new Set([BASIC_AUTHENTICATION]))) return false;
  const override = project.findMethod(className, 'authenticate_header');
  if (!override) return true;
  const { module, definition } = override;
  const onlyAfterBasicSent = testsForSentBasic(project, module, definition);
  return module.facts.returns.some(({ scope, value, conditional }) => {
    if (scope !== definition.bodyScope || !value) return false;
    if (isInheritedHeader(value)) return !(conditional && onlyAfterBasicSent);
    return BASIC_SCHEME.test(stringValue(project, { module, scope, expr: value }) ?? '');
  });
}

const BASIC_SCHEME = /^basic\b/i;
const GET_AUTHORIZATION_HEADER = 'rest_framework.authentication.get_authorization_header';

/**
 * An `if` of the method that asks whether the request already sent `Authorization: Basic ...`
 * (`if auth.lower().startswith("basic "):`). A challenge returned under it reaches only a client that
 * has Basic credentials already: an anonymous browser gets the other answer and never prompts.
 * The facts keep an `if`'s test but not its body, so a guarded `return` is one that is conditional in
 * a method with such a test.
 */
function testsForSentBasic(project: Project, module: SourceModule, definition: Definition): boolean {
  const readsAuthorization = (expr: Expr, scope: number) =>
    [...headersReadIn(expr)].some((header) => /authorization/i.test(header)) ||
    [...walkExpr(expr)].some((part) => part.kind === 'call' && project.resolve(module, part.callee, scope) === GET_AUTHORIZATION_HEADER);
  const authorizationNames = new Set<string>();
  for (const { target, value, scope } of module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope)) {
    if (target.kind === 'name' && value && readsAuthorization(value, scope)) authorizationNames.add(target.id);
  }
  return module.symbols.itemsWithin(module.facts.conditions, definition.bodyScope).some(({ test, scope }) => {
    if (isNegative(test)) return false;
    const parts = [...walkExpr(test)];
    const namesBasic = parts.some((part) => part.kind === 'string' && BASIC_SCHEME.test(part.value));
    const testsAuthorization = readsAuthorization(test, scope) || parts.some((part) => part.kind === 'name' && authorizationNames.has(part.id));
    return namesBasic && testsAuthorization;
  });
}

/** `not ...`, `!=`, `not in`, `is not`: the body runs when the request did NOT send what is named. */
function isNegative(test: Expr): boolean {
  return [...walkExpr(test)].some((part) => (part.kind === 'unary' && part.operator === 'not') || (part.kind === 'compare' && part.operators.some((operator) => operator === '!=' || operator === 'not in' || operator === 'is not')));
}

/** `return super().authenticate_header(request)`: on that path the parent's Basic challenge goes out unchanged. */
function isInheritedHeader(value: Expr): boolean {
  if (value.kind !== 'call' || value.callee.kind !== 'attribute' || value.callee.attribute !== 'authenticate_header') return false;
  const owner = value.callee.object;
  return owner.kind === 'call' && owner.callee.kind === 'name' && owner.callee.id === 'super';
}

/** The name an assignment sets: `x`, `obj.x`, or the key of `settings["x"]`. */
function assignedKey(project: Project, module: SourceModule, target: Expr, scope: number): string | undefined {
  if (target.kind === 'subscript') return stringValue(project, { module, scope, expr: target.index });
  return finalIdentifier(target);
}

function listItems(project: Project, site: ValueSite): ValueSite[] {
  const value = dereference(project, site);
  if (value.expr.kind !== 'list' && value.expr.kind !== 'tuple') return [];
  return value.expr.items.map((item) => ({ ...value, expr: item }));
}
