import type { Node, Tree } from 'web-tree-sitter';
import { argumentsOf, type ExpressionContext, namedChildrenOf, rangeOf, toExpr } from './expressions.js';
import type { BindingKind, Decorator, Definition, DirectiveComment, ExceptHandler, Expr, ImportStatement, ModuleFacts, Parameter, ScopeKind } from './facts.js';
import { MODULE_SCOPE } from './facts.js';
import { internedText, optionalTextOf, textOf, trimFactLists, withoutSpareRoom } from './compact-facts.js';
import { typeOf } from './node-type.js';
import { findSyntaxProblems } from './syntax-problems.js';

/** Where a statement sits: its scope, and whether it runs only under some condition. */
interface StatementContext {
  scope: number;
  conditional: boolean;
}

/**
 * Calls and assignments kept from one module. A hand-written module holds a few thousand at most; a
 * generated one (a JavaScript engine translated to Python, vendored) holds over a hundred thousand,
 * whose facts alone would take hundreds of megabytes. Past the budget, only the imports and
 * definitions that follow are kept: enough for the names other modules import from it.
 */
export const FACT_BUDGET = 20_000;

/** Statements still visited past the budget: they bind the names other modules import, or hold such statements. */
const STATEMENTS_OVER_BUDGET: ReadonlySet<string> = new Set(['import_statement', 'import_from_statement', 'decorated_definition', 'function_definition', 'class_definition', 'block']);

/** Builds the facts of one parsed module in a single walk over its statements. */
export function extractFacts(tree: Tree): ModuleFacts {
  const facts: ModuleFacts = {
    scopes: [{ id: MODULE_SCOPE, kind: 'module', name: '', parent: null, globals: [], nonlocals: [], reads: [] }],
    bindings: [],
    imports: [],
    assignments: [],
    calls: [],
    definitions: [],
    returns: [],
    raises: [],
    deletions: [],
    tries: [],
    conditions: [],
    syntaxProblems: findSyntaxProblems(tree.rootNode),
    directives: directiveComments(tree),
    lineCount: tree.rootNode.endPosition.row + 1,
  };
  new FactExtractor(facts).visitBlock(tree.rootNode, { scope: MODULE_SCOPE, conditional: false });
  trimFactLists(facts);
  return facts;
}

/** Comments only matter here when they mention csrflint or noqa; tree-sitter finds them in C. */
function directiveComments(tree: Tree): DirectiveComment[] {
  const directives: DirectiveComment[] = [];
  const source = tree.rootNode.text;
  if (!/csrflint|noqa/i.test(source)) return directives;
  for (const comment of tree.rootNode.descendantsOfType('comment')) {
    if (!comment) continue;
    const text = comment.text;
    if (/csrflint|noqa/i.test(text)) directives.push({ line: comment.startPosition.row + 1, text: internedText(text) });
  }
  return directives;
}

class FactExtractor {
  constructor(private readonly facts: ModuleFacts) {}

  visitBlock(block: Node, context: StatementContext): void {
    for (const statement of namedChildrenOf(block)) this.visitStatement(statement, context);
  }

  private visitStatement(node: Node, context: StatementContext): void {
    const type = typeOf(node);
    if (this.isOverBudget() && !STATEMENTS_OVER_BUDGET.has(type)) return;
    switch (type) {
      case 'import_statement':
      case 'import_from_statement':
        return this.visitImport(node, context);
      case 'expression_statement':
        return this.visitExpressionStatement(node, context);
      case 'decorated_definition':
        return this.visitDecoratedDefinition(node, context);
      case 'function_definition':
      case 'class_definition':
        return this.visitDefinition(node, [], context);
      case 'return_statement':
        return this.visitReturn(node, context);
      case 'raise_statement':
        this.facts.raises.push({ scope: context.scope, conditional: context.conditional, range: rangeOf(node) });
        return this.visitExpressionsIn(node, context);
      case 'delete_statement':
        return this.visitDelete(node, context);
      case 'global_statement':
        return this.declareNames(node, this.facts.scopes[context.scope]!.globals);
      case 'nonlocal_statement':
        return this.declareNames(node, this.facts.scopes[context.scope]!.nonlocals);
      case 'if_statement':
      case 'while_statement':
      case 'match_statement':
      case 'case_clause':
        return this.visitBranches(node, context);
      case 'for_statement':
        return this.visitFor(node, context);
      case 'try_statement':
        return this.visitTry(node, context);
      case 'with_statement':
        return this.visitWith(node, context);
      case 'block':
      case 'ERROR':
        return this.visitBlock(node, context);
      case 'future_import_statement':
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
        return;
      default:
        if (type.endsWith('_statement')) this.visitExpressionsIn(node, context);
        else this.expr(node, context);
    }
  }

  private isOverBudget(): boolean {
    if (this.facts.overBudget) return true;
    if (this.facts.calls.length + this.facts.assignments.length <= FACT_BUDGET) return false;
    this.facts.overBudget = true;
    return true;
  }

  private expressionContext(context: StatementContext, inDecorator = false): ExpressionContext {
    return { facts: this.facts, scope: context.scope, conditional: context.conditional, inDecorator };
  }

  private expr(node: Node, context: StatementContext): Expr {
    return toExpr(node, this.expressionContext(context));
  }

  /** `del a[0], b`: each target on its own. */
  private visitDelete(node: Node, context: StatementContext): void {
    for (const child of namedChildrenOf(node)) {
      const targets = typeOf(child) === 'expression_list' ? namedChildrenOf(child) : [child];
      for (const target of targets) this.facts.deletions.push({ scope: context.scope, target: this.expr(target, context), range: rangeOf(node) });
    }
  }

  /** Statements the rules do not model (assert, raise, del, print...): only their calls matter. */
  private visitExpressionsIn(node: Node, context: StatementContext): void {
    for (const child of namedChildrenOf(node)) this.expr(child, context);
  }

  private bind(name: string, kind: BindingKind, line: number, context: StatementContext, index?: number): void {
    const scope = this.bindingScope(name, context.scope);
    const { conditional } = context;
    // Written out whole: a property added later costs every binding an array of its own.
    if (kind === 'import') this.facts.bindings.push({ scope, name, kind, line, conditional, importIndex: index });
    else if (kind === 'assignment') this.facts.bindings.push({ scope, name, kind, line, conditional, assignmentIndex: index });
    else if (kind === 'function' || kind === 'class') this.facts.bindings.push({ scope, name, kind, line, conditional, definitionIndex: index });
    else this.facts.bindings.push({ scope, name, kind, line, conditional });
  }

  /** `global x` makes assignments to `x` bind at module level; `nonlocal x`, in the enclosing function. */
  private bindingScope(name: string, scopeId: number): number {
    const scope = this.facts.scopes[scopeId]!;
    if (scope.globals.includes(name)) return MODULE_SCOPE;
    if (!scope.nonlocals.includes(name)) return scopeId;
    let enclosing = scope.parent === null ? undefined : this.facts.scopes[scope.parent];
    while (enclosing && enclosing.kind === 'class') enclosing = enclosing.parent === null ? undefined : this.facts.scopes[enclosing.parent];
    return enclosing?.id ?? scopeId;
  }

  /** Binds every name a target pattern assigns (`a`, `a, b`, `[a, *rest]`); attributes bind none. */
  private bindTarget(target: Node, kind: BindingKind, context: StatementContext, assignmentIndex?: number): void {
    switch (typeOf(target)) {
      case 'identifier':
        return this.bind(textOf(target), kind, target.startPosition.row + 1, context, assignmentIndex);
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
      case 'parenthesized_expression':
      case 'list_splat_pattern':
      case 'as_pattern_target':
        for (const part of namedChildrenOf(target)) this.bindTarget(part, kind, context, assignmentIndex);
    }
  }

  private visitImport(node: Node, context: StatementContext): void {
    const statements = typeOf(node) === 'import_statement' ? plainImports(node, context.scope) : fromImport(node, context.scope);
    for (const statement of statements) {
      const index = this.facts.imports.push(statement) - 1;
      for (const name of statement.names) this.bind(name.boundName, 'import', statement.range.line, context, index);
    }
  }

  private visitExpressionStatement(node: Node, context: StatementContext): void {
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) === 'assignment') this.visitAssignment(child, context);
      else if (typeOf(child) === 'augmented_assignment') this.visitAugmentedAssignment(child, context);
      else this.expr(child, context);
    }
  }

  /** `a = b = value`, `x: T = value`, `a, b = 1, 2`: one assignment fact per target. */
  private visitAssignment(node: Node, context: StatementContext): void {
    const targets: Node[] = [];
    let current: Node | null = node;
    let annotationNode: Node | null = null;
    while (current && typeOf(current) === 'assignment') {
      const left = current.childForFieldName('left');
      if (left) targets.push(left);
      annotationNode ??= current.childForFieldName('type');
      current = current.childForFieldName('right');
    }
    const value = current ? this.expr(current, context) : null;
    const annotation = annotationNode ? this.expr(annotationNode, context) : undefined;
    for (const target of targets) this.recordAssignment(target, value, '=', node, context, annotation);
  }

  private recordAssignment(target: Node, value: Expr | null, operator: string, statement: Node, context: StatementContext, annotation?: Expr): void {
    const targetParts = unpackableTargets(target);
    if (targetParts && value && (value.kind === 'tuple' || value.kind === 'list') && value.items.length === targetParts.length) {
      targetParts.forEach((part, index) => this.recordAssignment(part, value.items[index] ?? null, operator, statement, context));
      return;
    }
    const assignment = {
      scope: context.scope,
      target: this.expr(target, context),
      value,
      operator,
      conditional: context.conditional,
      range: rangeOf(statement),
      ...(annotation ? { annotation } : {}),
    };
    const index = this.facts.assignments.push(assignment) - 1;
    this.bindTarget(target, 'assignment', context, index);
  }

  private visitAugmentedAssignment(node: Node, context: StatementContext): void {
    const target = node.childForFieldName('left');
    const value = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.type ?? '';
    if (!target || !value) return;
    this.recordAssignment(target, this.expr(value, context), operator, node, context);
  }

  private visitDecoratedDefinition(node: Node, context: StatementContext): void {
    const decorators: Decorator[] = [];
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) !== 'decorator') continue;
      const [expression] = namedChildrenOf(child);
      if (!expression) continue;
      // `@` to the end of the expression: the node itself also holds a comment that trails it.
      const end = expression.endPosition;
      const range = { ...rangeOf(child), endLine: end.row + 1, endColumn: end.column + 1 };
      decorators.push({ expression: toExpr(expression, this.expressionContext(context, true)), range });
    }
    const definition = node.childForFieldName('definition');
    if (definition) this.visitDefinition(definition, withoutSpareRoom(decorators), context);
  }

  private visitDefinition(node: Node, decorators: Decorator[], context: StatementContext): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    const kind = typeOf(node) === 'class_definition' ? 'class' : 'function';
    const name = textOf(nameNode);
    const basesNode = node.childForFieldName('superclasses');
    const parametersNode = node.childForFieldName('parameters');
    const body = node.childForFieldName('body');
    const definition: Definition = {
      kind,
      name,
      scope: context.scope,
      bodyScope: this.openScope(kind, name, context.scope),
      decorators,
      bases: basesNode ? argumentsOf(basesNode, this.expressionContext(context)) : [],
      parameters: parametersNode ? this.parametersOf(parametersNode, context) : [],
      isAsync: node.firstChild?.type === 'async',
      range: rangeOf(node),
      nameRange: rangeOf(nameNode),
      bodyStatements: body ? namedChildrenOf(body).map(typeOf) : [],
    };
    const index = this.facts.definitions.push(definition) - 1;
    this.bind(definition.name, kind, definition.range.line, context, index);
    const bodyContext = { scope: definition.bodyScope, conditional: false };
    for (const parameter of definition.parameters) this.bind(parameter.name, 'parameter', definition.range.line, bodyContext);
    if (body) this.visitBlock(body, bodyContext);
  }

  private openScope(kind: ScopeKind, name: string, parent: number): number {
    const id = this.facts.scopes.length;
    this.facts.scopes.push({ id, kind, name, parent, globals: [], nonlocals: [], reads: [] });
    return id;
  }

  /** Default values are evaluated where the `def` is, so their calls belong to the enclosing scope. */
  private parametersOf(node: Node, context: StatementContext): Parameter[] {
    const parameters: Parameter[] = [];
    for (const child of namedChildrenOf(node)) {
      const parameter = parameterOf(child);
      if (!parameter) continue;
      const defaultNode = child.childForFieldName('value');
      if (defaultNode) parameter.defaultValue = this.expr(defaultNode, context);
      parameters.push(parameter);
    }
    return withoutSpareRoom(parameters);
  }

  private visitReturn(node: Node, context: StatementContext): void {
    const [valueNode] = namedChildrenOf(node);
    const value = valueNode ? this.expr(valueNode, context) : null;
    this.facts.returns.push({ scope: context.scope, value, conditional: context.conditional, range: rangeOf(node) });
  }

  private declareNames(node: Node, names: string[]): void {
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) === 'identifier') names.push(textOf(child));
    }
  }

  /** `if`/`elif`/`else`, `while` and `match`: every body may or may not run. */
  private visitBranches(node: Node, context: StatementContext): void {
    const branchContext = { scope: context.scope, conditional: true };
    const children = namedChildrenOf(node);
    children.forEach((child, index) => {
      if (isBodyLike(child)) this.visitBranches(child, context);
      else if (typeOf(child) === 'block') this.visitBlock(child, branchContext);
      else if (typeOf(child) !== 'case_pattern') this.pushCondition(child, children[index + 1], context);
    });
  }

  /** A test, and the block it guards when one follows it (an `if`'s, not a `match` subject's). */
  private pushCondition(test: Node, next: Node | undefined, context: StatementContext): void {
    const body = next !== undefined && typeOf(next) === 'block' ? { body: rangeOf(next) } : {};
    this.facts.conditions.push({ scope: context.scope, test: this.expr(test, context), ...body });
  }

  /** `for ext in (db, csrf):` is recorded as an assignment with operator `in`: `ext` takes each item. */
  private visitFor(node: Node, context: StatementContext): void {
    const target = node.childForFieldName('left');
    const iterableNode = node.childForFieldName('right');
    const iterable = iterableNode ? this.expr(iterableNode, context) : null;
    const loopContext = { scope: context.scope, conditional: true };
    const parts = target && unpackableTargets(target);
    if (target && typeOf(target) === 'identifier' && iterable) this.recordAssignment(target, iterable, 'in', node, loopContext);
    else if (parts && iterable && parts.every((part) => typeOf(part) === 'identifier')) this.recordLoopParts(parts, iterable, node, loopContext);
    else if (target) this.bindTarget(target, 'other', loopContext);
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) === 'block') this.visitBlock(child, loopContext);
      else if (typeOf(child) === 'else_clause') this.visitBranches(child, context);
    }
  }

  /** `for path, view in ROUTES:`: each name takes one part of each item. */
  private recordLoopParts(parts: Node[], iterable: Expr, statement: Node, context: StatementContext): void {
    parts.forEach((part, unpackIndex) => {
      const assignment = { scope: context.scope, target: this.expr(part, context), value: iterable, operator: 'in', unpackIndex, conditional: context.conditional, range: rangeOf(statement) };
      const index = this.facts.assignments.push(assignment) - 1;
      this.bindTarget(part, 'assignment', context, index);
    });
  }

  /** The `try` body and `finally` run; handlers and `else` may not. */
  private visitTry(node: Node, context: StatementContext): void {
    const handlerContext = { scope: context.scope, conditional: true };
    const handlers: ExceptHandler[] = [];
    let body: Node | undefined;
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) === 'block') {
        body ??= child;
        this.visitBlock(child, context);
      } else if (typeOf(child) === 'finally_clause') this.visitBranchBodies(child, context);
      else if (typeOf(child) === 'except_clause' || typeOf(child) === 'except_group_clause') handlers.push(this.visitExceptClause(child, handlerContext));
      else if (typeOf(child) === 'else_clause') this.visitBranchBodies(child, handlerContext);
    }
    if (body) this.facts.tries.push({ scope: context.scope, body: rangeOf(body), handlers: withoutSpareRoom(handlers) });
  }

  private visitExceptClause(node: Node, context: StatementContext): ExceptHandler {
    const caught: Expr[] = [];
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) === 'block') this.visitBlock(child, context);
      else if (typeOf(child) === 'as_pattern') caught.push(...this.visitAsPattern(child, context));
      else caught.push(this.expr(child, context));
    }
    return { caught: withoutSpareRoom(caught).flatMap((expr) => (expr.kind === 'tuple' ? expr.items : [expr])), range: rangeOf(node) };
  }

  private visitBranchBodies(node: Node, context: StatementContext): void {
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) === 'block') this.visitBlock(child, context);
    }
  }

  private visitWith(node: Node, context: StatementContext): void {
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) === 'block') this.visitBlock(child, context);
      else if (typeOf(child) === 'with_clause') this.visitWithClause(child, context);
    }
  }

  private visitWithClause(node: Node, context: StatementContext): void {
    for (const item of namedChildrenOf(node)) {
      const value = item.childForFieldName('value') ?? item;
      if (typeOf(value) === 'as_pattern') this.visitWithTarget(value, context);
      else this.expr(value, context);
    }
  }

  /**
   * `with Configurator() as config:` binds `config` to what `__enter__` returns, which for most
   * context managers is the object itself: an assignment with operator `with`.
   */
  private visitWithTarget(node: Node, context: StatementContext): void {
    const [valueNode, target] = namedChildrenOf(node);
    const [name, ...others] = target && typeOf(target) === 'as_pattern_target' ? namedChildrenOf(target) : [];
    if (!valueNode || !name || typeOf(name) !== 'identifier' || others.length > 0) {
      this.visitAsPattern(node, context);
      return;
    }
    this.recordAssignment(name, this.expr(valueNode, context), 'with', node, context);
  }

  /** `with open(f) as handle`, `except Error as error`: the expressions before `as`. */
  private visitAsPattern(node: Node, context: StatementContext): Expr[] {
    const values: Expr[] = [];
    for (const child of namedChildrenOf(node)) {
      if (typeOf(child) === 'as_pattern_target') this.bindTarget(child, 'other', context);
      else values.push(this.expr(child, context));
    }
    return values;
  }
}

function isBodyLike(node: Node): boolean {
  return typeOf(node) === 'elif_clause' || typeOf(node) === 'else_clause' || typeOf(node) === 'case_clause';
}

/** The parts of a tuple or list target, for pairing `a, b = 1, 2`. */
function unpackableTargets(target: Node): Node[] | undefined {
  if (typeOf(target) !== 'pattern_list' && typeOf(target) !== 'tuple_pattern' && typeOf(target) !== 'tuple') return undefined;
  const parts = namedChildrenOf(target);
  return parts.some((part) => typeOf(part) === 'list_splat_pattern') ? undefined : parts;
}

function parameterOf(node: Node): Parameter | undefined {
  switch (typeOf(node)) {
    case 'identifier':
      return { name: textOf(node) };
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern': {
      const inner = namedChildrenOf(node).find((child) => typeOf(child) === 'identifier' || typeOf(child).endsWith('splat_pattern'));
      const parameter = inner ? parameterOf(inner) : undefined;
      if (!parameter) return undefined;
      if (typeOf(node) === 'list_splat_pattern') parameter.unpack = '*';
      if (typeOf(node) === 'dictionary_splat_pattern') parameter.unpack = '**';
      return parameter;
    }
    case 'default_parameter':
    case 'typed_default_parameter': {
      const name = node.childForFieldName('name');
      return name && typeOf(name) === 'identifier' ? { name: textOf(name) } : undefined;
    }
    default:
      return undefined;
  }
}

/** `import a.b, c.d as e`: one statement per module, so each names the module it loads. */
function plainImports(node: Node, scope: number): ImportStatement[] {
  const statements: ImportStatement[] = [];
  for (const child of namedChildrenOf(node)) {
    const dotted = typeOf(child) === 'aliased_import' ? child.childForFieldName('name') : child;
    if (!dotted || typeOf(dotted) !== 'dotted_name') continue;
    const module = textOf(dotted);
    const alias = typeOf(child) === 'aliased_import' ? optionalTextOf(child.childForFieldName('alias')) : undefined;
    const firstPart = module.split('.')[0] ?? module;
    const name = alias ? { boundName: alias, importedName: module } : { boundName: firstPart, importedName: firstPart };
    statements.push({ scope, module, level: 0, kind: 'import', names: [name], star: false, range: rangeOf(node) });
  }
  return statements;
}

function fromImport(node: Node, scope: number): ImportStatement[] {
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode) return [];
  const { module, level } = fromModuleName(moduleNode);
  const statement: ImportStatement = { scope, module, level, kind: 'from', names: [], star: false, range: rangeOf(node) };
  for (const child of namedChildrenOf(node)) {
    if (child.equals(moduleNode)) continue;
    if (typeOf(child) === 'wildcard_import') statement.star = true;
    else if (typeOf(child) === 'dotted_name') statement.names.push({ boundName: textOf(child), importedName: textOf(child) });
    else if (typeOf(child) === 'aliased_import') {
      const name = optionalTextOf(child.childForFieldName('name'));
      const alias = optionalTextOf(child.childForFieldName('alias'));
      if (name && alias) statement.names.push({ boundName: alias, importedName: name });
    }
  }
  statement.names = withoutSpareRoom(statement.names);
  return [statement];
}

function fromModuleName(node: Node): { module: string; level: number } {
  if (typeOf(node) !== 'relative_import') return { module: textOf(node), level: 0 };
  const prefix = namedChildrenOf(node).find((child) => typeOf(child) === 'import_prefix');
  const dotted = namedChildrenOf(node).find((child) => typeOf(child) === 'dotted_name');
  return { module: optionalTextOf(dotted) ?? '', level: prefix?.text.length ?? 0 };
}
