import type { Expr } from '../python/facts.js';
import type { Project } from './project.js';
import { ProjectWideMemo } from './project-wide-memo.js';
import { expressionsWithin } from './view-bodies.js';
import { walkExpr } from '../python/walk-expr.js';

/** The method Django's models build their public address with: the fields it reads identify the object in links anyone sees. */
const PUBLIC_URL_METHODS = new Set(['get_absolute_url']);
/** The words of a module that may build a public address: the prefilter must keep it. */
export const PUBLIC_IDENTIFIER_KEYWORDS = [...PUBLIC_URL_METHODS];

/**
 * The model fields that build an object's public address (`self.friendly_token` in
 * `get_absolute_url`): a URL variable holding one is the object's public id, shown in every link
 * to it, and no secret.
 */
export function publicIdentifierFields(project: Project): ReadonlySet<string> {
  return publicFieldsByProject.get(project, 'all');
}

/** `self.<field>` read in an expression, in the interpolations of its f-strings too. */
function* selfAttributesIn(expression: Expr): Generator<string> {
  for (const part of walkExpr(expression)) {
    if (part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === 'self') yield part.attribute;
    for (const piece of part.kind === 'other' ? part.parts ?? [] : []) {
      if (typeof piece !== 'string') yield* selfAttributesIn(piece);
    }
  }
}

const publicFieldsByProject = new ProjectWideMemo((project: Project, _key: 'all') => {
  const fields = new Set<string>();
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      if (definition.kind !== 'function' || !PUBLIC_URL_METHODS.has(definition.name)) continue;
      for (const expression of expressionsWithin(module, definition.bodyScope)) {
        for (const field of selfAttributesIn(expression)) fields.add(field);
      }
    }
  }
  return fields;
});
