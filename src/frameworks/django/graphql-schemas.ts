import type { Expr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';

/** The GraphQL views of graphene-django and Strawberry, which `csrf_exempt(GraphQLView.as_view())` is written for. */
const GRAPHQL_VIEWS = new Set([
  'graphene_django.views.GraphQLView', 'strawberry.django.views.GraphQLView', 'strawberry.django.views.AsyncGraphQLView',
]);
/** What builds a schema: only a schema given a `mutation` can change anything. */
const SCHEMA_CLASSES = new Set(['graphene.Schema', 'graphene.types.schema.Schema', 'strawberry.Schema', 'strawberry.schema.Schema', 'strawberry.federation.Schema']);

/** Words of the files that build schemas, for the rule's prefilter. */
export const GRAPHQL_SCHEMA_KEYWORDS: readonly string[] = ['graphene', 'strawberry'];

/** `GraphQLView.as_view(...)` (or a subclass of it): the view class's name, when it is one. */
export function graphqlViewOf(project: Project, module: SourceModule, expr: Expr, scope: number): string | undefined {
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || expr.callee.attribute !== 'as_view') return undefined;
  const name = project.resolve(module, expr.callee.object, scope);
  return name !== undefined && isGraphqlView(project, name) ? name : undefined;
}

/** A class that is, or is built on, graphene-django's or Strawberry's GraphQL view. */
export function isGraphqlView(project: Project, className: string): boolean {
  return project.inheritsFrom(className, (base) => GRAPHQL_VIEWS.has(base));
}

const readOnlyByProject = new WeakMap<Project, Map<string, boolean>>();

/**
 * Every GraphQL schema of the project root of `site` (tests left out, unless `site` is one) is built with a query and no mutation
 * (`graphene.Schema(query=Query)`), and at least one is seen: its views answer queries only, which
 * change nothing. A schema given more than its query (a second positional argument, `**options`)
 * may have mutations.
 */
export function schemasAreReadOnly(project: Project, site: SourceModule): boolean {
  const { projectRoot } = site;
  const withTests = site.context === 'test';
  const key = `${projectRoot}\0${withTests}`;
  project.noteEveryModuleRead();
  let byRoot = readOnlyByProject.get(project);
  if (!byRoot) {
    byRoot = new Map();
    readOnlyByProject.set(project, byRoot);
  }
  const known = byRoot.get(key);
  if (known !== undefined) return known;
  let seen = false;
  let mutable = false;
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot || (module.context === 'test' && !withTests)) continue;
    for (const { call, scope } of module.facts.calls) {
      if (!SCHEMA_CLASSES.has(project.resolve(module, call.callee, scope) ?? '')) continue;
      seen = true;
      const positional = call.args.filter((argument) => argument.name === undefined);
      mutable ||= positional.length > 1 || positional.some((argument) => argument.unpack) || call.args.some((argument) => argument.name === 'mutation');
    }
  }
  const readOnly = seen && !mutable;
  byRoot.set(key, readOnly);
  return readOnly;
}
