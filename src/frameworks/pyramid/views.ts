import type { Argument, Definition } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { Project } from '../../project/project.js';
import { answersOnlySafeMethods, PYRAMID } from './configuration.js';
import type { SourceModule } from '../../project/source-module.js';
import { truthiness } from '../../project/values.js';
import { checksCsrf, checksCsrfToken, CSRF_WORDS } from '../../project/csrf-checks.js';
import { viewName } from '../../project/views.js';

/**
 * A Pyramid view that may change state, and what the scan shows it checking. Views are declared by
 * `@view_config(...)` (with its class's `@view_defaults(...)`) or by a decorator of the project's own
 * named like one (`@mgmt_view(...)`, `@api_view_config(...)`), which registers views the same way.
 */
export interface PyramidView {
  module: SourceModule;
  definition: Definition;
  /** `delete_node`, `FolderContents.rename`. */
  name: string;
  /** What makes a forged request to it harmless, when something does. */
  guard: PyramidViewGuard | undefined;
}

/**
 * - `predicate`: `require_csrf=True` or `check_csrf=True` among its predicates, or `xhr=True`, which
 *   matches only requests that carry a header no cross-site form can send;
 * - `own-check`: it (or its class) calls a CSRF check or validates a schema that checks the token;
 * - `anonymous`: it needs no permission and reads nothing about the user: it acts for nobody.
 */
export type PyramidViewGuard = 'predicate' | 'own-check' | 'anonymous';

/** Schemas outside the scan that compare a form field with the session's CSRF token on validation. */
const KNOWN_CSRF_SCHEMAS = new Set(['pyramid_deform.CSRFSchema']);
/** A decorator of the project's own that declares views as `view_config` does. */
const VIEW_DECORATOR_NAME = /(^|_)view(_config)?$|view_config$/;
/** What a view reads of the request's body: a view answering every method that reads none changes nothing. */
const BODY_READS = /(^|\.)request\.(POST|params|json_body|json|body|text)$/;
/** What tells a view who the user is; a view that reads none of it, nor needs a permission, acts for nobody. */
const USER_READS = /(^|\.)request\.(user|authenticated_userid|unauthenticated_userid|identity|effective_principals|session|has_permission)$/;
const USER_CALLS = new Set(['pyramid.security.authenticated_userid', 'pyramid.security.has_permission', 'pyramid.security.effective_principals', 'pyramid.security.remember']);

/** The views of the given modules that accept a state-changing request, each with its guard. */
export function statefulPyramidViews(project: Project, modules: readonly SourceModule[]): PyramidView[] {
  const defaultPermission = modules.some((module) => module.facts.calls.some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'set_default_permission'));
  const judge = new ViewJudge(project, defaultPermission);
  return modules.flatMap((module) => module.facts.definitions.flatMap((definition) => judge.viewsOf(module, definition)));
}

class ViewJudge {
  private readonly classVerdicts = new Map<string, boolean>();
  private readonly boundTokenChecks = new Map<string, boolean>();

  constructor(
    private readonly project: Project,
    private readonly defaultPermission: boolean,
  ) {}

  viewsOf(module: SourceModule, definition: Definition): PyramidView[] {
    const declarations = definition.decorators.flatMap(({ expression }) =>
      expression.kind === 'call' && this.declaresView(module, expression.callee, definition.scope) ? [expression.args] : [],
    );
    if (declarations.length === 0) return [];
    const defaults = viewDefaultArguments(this.project, module, definition);
    const name = viewName(module, definition);
    return declarations
      .map((args) => [...args, ...defaults])
      .filter((args) => this.mayChangeState(module, definition, args))
      .map((args) => ({ module, definition, name, guard: this.guardOf(module, definition, args) }));
  }

  private declaresView(module: SourceModule, callee: Argument['value'], scope: number): boolean {
    const name = this.project.resolve(module, callee, scope);
    if (name === undefined) return false;
    if (name === 'pyramid.view.view_config') return true;
    return this.project.isScannedName(name) && VIEW_DECORATOR_NAME.test(name.slice(name.lastIndexOf('.') + 1));
  }

  /** `request_method` names an unsafe method, or is absent and the view reads the request's body (a class view may). */
  private mayChangeState(module: SourceModule, definition: Definition, args: Argument[]): boolean {
    if (args.some((argument) => argument.name === 'request_method')) return !answersOnlySafeMethods(this.project, module, definition.scope, args);
    if (definition.kind === 'class') return true;
    return readsOf(module, definition).some((read) => BODY_READS.test(read));
  }

  private guardOf(module: SourceModule, definition: Definition, args: Argument[]): PyramidViewGuard | undefined {
    const predicate = args.find((argument) => argument.name === 'require_csrf' || argument.name === 'check_csrf');
    if (predicate) return truthiness(this.project, { module, scope: definition.scope, expr: predicate.value }) === 'truthy' ? 'predicate' : undefined;
    // `xhr=True` matches only requests with `X-Requested-With`, a header no cross-site form can send.
    const xhr = args.find((argument) => argument.name === 'xhr');
    if (xhr && truthiness(this.project, { module, scope: definition.scope, expr: xhr.value }) === 'truthy') return 'predicate';
    if (this.checksInBody(module, definition)) return 'own-check';
    const owner = definition.kind === 'class' ? definition : module.symbols.definitionOfScope(definition.scope);
    if (owner?.kind === 'class' && this.classChecks(module.symbols.definitionName(owner))) return 'own-check';
    // A method view may learn the user elsewhere in its class (`self.user = request.user` in `__init__`).
    const userContext = owner?.kind === 'class' ? owner : definition;
    if (!this.defaultPermission && !args.some((argument) => argument.name === 'permission') && !this.readsUser(module, userContext)) return 'anonymous';
    return undefined;
  }

  /**
   * A class view, or the class of a method view, whose methods (its own or inherited from scanned
   * bases) check a token: a form view that binds the session's token to its schema
   * (`schema.bind(csrf_token=request.session.get_csrf_token())`) or builds a schema that checks it.
   */
  private classChecks(className: string): boolean {
    const known = this.classVerdicts.get(className);
    if (known !== undefined) return known;
    this.classVerdicts.set(className, false);
    let checks = false;
    this.project.inheritsFrom(className, (name) => {
      const site = this.project.findDefinition(name);
      if (site?.definition.kind !== 'class') return false;
      const { module, definition } = site;
      checks = module.facts.definitions.some((method) => method.kind === 'function' && method.scope === definition.bodyScope && this.checksInBody(module, method));
      return checks;
    });
    this.classVerdicts.set(className, checks);
    return checks;
  }

  /** Calls a CSRF check, binds the session's token to a schema, or creates a schema that checks it. */
  private checksInBody(module: SourceModule, definition: Definition): boolean {
    const scopes = module.symbols.scopesWithin(definition.bodyScope);
    return module.facts.calls.some(({ call, scope }) => {
      if (!scopes.has(scope)) return false;
      const name = this.project.resolve(module, call.callee, scope) ?? '';
      if (checksCsrfToken(name) || this.isCsrfSchema(name)) return true;
      return call.callee.kind === 'attribute' && call.callee.attribute === 'bind' && call.args.some((argument) => bindsSessionToken(argument.value)) && this.checksBoundToken(module);
    });
  }

  /**
   * A token bound to a schema is checked only by a node that reads the bindings and rejects a
   * mismatch: a validator of a class or function named for CSRF that reads `self.bindings` (or
   * `node.bindings`) and raises. Without one in the project, binding the token checks nothing.
   */
  private checksBoundToken(module: SourceModule): boolean {
    const known = this.boundTokenChecks.get(module.projectRoot);
    if (known !== undefined) return known;
    const checks = this.project.modules.some((candidate) => candidate.projectRoot === module.projectRoot && candidate.context !== 'test' && readsBindingsAndRejects(candidate));
    this.boundTokenChecks.set(module.projectRoot, checks);
    return checks;
  }

  /**
   * A schema class that checks the CSRF token when it validates: a known one, or a scanned class
   * whose `validator` calls a check (`check_csrf_token(request)`) or, in a class named for CSRF,
   * rejects a mismatch (`raise colander.Invalid(...)`); or a class built on one.
   */
  private isCsrfSchema(className: string): boolean {
    if (className === '' || (!this.project.isScannedName(className) && !KNOWN_CSRF_SCHEMAS.has(className))) return false;
    return this.project.inheritsFrom(className, (name) => {
      if (KNOWN_CSRF_SCHEMAS.has(name)) return true;
      const validator = this.project.findDefinition(`${name}.validator`);
      if (validator?.definition.kind !== 'function') return false;
      const { module, definition } = validator;
      if (checksCsrf(this.project, module, definition)) return true;
      const scopes = module.symbols.scopesWithin(definition.bodyScope);
      return CSRF_WORDS.test(name.slice(name.lastIndexOf('.') + 1)) && module.facts.raises.some((statement) => scopes.has(statement.scope));
    });
  }

  /** Reads who the user is, or hands the request to code of the project, which may. */
  private readsUser(module: SourceModule, definition: Definition): boolean {
    if (readsOf(module, definition).some((read) => USER_READS.test(read))) return true;
    const scopes = module.symbols.scopesWithin(definition.bodyScope);
    return module.facts.calls.some(({ call, scope }) => {
      if (!scopes.has(scope)) return false;
      const name = this.project.resolve(module, call.callee, scope) ?? '';
      return USER_CALLS.has(name) || (this.project.isScannedName(name) && call.args.some((argument) => isRequest(argument.value)));
    });
  }
}

/**
 * `@view_defaults(...)` of the class a method view belongs to: put after the view's own arguments,
 * which take precedence, as a keyword lookup finds the first.
 */
export function viewDefaultArguments(project: Project, module: SourceModule, definition: Definition): Argument[] {
  const owner = module.symbols.definitionOfScope(definition.scope);
  if (owner?.kind !== 'class') return [];
  return owner.decorators.flatMap(({ expression }) =>
    expression.kind === 'call' && PYRAMID.viewDecorators.has(project.resolve(module, expression.callee, owner.scope) ?? '') ? expression.args : [],
  );
}

/** `request.session.get_csrf_token()` or `get_csrf_token(request)` inside a `bind(...)` argument. */
function bindsSessionToken(value: Argument['value']): boolean {
  for (const part of walkExpr(value)) {
    if (part.kind !== 'call') continue;
    const { callee } = part;
    const name = callee.kind === 'attribute' ? callee.attribute : callee.kind === 'name' ? callee.id : '';
    if (name === 'get_csrf_token' || name === 'new_csrf_token') return true;
  }
  return false;
}

/** A function named for CSRF, or a method of a class named for it, that reads `*.bindings` and raises. */
function readsBindingsAndRejects(module: SourceModule): boolean {
  const raising = new Set(module.facts.raises.map((statement) => statement.scope));
  return module.facts.scopes.some((scope) => {
    if (!raising.has(scope.id) || !scope.reads.some((read) => read.endsWith('.bindings'))) return false;
    const definition = module.symbols.definitionOfScope(scope.id);
    if (definition?.kind !== 'function') return false;
    const owner = module.symbols.definitionOfScope(definition.scope);
    return CSRF_WORDS.test(definition.name) || (owner !== undefined && CSRF_WORDS.test(owner.name));
  });
}

/** `request`, `self.request`. */
function isRequest(expr: Argument['value']): boolean {
  return (expr.kind === 'name' && expr.id === 'request') || (expr.kind === 'attribute' && expr.attribute === 'request');
}

function readsOf(module: SourceModule, definition: Definition): string[] {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  return module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
}
