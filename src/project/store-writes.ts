/**
 * Where a view surely writes to the database: a SQLAlchemy session's `commit`, `add` or `delete`
 * (`db.session.commit()`), a Django query's `create`, `update` or `delete`
 * (`Order.objects.filter(...).delete()`), or a model's `save()` or `delete()`, in the view or in the
 * project's functions it calls, a few calls deep. A view that accepts only GET and does this changes
 * state on a request any page can make with the user's cookies (a link, an image), and no CSRF
 * token is checked on GET. Only what surely writes counts: a call the scan cannot place is no write.
 */
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** SQLAlchemy's `Session` methods that change what the database holds, or will on commit. */
const SESSION_WRITES = new Set(['commit', 'add', 'add_all', 'delete', 'merge', 'flush', 'bulk_save_objects', 'bulk_insert_mappings', 'bulk_update_mappings']);

/** Django's query methods that write, called on a chain that starts at a model's manager (`.objects`). */
const QUERY_WRITES = new Set(['create', 'update', 'delete', 'get_or_create', 'update_or_create', 'bulk_create', 'bulk_update']);

/** A model instance's own writes: with no positional argument, as Django's `Model.save()` and `Model.delete()` take them. */
const INSTANCE_WRITES = new Set(['save', 'delete']);

/**
 * A getter (`SiteSettings.get()`, `get_profile(user)`) that saves creates what it was asked for when
 * it is missing: the default a first read makes is no change a forged request chooses.
 */
const GETTER = /^get($|_)/;

/** The project's functions followed this deep from the view. */
const MAX_CALL_DEPTH = 3;

export interface StoreWrite {
  module: SourceModule;
  call: CallExpr;
}

/** The first sure database write of the function or of the project code it calls (see the module's doc). */
export function firstStoreWrite(project: Project, module: SourceModule, definition: Definition): StoreWrite | undefined {
  return new StoreWriteSearch(project).within(module, definition, 0);
}

class StoreWriteSearch {
  private readonly visited = new Set<Definition>();

  constructor(private readonly project: Project) {}

  within(module: SourceModule, definition: Definition, depth: number): StoreWrite | undefined {
    if (definition.kind !== 'function' || this.visited.has(definition)) return undefined;
    this.visited.add(definition);
    const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
    const own = calls.find(({ call }) => isStoreWrite(call));
    if (own) return { module, call: own.call };
    if (depth >= MAX_CALL_DEPTH) return undefined;
    for (const { call, scope } of calls) {
      const name = this.project.resolve(module, call.callee, scope);
      const site = name === undefined ? undefined : this.project.findDefinition(name);
      const found = site && !GETTER.test(site.definition.name) && this.within(site.module, site.definition, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}

function isStoreWrite(call: CallExpr): boolean {
  const { callee } = call;
  if (callee.kind !== 'attribute') return false;
  if (SESSION_WRITES.has(callee.attribute) && isDatabaseSession(callee.object)) return true;
  if (QUERY_WRITES.has(callee.attribute) && startsAtManager(callee.object)) return true;
  // `request.session.save()` stores the visitor's own session, not the app's data.
  const onSession = callee.object.kind === 'attribute' && callee.object.attribute === 'session';
  return INSTANCE_WRITES.has(callee.attribute) && call.args.every((argument) => argument.name !== undefined) && !onSession;
}

/** `db.session`, `self.db.session`: a session held by a database object (Flask's cookie `session` is a bare name). */
function isDatabaseSession(object: Expr): boolean {
  return object.kind === 'attribute' && object.attribute === 'session' && !(object.object.kind === 'name' && object.object.id === 'request');
}

/** `Order.objects.filter(...)...`: a chain of calls and attributes that passes through a manager named `objects`. */
function startsAtManager(object: Expr): boolean {
  let current: Expr = object;
  for (;;) {
    if (current.kind === 'attribute') {
      if (current.attribute === 'objects') return true;
      current = current.object;
    } else if (current.kind === 'call') current = current.callee;
    else return false;
  }
}
