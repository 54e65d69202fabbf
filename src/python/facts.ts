/**
 * Module facts: the compact, serialisable summary of one Python module that every later stage
 * reads. Facts depend on the file's content only (never on its path), so they can be cached by
 * content hash and sent between threads as plain data.
 */

/** A source range, 1-based lines and columns (columns in UTF-16 code units, as SARIF counts). */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A Python expression, reduced to what the rules reason about. */
export type Expr =
  | NameExpr
  | AttributeExpr
  | StringExpr
  | NumberExpr
  | ConstantExpr
  | SequenceExpr
  | DictExpr
  | CallExpr
  | BinaryExpr
  | UnaryExpr
  | BooleanExpr
  | CompareExpr
  | SubscriptExpr
  | ComprehensionExpr
  | ConditionalExpr
  | StarredExpr
  | LambdaExpr
  | SliceExpr
  | OtherExpr;

export interface NameExpr {
  kind: 'name';
  id: string;
}

interface AttributeExpr {
  kind: 'attribute';
  object: Expr;
  attribute: string;
}

interface StringExpr {
  kind: 'string';
  value: string;
}

interface NumberExpr {
  kind: 'number';
  value: number;
}

/** `True`, `False` and `None`. */
interface ConstantExpr {
  kind: 'constant';
  value: boolean | null;
}

interface SequenceExpr {
  kind: 'list' | 'tuple' | 'set';
  items: Expr[];
}

export interface DictEntry {
  /** `null` for a `**mapping` entry. */
  key: Expr | null;
  value: Expr;
  range: SourceRange;
}

interface DictExpr {
  kind: 'dict';
  entries: DictEntry[];
}

export interface Argument {
  /** The keyword of a keyword argument; absent for positional ones. */
  name?: string;
  /** `*` for `*args`, `**` for `**kwargs`. */
  unpack?: '*' | '**';
  value: Expr;
  range: SourceRange;
}

export interface CallExpr {
  kind: 'call';
  /** Index of this call in `ModuleFacts.calls`. */
  id: number;
  callee: Expr;
  args: Argument[];
  range: SourceRange;
}

interface BinaryExpr {
  kind: 'binary';
  operator: string;
  left: Expr;
  right: Expr;
}

interface UnaryExpr {
  kind: 'unary';
  operator: string;
  operand: Expr;
}

interface BooleanExpr {
  kind: 'boolean';
  operator: 'and' | 'or';
  left: Expr;
  right: Expr;
}

export interface CompareExpr {
  kind: 'compare';
  operators: string[];
  operands: Expr[];
}

interface SubscriptExpr {
  kind: 'subscript';
  object: Expr;
  index: Expr;
}

interface ComprehensionExpr {
  kind: 'comprehension';
  of: 'list' | 'set' | 'dict' | 'generator';
  element: Expr;
  target: Expr;
  iterable: Expr;
  conditions: Expr[];
}

interface ConditionalExpr {
  kind: 'conditional';
  body: Expr;
  test: Expr;
  orElse: Expr;
}

/** `*items` inside a list, tuple or set display. */
interface StarredExpr {
  kind: 'starred';
  value: Expr;
}

/** `lambda ...: body`; calls in the body are recorded in the scope the lambda is written in. */
interface LambdaExpr {
  kind: 'lambda';
  /** The names of its plain parameters (`lambda m: ...` gives `m`). */
  parameters: string[];
  body: Expr;
}

/** `start:stop:step` inside a subscript; `null` for a bound left out. */
interface SliceExpr {
  kind: 'slice';
  start: Expr | null;
  stop: Expr | null;
  step: Expr | null;
}

/**
 * A piece of an f-string: literal text, or an interpolated expression. An interpolation with a
 * conversion, a format spec or `=` (`{x!r}`, `{x:>8}`, `{x=}`) is `other`: its text is not `str(x)`.
 */
export type FormattedPart = string | Expr;

/** Anything the rules do not look inside (f-strings, await, ...). */
interface OtherExpr {
  kind: 'other';
  nodeType: string;
  /** An f-string's literal text and interpolations in order, for what spells out a URL (a route). */
  parts?: FormattedPart[];
}

export type ScopeKind = 'module' | 'class' | 'function';

interface Scope {
  id: number;
  kind: ScopeKind;
  /** The class or function name; `''` for the module. */
  name: string;
  parent: number | null;
  /** Names listed in `global` statements of this scope. */
  globals: string[];
  /** Names listed in `nonlocal` statements of this scope. */
  nonlocals: string[];
  /** `name.attribute` pairs read in this scope (`request.json`, `request.form`), and `self.a.b` triples (`self.request.user`), once each. */
  reads: string[];
}

export type BindingKind = 'import' | 'assignment' | 'function' | 'class' | 'parameter' | 'other';

/** A statement that binds a name in a scope. */
export interface Binding {
  scope: number;
  name: string;
  kind: BindingKind;
  line: number;
  /** Inside an `if`, loop, `except` or `else` branch: it may not run. */
  conditional: boolean;
  /** For `import`: index in `ModuleFacts.imports`. */
  importIndex?: number;
  /** For `assignment`: index in `ModuleFacts.assignments`. */
  assignmentIndex?: number;
  /** For `function` and `class`: index in `ModuleFacts.definitions`. */
  definitionIndex?: number;
}

/** One name brought in by an import statement. */
interface ImportedName {
  /** `import a.b` binds `a`; `import a.b as c` binds `c`; `from m import x as y` binds `y`. */
  boundName: string;
  /**
   * What the bound name stands for: for `from` imports, the name inside `module`; for plain
   * imports, a full dotted module name (`a` for `import a.b`, `a.b` for `import a.b as c`).
   */
  importedName: string;
}

/** An import statement; `import a, b` gives one statement per module so each names what it loads. */
export interface ImportStatement {
  scope: number;
  /** `from` imports: the module after the dots; plain imports: the dotted module loaded. */
  module: string;
  /** Leading dots of a relative import (0 for absolute imports). */
  level: number;
  kind: 'import' | 'from';
  names: ImportedName[];
  star: boolean;
  range: SourceRange;
}

export interface Assignment {
  scope: number;
  target: Expr;
  /** `null` for an annotation without a value (`x: int`). */
  value: Expr | null;
  /**
   * `=`, an augmented operator (`+=`, `-=`, ...), `in` for a `for` loop's target, which takes each
   * item of `value`, or `with` for `with value as target`, which takes what `value.__enter__()` returns.
   */
  operator: string;
  /** For `in` with a tuple target (`for path, view in ROUTES:`): which part of each item the target takes. */
  unpackIndex?: number;
  annotation?: Expr;
  conditional: boolean;
  range: SourceRange;
}

export interface CallSite {
  scope: number;
  call: CallExpr;
  conditional: boolean;
  /** The call is (part of) a decorator. */
  inDecorator: boolean;
}

export interface Decorator {
  expression: Expr;
  range: SourceRange;
}

export interface Parameter {
  name: string;
  /** `*` for `*args`, `**` for `**kwargs`. */
  unpack?: '*' | '**';
  defaultValue?: Expr;
}

export interface Definition {
  kind: 'function' | 'class';
  name: string;
  /** The scope the definition appears in. */
  scope: number;
  /** The scope of the definition's own body. */
  bodyScope: number;
  decorators: Decorator[];
  /** Class bases and keywords (`metaclass=`), as call arguments. */
  bases: Argument[];
  parameters: Parameter[];
  isAsync: boolean;
  /** From `def`/`class` to the end of the body (decorators excluded). */
  range: SourceRange;
  /** The name after `def`/`class`. */
  nameRange: SourceRange;
  /** The kind of each statement directly in the body (`expression_statement`, `delete_statement`), comments left out. */
  bodyStatements: string[];
}

interface ReturnStatement {
  scope: number;
  value: Expr | null;
  /** Inside an `if`, loop or handler: other paths through the function may not return here. */
  conditional: boolean;
  range: SourceRange;
}

/** One target of a `del` statement (`del MIDDLEWARE[0]` deletes `MIDDLEWARE[0]`). */
/** The test of an `if`, `elif` or `while`, kept to see what a body compares (`if digest != posted:`). */
export interface ConditionSite {
  scope: number;
  test: Expr;
  /** The block the test guards (`if`, `elif`, `while`): what runs only when it holds. */
  body?: SourceRange;
}

export interface Deletion {
  scope: number;
  target: Expr;
  range: SourceRange;
}

/** A `raise` statement: the function rejects something on that path. */
interface RaiseStatement {
  scope: number;
  conditional: boolean;
  range: SourceRange;
}

/** A `try` statement: where its body is, and what each `except` clause catches. */
export interface TryStatement {
  scope: number;
  body: SourceRange;
  handlers: ExceptHandler[];
}

export interface ExceptHandler {
  /** The exception classes caught (`except (A, B):` gives two); empty for a bare `except:`. */
  caught: Expr[];
  /** The whole clause, from `except` to the end of its body. */
  range: SourceRange;
}

export interface SyntaxProblem {
  range: SourceRange;
  /** `missing` for a token tree-sitter had to invent, `unexpected` for text it skipped. */
  kind: 'missing' | 'unexpected';
  /** What was missing or skipped, as tree-sitter names it. */
  token: string;
}

export interface DirectiveComment {
  line: number;
  text: string;
}

export interface ModuleFacts {
  scopes: Scope[];
  bindings: Binding[];
  imports: ImportStatement[];
  assignments: Assignment[];
  calls: CallSite[];
  definitions: Definition[];
  returns: ReturnStatement[];
  raises: RaiseStatement[];
  /** What each `del` statement deletes, one entry per target. */
  deletions: Deletion[];
  tries: TryStatement[];
  conditions: ConditionSite[];
  syntaxProblems: SyntaxProblem[];
  /** Comments that may speak to csrflint (`# csrflint: ignore[...]`, `# noqa: CSRF102`), by line. */
  directives: DirectiveComment[];
  lineCount: number;
  /** Over `FACT_BUDGET`: past that point only imports and definitions were kept. */
  overBudget?: true;
}

export const MODULE_SCOPE = 0;
