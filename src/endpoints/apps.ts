import type { Application } from '../project/applications.js';
import type { AppSite } from './endpoint.js';

/** An app by the name that holds it (`blog.app`, `blog.create_app()`), else by where it is made. */
export function appSite(app: Application, framework: string): AppSite {
  const name = app.slot?.replace('.<locals>', '') ?? `${app.className.slice(app.className.lastIndexOf('.') + 1)}() at ${app.module.path}:${app.call.range.line}`;
  return { name, framework, anchor: { file: app.module, line: app.call.range.line }, anchorRange: app.call.range };
}
