import type { Project } from './project.js';

type MethodSite = ReturnType<Project['findMethod']>;

/**
 * The method that answers a request method's handler name on a class: the method of that name it
 * defines or inherits, else the one a class (or a scanned base) binds the name to (`post = get`), as
 * Django's and Tornado's dispatchers look the handler up by name on the instance.
 */
export function findHandlerMethod(project: Project, className: string, methodName: string): MethodSite {
  return project.findMethod(className, methodName) ?? aliasedMethod(project, className, methodName);
}

function aliasedMethod(project: Project, className: string, methodName: string): MethodSite {
  let found: MethodSite;
  project.inheritsFrom(className, (name) => {
    const alias = project.assignmentsTo(`${name}.${methodName}`).map(({ assignment }) => assignment.value).find((value) => value?.kind === 'name');
    if (alias?.kind === 'name' && alias.id !== methodName) found = project.findMethod(name, alias.id);
    return found !== undefined;
  });
  return found;
}
