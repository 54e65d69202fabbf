import type { Expr } from '../python/facts.js';
import type { Project } from './project.js';
import { stringValue, type ValueSite } from './values.js';

/** A comprehension filter with the loop variable bound to `entry`; `undefined` when it cannot be decided. */
export function evaluateCondition(project: Project, site: ValueSite, variable: string, entry: string): boolean | undefined {
  const { expr } = site;
  const operand = (inner: Expr) => operandValue(project, { ...site, expr: inner }, variable, entry);
  switch (expr.kind) {
    case 'unary': {
      const inner = expr.operator === 'not' ? evaluateCondition(project, { ...site, expr: expr.operand }, variable, entry) : undefined;
      return inner === undefined ? undefined : !inner;
    }
    case 'boolean': {
      const left = evaluateCondition(project, { ...site, expr: expr.left }, variable, entry);
      const right = evaluateCondition(project, { ...site, expr: expr.right }, variable, entry);
      if (left === undefined || right === undefined) return undefined;
      return expr.operator === 'and' ? left && right : left || right;
    }
    case 'compare': {
      const [left, right] = expr.operands;
      if (expr.operators.length !== 1 || !left || !right) return undefined;
      return compare(expr.operators[0]!, operand(left), operand(right));
    }
    case 'call':
      return stringMethod(expr, operand);
    default:
      return undefined;
  }
}

type Operand = string | string[] | undefined;

/** String methods a filter may apply to the entry before comparing it. */
const STRING_TRANSFORMS = new Map<string, (text: string) => string>([
  ['lower', (text) => text.toLowerCase()],
  ['casefold', (text) => text.toLowerCase()],
  ['upper', (text) => text.toUpperCase()],
  ['strip', (text) => text.trim()],
]);

function operandValue(project: Project, site: ValueSite, variable: string, entry: string): Operand {
  const { expr } = site;
  if (expr.kind === 'name' && expr.id === variable) return entry;
  if (expr.kind === 'call' && expr.callee.kind === 'attribute' && expr.args.length === 0) {
    const transform = STRING_TRANSFORMS.get(expr.callee.attribute);
    const subject = transform && operandValue(project, { ...site, expr: expr.callee.object }, variable, entry);
    return transform && typeof subject === 'string' ? transform(subject) : undefined;
  }
  if (expr.kind === 'list' || expr.kind === 'tuple' || expr.kind === 'set') {
    const items = expr.items.map((item) => stringValue(project, { ...site, expr: item }));
    return items.every((item) => item !== undefined) ? (items as string[]) : undefined;
  }
  return stringValue(project, site);
}

function compare(operator: string, left: Operand, right: Operand): boolean | undefined {
  if (left === undefined || right === undefined) return undefined;
  switch (operator) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case 'in':
      return typeof left === 'string' ? right.includes(left) : undefined;
    case 'not in':
      return typeof left === 'string' ? !right.includes(left) : undefined;
    default:
      return undefined;
  }
}

/** `m.startswith("django.")`, `m.endswith(("A", "B"))`. */
function stringMethod(call: Expr & { kind: 'call' }, operand: (expr: Expr) => Operand): boolean | undefined {
  const { callee, args } = call;
  if (callee.kind !== 'attribute' || (callee.attribute !== 'startswith' && callee.attribute !== 'endswith') || args.length !== 1) return undefined;
  const subject = operand(callee.object);
  const affixes = operand(args[0]!.value);
  if (typeof subject !== 'string' || affixes === undefined) return undefined;
  const list = typeof affixes === 'string' ? [affixes] : affixes;
  return list.some((affix) => (callee.attribute === 'startswith' ? subject.startsWith(affix) : subject.endsWith(affix)));
}
