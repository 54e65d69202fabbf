/**
 * Whether a view provably only reads: every call it makes looks data up, formats it or builds the
 * response, and the project's code it calls does the same. A forged request to such a view changes
 * nothing, and a cross-site page cannot read the answer: the exemption costs nothing today.
 * Anything the scan cannot show to be a read (a form, a project class, a method it does not know)
 * may change state, and the view is not judged read-only.
 */
import { attributeRoot } from '../python/describe.js';
import type { CallExpr, Definition, Expr, SourceRange } from '../python/facts.js';
import { enclosingClass } from './enclosing.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** Library calls that only read, compute or build a response (or memoise a read in Django's cache). */
const READING_LIBRARY_CALL = new RegExp(
  [
    '^(json|simplejson|random|secrets|string|math|re|re2|datetime|time|decimal|uuid|hashlib|hmac|base64|html|textwrap|itertools|functools|operator|collections|logging|csv|(six\\.moves\\.)?urllib\\.parse|Crypto|cryptography|calendar|dateutil)\\.',
    // Parsing a posted XML document builds a tree the view owns (a SOAP request read for its parameters).
    '^(bs4|defusedxml)\\.',
    '^django\\.(http|core\\.paginator|template\\.loader|template\\.response|utils\\.(translation|timezone|html|text|encoding|formats|safestring))\\.',
    '^django\\.shortcuts\\.(get_object_or_404|get_list_or_404|render|render_to_response|resolve_url)$',
    '^django\\.urls\\.(reverse|reverse_lazy)$',
    '^django\\.core\\.exceptions\\.',
    // A cache holds copies the app can rebuild: filling it memoises a read.
    '^django\\.core\\.cache\\.(cache|caches)\\.',
    '^django\\.db\\.models\\.(\\w+\\.)?(Q|F|Count|Sum|Max|Min|Avg|Value)$',
    // Flask's and Quart's page building, and their refusals; flash() is left out: it writes to the session.
    '^(flask|quart)\\.(render_template|render_template_string|stream_template|jsonify|url_for|abort|redirect|make_response|send_file|send_from_directory)$',
    '^werkzeug\\.exceptions\\.',
    '^pyramid\\.(httpexceptions|exceptions)\\.',
    '^sqlalchemy\\.(or_|and_|not_|desc|asc|select)$',
  ].join('|'),
);

/** Decorators that only say how a method binds: the function is judged by its body. */
const BINDING_DECORATORS = new Set(['builtins.staticmethod', 'builtins.classmethod', 'builtins.property']);

/** Builtins that reach outside the function: everything else Python provides only computes. */
export const WRITING_BUILTINS = new Set(['builtins.open', 'builtins.exec', 'builtins.eval', 'builtins.setattr', 'builtins.delattr', 'builtins.__import__', 'builtins.globals', 'builtins.compile', 'builtins.input', 'builtins.breakpoint']);

/**
 * Method names that read whatever they are called on: Django's query lookups (never `update`,
 * `create`, `delete`, `save`), string and date formatting, request accessors, logging.
 */
const READING_METHODS = new Set([
  'get', 'filter', 'exclude', 'all', 'values', 'values_list', 'order_by', 'count', 'exists', 'first', 'last', 'latest', 'earliest',
  'select_related', 'prefetch_related', 'annotate', 'aggregate', 'distinct', 'only', 'defer', 'none', 'in_bulk', 'iterator', 'getlist', 'items', 'keys',
  'split', 'rsplit', 'splitlines', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'title', 'capitalize', 'format', 'join', 'replace', 'startswith', 'endswith',
  'encode', 'decode', 'isdigit', 'isoformat', 'strftime', 'total_seconds', 'find', 'index', 'hexdigest', 'digest', 'encrypt', 'decrypt',
  // A regular expression's match.
  'group', 'groups', 'groupdict',
  'get_full_path', 'build_absolute_uri', 'get_host', 'get_port', 'is_secure',
  'has_perm', 'has_perms', 'has_module_perms', 'page', 'get_page',
  'debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical',
  // SQLAlchemy's and Flask-SQLAlchemy's query building and fetching.
  'filter_by', 'one', 'one_or_none', 'scalar', 'first_or_404', 'get_or_404', 'one_or_404', 'paginate', 'limit', 'offset', 'like', 'ilike', 'in_',
]);

/** Methods by which Django, the standard library and common clients write: a project method of the same name says nothing of theirs. */
export const LIBRARY_WRITING_METHODS = new Set([
  'save', 'delete', 'create', 'update', 'get_or_create', 'update_or_create', 'bulk_create', 'bulk_update', 'add', 'remove', 'clear', 'set',
  'append', 'extend', 'insert', 'pop', 'setdefault', 'write', 'writelines', 'send', 'send_mail', 'post', 'put', 'patch', 'execute', 'commit', 'flush', 'cycle_key',
  'dispatch', 'login', 'logout', 'delay', 'apply_async',
]);

/** Methods of Django's class-based views that only build the page (`render_to_response(get_context_data())`). */
const READING_VIEW_METHODS = new Set(['render_to_response', 'get_context_data', 'get_template_names', 'http_method_not_allowed']);

/** Django's generic edit views and mixins: their `post` validates a form and calls `form_valid` or `form_invalid`. */
const DJANGO_EDIT_VIEW = /^django\.views\.generic\.(edit\.)?(FormView|CreateView|UpdateView|DeleteView|BaseFormView|BaseCreateView|BaseUpdateView|BaseDeleteView|ProcessFormView|FormMixin|ModelFormMixin|DeletionMixin)$/;

/** Those whose own `form_valid` (or `delete`) saves the form or deletes the object. */
const DJANGO_WRITING_EDIT_VIEW = /^django\.views\.generic\.(edit\.)?(CreateView|UpdateView|DeleteView|BaseCreateView|BaseUpdateView|BaseDeleteView|ModelFormMixin|DeletionMixin)$/;

const FORM_HANDLERS = ['form_valid', 'form_invalid'];

/**
 * The project's `form_valid` that Django's own `post` of a generic edit view calls for a valid form
 * (`LogoutView(FormView)` with no `post` of its own): where such a view makes its change.
 */
export function formValidOfDjangoPost(project: Project, className: string): { module: SourceModule; definition: Definition } | undefined {
  if (project.findMethod(className, 'post') !== undefined || !project.inheritsFrom(className, (base) => DJANGO_EDIT_VIEW.test(base))) return undefined;
  return project.findMethod(className, 'form_valid');
}

/** What a local scratch value may be made by: anything called on it stays in the function (`response.write`, `context.update`). */
const SCRATCH_MAKER = /^(django\.http\.\w*Response\w*|django\.template\.response\.TemplateResponse|csv\.(writer|DictWriter)|io\.(StringIO|BytesIO)|builtins\.(dict|list|set)|collections\.(OrderedDict|Counter|deque))$/;

/** An exception the project defines (`raise Http403()`): making one changes nothing. */
const EXCEPTION_BASE = /^builtins\.(BaseException|Exception)$|^django\.http\.Http404$|^django\.core\.exceptions\.PermissionDenied$/;

/** The project's functions followed this deep from the view. */
const MAX_CALL_DEPTH = 5;

export interface ReadingHandler {
  module: SourceModule;
  definition: Definition;
  /** The exempted class whose `self.<method>()` calls resolve, overrides included. */
  ownerClass?: string;
}

/** Whether the handler (see the module's doc) changes nothing: its decorators, its body and the project code it calls only read. */
export function onlyReads(project: Project, handler: ReadingHandler): boolean {
  return new ReadOnlyJudge(project, handler.ownerClass).judge(handler.module, handler.definition, 0);
}

/**
 * Whether a routed view's body, and the project code it calls, only read, its own decorators left
 * aside: they check who may call the view (a login or permission decorator), and a view that
 * accepts POST only to read (a search, a list re-sorted by a posted form) changes nothing.
 */
export function bodyOnlyReads(project: Project, handler: ReadingHandler): boolean {
  return new ReadOnlyJudge(project, handler.ownerClass).judge(handler.module, handler.definition, 0, false, true);
}

/**
 * Whether what a function runs up to the end of `through` (a branch of it: `if request.method ==
 * "POST": ... return redirect(...)`) only reads, its decorators left aside: a post that takes that
 * branch runs nothing after it. Everything written before the branch's end is judged, other
 * branches included; only what follows it is left out.
 */
export function onlyReadsThrough(project: Project, handler: ReadingHandler, through: SourceRange): boolean {
  const { module, definition } = handler;
  if (definition.kind !== 'function') return false;
  return new ReadOnlyJudge(project, handler.ownerClass).judgeThrough(module, definition, through);
}

/**
 * The view looks data up (a query: `.get(...)`, `.filter(...)`, `.all()`, not on the request) and
 * renders a template: what a list or search page does. A view that only answers a constant or
 * echoes its input shows nothing of what it is for, and is not taken as a read.
 */
export function rendersLookedUpData(project: Project, module: SourceModule, definition: Definition): boolean {
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  const renders = calls.some(({ call, scope }) => PAGE_RENDERERS.test(project.resolve(module, call.callee, scope) ?? ''));
  const looksUp = calls.some(({ call }) => {
    if (call.callee.kind !== 'attribute' || !LOOKUP_METHODS.has(call.callee.attribute)) return false;
    const root = attributeRoot(call.callee.object);
    return !(root.kind === 'name' && root.id === 'request') && !(call.callee.object.kind === 'attribute' && call.callee.object.attribute === 'request');
  });
  return renders && looksUp;
}

const PAGE_RENDERERS = /^(flask|quart)\.(render_template|render_template_string|stream_template)$/;
/** Query methods of SQLAlchemy, Flask-SQLAlchemy and Django's ORM that fetch rows. */
const LOOKUP_METHODS = new Set(['get', 'filter', 'filter_by', 'all', 'first', 'one', 'one_or_none', 'order_by', 'paginate', 'get_or_404', 'first_or_404', 'scalar', 'exclude', 'values']);

class ReadOnlyJudge {
  /** Functions judged, or being judged (taken as reading while their own calls are judged: recursion adds no write). */
  private readonly verdicts = new Map<Definition, boolean>();
  private methodsByName?: Map<string, Array<{ module: SourceModule; definition: Definition }>>;
  /** Decorator classes whose arguments were judged to read: calling what they hold reads. */
  private readonly givenCallableHolders = new Set<string>();

  constructor(
    private readonly project: Project,
    private readonly ownerClass?: string,
  ) {}

  /**
   * `asDecorator`: the function wraps a view, which it may call (the view is judged on its own).
   * `bodyOnly`: the function's own decorators are not judged.
   */
  judge(module: SourceModule, definition: Definition, depth: number, asDecorator = false, bodyOnly = false): boolean {
    const known = this.verdicts.get(definition);
    if (known !== undefined) return known;
    if (depth > MAX_CALL_DEPTH || definition.kind !== 'function') return false;
    this.verdicts.set(definition, true);
    const decoratorsRead = bodyOnly || this.decoratorsRead(module, definition, depth);
    const verdict = decoratorsRead && !writesWithin(module, definition) && this.callsRead(module, definition, depth, asDecorator);
    this.verdicts.set(definition, verdict);
    return verdict;
  }

  judgeThrough(module: SourceModule, definition: Definition, through: SourceRange): boolean {
    this.verdicts.set(definition, true);
    const before = (item: { range: SourceRange }) => !endsAfter(item.range, through);
    if (module.symbols.itemsWithin(module.facts.deletions, definition.bodyScope).some(before)) return false;
    return !writesWithin(module, definition, before) && this.callsRead(module, definition, 0, false, before);
  }

  /** Django's decorators (`login_required`, `require_POST`) only check; a project decorator is judged by its code. */
  private decoratorsRead(module: SourceModule, definition: Definition, depth: number): boolean {
    return definition.decorators.every(({ expression }) => {
      const target = expression.kind === 'call' ? expression.callee : expression;
      const name = this.project.resolve(module, target, definition.scope) ?? '';
      if (name.startsWith('django.') || BINDING_DECORATORS.has(name)) return true;
      const site = this.project.findDefinition(name);
      if (site?.definition.kind === 'class' && expression.kind === 'call') return this.decoratorClassReads(module, definition.scope, expression, name, depth);
      return site !== undefined && this.judge(site.module, site.definition, depth + 1, true);
    });
  }

  /**
   * `@conditional_login_required(login_required, settings.AUTH)`: an instance of a project class
   * decorates the view, its `__call__` returns what wraps it. It only reads when what the decorator
   * is given reads (Django's decorators, settings, constants, the project's reading decorators) and
   * its `__init__` and `__call__` only read, calling what they were given as a decorator calls the view.
   */
  private decoratorClassReads(module: SourceModule, scope: number, decoration: CallExpr, className: string, depth: number): boolean {
    if (!decoration.args.every(({ value }) => this.decoratorArgumentReads(module, scope, value, depth))) return false;
    const call = this.project.findMethod(className, '__call__');
    if (!call) return false;
    this.givenCallableHolders.add(className);
    const init = this.project.findMethod(className, '__init__');
    return [call, ...(init ? [init] : [])].every((site) => this.judge(site.module, site.definition, depth + 1, true));
  }

  private decoratorArgumentReads(module: SourceModule, scope: number, value: Expr, depth: number): boolean {
    if (value.kind === 'string' || value.kind === 'number' || value.kind === 'constant') return true;
    const name = this.project.resolve(module, value, scope);
    if (name === undefined) return false;
    if (name.startsWith('django.')) return true;
    const site = this.project.findDefinition(name);
    return site?.definition.kind === 'function' && this.judge(site.module, site.definition, depth + 1, true);
  }

  /** `self.decorator(func)` in a decorator class whose arguments were judged: it calls what the class was given. */
  private callsGivenCallable(module: SourceModule, caller: Definition, call: CallExpr): boolean {
    if (call.callee.kind !== 'attribute' || call.callee.object.kind !== 'name' || call.callee.object.id !== 'self') return false;
    const owner = enclosingClass(module, caller);
    const className = owner && module.symbols.definitionName(owner);
    return className !== undefined && this.givenCallableHolders.has(className) && this.project.findMethod(className, call.callee.attribute) === undefined;
  }

  /** `runs`: which of the function's calls and bindings a request runs (a branch and what precedes it); all by default. */
  private callsRead(module: SourceModule, definition: Definition, depth: number, asDecorator: boolean, runs: Runs = () => true): boolean {
    const scratch = scratchNames(this.project, module, definition, isFreshValue, runs);
    const itemScratch = withoutStoredItems(module, definition, scratchNames(this.project, module, definition, isContainerOfContainers, runs));
    const scopes = module.symbols.scopesWithin(definition.bodyScope);
    return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).every(({ call, scope }) => {
      if (!runs(call)) return true;
      // A decorator's wrapper calls the function it wraps: that is the view, judged on its own.
      if (asDecorator && (callsParameter(module, call, scope, scopes) || this.callsGivenCallable(module, definition, call))) return true;
      if (call.callee.kind === 'call' && this.project.resolve(module, call.callee.callee, scope) === 'functools.wraps') return true;
      return this.callReads(module, definition, call, scope, { scratch, itemScratch }, depth);
    });
  }

  private callReads(module: SourceModule, caller: Definition, call: CallExpr, scope: number, { scratch, itemScratch }: ScratchNames, depth: number): boolean {
    const { callee } = call;
    if (callee.kind === 'attribute' && isSelfOrSuper(callee.object)) return this.ownMethodReads(module, caller, callee.attribute, depth);
    const name = this.project.resolve(module, callee, scope);
    if (name !== undefined) {
      if (name.startsWith('builtins.')) return !WRITING_BUILTINS.has(name);
      if (READING_LIBRARY_CALL.test(name)) return true;
      const site = this.project.findDefinition(name);
      if (site?.definition.kind === 'function') return this.judge(site.module, site.definition, depth + 1);
      if (site?.definition.kind === 'class') return this.project.inheritsFrom(name, (base) => SCRATCH_MAKER.test(base) || EXCEPTION_BASE.test(base));
    }
    if (callee.kind !== 'attribute') return false;
    const root = attributeRoot(callee.object);
    if (root.kind === 'name' && scratch.has(root.id)) return true;
    const container = itemContainer(callee.object);
    if (container.kind === 'name' && itemScratch.has(container.id)) return true;
    return READING_METHODS.has(callee.attribute) || this.everyMethodNamedReads(callee.attribute, depth);
  }

  /** `self.get_context_data()`, `super().dispatch(...)`: the class's own method, or Django's view methods that only build the page. */
  private ownMethodReads(module: SourceModule, caller: Definition, method: string, depth: number): boolean {
    const owner = enclosingClass(module, caller);
    const callerClass = owner && module.symbols.definitionName(owner);
    // `self` is the exempted view only in the view's own methods and its bases': a model's `self.save()` is the model's.
    const isView = callerClass !== undefined && this.ownerClass !== undefined && this.project.inheritsFrom(this.ownerClass, (name) => name === callerClass);
    const className = isView ? this.ownerClass : callerClass;
    const site = className === undefined ? undefined : this.project.findMethod(className, method);
    if (site && site.definition !== caller) return this.judge(site.module, site.definition, depth + 1);
    if (READING_VIEW_METHODS.has(method)) return true;
    // Django's own `dispatch` hands the request to the class's handlers: the project's are judged themselves, Django's here.
    const djangoDispatch = method === 'dispatch' && className !== undefined && !this.project.inheritsFrom(className, (base) => this.project.findDefinition(base) === undefined && !base.startsWith('django.views.'));
    return djangoDispatch && this.djangoPostReads(className, depth);
  }

  /**
   * A Django generic edit view whose `post` is Django's: it calls the class's `form_valid` or
   * `form_invalid`, the project's (judged here) or Django's, which saves the form in a create or
   * update view and deletes the object in a delete view.
   */
  private djangoPostReads(className: string, depth: number): boolean {
    if (this.project.findMethod(className, 'post') !== undefined || !this.project.inheritsFrom(className, (base) => DJANGO_EDIT_VIEW.test(base))) return true;
    return FORM_HANDLERS.every((handler) => {
      const site = this.project.findMethod(className, handler);
      if (site) return this.judge(site.module, site.definition, depth + 1);
      return handler !== 'form_valid' || !this.project.inheritsFrom(className, (base) => DJANGO_WRITING_EDIT_VIEW.test(base));
    });
  }

  /**
   * A method the scan cannot place (`membership.is_rep(user)`): it reads when the project defines it, and every
   * definition reads. Names that libraries write by (`delete` of a queryset, `save` of a model) are never taken on the project's word.
   */
  private everyMethodNamedReads(method: string, depth: number): boolean {
    if (LIBRARY_WRITING_METHODS.has(method)) return false;
    const sites = this.methodsNamed().get(method) ?? [];
    return sites.length > 0 && sites.every((site) => this.judge(site.module, site.definition, depth + 1));
  }

  private methodsNamed(): Map<string, Array<{ module: SourceModule; definition: Definition }>> {
    if (this.methodsByName) return this.methodsByName;
    this.methodsByName = new Map();
    for (const module of this.project.modules) {
      for (const definition of module.facts.definitions) {
        if (definition.kind !== 'function' || module.facts.scopes[definition.scope]?.kind !== 'class') continue;
        const sites = this.methodsByName.get(definition.name) ?? [];
        sites.push({ module, definition });
        this.methodsByName.set(definition.name, sites);
      }
    }
    return this.methodsByName;
  }
}

/** `fn(request, ...)` where `fn` is a parameter of the decorator or of a function inside it. */
function callsParameter(module: SourceModule, call: CallExpr, scope: number, scopes: ReadonlySet<number>): boolean {
  if (call.callee.kind !== 'name') return false;
  const binding = module.symbols.lookup(call.callee.id, scope);
  return binding?.kind === 'parameter' && scopes.has(binding.scope);
}

/** `self`, or `super()`: the object a method was called on. */
export function isSelfOrSuper(object: Expr): boolean {
  if (object.kind === 'name') return object.id === 'self';
  return object.kind === 'call' && object.callee.kind === 'name' && object.callee.id === 'super';
}

/** Which of a function's calls and bindings a request runs. */
type Runs = (item: { range: SourceRange }) => boolean;

/**
 * What the function writes outside itself: a `global` or `nonlocal` name, the session, an
 * attribute or item of anything but a name it binds itself (`request.user.email = ...`), or a
 * top-level `del`. A write to a local copy reaches nothing unless a call saves it, and calls are judged.
 */
function writesWithin(module: SourceModule, definition: Definition, runs: Runs = () => true): boolean {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const within = module.facts.scopes.filter((scope) => scopes.has(scope.id));
  return within.some((scope) => scope.reads.some((read) => read.split('.').includes('session'))) || assignsOutside(module, definition, runs);
}

/**
 * What the function assigns outside itself (of what `runs`): a `global` or `nonlocal` name, an
 * attribute or item of anything but a name it binds itself, or a top-level `del`.
 */
export function assignsOutside(module: SourceModule, definition: Definition, runs: Runs = () => true): boolean {
  if (definition.bodyStatements.includes('delete_statement')) return true;
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const within = module.facts.scopes.filter((scope) => scopes.has(scope.id));
  if (within.some((scope) => scope.globals.length > 0 || scope.nonlocals.length > 0)) return true;
  const assignments = module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope);
  const parameters = new Set(definition.parameters.map((parameter) => parameter.name));
  const locals = new Set(assignments.flatMap(({ target }) => (target.kind === 'name' && !parameters.has(target.id) ? [target.id] : [])));
  // `__init__` fills in the object being made: `self.decorator = decorator` reaches nothing else.
  if (definition.name === '__init__' && module.facts.scopes[definition.scope]?.kind === 'class') locals.add('self');
  return assignments.some((assignment) => runs(assignment) && writesOutside(assignment.target, locals));
}

/** Whether a range ends after another does. */
function endsAfter(range: SourceRange, other: SourceRange): boolean {
  return range.endLine > other.endLine || (range.endLine === other.endLine && range.endColumn > other.endColumn);
}

function writesOutside(target: Expr, locals: ReadonlySet<string>): boolean {
  if (target.kind === 'name') return false;
  if (target.kind === 'tuple' || target.kind === 'list') return target.items.some((item) => writesOutside(item, locals));
  if (target.kind === 'starred') return writesOutside(target.value, locals);
  const root = target.kind === 'subscript' ? attributeRoot(subscriptRoot(target)) : attributeRoot(target);
  return root.kind !== 'name' || !locals.has(root.id);
}

function subscriptRoot(expr: Expr): Expr {
  let root = expr;
  while (root.kind === 'subscript' || root.kind === 'attribute') root = root.object;
  return root;
}

interface ScratchNames {
  /** Local names only ever bound to a fresh container or response. */
  scratch: ReadonlySet<string>;
  /** Local names only ever bound to a container whose every item is a fresh container (`collections.defaultdict(set)`). */
  itemScratch: ReadonlySet<string>;
}

/** `groups[key][index]` -> `groups`: the container a chain of subscripts takes an item of. */
function itemContainer(expr: Expr): Expr {
  let root = expr;
  while (root.kind === 'subscript') root = root.object;
  return root;
}

/** Leaves out a container one of whose items the function replaces (`groups[key] = user.groups`): that item may be anything. */
function withoutStoredItems(module: SourceModule, definition: Definition, names: Set<string>): Set<string> {
  for (const { target } of module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope)) {
    const container = target.kind === 'subscript' ? itemContainer(target) : undefined;
    if (container?.kind === 'name') names.delete(container.id);
  }
  return names;
}

type FreshTest = (project: Project, module: SourceModule, value: Expr, scope: number) => boolean;

/** Local names only ever bound to a fresh container or response (`data = []`, `response = HttpResponse()`, `context = super().get_context_data()`). */
export function scratchNames(project: Project, module: SourceModule, definition: Definition, isFresh: FreshTest = isFreshValue, runs: Runs = () => true): Set<string> {
  const assignments = module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope).filter(runs);
  const byName = new Map<string, boolean>();
  for (const { target, value, scope } of assignments) {
    if (target.kind !== 'name') continue;
    const fresh = value !== null && isFresh(project, module, value, scope);
    byName.set(target.id, (byName.get(target.id) ?? true) && fresh);
  }
  return new Set([...byName].filter(([, fresh]) => fresh).map(([name]) => name));
}

function isFreshValue(project: Project, module: SourceModule, value: Expr, scope: number): boolean {
  if (value.kind === 'dict' || value.kind === 'list' || value.kind === 'set' || value.kind === 'comprehension' || value.kind === 'string') return true;
  if (value.kind !== 'call') return false;
  // `",".join(kinds)`: a new string, which nothing called on it can change.
  if (value.callee.kind === 'attribute' && value.callee.attribute === 'join' && value.callee.object.kind === 'string') return true;
  if (isContainerOfContainers(project, module, value, scope)) return true;
  if (value.callee.kind === 'attribute' && value.callee.attribute === 'get_context_data') return true;
  return SCRATCH_MAKER.test(project.resolve(module, value.callee, scope) ?? '');
}

/**
 * `collections.defaultdict(set)`, `defaultdict(lambda: defaultdict(list))`: every item is a fresh
 * container made on first use, so a call on an item (`groups[pid].add(cid)`) stays in the function.
 */
const CONTAINER_FACTORIES = new Set(['builtins.set', 'builtins.list', 'builtins.dict']);

function isContainerOfContainers(project: Project, module: SourceModule, value: Expr, scope: number): boolean {
  if (value.kind !== 'call' || project.resolve(module, value.callee, scope) !== 'collections.defaultdict') return false;
  const [factory] = value.args;
  if (!factory || factory.name !== undefined || factory.unpack !== undefined || value.args.length !== 1) return false;
  const made = factory.value;
  if (made.kind === 'lambda') return made.parameters.length === 0 && isFreshValue(project, module, made.body, scope);
  return CONTAINER_FACTORIES.has(project.resolve(module, made, scope) ?? '');
}
