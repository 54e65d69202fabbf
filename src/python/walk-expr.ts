import type { Expr } from './facts.js';

/** An expression and every expression inside it, outermost first. */
export function* walkExpr(expr: Expr): Generator<Expr> {
  yield expr;
  for (const part of partsOf(expr)) yield* walkExpr(part);
}

function partsOf(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'attribute':
      return [expr.object];
    case 'list':
    case 'tuple':
    case 'set':
      return expr.items;
    case 'dict':
      return expr.entries.flatMap((entry) => (entry.key ? [entry.key, entry.value] : [entry.value]));
    case 'call':
      return [expr.callee, ...expr.args.map((argument) => argument.value)];
    case 'binary':
    case 'boolean':
      return [expr.left, expr.right];
    case 'unary':
      return [expr.operand];
    case 'compare':
      return expr.operands;
    case 'subscript':
      return [expr.object, expr.index];
    case 'comprehension':
      return [expr.element, expr.iterable, ...expr.conditions];
    case 'conditional':
      return [expr.body, expr.test, expr.orElse];
    case 'starred':
      return [expr.value];
    case 'lambda':
      return [expr.body];
    default:
      return [];
  }
}
