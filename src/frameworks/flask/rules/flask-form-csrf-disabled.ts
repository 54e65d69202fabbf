import { describeExpr } from '../../../python/describe.js';
import type { Argument, CallExpr, Definition } from '../../../python/facts.js';
import { csrfCheckingHandlers, describeCsrfCheckingHandler } from '../../../project/handler-checks.js';
import { FLASK } from '../../../project/known-names.js';
import type { Project } from '../../../project/project.js';
import type { SourceModule } from '../../../project/source-module.js';
import { mappingEntries, stringValue, truthiness } from '../../../project/values.js';
import { defineRule, type RuleContext, type RuleReport } from '../../../rules/rule.js';
import type { Severity } from '../../../rules/rule.js';
import { type KeptReports, reportModuleByModule } from '../../../rules/support/kept-reports.js';
import { ACCOUNT_FIELD } from '../../../templates/form-purpose.js';
import { readsOnlyJsonBody } from '../../../project/json-only-bodies.js';
import { credentialedCors } from '../../../project/credentialed-cors.js';
import { routedOnlyForMethodsNoFormSends } from '../route-methods.js';
import { requestCredentialCheck } from '../../../project/request-credential-checks.js';
import { expressionsWithin } from '../../../project/view-bodies.js';
import { walkExpr } from '../../../python/walk-expr.js';
import { SESSION_SAME_SITE_DOC, weighingSessionSameSite } from '../same-site.js';

/** Before a SameSite session cookie lowers it. */
const RULE_SEVERITY: Severity = 'medium';

export default defineRule({
  id: 'flask-form-csrf-disabled',
  code: 'CSRF204',
  title: 'Flask-WTF form with CSRF protection turned off',
  severity: RULE_SEVERITY,
  framework: 'flask',
  fix: 'Remove csrf = False from the form (FlaskForm checks the token by default) and render form.csrf_token.',
  keywords: ['csrf', 'FlaskForm', 'flask_wtf'],
  // Every finding is a FlaskForm (from `flask_wtf`, `flask.ext.wtf` or `FlaskForm` unbound) or a form call where `flask_wtf` is imported.
  projectWords: ['flask'],
  doc: {
    whatItFinds: `A Flask-WTF form that does not check its CSRF token:

- a \`FlaskForm\` subclass (directly or through other form classes of the project) whose inner
  \`class Meta\` sets \`csrf\` to a falsy value;
- a form created with \`meta={"csrf": False}\`, or a function of the project called with it that
  hands its \`**kwargs\` on to a FlaskForm (\`get_bill_form(project, meta={"csrf": False})\`);
- the pre-0.14 keyword \`csrf_enabled=False\`, on the form call or on \`super().__init__\`;
- \`ProfileForm.Meta.csrf = False\` after the class. When no form of the project on the way defines a
  \`class Meta\`, that is Flask-WTF's own \`FlaskForm.Meta\`, shared by every form without a Meta of its
  own: \`FlaskForm.Meta.csrf = False\` turns off the check of all of them, and is reported high.

A form built in a request handler whose base class checks the session's CSRF token on every
request (a method named for CSRF that rejects a mismatch, called from another method of the class,
as Indico's \`RH\`) is not reported: the handler checks the token whatever the form does. Other
forms of such a project are reported at low severity.

A form filled from the query string (\`Form(request.args, meta={"csrf": False})\`, or
\`kwargs["formdata"] = request.args\` beside \`kwargs["meta"]\` in its \`__init__\`) is a GET form
(a search box): it changes nothing, and is not reported.

A form filled in a function whose only input is a JSON body (\`form_cls.from_json(request.json, meta={"csrf": False})\`,
no form, data, args or files read, \`get_json()\` without \`force\` or \`silent\`) is judged guarded and hidden
unless asked for: Flask refuses such a body unless it is sent as \`application/json\`, which a
cross-site HTML form cannot do, unless the app lets other origins send credentialed requests. So is
a form filled in a view whose route decorators accept no POST, only methods a form cannot send
(\`@bp.route("/x", methods=["PUT"])\`): a script on another site sends those only after a CORS
preflight. So is a form filled in a view that compares a secret the request carries with one the app
is configured with (\`if form.api_token.data != app.config["API_KEY"]: return 401\`) and reads no
signed-in user (no \`session\`, \`current_user\` or \`g\`): a forged post cannot know the secret.

A sign-in form (one \`PasswordField\` and a field naming the account, \`email\` or \`username\`) is
reported at low severity: a forged submission only signs the browser in to the attacker's account
(login CSRF). A form with two password fields (a password change, a registration) is not one.

Plain \`wtforms.Form\` classes are not reported: they never had CSRF protection to turn off. A form
class held in a variable (\`form_class(meta={"csrf": False})\`) is taken for a FlaskForm only in a
project that imports Flask-WTF.

${SESSION_SAME_SITE_DOC}`,
    whyItMatters: `A FlaskForm checks a hidden CSRF token on submit; with \`csrf = False\` it accepts a submission
built by any other web site and sent with the user's session cookie.`,
    example: `from flask_wtf import FlaskForm
from wtforms import StringField


class ProfileForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("name")
`,
    useInstead: `from flask_wtf import FlaskForm
from wtforms import StringField


class ProfileForm(FlaskForm):
    name = StringField("name")
`,
    whenItIsFine: `A form that only reads (a search form sent with GET) changes nothing and needs no token; a
form used only in tests is test context. Record the reason at the form:
\`# csrflint: ignore[flask-form-csrf-disabled] -- GET search form\`.`,
    references: [
      { title: 'Flask-WTF: creating forms', url: 'https://flask-wtf.readthedocs.io/en/stable/form/' },
      { title: 'WTForms: CSRF, class Meta', url: 'https://wtforms.readthedocs.io/en/stable/csrf/' },
    ],
  },
  check(ruleContext) {
    const context = weighingSessionSameSite(ruleContext, RULE_SEVERITY);
    const flaskWtfProjects = projectsUsingFlaskWtf(context.project);
    reportModuleByModule(context, keptReports, JSON.stringify([...flaskWtfProjects].sort()), (module, report) => {
      const moduleContext = { ...context, report };
      reportMetaClasses(moduleContext, module);
      reportFormCalls(moduleContext, module, flaskWtfProjects);
      reportMetaKeywordAssignments(moduleContext, module);
      reportMetaAttributeAssignments(moduleContext, module);
    });
  },
});

/** Each module's findings, kept across a language server's edits of modules they did not read. */
const keptReports = new WeakMap<Project, KeptReports>();

function isFlaskFormClass(project: Project, className: string): boolean {
  return project.isSubclassOf(className, FLASK.formClasses);
}

/** WTForms' password field, under `wtforms` or `wtforms.fields`. */
const PASSWORD_FIELD_CLASS = /^wtforms\.(?:fields\.)?(?:simple\.)?PasswordField$/;

const LOGIN_FORM = {
  severity: 'low',
  hint: 'a sign-in form: a forged submission can only sign the browser in to an account whose password the attacker knows (login CSRF), which is less severe than acting for a signed-in user',
} as const;

/**
 * A sign-in form: one password field (two or more ask for a new password, or confirm one) and a
 * field naming the account (`email`, `username`). Without a token, a forged submission signs the
 * victim in as the attacker.
 */
function isLoginForm(project: Project, module: SourceModule, form: Definition): boolean {
  const fields = module.facts.assignments.filter(({ scope, target, value }) => scope === form.bodyScope && target.kind === 'name' && value?.kind === 'call');
  const passwords = fields.filter(({ value, scope }) => value?.kind === 'call' && PASSWORD_FIELD_CLASS.test(project.resolve(module, value.callee, scope) ?? ''));
  return passwords.length === 1 && fields.some(({ target }) => target.kind === 'name' && ACCOUNT_FIELD.test(target.id));
}

/** `class Meta: csrf = False` inside a FlaskForm subclass. */
function reportMetaClasses({ project, report }: RuleContext, module: SourceModule): void {
  const { definitions, assignments } = module.facts;
  for (const form of definitions) {
    if (form.kind !== 'class' || !isFlaskFormClass(project, module.symbols.definitionName(form))) continue;
    for (const meta of definitions) {
      if (meta.kind !== 'class' || meta.name !== 'Meta' || meta.scope !== form.bodyScope) continue;
      for (const assignment of assignments) {
        if (assignment.scope !== meta.bodyScope || assignment.target.kind !== 'name' || assignment.target.id !== 'csrf' || !assignment.value) continue;
        if (truthiness(project, { module, scope: meta.bodyScope, expr: assignment.value }) !== 'falsy') continue;
        const covered = projectCheckCovering(project, module, meta.bodyScope);
        if (covered === 'covers') continue;
        const details = covered ?? (isLoginForm(project, module, form) ? LOGIN_FORM : {});
        report({ file: module, range: assignment.range, message: `\`csrf\` is set to a false value in the Meta of form \`${form.name}\`: the form accepts submissions without a CSRF token`, ...details });
      }
    }
  }
}

/**
 * `F.Meta.csrf = False` after the class. `F.Meta` is the Meta that F or a base form of the project
 * defines, or else Flask-WTF's own `FlaskForm.Meta`, whose \`csrf\` (read from the app's config) every
 * form without a Meta of its own inherits: setting it turns off the check of all of them (high).
 */
function reportMetaAttributeAssignments({ project, report }: RuleContext, module: SourceModule): void {
  for (const assignment of module.facts.assignments) {
    const { target, value, scope } = assignment;
    if (target.kind !== 'attribute' || target.attribute !== 'csrf' || target.object.kind !== 'attribute' || target.object.attribute !== 'Meta') continue;
    if (!value || assignment.operator !== '=') continue;
    const formName = project.resolve(module, target.object.object, scope);
    if (formName === undefined || !isFlaskFormClass(project, formName)) continue;
    if (truthiness(project, { module, scope, expr: value }) !== 'falsy') continue;
    const covered = projectCheckCovering(project, module, scope);
    if (covered === 'covers') continue;
    const formNameShown = describeExpr(target.object.object);
    if (project.inheritsFrom(formName, (name) => definesMeta(project, name))) {
      report({ file: module, range: assignment.range, message: `\`${describeExpr(target)}\` sets \`csrf\` to a false value in the Meta of form \`${formNameShown}\`: the form, and those sharing its Meta, accept submissions without a CSRF token`, ...covered });
    } else {
      report({ file: module, range: assignment.range, message: `\`${describeExpr(target)}\` sets \`csrf\` to a false value in Flask-WTF's own \`FlaskForm.Meta\`, which every form without a Meta of its own inherits: all of them accept submissions without a CSRF token`, severity: 'high', ...covered });
    }
  }
}

/** Whether a class of the project defines an inner `class Meta`. */
function definesMeta(project: Project, className: string): boolean {
  const site = project.findDefinition(className);
  if (site?.definition.kind !== 'class') return false;
  const { bodyScope } = site.definition;
  return site.module.facts.definitions.some((definition) => definition.kind === 'class' && definition.name === 'Meta' && definition.scope === bodyScope);
}

/** `kwargs["meta"] = {"csrf": False}` in a method of a FlaskForm subclass, before `super().__init__(**kwargs)`. */
function reportMetaKeywordAssignments({ project, report }: RuleContext, module: SourceModule): void {
  for (const assignment of module.facts.assignments) {
    const { target, value, scope } = assignment;
    if (target.kind !== 'subscript' || !value || assignment.operator !== '=') continue;
    if (stringValue(project, { module, scope, expr: target.index }) !== 'meta') continue;
    const owner = enclosingClass(module, scope);
    if (!owner || !isFlaskFormClass(project, module.symbols.definitionName(owner))) continue;
    const csrf = mappingEntries(project, { module, scope, expr: value })?.find((entry) => entry.key === 'csrf');
    if (!csrf || truthiness(project, csrf.value) !== 'falsy' || fillsFromQueryString(project, module, scope)) continue;
    const covered = projectCheckCovering(project, module, scope);
    if (covered === 'covers') continue;
    report({ file: module, range: assignment.range, message: `\`meta={"csrf": False}\` turns off the CSRF check of form \`${owner.name}\``, ...covered });
  }
}

function reportFormCalls(context: RuleContext, module: SourceModule, flaskWtfProjects: ReadonlySet<string>): void {
  for (const site of module.facts.calls) {
    const { call, scope } = site;
    const disablingKeyword = call.args.some((argument) => argument.name === 'meta' || argument.name === 'csrf_enabled');
    if (!disablingKeyword || readsQueryString(context.project, module, call, scope)) continue;
    const creates = createsFlaskForm(context.project, module, call, scope);
    const forwardedTo = creates === false ? formGivenKeywordsBy(context.project, module, call, scope) : undefined;
    if ((creates === false && forwardedTo === undefined) || (creates === 'maybe' && !flaskWtfProjects.has(module.projectRoot))) continue;
    const covered = projectCheckCovering(context.project, module, scope);
    if (covered === 'covers') continue;
    const form = forwardedTo === undefined ? describeExpr(call.callee) : `${forwardedTo}\` made by \`${describeExpr(call.callee)}`;
    const scriptOnly = jsonBodyOnly(context.project, module, scope) ?? noFormMethodsOnly(context.project, module, scope) ?? secretInBodyChecked(context.project, module, scope);
    for (const argument of call.args) {
      const message = disablingArgumentMessage(context.project, module, argument, scope, form);
      if (message) context.report({ file: module, range: argument.range, message, ...(covered ?? scriptOnly) });
    }
  }
}

/**
 * A FlaskForm instantiation, or `super().__init__(...)` in a FlaskForm subclass. A callee held in
 * a variable (`form_class(...)`) `maybe` creates one, since `meta={"csrf": ...}` and `csrf_enabled`
 * are WTForms keywords; a class that is known not to be a FlaskForm (`wtforms.Form`) does not.
 */
function createsFlaskForm(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean | 'maybe' {
  const { callee } = call;
  if (callee.kind === 'attribute' && callee.attribute === '__init__') {
    const owner = enclosingClass(module, scope);
    return owner !== undefined && isFlaskFormClass(project, module.symbols.definitionName(owner));
  }
  const className = project.resolve(module, callee, scope);
  if (className === undefined) return 'maybe';
  if (project.findDefinition(className)) return isFlaskFormClass(project, className);
  if (FLASK.formClasses.has(className)) return true;
  return project.isScannedName(className) ? 'maybe' : false;
}

/**
 * A function of the project that hands its keyword arguments on to a FlaskForm
 * (\`def get_bill_form(project, **kwargs): form = BillForm(**kwargs)\`): the form's name, so that
 * \`get_bill_form(project, meta={"csrf": False})\` is read as the form's own call.
 */
function formGivenKeywordsBy(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const name = project.resolve(module, call.callee, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind !== 'function') return undefined;
  const keywords = site.definition.parameters.find((parameter) => parameter.unpack === '**')?.name;
  if (keywords === undefined) return undefined;
  const scopes = site.module.symbols.scopesWithin(site.definition.bodyScope);
  for (const inner of site.module.facts.calls) {
    if (!scopes.has(inner.scope)) continue;
    const forwards = inner.call.args.some((argument) => argument.unpack === '**' && argument.value.kind === 'name' && argument.value.id === keywords);
    if (forwards && createsFlaskForm(project, site.module, inner.call, inner.scope) === true) return describeExpr(inner.call.callee);
  }
  return undefined;
}

/**
 * The project roots where Flask-WTF is imported: elsewhere a form class held in a variable is a
 * plain WTForms form (a FastAPI app's), which never had a CSRF check to turn off.
 */
function projectsUsingFlaskWtf(project: Project): Set<string> {
  const roots = new Set<string>();
  for (const module of project.modules) {
    const imports = module.facts.imports.map((statement) => module.symbols.importedModule(statement) ?? '');
    if (imports.some((name) => /^(flask_wtf|flask\.ext\.wtf|flaskext\.wtf)(\.|$)/.test(name))) roots.add(module.projectRoot);
  }
  return roots;
}

/**
 * A form filled in a function whose only input is a JSON body Flask refuses unless it is sent as
 * \`application/json\` (\`request.json\`, \`request.get_json()\`; an API's \`form_cls.from_json(request.json)\`):
 * a cross-site form cannot send one, and a script only after a CORS preflight. Guarded (hidden by
 * default) unless the app lets other origins send credentialed requests.
 */
function jsonBodyOnly(project: Project, module: SourceModule, scope: number): Pick<RuleReport, 'severity' | 'hint' | 'guard'> | undefined {
  const owner = module.symbols.definitionOfScope(scope);
  if (owner?.kind !== 'function' || !readsOnlyJsonBody(project, module, owner) || credentialedCors(project, module)) return undefined;
  return {
    severity: 'low',
    guard: 'json-body',
    hint: `\`${owner.name}\` reads its input only as a JSON body (\`request.json\` or \`request.get_json()\`), which Flask refuses unless it is sent as \`application/json\`: an HTML form on another site cannot send that, and a script there only after a CORS preflight the app must allow`,
  };
}

/**
 * A form filled in a view whose routes accept no POST, only methods an HTML form cannot send
 * (`methods=["PUT"]`): a script on another site can send those only after a CORS preflight.
 * Guarded (hidden by default) unless the app lets other origins send credentialed requests.
 */
function noFormMethodsOnly(project: Project, module: SourceModule, scope: number): Pick<RuleReport, 'severity' | 'hint' | 'guard'> | undefined {
  const owner = module.symbols.definitionOfScope(scope);
  const methods = owner?.kind === 'function' ? routedOnlyForMethodsNoFormSends(project, module, owner) : undefined;
  if (!owner || !methods || credentialedCors(project, module)) return undefined;
  const either = methods.map((method) => `\`${method}\``).join(' or ');
  return {
    severity: 'low',
    guard: 'no-form-methods',
    hint: `\`${owner.name}\` is routed for ${either} only, besides safe methods: an HTML form on another site can send only GET and POST, and a script there can send ${either} only after a CORS preflight the app must allow`,
  };
}

/**
 * A form filled in a view that checks a secret the request carries against one the app is
 * configured with (\`if form.api_token.data != app.config["API_KEY"]: return 401\`), and acts for no
 * signed-in user: a forged post lacks the secret, as it would lack a CSRF token. Guarded (hidden by default).
 */
function secretInBodyChecked(project: Project, module: SourceModule, scope: number): Pick<RuleReport, 'severity' | 'hint' | 'guard'> | undefined {
  const owner = module.symbols.definitionOfScope(scope);
  if (owner?.kind !== 'function' || actsForSessionUser(project, module, owner)) return undefined;
  const check = requestCredentialCheck(project, { module, definition: owner });
  if (check === undefined) return undefined;
  return {
    severity: 'low',
    guard: 'request-credential',
    hint: `\`${owner.name}\` checks a secret the request carries (${check}) and reads no signed-in user: a forged post cannot know the secret, so it is refused as one without a CSRF token would be`,
  };
}

/** What holds Flask's signed-in user: the session, \`current_user\`, \`g\` (where a login hook puts the user). */
const SESSION_USER_HOLDERS = new Set(['flask.session', 'flask.g', 'quart.session', 'quart.g', 'flask_login.current_user', 'flask_login.utils.current_user']);

function actsForSessionUser(project: Project, module: SourceModule, definition: Definition): boolean {
  const conditions = module.symbols.itemsWithin(module.facts.conditions, definition.bodyScope).map(({ test }) => test);
  return [...expressionsWithin(module, definition.bodyScope), ...conditions].some((expression) =>
    [...walkExpr(expression)].some((part) => (part.kind === 'name' || part.kind === 'attribute') && SESSION_USER_HOLDERS.has(project.resolve(module, part, definition.bodyScope) ?? '')),
  );
}

/** `SearchForm(request.args, meta={"csrf": False})`: a form filled from the query string is a GET form. */
function readsQueryString(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  const formdata = call.args.find((argument) => argument.name === 'formdata') ?? call.args.find((argument) => argument.name === undefined && !argument.unpack);
  return formdata !== undefined && /\.request\.args$/.test(project.resolve(module, formdata.value, scope) ?? '');
}

/** `kwargs["formdata"] = request.args` in the same method: the form is filled from the query string, a GET form. */
function fillsFromQueryString(project: Project, module: SourceModule, scope: number): boolean {
  return module.facts.assignments.some(
    ({ target, value, scope: assigned }) =>
      assigned === scope &&
      target.kind === 'subscript' &&
      value !== null &&
      stringValue(project, { module, scope, expr: target.index }) === 'formdata' &&
      /\.request\.args$/.test(project.resolve(module, value, scope) ?? ''),
  );
}

/**
 * The project's request-handler base checks CSRF on every request (`csrfCheckingHandlers`): a
 * form built in a handler that inherits it needs no token of its own (`'covers'`); one built
 * elsewhere probably posts to such a handler too (low, with a hint).
 */
function projectCheckCovering(project: Project, module: SourceModule, scope: number): 'covers' | Pick<RuleReport, 'severity' | 'hint'> | undefined {
  const handlers = csrfCheckingHandlers(project, module.projectRoot);
  if (handlers.length === 0) return undefined;
  const baseSet = new Set(handlers.map((handler) => handler.className));
  for (let owner = module.symbols.definitionOfScope(scope); owner; owner = module.symbols.definitionOfScope(owner.scope)) {
    if (owner.kind === 'class' && project.isSubclassOf(module.symbols.definitionName(owner), baseSet)) return 'covers';
  }
  return {
    severity: 'low',
    hint: `the project's ${describeCsrfCheckingHandler(handlers[0]!)} checks the session's CSRF token on every request: if this form posts to one of its handlers, the form's own token is redundant`,
  };
}

function enclosingClass(module: SourceModule, scope: number): Definition | undefined {
  const method = module.symbols.definitionOfScope(scope);
  return method ? module.symbols.definitionOfScope(method.scope) : undefined;
}

function disablingArgumentMessage(project: Project, module: SourceModule, argument: Argument, scope: number, form: string): string | undefined {
  const site = { module, scope, expr: argument.value };
  if (argument.name === 'csrf_enabled' && truthiness(project, site) === 'falsy') {
    return `\`csrf_enabled=False\` turns off the CSRF check of form \`${form}\``;
  }
  if (argument.name !== 'meta') return undefined;
  const csrf = mappingEntries(project, site)?.find((entry) => entry.key === 'csrf');
  if (!csrf || truthiness(project, csrf.value) !== 'falsy') return undefined;
  return `\`meta={"csrf": False}\` turns off the CSRF check of form \`${form}\``;
}
