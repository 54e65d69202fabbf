import type { Argument, CallExpr, Definition, Expr } from '../python/facts.js';
import { type DefinitionSite, finalIdentifier, type Project } from './project.js';
import { hookImplementations } from './plugin-hooks.js';
import { returnSlot, SlotGroups } from './slots.js';
import { type CsrfCheckKind, hookCsrfCheck } from './csrf-checks.js';
import { classCreatedBy, libraryFactoriesOf } from './known-names.js';
import { type AppUsage, groupsReached, type SlotResolver, ViewIndex } from './views.js';
import type { SourceModule } from './source-module.js';
import type { ValueSite } from './values.js';
import type { Reads } from './resolution-reads.js';

/** What makes an application object, and what protects one. */
export interface ApplicationKind {
  /** Classes whose instances are applications (`flask.Flask`); subclasses count too. */
  appClasses: ReadonlySet<string>;
  /** Classes protecting an app passed to their constructor or to their `init_app`. */
  protectorClasses: ReadonlySet<string>;
  /** Form classes that check their own CSRF token when validated (`FlaskForm`). */
  formClasses: ReadonlySet<string>;
  /**
   * Functions a call runs with the app it is made on, besides plain calls: Pyramid's
   * `config.include("pkg.views")` runs `pkg.views.includeme(config)`.
   */
  includedFunctions?(project: Project, module: SourceModule, call: CallExpr, scope: number): DefinitionSite[];
}

/** One application object: where it is created and whether anything protects it. */
export interface Application {
  module: SourceModule;
  call: CallExpr;
  scope: number;
  className: string;
  /** The name that holds it (`pkg.app`, `pkg.create_app()`), when it is stored. */
  slot?: string;
  protected: boolean;
  /**
   * Protected only by hooks that look at where a request comes from (\`Sec-Fetch-Site\`, \`Origin\`,
   * \`Referer\`), no token: the app's own forms pass without one.
   */
  checksOnlyOrigin?: true;
  /** The project's own \`before_request\` hook that protects it, when no protector object (\`CSRFProtect\`) does. */
  checkingHook?: CheckingHook;
  /** The views the scanned code shows it serving, and what is done with it. */
  usage: AppUsage;
}

/** A \`before_request\` hook of the project's that checks a token or where requests come from. */
export interface CheckingHook {
  name: string;
  module: SourceModule;
  line: number;
}

interface FunctionCall {
  module: SourceModule;
  scope: number;
  callee: FunctionSite;
  /** Which argument lands in which parameter of the callee, and the slot the argument stands for. */
  pairs: Array<{ parameter: string; argument: Expr; argumentSlot: string | undefined }>;
}

/** Something that protects the app an expression stands for: `CSRFProtect(app)`, a checking `before_request` hook. */
interface Protection {
  /** The expression, when it is a call (`CSRFProtect(create_app())`). */
  call: CallExpr | undefined;
  slot: string | undefined;
  by: CsrfCheckKind;
  /** The slot names an app class, whose every app is protected. */
  isAppClass: boolean;
  /** What protects it, for the inventory's label: a protector object or a hook of the project's. */
  source: 'protector' | CheckingHook | undefined;
}

/**
 * What one module adds to the flow, found from its facts and the names it resolves: it holds
 * for as long as none of the modules it read changes.
 */
interface ModuleFlow {
  links: Array<[string, string]>;
  calls: FunctionCall[];
  protections: Protection[];
}

/** A project's modules' shares of one kind's flow, with what each read, for the next project of a language server to keep. */
interface KeptFlows {
  protectorClassNames: ReadonlySet<string>;
  byModule: Map<SourceModule, { flow: ModuleFlow; reads: Reads }>;
}

interface FunctionSite {
  module: SourceModule;
  definition: Definition;
  /** `self` and `cls` are bound by the call, not passed. */
  skipsFirstParameter: boolean;
  /** The call creates an instance (the function is `__init__`), so it returns no slot of its own. */
  constructs: boolean;
}

/**
 * Follows application objects from where they are created to where they are protected, across
 * modules: aliases (`application = app`), factories (`return app`, `app = create_app()`), attributes
 * (`self.app`), and helpers that protect the app they are given (`register_extensions(app)`).
 */
export function findApplications(project: Project, kind: ApplicationKind): Application[] {
  project.noteEveryModuleRead();
  let byKind = applicationsFound.get(project);
  if (!byKind) {
    byKind = new Map();
    applicationsFound.set(project, byKind);
  }
  let applications = byKind.get(kind);
  if (!applications) {
    const creations = findCreations(project, kind);
    applications = creations.length === 0 ? [] : new ApplicationFlow(project, kind).judge(creations);
    byKind.set(kind, applications);
  }
  return applications;
}

/**
 * The Flask rules, Flask's endpoints and the template judgement each ask for the same kind's apps
 * of one project, which does not change once built: the flow is followed once per project.
 */
const applicationsFound = new WeakMap<Project, Map<ApplicationKind, Application[]>>();

/** An application-creating call, before anything is known of where it goes. */
interface Creation {
  module: SourceModule;
  call: CallExpr;
  scope: number;
  className: string;
}

/** Calls of an app class (or a subclass), or of a library function known to create one (`asfquart.construct(...)`). */
function findCreations(project: Project, kind: ApplicationKind): Creation[] {
  const appClasses = project.classFamily(kind.appClasses);
  const creators = [...appClasses, ...libraryFactoriesOf(appClasses)];
  if (!creators.some((name) => project.mayReferTo(name))) return [];
  const creatorNames = project.identifiersFor(creators);
  const creations: Creation[] = [];
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      if (!creatorNames.has(finalIdentifier(call.callee) ?? '')) continue;
      const callee = project.resolve(module, call.callee, scope);
      const className = callee === undefined ? undefined : classCreatedBy(callee);
      if (className !== undefined && project.isSubclassOf(className, kind.appClasses)) creations.push({ module, call, scope, className });
    }
  }
  return creations;
}

/**
 * After an edit, a language server's project keeps the previous project's share of each module that
 * read none of the edited ones: only the edited modules' shares are found again.
 */
const keptFlows = new WeakMap<Project, Map<ApplicationKind, KeptFlows>>();

class ApplicationFlow implements SlotResolver {
  private readonly groups = new SlotGroups();
  /** Identifiers that may name a protector class: calls named otherwise are skipped unresolved. */
  private readonly protectorClassNames: Set<string>;
  private readonly protectedSlots = new Set<string>();
  /** Slots protected by something that checks a token (a protector, a token-checking hook), not only by an origin check. */
  private readonly tokenCheckedSlots = new Set<string>();
  private readonly protectedCalls = new Set<CallExpr>();
  private readonly protectedClasses = new Set<string>();
  /** Slots given to a protector object (\`CSRFProtect(app)\`), and those a hook of the project's checks. */
  private readonly protectorSlots = new Set<string>();
  private readonly hookCheckedSlots = new Map<string, CheckingHook>();
  private readonly functionCalls: FunctionCall[] = [];
  private flows: Map<string, Set<string>> | undefined;
  /** The parameter slot each argument of a scanned function's call lands in (the first call's, for an argument passed twice). */
  private receivingParameters: Map<Expr, string> | undefined;

  constructor(
    private readonly project: Project,
    private readonly kind: ApplicationKind,
  ) {
    this.protectorClassNames = project.identifiersFor(project.classFamily(kind.protectorClasses));
    const previous = this.previousFlows();
    const kept: KeptFlows | undefined = project.remembersReads && !kind.includedFunctions ? { protectorClassNames: this.protectorClassNames, byModule: new Map() } : undefined;
    for (const module of project.modules) {
      const known = this.keptFlowOf(module, previous);
      if (known) kept?.byModule.set(module, known);
      this.adopt(known?.flow ?? this.moduleFlowOf(module, kept));
    }
    if (kept) keptFlows.set(project, new Map([...(keptFlows.get(project) ?? []), [kind, kept]]));
    this.propagateThroughHelpers();
  }

  /**
   * The previous project's shares, when they can hold here: Pyramid's included functions are found
   * without noting what they read, and another set of protector names changes which calls each share looked at.
   */
  private previousFlows(): KeptFlows | undefined {
    const predecessor = this.project.predecessor;
    const previous = predecessor && !this.kind.includedFunctions ? keptFlows.get(predecessor)?.get(this.kind) : undefined;
    return previous && sameNames(previous.protectorClassNames, this.protectorClassNames) ? previous : undefined;
  }

  private keptFlowOf(module: SourceModule, previous: KeptFlows | undefined): { flow: ModuleFlow; reads: Reads } | undefined {
    const known = previous?.byModule.get(module);
    return known && this.project.holdsHere(known.reads) ? known : undefined;
  }

  private moduleFlowOf(module: SourceModule, kept: KeptFlows | undefined): ModuleFlow {
    const { value: flow, reads } = this.project.trackReads(() => {
      const found: ModuleFlow = { links: [], calls: [], protections: [] };
      this.linkAssignments(module, found);
      this.linkReturns(module, found);
      this.collectCalls(module, found);
      this.markHandWrittenChecks(module, found);
      return found;
    });
    if (kept && reads) kept.byModule.set(module, { flow, reads: new Set([...reads, module.absolutePath]) });
    return flow;
  }

  /** Adds a module's share, in the order of the modules, so that the groups come out as from a fresh flow. */
  private adopt(flow: ModuleFlow): void {
    for (const [target, value] of flow.links) this.groups.union(target, value);
    this.functionCalls.push(...flow.calls);
    for (const protection of flow.protections) this.applyProtection(protection);
  }

  groupOf(module: SourceModule, expr: Expr, scope: number): string | undefined {
    const slot = this.slotOf(module, expr, scope);
    return slot === undefined ? undefined : this.groups.find(slot);
  }

  groupOfName(qualifiedName: string): string {
    return this.groups.find(qualifiedName);
  }

  parametersReached(group: string): Iterable<string> {
    return this.parameterFlows().get(group) ?? [];
  }

  argumentsPassedTo(parameterGroup: string): ValueSite[] {
    return this.functionCalls.flatMap(({ module, scope, callee, pairs }) =>
      pairs.flatMap(({ parameter, argument }) => (this.groups.find(parameterSlot(callee, parameter)) === parameterGroup ? [{ module, scope, expr: argument }] : [])),
    );
  }

  judge(creations: Creation[]): Application[] {
    const slotsByModule = new Map<SourceModule, Map<number, string>>();
    const slotOfCreation = (creation: Creation) => {
      const { module, call } = creation;
      let slots = slotsByModule.get(module);
      if (!slots) {
        slots = creationSlots(this.project, module);
        slotsByModule.set(module, slots);
      }
      return slots.get(call.id) ?? this.parameterReceiving(call) ?? this.ownClassSlot(creation);
    };
    for (const creation of creations) this.linkSelfOfAppClass(creation, slotOfCreation(creation));
    const appGroups = new Set(creations.flatMap((creation) => slotOfCreation(creation) ?? []).map((slot) => this.groups.find(slot)));
    const views = new ViewIndex(this.project, this, this.groups.identifiersIn(groupsReached(this, appGroups)), this.kind.formClasses);
    const productionAppGroups = new Set(creations.filter((creation) => creation.module.context !== 'test').flatMap((creation) => slotOfCreation(creation) ?? []).map((slot) => this.groups.find(slot)));
    if (productionAppGroups.size === 1) views.adoptCurrentAppRegistrations([...productionAppGroups][0]!);
    const protectedGroups = this.protectedGroups();
    return oneCreationPerSlot(creations, slotOfCreation).map(({ creation, alternatives }) => {
      const slot = slotOfCreation(creation);
      const usage = views.usageOf(slot === undefined ? undefined : this.groups.find(slot), (group) => protectedGroups.has(group));
      const isProtected = alternatives.every((alternative) => this.isProtected(alternative.call, alternative.className, slot, protectedGroups));
      const originOnly = isProtected && alternatives.every((alternative) => this.checksOnlyOrigin(alternative.call, alternative.className, slot));
      const hook = isProtected && slot !== undefined && !this.protectedCalls.has(creation.call) ? this.checkingHookOf(this.groups.find(slot)) : undefined;
      return { ...creation, ...(slot ? { slot } : {}), protected: isProtected, ...(originOnly ? { checksOnlyOrigin: true as const } : {}), ...(hook ? { checkingHook: hook } : {}), usage };
    });
  }

  /**
   * `AppService(application=web.Application())`: an app created right in the arguments of a scanned
   * function lives on in the parameter that receives it (`self.application = application`).
   */
  private parameterReceiving(creation: CallExpr): string | undefined {
    if (!this.receivingParameters) {
      this.receivingParameters = new Map();
      for (const { callee, pairs } of this.functionCalls) {
        for (const { parameter, argument } of pairs) if (!this.receivingParameters.has(argument)) this.receivingParameters.set(argument, parameterSlot(callee, parameter));
      }
    }
    return this.receivingParameters.get(creation);
  }

  /**
   * `prepare_app(WikiApp(repo))`, an app of the project's own class handed straight to code outside
   * the scan: stored nowhere the scan sees, it is known by its class, whose methods set it up through `self`.
   */
  private ownClassSlot({ className }: Creation): string | undefined {
    return this.project.findDefinition(className)?.definition.kind === 'class' ? className : undefined;
  }

  /**
   * `class WikiApp(Flask)` whose `__init__` calls `self.register_blueprint(...)`: `self` in its methods
   * stands for the class, and what they do to it they do to every app the class creates.
   */
  private linkSelfOfAppClass({ className }: Creation, slot: string | undefined): void {
    if (slot !== undefined && this.project.findDefinition(className)?.definition.kind === 'class') this.groups.union(slot, className);
  }

  /**
   * Where the apps of each group are passed: the groups of the helper parameters that receive them,
   * so that `register_blueprints(app)` adds its blueprints to every app it is given. The flow goes
   * one way: two apps handed to the same helper share what the helper does, not each other's setup.
   */
  private parameterFlows(): Map<string, Set<string>> {
    if (this.flows) return this.flows;
    const flows = new Map<string, Set<string>>();
    for (const { callee, pairs } of this.functionCalls) {
      for (const { parameter, argumentSlot } of pairs) {
        if (argumentSlot === undefined) continue;
        const from = this.groups.find(argumentSlot);
        const to = this.groups.find(parameterSlot(callee, parameter));
        if (from === to) continue;
        const targets = flows.get(from) ?? new Set<string>();
        targets.add(to);
        flows.set(from, targets);
      }
    }
    this.flows = flows;
    return flows;
  }

  private isProtected(call: CallExpr, className: string, slot: string | undefined, protectedGroups: Set<string>): boolean {
    if (this.protectedCalls.has(call) || this.protectedClasses.has(className)) return true;
    return slot !== undefined && protectedGroups.has(this.groups.find(slot));
  }

  private checksOnlyOrigin(call: CallExpr, className: string, slot: string | undefined): boolean {
    if (this.protectedCalls.has(call) || this.protectedClasses.has(className) || slot === undefined) return false;
    const group = this.groups.find(slot);
    return ![...this.tokenCheckedSlots].some((checked) => this.groups.find(checked) === group);
  }

  /** Notes what protects a slot's app: a protector object or a hook of the project's (for the inventory's label). */
  private noteProtectionSource(slot: string, source: Protection['source']): void {
    if (source === 'protector') this.protectorSlots.add(slot);
    else if (source !== undefined && !this.hookCheckedSlots.has(slot)) this.hookCheckedSlots.set(slot, source);
  }

  private protectorSlotIn(group: string): boolean {
    return [...this.protectorSlots].some((slot) => this.groups.find(slot) === group);
  }

  /** The hook that protects a group's apps, unless a protector object protects them too. */
  private checkingHookOf(group: string): CheckingHook | undefined {
    if (this.protectorSlotIn(group)) return undefined;
    for (const [slot, hook] of this.hookCheckedSlots) if (this.groups.find(slot) === group) return hook;
    return undefined;
  }

  private protectedGroups(): Set<string> {
    return new Set([...this.protectedSlots].map((slot) => this.groups.find(slot)));
  }

  /** The slot an expression stands for: a name, an attribute, or the return value of a scanned function. */
  slotOf(module: SourceModule, expr: Expr, scope: number): string | undefined {
    if (expr.kind === 'attribute') return this.instanceAttributeSlot(module, expr, scope) ?? this.project.resolve(module, expr, scope);
    if (expr.kind === 'name') return this.project.resolve(module, expr, scope);
    if (expr.kind !== 'call') return undefined;
    const callee = this.functionAt(module, expr.callee, scope);
    if (!callee || callee.constructs) return undefined;
    return returnSlot(callee.module.symbols.definitionName(callee.definition));
  }

  /**
   * `app_svc.application` where `app_svc = AppService(...)`, a scanned class: the attribute its
   * methods set (`self.application = application`), shared by every instance.
   */
  private instanceAttributeSlot(module: SourceModule, expr: Extract<Expr, { kind: 'attribute' }>, scope: number): string | undefined {
    if (expr.object.kind !== 'name' || expr.object.id === 'self' || expr.object.id === 'cls') return undefined;
    const classes = this.project.instanceClasses(module, expr.object, scope);
    const [className] = classes;
    return classes.length === 1 && className !== undefined && this.project.findDefinition(className)?.definition.kind === 'class' ? `${className}.${expr.attribute}` : undefined;
  }

  /**
   * The scanned function a call runs: a function, a method, or for `SomeClass(app)` its `__init__`.
   * `settings.get("INITIALIZER", DefaultInitializer)(app)` runs the default.
   */
  private functionAt(module: SourceModule, callee: Expr, scope: number): FunctionSite | undefined {
    if (callee.kind === 'call') return this.defaultFactoryAt(module, callee, scope);
    const name = this.project.resolve(module, callee, scope);
    const site = (name === undefined ? undefined : this.project.findDefinition(name)) ?? this.instanceMethodAt(module, callee, scope);
    if (site?.definition.kind === 'class') {
      const constructor = this.project.findMethod(name!, '__init__');
      return constructor && { ...constructor, skipsFirstParameter: true, constructs: true };
    }
    if (site?.definition.kind !== 'function') return undefined;
    const isMethod = site.module.facts.scopes[site.definition.scope]?.kind === 'class';
    const isStatic = site.definition.decorators.some((decorator) => decorator.expression.kind === 'name' && decorator.expression.id === 'staticmethod');
    return { ...site, skipsFirstParameter: isMethod && !isStatic && callee.kind === 'attribute', constructs: false };
  }

  /**
   * `auth_svc.apply(app)` where `auth_svc = AuthService()`, a scanned class: the method its instance
   * runs, which may set the app up (`setup_session(app, ...)` in `AuthService.apply`).
   */
  private instanceMethodAt(module: SourceModule, callee: Expr, scope: number): DefinitionSite | undefined {
    if (callee.kind === 'attribute' && callee.object.kind === 'call') return this.newInstanceMethodAt(module, callee.object, callee.attribute, scope);
    if (callee.kind !== 'attribute' || callee.object.kind !== 'name' || callee.object.id === 'self' || callee.object.id === 'cls') return undefined;
    const classes = this.project.instanceClasses(module, callee.object, scope);
    const [className] = classes;
    return classes.length === 1 && className !== undefined ? this.project.findMethod(className, callee.attribute) : undefined;
  }

  /** `AbilityApi(services).add_routes(app)`: the method of a scanned class called on the instance just made. */
  private newInstanceMethodAt(module: SourceModule, construction: CallExpr, method: string, scope: number): DefinitionSite | undefined {
    const className = this.project.resolve(module, construction.callee, scope);
    if (className === undefined || this.project.findDefinition(className)?.definition.kind !== 'class') return undefined;
    return this.project.findMethod(className, method);
  }

  private defaultFactoryAt(module: SourceModule, lookup: CallExpr, scope: number): FunctionSite | undefined {
    const [, fallback] = lookup.args;
    const isGetWithDefault = lookup.callee.kind === 'attribute' && lookup.callee.attribute === 'get' && lookup.args.length === 2;
    return isGetWithDefault && fallback && !fallback.name ? this.functionAt(module, fallback.value, scope) : undefined;
  }

  private linkAssignments(module: SourceModule, flow: ModuleFlow): void {
    for (const assignment of module.facts.assignments) {
      if (assignment.operator !== '=' || !assignment.value) continue;
      // Most values are literals and plain calls, which hold no slot: their targets need no resolving.
      const value = this.slotOf(module, assignment.value, assignment.scope);
      if (value === undefined) continue;
      const target = this.project.targetName(module, assignment.target, assignment.scope);
      if (target !== undefined) flow.links.push([target, value]);
    }
  }

  private linkReturns(module: SourceModule, flow: ModuleFlow): void {
    const returned = new Map<string, string[]>();
    for (const statement of module.facts.returns) {
      const owner = module.symbols.definitionOfScope(statement.scope);
      if (!statement.value || owner?.kind !== 'function') continue;
      const value = this.slotOf(module, statement.value, statement.scope);
      const slot = returnSlot(module.symbols.definitionName(owner));
      if (value !== undefined) returned.set(slot, [...(returned.get(slot) ?? []), value]);
    }
    for (const [slot, values] of returned) {
      if (picksBetweenFactories(values)) continue;
      for (const value of values) flow.links.push([slot, value]);
    }
  }

  private collectCalls(module: SourceModule, flow: ModuleFlow): void {
    for (const { call, scope } of module.facts.calls) {
      if (call.args.length === 0) continue;
      const protectedApp = this.protectedArgument(module, call, scope);
      if (protectedApp) flow.protections.push(this.protectionOf(module, protectedApp.value, scope, 'token', 'protector'));
      const callee = this.functionAt(module, call.callee, scope);
      if (callee) flow.calls.push(this.functionCall(module, scope, callee, pairArguments(callee, call)));
      if (call.callee.kind === 'attribute') this.collectIncludes(module, call, call.callee.object, scope, flow);
      this.collectHookCalls(module, call, scope, flow);
    }
  }

  private functionCall(module: SourceModule, scope: number, callee: FunctionSite, pairs: Array<{ parameter: string; argument: Expr }>): FunctionCall {
    return { module, scope, callee, pairs: pairs.map((pair) => ({ ...pair, argumentSlot: this.slotOf(module, pair.argument, scope) })) };
  }

  /** `pm.hook.load_blueprints(app=app)`: each hook implementation receives the call's keywords. */
  private collectHookCalls(module: SourceModule, call: CallExpr, scope: number, flow: ModuleFlow): void {
    for (const site of hookImplementations(this.project, module, call, scope)) {
      const callee = { ...site, skipsFirstParameter: false, constructs: false };
      const pairs = call.args.flatMap((argument) => (argument.name !== undefined && !argument.unpack ? [{ parameter: argument.name, argument: argument.value }] : []));
      flow.calls.push(this.functionCall(module, scope, callee, pairs));
    }
  }

  /** `config.include("pkg.views")`: the included function receives the object the call is made on. */
  private collectIncludes(module: SourceModule, call: CallExpr, receiver: Expr, scope: number, flow: ModuleFlow): void {
    for (const site of this.kind.includedFunctions?.(this.project, module, call, scope) ?? []) {
      const [parameter] = site.definition.parameters;
      if (!parameter || parameter.unpack) continue;
      const callee = { ...site, skipsFirstParameter: false, constructs: false };
      flow.calls.push(this.functionCall(module, scope, callee, [{ parameter: parameter.name, argument: receiver }]));
    }
  }

  /** The app handed to a protector: `CSRFProtect(app)`, `csrf.init_app(app)`, `init_app(app=app)`. */
  private protectedArgument(module: SourceModule, call: CallExpr, scope: number): Argument | undefined {
    const { project, kind } = this;
    const mayConstruct = this.protectorClassNames.has(finalIdentifier(call.callee) ?? '');
    const callee = mayConstruct ? project.resolve(module, call.callee, scope) : undefined;
    const isProtectorConstructor = callee !== undefined && project.isSubclassOf(callee, kind.protectorClasses);
    const isInitApp = call.callee.kind === 'attribute' && call.callee.attribute === 'init_app' && this.isProtector(module, call.callee.object, scope);
    if (!isProtectorConstructor && !isInitApp) return undefined;
    return call.args.find((argument) => argument.name === 'app') ?? call.args.find((argument) => argument.name === undefined && !argument.unpack);
  }

  /**
   * A protector object; or one that comes from code outside the scan and is named for CSRF
   * (`from shop_core.extensions import csrf_protect`), which cannot be checked and is given the benefit of the doubt.
   */
  private isProtector(module: SourceModule, object: Expr, scope: number): boolean {
    if (this.project.isInstanceOf(module, object, scope, this.kind.protectorClasses)) return true;
    const name = this.project.resolve(module, object, scope);
    return name !== undefined && !this.project.isScannedName(name) && /csrf|xsrf|seasurf/i.test(name.slice(name.lastIndexOf('.') + 1));
  }

  private protectionOf(module: SourceModule, expr: Expr, scope: number, by: CsrfCheckKind, source: Protection['source']): Protection {
    const slot = this.slotOf(module, expr, scope);
    const isAppClass = slot !== undefined && this.project.isSubclassOf(slot, this.kind.appClasses);
    return { call: expr.kind === 'call' ? expr : undefined, slot, by, isAppClass, source };
  }

  /** Whether the protection is new: its slot was not protected yet. */
  private applyProtection({ call, slot, by, isAppClass, source }: Protection): boolean {
    if (call) this.protectedCalls.add(call);
    if (slot !== undefined) this.noteProtectionSource(slot, source);
    if (slot !== undefined && by === 'token') this.tokenCheckedSlots.add(slot);
    if (slot === undefined || this.protectedSlots.has(slot)) return false;
    this.protectedSlots.add(slot);
    if (isAppClass) this.protectedClasses.add(slot);
    return true;
  }

  /**
   * A `before_request` hook that checks a CSRF token itself (named for it, or calling something
   * named for it such as `csrf.protect()` or `validate_csrf(...)`), or turns away requests from
   * other sites by their headers, protects its app (see `hookCsrfCheck`).
   */
  private markHandWrittenChecks(module: SourceModule, flow: ModuleFlow): void {
    for (const definition of module.facts.definitions) {
      for (const { expression } of definition.decorators) {
        if (expression.kind !== 'attribute' || expression.attribute !== 'before_request') continue;
        const check = hookCsrfCheck(this.project, module, definition);
        if (check) flow.protections.push(this.protectionOf(module, expression.object, definition.scope, check, { name: definition.name, module, line: definition.range.line }));
      }
    }
    for (const { call, scope } of module.facts.calls) {
      const [hook] = call.args;
      if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'before_request' || !hook) continue;
      const name = this.project.resolve(module, hook.value, scope);
      const site = name === undefined ? undefined : this.project.findDefinition(name);
      const check = site?.definition.kind === 'function' ? hookCsrfCheck(this.project, site.module, site.definition) : undefined;
      if (check && site) flow.protections.push(this.protectionOf(module, call.callee.object, scope, check, { name: site.definition.name, module: site.module, line: site.definition.range.line }));
    }
  }

  /** A helper that protects its parameter protects every app its callers pass in. */
  private propagateThroughHelpers(): void {
    for (let changed = true, rounds = 0; changed && rounds < 16; rounds++) {
      changed = false;
      const protectedGroups = this.protectedGroups();
      for (const { module, scope, callee, pairs } of this.functionCalls) {
        for (const { parameter, argument } of pairs) {
          const group = this.groups.find(parameterSlot(callee, parameter));
          const source = this.protectorSlotIn(group) ? 'protector' : this.checkingHookOf(group);
          if (protectedGroups.has(group) && this.applyProtection(this.protectionOf(module, argument, scope, 'token', source))) changed = true;
        }
      }
    }
  }
}



function sameNames(first: ReadonlySet<string>, second: ReadonlySet<string>): boolean {
  return first.size === second.size && [...first].every((name) => second.has(name));
}

function parameterSlot(callee: FunctionSite, parameter: string): string {
  return `${callee.module.symbols.scopeQualifiedName(callee.definition.bodyScope)}.${parameter}`;
}

/** Which argument of a call lands in which named parameter of the function. */
function pairArguments(callee: FunctionSite, call: CallExpr): Array<{ parameter: string; argument: Expr }> {
  const parameters = callee.definition.parameters.slice(callee.skipsFirstParameter ? 1 : 0);
  const pairs: Array<{ parameter: string; argument: Expr }> = [];
  let position = 0;
  for (const argument of call.args) {
    if (argument.unpack) return pairs;
    if (argument.name !== undefined) {
      pairs.push({ parameter: argument.name, argument: argument.value });
      continue;
    }
    const parameter = parameters[position++];
    if (!parameter || parameter.unpack) continue;
    pairs.push({ parameter: parameter.name, argument: argument.value });
  }
  return pairs;
}

/** Where each application-creating call of a module is stored: `x = Flask()` or `return Flask()`. */
/**
 * `if debug: app = FastAPI(debug=True) else: app = FastAPI()`: the branches bind one name, which the
 * rest of the module configures, so they are one app, found at its first creation (protected only
 * if every creation is). Creations stored nowhere stay apart.
 */
function oneCreationPerSlot(creations: Creation[], slotOf: (creation: Creation) => string | undefined): Array<{ creation: Creation; alternatives: Creation[] }> {
  const bySlot = new Map<string, Creation[]>();
  const result: Array<{ creation: Creation; alternatives: Creation[] }> = [];
  for (const creation of creations) {
    const slot = slotOf(creation);
    const key = slot === undefined ? undefined : `${creation.module.key}\0${slot}`;
    const known = key === undefined ? undefined : bySlot.get(key);
    if (known) {
      known.push(creation);
      continue;
    }
    const alternatives = [creation];
    if (key !== undefined) bySlot.set(key, alternatives);
    result.push({ creation, alternatives });
  }
  return result.map(({ alternatives }) => ({ creation: firstInModule(alternatives), alternatives }));
}

function firstInModule(creations: Creation[]): Creation {
  return creations.reduce((first, creation) => (creation.call.range.line < first.call.range.line ? creation : first));
}

function creationSlots(project: Project, module: SourceModule): Map<number, string> {
  const slots = new Map<number, string>();
  for (const assignment of module.facts.assignments) {
    if (assignment.value?.kind !== 'call') continue;
    const target = project.targetName(module, assignment.target, assignment.scope);
    if (target !== undefined) slots.set(assignment.value.id, target);
  }
  for (const statement of module.facts.returns) {
    if (statement.value?.kind !== 'call') continue;
    const owner = module.symbols.definitionOfScope(statement.scope);
    if (owner?.kind === 'function') slots.set(statement.value.id, returnSlot(module.symbols.definitionName(owner)));
  }
  return slots;
}

/**
 * A function that returns what one factory or another builds (\`return create_maintenance_app()\`
 * under a setting, else \`return create_main_app()\`) hands out one of two apps: linking both to
 * its result would make one app of them, each serving the other's views.
 */
function picksBetweenFactories(values: readonly string[]): boolean {
  return new Set(values.filter((value) => value.endsWith('()'))).size > 1;
}
