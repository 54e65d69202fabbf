import type { Argument, CallExpr, Definition } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import { describeExpr } from '../../python/describe.js';
import type { Project } from '../../project/project.js';
import { answersOnlySafeMethods, isExceptionView, PYRAMID } from './configuration.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue, truthiness } from '../../project/values.js';
import { checksCsrf, checksCsrfToken, CSRF_WORDS } from '../../project/csrf-checks.js';
import { viewName } from '../../project/views.js';
import { bodyOnlyReads } from '../../project/read-only-bodies.js';
import { decoratorCsrfCheckOf } from '../../project/decorator-csrf-checks.js';
import { corniceViews, type CorniceView } from './cornice.js';
import { acceptsOnlySafeMethods } from '../../endpoints/endpoint.js';
import { declaredRouteName, headerAuthenticatedRoutes, insideViewConfigClass } from './header-routes.js';

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
 * - `own-check`: it (or its class) calls a CSRF check or validates a schema that checks the token,
 *   or a decorator of the project's checks the token before calling it (`@CSRFRequired()`);
 * - `anonymous`: it needs no permission and reads nothing about the user: it acts for nobody;
 * - `header-route`: it is declared on a route whose users only a request header authenticates.
 */
export type PyramidViewGuard = 'predicate' | 'own-check' | 'anonymous' | 'header-route';

/** Where a view checks the token itself: `LoginSchema().bind(...)` of a schema that checks it, `check_csrf_token(...)`. */
export interface PyramidOwnCheck {
  call: string;
  module: SourceModule;
  line: number;
  /**
   * The check runs only when what it builds is validated (a schema that checks the token, a schema
   * bound to it): where it is built, the function the built schema is kept in (`__init__`).
   */
  validatedIn?: Definition;
}

/** Schemas outside the scan that compare a form field with the session's CSRF token on validation. */
const KNOWN_CSRF_SCHEMAS = new Set(['pyramid_deform.CSRFSchema']);
/** A decorator of the project's own that declares views as `view_config` does. */
const VIEW_DECORATOR_NAME = /(^|_)view(_config)?$|view_config$/;
/** What a view reads of the request's body: a view answering every method that reads none changes nothing. */
const BODY_READS = /(^|\.)request\.(POST|params|json_body|json|body|text)$/;
/** What tells a view who the user is; a view that reads none of it, nor needs a permission, acts for nobody. */
const USER_READS = /(^|\.)request\.(user|authenticated_userid|unauthenticated_userid|identity|effective_principals|session|has_permission)$/;
const USER_CALLS = new Set(['pyramid.security.authenticated_userid', 'pyramid.security.has_permission', 'pyramid.security.effective_principals', 'pyramid.security.remember']);

/** The views of the given modules that accept a state-changing request, each with its guard, Cornice services' included. */
export function statefulPyramidViews(project: Project, modules: readonly SourceModule[]): PyramidView[] {
  const defaultPermission = modules.some((module) => module.facts.calls.some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'set_default_permission'));
  const judge = new ViewJudge(project, defaultPermission, headerAuthenticatedRoutes(project, modules));
  const declared = modules.flatMap((module) => module.facts.definitions.flatMap((definition) => judge.viewsOf(module, definition)));
  const added = viewsAddedByCall(project, modules).flatMap((added) => (added.site ? judge.addedView(added.site.module, added.site.definition, added) : []));
  const scanned = new Set(modules);
  const cornice = corniceViews(project).filter((view) => scanned.has(view.module) && !acceptsOnlySafeMethods(view.methods));
  return [...declared, ...added, ...cornice.map((view) => judge.corniceView(view))];
}

/** A view added by \`config.add_view(view, ...)\`: its name, and its definition when the scan holds it. */
interface AddedView {
  call: CallExpr;
  /** Where the call is written, which its arguments are read in. */
  writtenIn: SourceModule;
  scope: number;
  name: string | undefined;
  site: { module: SourceModule; definition: Definition } | undefined;
}

/** What names an HTTP method: Cornice's \`service.add_view("POST", view)\` passes one first, Pyramid's \`add_view\` the view. */
const HTTP_METHOD = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/i;

/** \`config.add_view(view, ...)\` or \`config.add_view(view="pkg.views.edit", ...)\` in the given modules, exception views left out. */
function viewsAddedByCall(project: Project, modules: readonly SourceModule[]): AddedView[] {
  return modules.flatMap((module) =>
    module.facts.calls.flatMap(({ call, scope }) => {
      if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'add_view' || isExceptionView(project, module, scope, call.args)) return [];
      // A project's own `view_config` registers the views it decorates, each judged where it is declared.
      if (insideViewConfigClass(project, module, scope)) return [];
      const view = call.args.find((argument) => argument.name === 'view') ?? call.args.find((argument) => !argument.name && !argument.unpack);
      const text = view && stringValue(project, { module, scope, expr: view.value });
      if (text !== undefined && HTTP_METHOD.test(text)) return [];
      const name = text ?? (view && project.resolve(module, view.value, scope));
      const site = name === undefined ? undefined : project.findDefinition(name);
      return [{ call, writtenIn: module, scope, name, site }];
    }),
  );
}

/**
 * A package's sign-in view (\`config.add_view("pyramid_fas_openid.verify_openid", ...)\`): a forged
 * request to it can at worst sign the user into the attacker's account.
 */
const SIGN_IN_VIEW = /(?:^|[._])(?:log_?in|log_?out|sign_?in|openid|oidc|oauth2?|sso|saml)(?:[._]|$)/i;

/**
 * Views \`config.add_view(...)\` adds that the scan cannot judge: ones outside it (an installed
 * package's) other than a sign-in view, or ones it cannot name.
 */
export function unjudgedAddedViews(project: Project, modules: readonly SourceModule[]): string[] {
  return viewsAddedByCall(project, modules).flatMap(({ name, site }) => (site === undefined && (name === undefined || !SIGN_IN_VIEW.test(name)) ? [name ?? 'a computed view'] : []));
}

const ownCheckJudges = new WeakMap<Project, ViewJudge>();

/** Where a view's configuration is written: the keywords of its decorator or `add_view` call. */
export interface ViewArguments {
  args: Argument[];
  writtenIn: SourceModule;
  scope: number;
}

/**
 * The CSRF check a Pyramid view runs itself, or its class does for it: a call of a check, or a
 * schema that checks the token, validated in the view or named by its configuration (Cornice's
 * `schema=` and `validators=`).
 */
export function pyramidViewOwnCheck(project: Project, module: SourceModule, definition: Definition, configuration?: ViewArguments): PyramidOwnCheck | undefined {
  let judge = ownCheckJudges.get(project);
  if (!judge) {
    judge = new ViewJudge(project, false, new Set());
    ownCheckJudges.set(project, judge);
  }
  return (configuration && judge.configuredCheck(configuration)) ?? judge.ownCheck(module, definition);
}

class ViewJudge {
  private readonly classVerdicts = new Map<string, PyramidOwnCheck | undefined>();
  private readonly boundTokenChecks = new Map<string, boolean>();

  constructor(
    private readonly project: Project,
    private readonly defaultPermission: boolean,
    private readonly headerRoutes: ReadonlySet<string>,
  ) {}

  viewsOf(module: SourceModule, definition: Definition): PyramidView[] {
    const declarations = definition.decorators.flatMap(({ expression }) =>
      expression.kind === 'call' && this.declaresView(module, expression.callee, definition.scope) ? [{ args: expression.args, decorator: this.project.resolve(module, expression.callee, definition.scope) }] : [],
    );
    if (declarations.length === 0) return [];
    const defaults = viewDefaultArguments(this.project, module, definition);
    const name = viewName(module, definition);
    return declarations
      .map(({ args, decorator }) => ({ args: [...args, ...defaults], decorator }))
      .filter(({ args }) => this.mayChangeState(module, definition, args))
      .map(({ args, decorator }): PyramidView => ({ module, definition, name, guard: this.onHeaderRoute(module, definition, args, decorator) ? 'header-route' : this.guardOf(module, definition, args) }));
  }

  private onHeaderRoute(module: SourceModule, definition: Definition, args: Argument[], decorator: string | undefined): boolean {
    if (this.headerRoutes.size === 0) return false;
    const route = declaredRouteName(this.project, module, definition.scope, args, decorator);
    return route !== undefined && this.headerRoutes.has(route);
  }

  /** A view added by \`config.add_view(...)\` with these arguments, when it may change state. */
  addedView(module: SourceModule, added: Definition, { call, writtenIn, scope }: AddedView): PyramidView[] {
    const { args } = call;
    const definition = this.attributeView(module, added, args) ?? added;
    if (!this.mayChangeState(module, definition, args)) return [];
    const route = declaredRouteName(this.project, writtenIn, scope, args, undefined);
    const guard = route !== undefined && this.headerRoutes.has(route) ? 'header-route' : this.guardOf(module, definition, args);
    return [{ module, definition, name: viewName(module, definition), guard }];
  }

  /** The method \`attr=\` names of a class added as a view (\`add_view(EntryView, attr="save")\`): Pyramid calls that method. */
  private attributeView(module: SourceModule, added: Definition, args: Argument[]): Definition | undefined {
    const attr = args.find((argument) => argument.name === 'attr');
    if (added.kind !== 'class' || attr === undefined) return undefined;
    const method = stringValue(this.project, { module, scope: added.scope, expr: attr.value });
    return module.facts.definitions.find((candidate) => candidate.kind === 'function' && candidate.scope === added.bodyScope && candidate.name === method);
  }

  /** A Cornice service's view: it validates what its `schema=` and `validators=` check before it runs. */
  corniceView(view: CorniceView): PyramidView {
    const { module, definition, args } = view;
    const guard = this.configuredCheck(view) ? 'own-check' : this.guardOf(module, definition, args);
    return { module, definition, name: view.view, guard };
  }

  /**
   * Cornice validates the request before the view runs: by the colander schema of \`schema=\`
   * (\`schema=SaveCommentSchema()\`) and by each function of \`validators=\`. Either may check the token.
   */
  configuredCheck({ args, writtenIn, scope }: ViewArguments): PyramidOwnCheck | undefined {
    const found = (argument: Argument) => ({ call: `${argument.name}=${describeExpr(argument.value)}`, module: writtenIn, line: argument.range.line });
    const schema = args.find((argument) => argument.name === 'schema');
    const schemaClass = schema && this.project.resolve(writtenIn, schema.value.kind === 'call' ? schema.value.callee : schema.value, scope);
    if (schema && schemaClass !== undefined && this.isCsrfSchema(schemaClass)) return found(schema);
    const validators = args.find((argument) => argument.name === 'validators');
    if (!validators) return undefined;
    const { value } = validators;
    const items = value.kind === 'list' || value.kind === 'tuple' ? value.items : [value];
    const checks = items.some((item) => {
      const site = this.project.findDefinition(this.project.resolve(writtenIn, item, scope) ?? '');
      return site?.definition.kind === 'function' && checksCsrf(this.project, site.module, site.definition);
    });
    return checks ? found(validators) : undefined;
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
    // A view that reads the body only to show it back (a form pre-filled from the query) changes nothing.
    return readsOf(module, definition).some((read) => BODY_READS.test(read)) && !bodyOnlyReads(this.project, { module, definition });
  }

  private guardOf(module: SourceModule, definition: Definition, args: Argument[]): PyramidViewGuard | undefined {
    const predicate = args.find((argument) => argument.name === 'require_csrf' || argument.name === 'check_csrf');
    if (predicate) return truthiness(this.project, { module, scope: definition.scope, expr: predicate.value }) === 'truthy' ? 'predicate' : undefined;
    // `xhr=True` matches only requests with `X-Requested-With`, a header no cross-site form can send.
    const xhr = args.find((argument) => argument.name === 'xhr');
    if (xhr && truthiness(this.project, { module, scope: definition.scope, expr: xhr.value }) === 'truthy') return 'predicate';
    if (this.ownCheck(module, definition) || decoratorCsrfCheckOf(this.project, module, definition)) return 'own-check';
    const owner = definition.kind === 'class' ? definition : module.symbols.definitionOfScope(definition.scope);
    // A method view may learn the user elsewhere in its class (`self.user = request.user` in `__init__`).
    const userContext = owner?.kind === 'class' ? owner : definition;
    if (!this.defaultPermission && !args.some((argument) => argument.name === 'permission') && !this.readsUser(module, userContext)) return 'anonymous';
    return undefined;
  }

  /** The check a view runs itself, or its class does for it (see `checkInBody` and `classCheck`). */
  ownCheck(module: SourceModule, definition: Definition): PyramidOwnCheck | undefined {
    const inBody = this.checkInBody(module, definition);
    if (inBody) return inBody;
    const owner = definition.kind === 'class' ? definition : module.symbols.definitionOfScope(definition.scope);
    if (owner?.kind !== 'class') return undefined;
    const check = this.classCheck(module.symbols.definitionName(owner));
    // A schema the class builds for its form checks a request only in the methods that validate the form.
    if (!check?.validatedIn || definition.kind === 'class') return check;
    return validatesKeptSchema(module, definition, keptSchemaAttributes(check, check.validatedIn)) ? check : undefined;
  }

  /**
   * A class view, or the class of a method view, whose methods (its own or inherited from scanned
   * bases) check a token: a form view that binds the session's token to its schema
   * (`schema.bind(csrf_token=request.session.get_csrf_token())`) or builds a schema that checks it.
   */
  private classCheck(className: string): PyramidOwnCheck | undefined {
    if (this.classVerdicts.has(className)) return this.classVerdicts.get(className);
    this.classVerdicts.set(className, undefined);
    let check: PyramidOwnCheck | undefined;
    this.project.inheritsFrom(className, (name) => {
      const site = this.project.findDefinition(name);
      if (site?.definition.kind !== 'class') return false;
      const { module, definition } = site;
      const methods = module.facts.definitions.filter((method) => method.kind === 'function' && method.scope === definition.bodyScope);
      check = methods.map((method) => this.checkInBody(module, method)).find((found) => found !== undefined);
      return check !== undefined;
    });
    this.classVerdicts.set(className, check);
    return check;
  }

  /** Calls a CSRF check, binds the session's token to a schema, or creates a schema that checks it: the call that does. */
  private checkInBody(module: SourceModule, definition: Definition): PyramidOwnCheck | undefined {
    const scopes = module.symbols.scopesWithin(definition.bodyScope);
    for (const { call, scope } of module.facts.calls) {
      if (!scopes.has(scope)) continue;
      const name = this.project.resolve(module, call.callee, scope) ?? '';
      const binds = call.callee.kind === 'attribute' && call.callee.attribute === 'bind' && call.args.some((argument) => bindsSessionToken(argument.value));
      const found = { call: `${describeExpr(call.callee)}(...)`, module, line: call.range.line };
      if (checksCsrfToken(name)) return found;
      if (this.isCsrfSchema(name) || (binds && this.checksBoundToken(module))) return { ...found, validatedIn: definition };
    }
    return undefined;
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
      if (KNOWN_CSRF_SCHEMAS.has(name) || this.hasCheckingNode(name)) return true;
      const validator = this.project.findDefinition(`${name}.validator`);
      if (validator?.definition.kind !== 'function') return false;
      const { module, definition } = validator;
      if (checksCsrf(this.project, module, definition)) return true;
      const scopes = module.symbols.scopesWithin(definition.bodyScope);
      return CSRF_WORDS.test(name.slice(name.lastIndexOf('.') + 1)) && module.facts.raises.some((statement) => scopes.has(statement.scope));
    });
  }

  /**
   * A schema class with a node whose validator checks the token:
   * \`csrf_token = colander.SchemaNode(colander.String(), validator=validate_csrf_token)\`.
   */
  private hasCheckingNode(className: string): boolean {
    const site = this.project.findDefinition(className);
    if (site?.definition.kind !== 'class') return false;
    const { module, definition } = site;
    return module.facts.assignments.some(({ scope, value }) => {
      if (scope !== definition.bodyScope || value?.kind !== 'call') return false;
      const validator = value.args.find((argument) => argument.name === 'validator');
      const name = validator && this.project.resolve(module, validator.value, scope);
      const check = name === undefined ? undefined : this.project.findDefinition(name);
      return check?.definition.kind === 'function' && checksCsrf(this.project, check.module, check.definition);
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

/** What a form's schema is validated by, called on it or on the form built from it. */
const VALIDATING_METHODS = new Set(['validate', 'validate_pstruct', 'deserialize']);

/**
 * The attributes of `self` a method keeps the schema it builds in, or a form built from it:
 * `self.schema = LoginSchema().bind(...)`, then `self.form = request.create_form(self.schema)`,
 * through locals too (`schema = ...`, `self._form = create_form(schema)`); a property that builds
 * the form (`@property def form(self)`) is one of them itself.
 */
function keptSchemaAttributes(check: PyramidOwnCheck, builder: Definition): Set<string> {
  const kept = new Set<string>();
  const locals = new Set<string>();
  const isKept = (part: Argument['value']) => (part.kind === 'name' ? locals.has(part.id) : kept.has(selfAttribute(part) ?? ''));
  for (const { target, value, range } of check.module.symbols.itemsWithin(check.module.facts.assignments, builder.bodyScope)) {
    if (!value) continue;
    const buildsSchema = range.line <= check.line && check.line <= range.endLine;
    if (!buildsSchema && ![...walkExpr(value)].some(isKept)) continue;
    if (target.kind === 'name') locals.add(target.id);
    const attribute = selfAttribute(target);
    if (attribute !== undefined) kept.add(attribute);
  }
  const isProperty = builder.decorators.some(({ expression }) => expression.kind === 'name' && expression.id === 'property');
  const returnsSchema = check.module.symbols.itemsWithin(check.module.facts.returns, builder.bodyScope).some(({ value }) => value !== null && [...walkExpr(value)].some(isKept));
  if (isProperty && returnsSchema) kept.add(builder.name);
  return kept;
}

/**
 * A method that validates what its class keeps: `self.form.validate(...)`, `self.schema.deserialize(...)`,
 * or `self.form` handed to a function (`handle_form_submission(request, self.form, ...)`).
 */
function validatesKeptSchema(module: SourceModule, method: Definition, kept: Set<string>): boolean {
  const isKept = (expr: Argument['value']) => kept.has(selfAttribute(expr) ?? '');
  return module.symbols.itemsWithin(module.facts.calls, method.bodyScope).some(({ call }) => {
    const { callee } = call;
    if (callee.kind === 'attribute' && VALIDATING_METHODS.has(callee.attribute) && isKept(callee.object)) return true;
    return call.args.some((argument) => isKept(argument.value));
  });
}

/** `form` of `self.form`. */
function selfAttribute(expr: Argument['value']): string | undefined {
  return expr.kind === 'attribute' && expr.object.kind === 'name' && expr.object.id === 'self' ? expr.attribute : undefined;
}

/** `request`, `self.request`. */
function isRequest(expr: Argument['value']): boolean {
  return (expr.kind === 'name' && expr.id === 'request') || (expr.kind === 'attribute' && expr.attribute === 'request');
}

function readsOf(module: SourceModule, definition: Definition): string[] {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  return module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
}
