import { readFileSync } from 'node:fs';
import path from 'node:path';
import { versionsAtRevision } from './discover/git.js';
import { ContextRoots, ProjectRoots } from './discover/project-root.js';
import { contextOfPath } from './project/context.js';
import { ModuleNamer } from './project/module-names.js';
import { Project } from './project/project.js';
import type { SourceModule } from './project/source-module.js';
import { ModuleSymbols } from './project/symbols.js';
import { analysePythonSource } from './python/analyse.js';
import { initPythonParser } from './python/parser.js';
import { runRules } from './run-rules.js';
import type { RuleSettings } from './rules/rule.js';
import type { RuleFinding } from './suppress/apply.js';

/**
 * A run on some files (named alone, as pre-commit names them, or `--diff-base REV`) reports a
 * project-wide finding outside them only when they can have caused it: when the finding is new
 * compared with the project as it was at the base revision. The base project is the current
 * one with the looked-at files put back as they were there (deleted ones restored, new ones
 * removed); the project-wide rules run on it again, and what they find there is not new.
 *
 * Soundness (issue 11.4): deleting `CSRFProtect(app)` from `security.py` leaves `app.py`
 * untouched, and its finding is absent at base, so it is reported. Whenever the base cannot be
 * read (no git, no commit yet, a file outside the repository), every finding `keptWithoutBase`
 * accepts is kept.
 */
export async function onlyNewElsewhere(
  elsewhere: readonly RuleFinding[],
  project: Project,
  looked: readonly string[],
  base: { revision: string; cwd: string; maxFileSizeBytes: number; settings: RuleSettings },
  keptWithoutBase: (entry: RuleFinding) => boolean,
): Promise<RuleFinding[]> {
  if (elsewhere.length === 0) return [];
  const files = looked.filter((file) => /\.pyi?$/.test(file));
  const versions = files.length > 0 ? versionsAtRevision(files, base.revision, base.cwd, base.maxFileSizeBytes) : new Map<string, Buffer | undefined>();
  if (versions === undefined) return elsewhere.filter(keptWithoutBase);
  const baseProject = await projectAtBase(project, versions);
  const rules = [...new Set(elsewhere.map(({ rule }) => rule))];
  const atBase = new Set(runRules(baseProject, rules, base.settings).map(placeOf));
  return elsewhere.filter((entry) => !atBase.has(placeOf(entry)));
}

/** A finding outside the looked-at files sits in a file that is the same at base, so its rule and place identify it. */
function placeOf({ rule, report }: RuleFinding): string {
  return `${rule.id}\0${report.file.absolutePath}\0${report.range.line}:${report.range.column}`;
}

async function projectAtBase(project: Project, versions: ReadonlyMap<string, Buffer | undefined>): Promise<Project> {
  const current = new Map(project.modules.map((module) => [module.absolutePath, module]));
  const builder = new BaseModules(project.modules);
  const replaced = new Map<string, SourceModule | undefined>();
  for (const [file, bytes] of versions) {
    if (bytes !== undefined && sameBytes(file, bytes)) continue;
    replaced.set(file, bytes === undefined ? undefined : await builder.moduleOf(file, bytes, current.get(file)));
  }
  const kept = project.modules.filter((module) => !replaced.has(module.absolutePath));
  const restored = [...replaced.values()].filter((module): module is SourceModule => module !== undefined);
  return new Project([...kept, ...restored], project.templates, project.scripts);
}

function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    return readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/** Modules made from a file's bytes at base, placed in the project as the current module is (or would be). */
class BaseModules {
  private readonly projectRoots = new ProjectRoots();
  private readonly contextRoots = new ContextRoots();
  private readonly namer = new ModuleNamer(this.projectRoots);
  private readonly keysTaken: Set<string>;
  private parserReady = false;

  constructor(modules: readonly SourceModule[]) {
    this.keysTaken = new Set(modules.map((module) => module.key));
  }

  async moduleOf(file: string, bytes: Buffer, current: SourceModule | undefined): Promise<SourceModule | undefined> {
    if (!this.parserReady) await initPythonParser();
    this.parserReady = true;
    const analysis = analysePythonSource(bytes);
    if (!analysis.ok) return undefined;
    const location = current ?? { ...this.namer.locate(file), key: this.freeKey(this.namer.locate(file).name) };
    return {
      kind: 'python',
      path: current?.path ?? file,
      absolutePath: file,
      name: location.name,
      key: location.key,
      isPackage: location.isPackage,
      root: location.root,
      aliases: location.aliases,
      facts: analysis.facts,
      symbols: new ModuleSymbols(location, analysis.facts),
      context: current?.context ?? contextOfPath(this.contextRoots.pathFromRoot(file)),
      projectRoot: current?.projectRoot ?? this.projectRoots.rootOf(path.dirname(file)) ?? path.dirname(file),
      isTarget: current?.isTarget ?? false,
    };
  }

  private freeKey(name: string): string {
    let key = name;
    for (let taken = 2; this.keysTaken.has(key); taken++) key = `${name}@${taken}`;
    this.keysTaken.add(key);
    return key;
  }
}
