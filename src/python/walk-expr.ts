import type { Expr } from './facts.js';

/**
 * An expression and every expression inside it, outermost first; with `into`, only the insides of
 * the parts it accepts. A stack rather than nested generators: those cost the depth at every step.
 */
export function* walkExpr(expr: Expr, into: (part: Expr) => boolean = () => true): Generator<Expr> {
  const pending = [expr];
  while (pending.length > 0) {
    const part = pending.pop()!;
    yield part;
    if (!into(part)) continue;
    const inside = partsOf(part);
    for (let index = inside.length - 1; index >= 0; index--) pending.push(inside[index]!);
  }
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
    case 'slice':
      return [expr.start, expr.stop, expr.step].filter((bound): bound is Expr => bound !== null);
    default:
      return [];
  }
}
