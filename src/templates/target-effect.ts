/**
 * What the view a form posts to does with the post, when it does nothing for the victim: a forged
 * post from another site is only a hole when the view acts for the user whose cookie it carries.
 * A view that only reads and answers with a page (a search or filter form redirected to a GET
 * page) or one that reads no user, session or cookie (a sessionless captcha step) gives the forging
 * page nothing. (A view that reads only a JSON body, which a form cannot send, is judged guarded by
 * the routes themselves.)
 */
import { readsNoCredential } from '../frameworks/flask/view-credentials.js';
import { bodyOnlyReads, onlyReadsThrough } from '../project/read-only-bodies.js';
import type { Project } from '../project/project.js';
import { related } from '../project/project-roots.js';
import type { SourceModule } from '../project/source-module.js';
import { onlyRedirects } from '../project/view-bodies.js';
import type { Definition, Expr, SourceRange } from '../python/facts.js';

/** Why a forged post to the view does nothing for the victim. */
export type HarmlessEffect = 'reads only' | 'acts for nobody';

/** Calls that answer with a page: a redirect, a rendered template, a JSON document. */
const PAGE_ANSWERS = /^(flask|quart)\.(redirect|render_template|render_template_string|jsonify)$|^werkzeug\.utils\.redirect$/;

export interface TargetView {
  module: SourceModule;
  definition: Definition;
}

/**
 * What the views a form posts to do with the post, when every one of them does nothing for the
 * victim; `undefined` when one may act for the user, or there is none.
 */
export function harmlessEffectOfTargets(project: Project, targets: readonly TargetView[]): HarmlessEffect | undefined {
  const effects = new Set(targets.map((target) => harmlessEffect(project, target)));
  return effects.size === 1 ? [...effects][0] : undefined;
}

function harmlessEffect(project: Project, target: TargetView): HarmlessEffect | undefined {
  const { module, definition } = target;
  if (onlyRedirects(project, module, definition) || readsAndAnswers(project, target)) return 'reads only';
  if (readsNoCredential(project, module, definition, { unreadImportsAreNoUser: true }) && !hookRequiresUser(project, module.projectRoot)) return 'acts for nobody';
  return undefined;
}

/**
 * The view only reads and answers with a page, as a whole or on the way a post takes: the branch
 * under `if request.method == "POST":` that ends in `return redirect(...)`, and what comes before it.
 */
function readsAndAnswers(project: Project, target: TargetView): boolean {
  const { module, definition } = target;
  const returns = module.symbols.itemsWithin(module.facts.returns, definition.bodyScope).filter((statement) => statement.scope === definition.bodyScope);
  const answersWithPage = (range: SourceRange) => returns.some((statement) => endsAt(statement.range, range) && isPageAnswer(project, module, statement.value, statement.scope));
  const postBranch = module.facts.conditions.find(({ scope, test }) => scope === definition.bodyScope && isPostTest(test));
  if (postBranch?.body !== undefined && answersWithPage(postBranch.body)) return onlyReadsThrough(project, target, postBranch.body);
  return answersWithPage(definition.range) && bodyOnlyReads(project, target);
}

function isPageAnswer(project: Project, module: SourceModule, value: Expr | null, scope: number): boolean {
  return value?.kind === 'call' && PAGE_ANSWERS.test(project.resolve(module, value.callee, scope) ?? '');
}

/** `request.method == "POST"`. */
function isPostTest(test: Expr): boolean {
  if (test.kind !== 'compare' || test.operators.length !== 1 || test.operators[0] !== '==') return false;
  const [left, right] = test.operands;
  const isMethod = (expr: Expr | undefined) => expr?.kind === 'attribute' && expr.attribute === 'method' && expr.object.kind === 'name' && expr.object.id === 'request';
  const isPost = (expr: Expr | undefined) => expr?.kind === 'string' && expr.value.toUpperCase() === 'POST';
  return (isMethod(left) && isPost(right)) || (isPost(left) && isMethod(right));
}

/** A statement that ends where a block does: the block's last statement. */
function endsAt(range: SourceRange, block: SourceRange): boolean {
  return range.endLine === block.endLine && range.endColumn === block.endColumn;
}

/** Flask's hooks that run before every view of an app or blueprint. */
const BEFORE_REQUEST_HOOKS = new Set(['before_request', 'before_app_request']);
const USER_WORDS = /user|session|identity|login/i;

/**
 * A `before_request` hook of the view's project that reads a user and may turn the request away (it
 * returns, raises or aborts): the views behind it act for the user it let through, whatever they
 * read themselves. Asked once for each project of the scan.
 */
function hookRequiresUser(project: Project, projectRoot: string): boolean {
  let byRoot = hookRequiringUser.get(project);
  if (!byRoot) {
    byRoot = new Map();
    hookRequiringUser.set(project, byRoot);
  }
  let known = byRoot.get(projectRoot);
  if (known === undefined) {
    const modules = project.modules.filter((module) => related(module.projectRoot, projectRoot));
    known = modules.some((module) => module.facts.definitions.some((definition) => isUserRequiringHook(module, definition)));
    byRoot.set(projectRoot, known);
  }
  return known;
}

const hookRequiringUser = new WeakMap<Project, Map<string, boolean>>();

function isUserRequiringHook(module: SourceModule, definition: Definition): boolean {
  if (definition.kind !== 'function' || !definition.decorators.some(({ expression }) => isBeforeRequestHook(expression))) return false;
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const readsUser = module.facts.scopes.some((scope) => scopes.has(scope.id) && scope.reads.some((read) => USER_WORDS.test(read)));
  const within = <T extends { scope: number }>(items: readonly T[]) => module.symbols.itemsWithin(items, definition.bodyScope);
  const refuses = within(module.facts.returns).some(({ value }) => value !== null) || within(module.facts.raises).length > 0 || within(module.facts.calls).some(({ call }) => call.callee.kind === 'name' && call.callee.id === 'abort');
  return readsUser && refuses;
}

function isBeforeRequestHook(expression: Expr): boolean {
  const target = expression.kind === 'call' ? expression.callee : expression;
  return target.kind === 'attribute' && BEFORE_REQUEST_HOOKS.has(target.attribute);
}
