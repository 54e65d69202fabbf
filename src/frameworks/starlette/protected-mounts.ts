import type { Application } from '../../project/applications.js';
import { UNSAFE_METHODS } from '../../project/views.js';
import type { Project } from '../../project/project.js';
import { starletteEndpoints } from './endpoints.js';

/**
 * Library classes whose `mount_to(app)` builds a sub-application of their own, with its own CSRF
 * middleware, and mounts it on the app: starlette-admin's `Admin` (from 1.0 its admin app runs a
 * signed double-submit `CSRFMiddleware`, added by the admin itself). The views it adds are protected
 * by that app, not by the host.
 */
const SELF_PROTECTED_MOUNTERS = [{ package: 'starlette_admin', method: 'mount_to' }] as const;

/**
 * The self-protected mount that brings every state-changing view of the app
 * (`starlette_admin.contrib.sqla.Admin.mount_to`): the app is handed to one and to no other code
 * that may add views, and the scan sees no state-changing endpoint of its own. `undefined` otherwise.
 */
export function viewsOnlyFromProtectedMount(project: Project, app: Application): string | undefined {
  if (app.slot === undefined || app.usage.unsafeViews.length > 0) return undefined;
  const mount = protectedMountOf(project, app.slot);
  if (mount === undefined || !app.usage.unlistedViewsFrom.every((name) => name.endsWith(`.${mount.method}`))) return undefined;
  const ownUnsafe = starletteEndpoints(project).some(
    (endpoint) => endpoint.app.anchor.file === app.module && endpoint.app.anchor.line === app.call.range.line && endpoint.methods.some((method) => method === 'ANY' || UNSAFE_METHODS.has(method)),
  );
  return ownUnsafe ? undefined : mount.name;
}

/** `admin.mount_to(app)` where `admin` is an instance of a self-protecting mounter's class. */
function protectedMountOf(project: Project, appSlot: string): { name: string; method: string } | undefined {
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      const { callee } = call;
      const mounter = callee.kind === 'attribute' ? SELF_PROTECTED_MOUNTERS.find(({ method }) => method === callee.attribute) : undefined;
      const [target] = call.args;
      if (!mounter || callee.kind !== 'attribute' || !target || project.resolve(module, target.value, scope) !== appSlot) continue;
      const owner = project.instanceClasses(module, callee.object, scope).find((name) => name.split('.', 1)[0] === mounter.package);
      if (owner !== undefined) return { name: `${owner}.${mounter.method}`, method: mounter.method };
    }
  }
  return undefined;
}
