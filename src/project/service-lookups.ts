import type { Expr } from '../python/facts.js';
import type { DefinitionSite, Project } from './project.js';
import { ProjectWideMemo } from './project-wide-memo.js';
import type { SourceModule } from './source-module.js';

const ZOPE_IMPLEMENTER = 'zope.interface.implementer';


/**
 * The methods a call on a service looked up by interface may run: `service.method(...)` where
 * `service = request.find_service(IService, ...)` (pyramid_services), in each scanned class declared
 * `@implementer(IService)` (zope.interface), tests aside. Empty when the receiver is no such lookup,
 * or when an implementation lacks the method (the call could run code the scan cannot see).
 */
export function serviceMethods(project: Project, module: SourceModule, callee: Expr, scope: number): DefinitionSite[] {
  if (callee.kind !== 'attribute') return [];
  const implementers = lookedUpInterfaces(project, module, callee.object, scope).flatMap((name) => implementersOf(project, name));
  const methods = implementers.map((className) => project.findMethod(className, callee.attribute));
  return methods.length > 0 && methods.every((method) => method !== undefined) ? (methods as DefinitionSite[]) : [];
}

/** `IService` of `service = request.find_service(IService, context=None)`, for each assignment of the receiver. */
function lookedUpInterfaces(project: Project, module: SourceModule, receiver: Expr, scope: number): string[] {
  if (receiver.kind !== 'name' && receiver.kind !== 'attribute') return [];
  const assignments = project.assignmentsOf(module, receiver, scope);
  const interfaces = assignments.map(({ module: owner, assignment }) => {
    const value = assignment.value;
    if (value?.kind !== 'call' || value.callee.kind !== 'attribute' || value.callee.attribute !== 'find_service') return undefined;
    const [iface] = value.args;
    return iface && iface.name === undefined ? project.resolve(owner, iface.value, assignment.scope) : undefined;
  });
  // One assignment the scan cannot read could hand the receiver anything.
  return interfaces.length > 0 && interfaces.every((name) => name !== undefined) ? (interfaces as string[]) : [];
}

/** The scanned classes of the project declared `@implementer(iface)`, tests aside. */
function implementersOf(project: Project, iface: string): string[] {
  return implementersByInterface.get(project, iface);
}

const implementersByInterface = new ProjectWideMemo((project: Project, iface: string) =>
  project.modules.flatMap((module) => (module.context === 'test' ? [] : implementersIn(project, module, iface))),
);

function implementersIn(project: Project, module: SourceModule, iface: string): string[] {
  return module.facts.definitions.flatMap((definition) => {
    if (definition.kind !== 'class') return [];
    const declares = definition.decorators.some(({ expression }) =>
      expression.kind === 'call' &&
      project.resolve(module, expression.callee, definition.scope) === ZOPE_IMPLEMENTER &&
      expression.args.some((argument) => argument.name === undefined && project.resolve(module, argument.value, definition.scope) === iface),
    );
    return declares ? [module.symbols.definitionName(definition)] : [];
  });
}
