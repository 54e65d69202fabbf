import type { Node } from 'web-tree-sitter';
import type { Argument, CallExpr, DictEntry, Expr, FormattedPart, ModuleFacts, SourceRange } from './facts.js';
import { formattedContent, isRawPrefix, numberLiteralValue, stringLiteralValue } from './literals.js';
import { internedText, optionalTextOf, textOf, withoutSpareRoom } from './compact-facts.js';
import { typeOf } from './node-type.js';

/** Where an expression sits: every call found inside it is recorded with this context. */
export interface ExpressionContext {
  facts: ModuleFacts;
  scope: number;
  conditional: boolean;
  inDecorator: boolean;
}

/** `endPosition` is a call into WebAssembly each time it is read, so it is read once. */
export function rangeOf(node: Node): SourceRange {
  const start = node.startPosition;
  const end = node.endPosition;
  return { line: start.row + 1, column: start.column + 1, endLine: end.row + 1, endColumn: end.column + 1 };
}

/**
 * Named children without comments, which tree-sitter attaches anywhere. `namedChildren` fetches
 * them in one call into WebAssembly, where `namedChild(i)` costs a call each and walks from the
 * first child every time.
 */
export function namedChildrenOf(node: Node): Node[] {
  const children: Node[] = [];
  for (const child of node.namedChildren) if (child && typeOf(child) !== 'comment') children.push(child);
  return children;
}


const SEQUENCE_KINDS: Record<string, 'list' | 'tuple' | 'set'> = {
  list: 'list',
  tuple: 'tuple',
  expression_list: 'tuple',
  pattern_list: 'tuple',
  tuple_pattern: 'tuple',
  list_pattern: 'list',
  set: 'set',
};

const COMPREHENSION_KINDS: Record<string, 'list' | 'set' | 'dict' | 'generator'> = {
  list_comprehension: 'list',
  set_comprehension: 'set',
  dictionary_comprehension: 'dict',
  generator_expression: 'generator',
};

/**
 * Deeper expressions (`((((...))))` ten thousand times, `a + a + ...` as one left-leaning tree)
 * become `other`: no configuration nests that deep, and every walk over the facts stays shallow.
 */
export const MAX_EXPRESSION_DEPTH = 100;

/** How deep the conversion in progress is; conversion is synchronous, so one counter per thread does. */
let depth = 0;

/** Converts an expression node, recording every call inside it in `context.facts.calls`. */
export function toExpr(node: Node, context: ExpressionContext): Expr {
  if (depth >= MAX_EXPRESSION_DEPTH) return { kind: 'other', nodeType: 'too-deep' };
  depth++;
  try {
    return convertExpr(node, context);
  } finally {
    depth--;
  }
}

function convertExpr(node: Node, context: ExpressionContext): Expr {
  const type = typeOf(node);
  const sequenceKind = SEQUENCE_KINDS[type];
  if (sequenceKind) return { kind: sequenceKind, items: namedChildrenOf(node).map((item) => toExpr(item, context)) };
  const comprehensionKind = COMPREHENSION_KINDS[type];
  if (comprehensionKind) return comprehensionExpr(node, comprehensionKind, context);

  switch (type) {
    case 'identifier':
      return { kind: 'name', id: textOf(node) };
    case 'attribute':
      return attributeExpr(node, context);
    case 'string':
      return stringExpr(node, context);
    case 'concatenated_string':
      return concatenatedStringExpr(node, context);
    case 'integer':
    case 'float':
      return numberExpr(node);
    case 'true':
      return { kind: 'constant', value: true };
    case 'false':
      return { kind: 'constant', value: false };
    case 'none':
      return { kind: 'constant', value: null };
    case 'parenthesized_expression':
      return innerExpr(node, context);
    case 'dictionary':
      return dictExpr(node, context);
    case 'call':
      return callExpr(node, context);
    case 'binary_operator':
      return binaryExpr(node, context);
    case 'unary_operator':
      return unaryExpr(node, node.childForFieldName('operator')?.type ?? '', context);
    case 'not_operator':
      return unaryExpr(node, 'not', context);
    case 'boolean_operator':
      return booleanExpr(node, context);
    case 'comparison_operator':
      return compareExpr(node, context);
    case 'subscript':
      return subscriptExpr(node, context);
    case 'conditional_expression':
      return conditionalExpr(node, context);
    case 'list_splat':
      return starredExpr(node, context);
    case 'named_expression':
      return walrusValue(node, context);
    case 'lambda':
      return lambdaExpr(node, context);
    case 'slice':
      return sliceExpr(node, context);
    default:
      return otherExpr(node, context);
  }
}

function attributeExpr(node: Node, context: ExpressionContext): Expr {
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  if (!object || !attribute) return otherExpr(node, context);
  const expr: Expr = { kind: 'attribute', object: toExpr(object, context), attribute: textOf(attribute) };
  if (expr.object.kind === 'name') recordRead(context, internedText(`${expr.object.id}.${expr.attribute}`));
  // What a class-based view reads of its request (`self.request.user`) is one step further away.
  else if (expr.object.kind === 'attribute' && expr.object.object.kind === 'name' && expr.object.object.id === 'self') recordRead(context, internedText(`self.${expr.object.attribute}.${expr.attribute}`));
  return expr;
}

/** The reads recorded so far in each scope, for a check that stays constant-time however many a module has. */
const readsRecorded = new WeakMap<string[], Set<string>>();

function recordRead(context: ExpressionContext, read: string): void {
  const { reads } = context.facts.scopes[context.scope]!;
  let recorded = readsRecorded.get(reads);
  if (!recorded) {
    recorded = new Set(reads);
    readsRecorded.set(reads, recorded);
  }
  if (recorded.has(read)) return;
  recorded.add(read);
  reads.push(read);
}

function stringExpr(node: Node, context: ExpressionContext): Expr {
  const value = stringLiteralValue(node);
  if (value !== undefined) return { kind: 'string', value: internedText(value) };
  return { kind: 'other', nodeType: 'f-string', parts: formattedParts(node, context) };
}

function concatenatedStringExpr(node: Node, context: ExpressionContext): Expr {
  const strings = namedChildrenOf(node).filter((part) => typeOf(part) === 'string');
  const values = strings.map((part) => stringLiteralValue(part));
  if (values.every((value) => value !== undefined)) return { kind: 'string', value: internedText(values.join('')) };
  const parts = strings.flatMap((part, index) => values[index] ?? formattedParts(part, context));
  return { kind: 'other', nodeType: 'f-string', parts };
}

/**
 * The literal text and interpolations of an f-string. What an f-string interpolates is read and
 * called like any other expression (`f"{request.user.email}"`, `f"{load(item_id)}"`: a view that
 * formats its user into a query acts for that user), so each is converted once, here.
 */
function formattedParts(node: Node, context: ExpressionContext): FormattedPart[] {
  const parts: FormattedPart[] = [];
  let raw = false;
  for (const child of node.children) {
    if (!child) continue;
    const type = typeOf(child);
    if (type === 'string_start') raw = isRawPrefix(child.text);
    else if (type === 'string_content') parts.push(internedText(formattedContent(child, raw)));
    else if (type === 'interpolation') parts.push(interpolatedValue(child, context));
  }
  return parts;
}

/** `{x}` is `x`; `{x!r}`, `{x:>8}`, `{x=}` are text the scan does not spell out. A format spec may interpolate again (`f"{x:{width}}"`). */
function interpolatedValue(interpolation: Node, context: ExpressionContext): Expr {
  const [expression, ...rest] = namedChildrenOf(interpolation);
  const value: Expr = expression ? toExpr(expression, context) : { kind: 'other', nodeType: 'missing' };
  for (const part of rest) recordInterpolations(part, context);
  const plain = rest.length === 0 && !interpolation.children.some((child) => child?.type === '=');
  return plain ? value : { kind: 'other', nodeType: 'formatted-value' };
}

/** The interpolations inside a format spec, read and called like any other expression. */
function recordInterpolations(node: Node, context: ExpressionContext): void {
  for (const child of namedChildrenOf(node)) {
    const type = typeOf(child);
    if (type === 'interpolation') {
      const [expression, ...rest] = namedChildrenOf(child);
      if (expression) toExpr(expression, context);
      for (const part of rest) recordInterpolations(part, context);
    } else if (type === 'format_specifier') recordInterpolations(child, context);
  }
}

function numberExpr(node: Node): Expr {
  const value = numberLiteralValue(node);
  return value === undefined ? { kind: 'other', nodeType: typeOf(node) } : { kind: 'number', value };
}

function innerExpr(node: Node, context: ExpressionContext): Expr {
  const [inner] = namedChildrenOf(node);
  return inner ? toExpr(inner, context) : { kind: 'tuple', items: [] };
}

function dictExpr(node: Node, context: ExpressionContext): Expr {
  const entries: DictEntry[] = [];
  for (const child of namedChildrenOf(node)) {
    if (typeOf(child) === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      if (key && value) entries.push({ key: toExpr(key, context), value: toExpr(value, context), range: rangeOf(child) });
    } else if (typeOf(child) === 'dictionary_splat') {
      const [value] = namedChildrenOf(child);
      if (value) entries.push({ key: null, value: toExpr(value, context), range: rangeOf(child) });
    }
  }
  return { kind: 'dict', entries: withoutSpareRoom(entries) };
}

function callExpr(node: Node, context: ExpressionContext): Expr {
  const callee = node.childForFieldName('function');
  if (!callee) return otherExpr(node, context);
  const call: CallExpr = { kind: 'call', id: context.facts.calls.length, callee: { kind: 'other', nodeType: '' }, args: [], range: rangeOf(node) };
  context.facts.calls.push({ scope: context.scope, call, conditional: context.conditional, inDecorator: context.inDecorator });
  call.callee = toExpr(callee, context);
  const argumentList = node.childForFieldName('arguments');
  if (argumentList) call.args = argumentsOf(argumentList, context);
  return call;
}

/** The arguments of a call or the bases of a class (`argument_list`, or a bare generator). */
export function argumentsOf(node: Node, context: ExpressionContext): Argument[] {
  if (typeOf(node) === 'generator_expression') return [{ value: toExpr(node, context), range: rangeOf(node) }];
  return namedChildrenOf(node).map((child) => argumentOf(child, context));
}

function argumentOf(node: Node, context: ExpressionContext): Argument {
  const range = rangeOf(node);
  const type = typeOf(node);
  if (type === 'keyword_argument') {
    const name = optionalTextOf(node.childForFieldName('name')) ?? '';
    const value = node.childForFieldName('value');
    return { name, value: value ? toExpr(value, context) : { kind: 'other', nodeType: 'missing' }, range };
  }
  if (type === 'list_splat' || type === 'dictionary_splat') {
    const [inner] = namedChildrenOf(node);
    const unpack = type === 'list_splat' ? '*' : '**';
    return { unpack, value: inner ? toExpr(inner, context) : { kind: 'other', nodeType: 'missing' }, range };
  }
  return { value: toExpr(node, context), range };
}

function binaryExpr(node: Node, context: ExpressionContext): Expr {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.type ?? '';
  if (!left || !right) return otherExpr(node, context);
  return { kind: 'binary', operator, left: toExpr(left, context), right: toExpr(right, context) };
}

function unaryExpr(node: Node, operator: string, context: ExpressionContext): Expr {
  const operand = node.childForFieldName('argument');
  if (!operand) return otherExpr(node, context);
  return { kind: 'unary', operator, operand: toExpr(operand, context) };
}

function booleanExpr(node: Node, context: ExpressionContext): Expr {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.type;
  if (!left || !right || (operator !== 'and' && operator !== 'or')) return otherExpr(node, context);
  return { kind: 'boolean', operator, left: toExpr(left, context), right: toExpr(right, context) };
}

function compareExpr(node: Node, context: ExpressionContext): Expr {
  const operands = namedChildrenOf(node).map((child) => toExpr(child, context));
  const operators: string[] = [];
  for (const child of node.children) if (child && !child.isNamed) operators.push(typeOf(child));
  return { kind: 'compare', operators: withoutSpareRoom(joinTwoWordOperators(operators)), operands };
}

/** tree-sitter yields `not in` and `is not` as two tokens. */
function joinTwoWordOperators(tokens: string[]): string[] {
  const operators: string[] = [];
  for (const token of tokens) {
    const previous = operators[operators.length - 1];
    if ((token === 'in' && previous === 'not') || (token === 'not' && previous === 'is')) {
      operators[operators.length - 1] = `${previous} ${token}`;
    } else {
      operators.push(token);
    }
  }
  return operators;
}

function subscriptExpr(node: Node, context: ExpressionContext): Expr {
  const object = node.childForFieldName('value');
  const index = node.childForFieldName('subscript');
  if (!object || !index) return otherExpr(node, context);
  return { kind: 'subscript', object: toExpr(object, context), index: toExpr(index, context) };
}

function conditionalExpr(node: Node, context: ExpressionContext): Expr {
  const [body, test, orElse] = namedChildrenOf(node);
  if (!body || !test || !orElse) return otherExpr(node, context);
  return { kind: 'conditional', body: toExpr(body, context), test: toExpr(test, context), orElse: toExpr(orElse, context) };
}

function starredExpr(node: Node, context: ExpressionContext): Expr {
  const [inner] = namedChildrenOf(node);
  return inner ? { kind: 'starred', value: toExpr(inner, context) } : otherExpr(node, context);
}

function walrusValue(node: Node, context: ExpressionContext): Expr {
  const value = node.childForFieldName('value');
  return value ? toExpr(value, context) : otherExpr(node, context);
}

function comprehensionExpr(node: Node, of: 'list' | 'set' | 'dict' | 'generator', context: ExpressionContext): Expr {
  const body = node.childForFieldName('body');
  const children = namedChildrenOf(node);
  const [forClause, ...nestedForClauses] = children.filter((child) => typeOf(child) === 'for_in_clause');
  const target = forClause?.childForFieldName('left');
  const iterable = forClause?.childForFieldName('right');
  if (!body || !target || !iterable || nestedForClauses.length > 0) return otherExpr(node, context);
  const conditions = children
    .filter((child) => typeOf(child) === 'if_clause')
    .flatMap((clause) => namedChildrenOf(clause).map((condition) => toExpr(condition, context)));
  return { kind: 'comprehension', of, element: toExpr(body, context), target: toExpr(target, context), iterable: toExpr(iterable, context), conditions };
}

/** Default values of the parameters are walked for their calls; the body is kept. */
function lambdaExpr(node: Node, context: ExpressionContext): Expr {
  const parameters = node.childForFieldName('parameters');
  const body = node.childForFieldName('body');
  if (!body) return otherExpr(node, context);
  if (parameters) otherExpr(parameters, context);
  const names = parameters ? namedChildrenOf(parameters).filter((parameter) => typeOf(parameter) === 'identifier').map(textOf) : [];
  return { kind: 'lambda', parameters: names, body: toExpr(body, context) };
}

/** The bounds of `a:b:c` sit between its colons; any of them may be left out. */
function sliceExpr(node: Node, context: ExpressionContext): Expr {
  const bounds: Array<Expr | null> = [null, null, null];
  let position = 0;
  for (const child of node.children) {
    if (!child || typeOf(child) === 'comment') continue;
    if (child.type === ':') position++;
    else if (child.isNamed && position < bounds.length) bounds[position] = toExpr(child, context);
  }
  const [start, stop, step] = bounds;
  return { kind: 'slice', start: start ?? null, stop: stop ?? null, step: step ?? null };
}

/** An expression the rules do not look inside; its calls are still recorded. */
function otherExpr(node: Node, context: ExpressionContext): Expr {
  for (const child of namedChildrenOf(node)) {
    if (typeOf(child) !== 'identifier') toExpr(child, context);
  }
  return { kind: 'other', nodeType: typeOf(node) };
}
