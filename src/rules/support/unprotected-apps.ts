import { type Application, type ApplicationKind, findApplications } from '../../project/applications.js';
import type { RuleContext } from '../rule.js';

const LISTED_VIEWS = 3;

/**
 * Reports each app of a kind that serves views and is never protected, at its creation call:
 * the shared judgement of the Flask and Quart rules.
 */
export function reportUnprotectedApps(context: RuleContext, kind: ApplicationKind, framework: string, protectors: string): void {
  for (const app of findApplications(context.project, kind)) {
    if (!needsProtection(app)) continue;
    const message = `${framework} application ${describeApplication(app)} is never protected against CSRF: no ${protectors} anywhere in the project`;
    context.report({ file: app.module, range: app.call.range, message, hint: exposureHint(app) });
  }
}

/**
 * An unprotected app that serves something: not a script that only borrows an app for its
 * database or CLI, and not one whose every state-changing view validates a form that checks its
 * own CSRF token, or takes only JSON.
 */
function needsProtection(app: Application): boolean {
  if (app.protected || !app.usage.serves) return false;
  const { unsafeViews } = app.usage;
  return unsafeViews.length === 0 || unsafeViews.some((view) => !view.guarded);
}

function exposureHint(app: Application): string {
  const exposed = app.usage.unsafeViews.filter((view) => !view.guarded);
  if (exposed.length === 0) return 'no view of this app that accepts POST, PUT, PATCH or DELETE was found in the scanned code; if it has none, CSRF cannot change anything';
  const listed = exposed.slice(0, LISTED_VIEWS).map((view) => `\`${view.name}\` (${view.module.path}:${view.range.line})`);
  const more = exposed.length > LISTED_VIEWS ? ` and ${exposed.length - LISTED_VIEWS} more` : '';
  return `views that accept state-changing requests without a form or token check: ${listed.join(', ')}${more}`;
}

/** `app`, `app` in `create_app()`, `self.app` of `Server`, or the factory that returns it. */
export function describeApplication(app: Application): string {
  const { slot } = app;
  if (slot === undefined) return 'created here';
  if (slot.endsWith('()')) return `returned by \`${lastPart(slot.slice(0, -2))}()\``;
  const local = /\.([^.]+)\.<locals>\.([^.]+)$/.exec(slot);
  if (local) return `\`${local[2]}\` in \`${local[1]}()\``;
  const owner = slot.slice(0, slot.lastIndexOf('.'));
  const ownerIsClass = app.module.facts.definitions.some((definition) => definition.kind === 'class' && app.module.symbols.definitionName(definition) === owner);
  return ownerIsClass ? `\`self.${lastPart(slot)}\` of \`${lastPart(owner)}\`` : `\`${lastPart(slot)}\``;
}

function lastPart(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
}
