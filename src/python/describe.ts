import type { Argument, Expr } from './facts.js';

const MAX_LENGTH = 60;

/** The name or call an attribute chain starts from: `request` of `request.form.get`. */
export function attributeRoot(expr: Expr): Expr {
  let root = expr;
  while (root.kind === 'attribute') root = root.object;
  return root;
}

/** Short Python-like text for an expression, for messages (`views.hook`, `Hook.as_view()`). */
export function describeExpr(expr: Expr): string {
  const text = render(expr);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

function render(expr: Expr): string {
  switch (expr.kind) {
    case 'name':
      return expr.id;
    case 'attribute':
      return `${render(expr.object)}.${expr.attribute}`;
    case 'string':
      return JSON.stringify(expr.value);
    case 'number':
      return String(expr.value);
    case 'constant':
      return expr.value === null ? 'None' : expr.value ? 'True' : 'False';
    case 'call':
      return `${render(expr.callee)}(${expr.args.length > 0 ? renderArguments(expr.args) : ''})`;
    case 'subscript':
      return `${render(expr.object)}[${render(expr.index)}]`;
    case 'list':
      return `[${expr.items.map(render).join(', ')}]`;
    case 'tuple':
      return `(${expr.items.map(render).join(', ')})`;
    case 'starred':
      return `*${render(expr.value)}`;
    default:
      return '…';
  }
}

function renderArguments(args: Argument[]): string {
  if (args.length > 2) return '…';
  return args
    .map((argument) => {
      const value = render(argument.value);
      if (argument.name !== undefined) return `${argument.name}=${value}`;
      return `${argument.unpack ?? ''}${value}`;
    })
    .join(', ');
}
