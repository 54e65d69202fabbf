import type { Definition } from '../python/facts.js';
import type { Project } from './project.js';
import { ProjectWideMemo } from './project-wide-memo.js';
import type { SourceModule } from './source-module.js';
import { checksCsrfToken, CSRF_WORDS, readsCsrfValue } from './csrf-checks.js';


/** A request-handler base class of the project and the method of it that checks CSRF on the way in. */
export interface CsrfCheckingHandler {
  /** The class's qualified name (`indico.web.rh.RH`). */
  className: string;
  /** The method that compares the tokens (`_check_csrf`). */
  checkMethod: string;
  /** The method that calls it through `self` on every request (`process`). */
  calledFrom: string;
}

/** `handler base class \`RH\` (\`_check_csrf()\`, called by \`process()\`)`: the words the inventory and the hints use. */
export function describeCsrfCheckingHandler(handler: CsrfCheckingHandler): string {
  const base = handler.className.slice(handler.className.lastIndexOf('.') + 1);
  return `handler base class \`${base}\` (\`${handler.checkMethod}()\`, called by \`${handler.calledFrom}()\`)`;
}

/**
 * The project's own request-handler base classes that check CSRF on the way to every view: a class
 * with a method named for CSRF that compares a token (calls a CSRF check, or reads a value named for
 * CSRF and rejects), called through `self` by another of its methods (`process()`, which every
 * request goes through), and that other classes of the project build on. Indico's `RH` is one: each
 * of its views is a subclass. A class nothing inherits from (an HTTP client fetching a token) is none.
 */
export function csrfCheckingHandlers(project: Project, projectRoot: string): CsrfCheckingHandler[] {
  return checkingHandlersByRoot.get(project, projectRoot);
}

const checkingHandlersByRoot = new ProjectWideMemo(findCheckingHandlers);

function findCheckingHandlers(project: Project, projectRoot: string): CsrfCheckingHandler[] {
  const modules = project.modules.filter((module) => module.projectRoot === projectRoot && module.context !== 'test');
  const bases = baseClassNames(project, modules);
  return modules.flatMap((module) => checkingClassesOf(project, module)).filter((handler) => bases.has(handler.className));
}

function checkingClassesOf(project: Project, module: SourceModule): CsrfCheckingHandler[] {
  const methodsByClassBody = new Map<number, Definition[]>();
  for (const definition of module.facts.definitions) {
    if (definition.kind !== 'function') continue;
    const methods = methodsByClassBody.get(definition.scope);
    if (methods) methods.push(definition);
    else methodsByClassBody.set(definition.scope, [definition]);
  }
  const selfCalls = selfCallsByClassBody(module);
  let facts: ScopedFacts | undefined;
  const found: CsrfCheckingHandler[] = [];
  for (const owner of module.facts.definitions) {
    if (owner.kind !== 'class') continue;
    const methods = methodsByClassBody.get(owner.bodyScope) ?? [];
    const called = selfCalls.get(owner.bodyScope);
    if (!called) continue;
    const check = methods.find((method) => CSRF_WORDS.test(method.name) && called.has(method.name) && comparesCsrfToken(project, module, (facts ??= scopedFacts(module)), method));
    if (check) found.push({ className: module.symbols.definitionName(owner), checkMethod: check.name, calledFrom: called.get(check.name)! });
  }
  return found;
}

/** For each class body, the `self.<name>(...)` calls made directly in its methods, each with the method that first makes it. */
function selfCallsByClassBody(module: SourceModule): Map<number, Map<string, string>> {
  const calls = new Map<number, Map<string, string>>();
  for (const { call, scope } of module.facts.calls) {
    const { callee } = call;
    if (callee.kind !== 'attribute' || callee.object.kind !== 'name' || callee.object.id !== 'self') continue;
    const caller = module.symbols.definitionOfScope(scope);
    if (caller?.kind !== 'function') continue;
    const names = calls.get(caller.scope) ?? new Map<string, string>();
    if (!names.has(callee.attribute)) names.set(callee.attribute, caller.name);
    calls.set(caller.scope, names);
  }
  return calls;
}

/** Calls a CSRF check, or reads a value named for CSRF (`request.form.get("csrf_token")`) and rejects. */
function comparesCsrfToken(project: Project, module: SourceModule, facts: ScopedFacts, method: Definition): boolean {
  const scopes = [...module.symbols.scopesWithin(method.bodyScope)];
  const calls = scopes.flatMap((scope) => facts.callsByScope.get(scope) ?? []);
  if (calls.some(({ call, scope }) => checksCsrfToken(project.resolve(module, call.callee, scope) ?? ''))) return true;
  const rejects = scopes.some((scope) => facts.raisingScopes.has(scope)) || calls.some(({ call, scope }) => /(^|\.)abort$/.test(project.resolve(module, call.callee, scope) ?? ''));
  return rejects && calls.some(({ call }) => readsCsrfValue(call));
}

interface ScopedFacts {
  callsByScope: Map<number, SourceModule['facts']['calls']>;
  raisingScopes: Set<number>;
}

/** A module's calls grouped by the scope they are made in, and the scopes that raise: read once per module. */
function scopedFacts(module: SourceModule): ScopedFacts {
  const callsByScope = new Map<number, SourceModule['facts']['calls']>();
  for (const site of module.facts.calls) {
    const calls = callsByScope.get(site.scope);
    if (calls) calls.push(site);
    else callsByScope.set(site.scope, [site]);
  }
  return { callsByScope, raisingScopes: new Set(module.facts.raises.map((statement) => statement.scope)) };
}

/** The names of the classes other classes of these modules are built on. */
function baseClassNames(project: Project, modules: readonly SourceModule[]): Set<string> {
  const names = new Set<string>();
  for (const module of modules) {
    for (const definition of module.facts.definitions) {
      if (definition.kind !== 'class') continue;
      for (const base of definition.bases) {
        if (base.name !== undefined) continue;
        const name = project.resolve(module, base.value, definition.scope);
        if (name !== undefined) names.add(name);
      }
    }
  }
  return names;
}

/** A class view whose handler base class checks CSRF on the way in, and where it turns that check off, if it does. */
export interface HandlerBaseCheck {
  /** The base class that checks (`indico.web.rh.RH`), and by which method. */
  handler: CsrfCheckingHandler;
  handlerAt: { module: SourceModule; line: number };
  /** `CSRF_ENABLED = False` in the view's class or a class between it and the handler base. */
  turnedOffAt?: { module: SourceModule; line: number; flag: string };
}

/** What checks CSRF for a handler class routed as a view (Indico's `RH` subclasses), `undefined` if no handler base of the project does. */
export function handlerBaseCheckOf(project: Project, module: SourceModule, view: Definition): HandlerBaseCheck | undefined {
  const handlers = new Map(csrfCheckingHandlers(project, module.projectRoot).map((handler) => [handler.className, handler]));
  if (handlers.size === 0) return undefined;
  const className = module.symbols.definitionName(view);
  let handler: CsrfCheckingHandler | undefined;
  let flag: { module: SourceModule; line: number; flag: string; enabled: boolean } | undefined;
  project.inheritsFrom(className, (name) => {
    handler = handlers.get(name);
    if (handler) return true;
    flag ??= csrfFlagOf(project, name);
    return false;
  });
  if (handler === undefined) return undefined;
  const site = project.findDefinition(handler.className);
  const handlerAt = site ? { module: site.module, line: site.definition.range.line } : { module, line: view.range.line };
  if (!flag || flag.enabled) return { handler, handlerAt };
  return { handler, handlerAt, turnedOffAt: { module: flag.module, line: flag.line, flag: flag.flag } };
}

/** `CSRF_ENABLED = False` (or `True`) set in a class's own body: a switch of its handler base's check. */
function csrfFlagOf(project: Project, className: string): { module: SourceModule; line: number; flag: string; enabled: boolean } | undefined {
  const site = project.findDefinition(className);
  if (site?.definition.kind !== 'class') return undefined;
  const { module, definition } = site;
  const assignment = module.facts.assignments.find(
    (candidate) => candidate.scope === definition.bodyScope && candidate.operator === '=' && candidate.target.kind === 'name' && CSRF_WORDS.test(candidate.target.id) && candidate.value?.kind === 'constant' && typeof candidate.value.value === 'boolean',
  );
  if (assignment?.target.kind !== 'name' || assignment.value?.kind !== 'constant') return undefined;
  return { module, line: assignment.range.line, flag: `${assignment.target.id} = ${assignment.value.value ? 'True' : 'False'}`, enabled: assignment.value.value === true };
}
