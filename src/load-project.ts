import path from 'node:path';
import { committedVersionsOf, versionsAtRevision } from './discover/git.js';
import { isSameOrInside } from './discover/path-inside.js';
import { ContextRoots, ProjectRoots } from './discover/project-root.js';
import { exclusionOf, isExcludedGivenPath } from './discover/exclusion.js';
import { discoverFiles } from './discover/walk.js';
import type { CheckOptions } from './engine.js';
import type { ScanError } from './finding.js';
import { contextOfPath } from './project/context.js';
import { type ModuleLocation, ModuleNamer } from './project/module-names.js';
import { finalIdentifier, Project } from './project/project.js';
import type { ScriptFile, TemplateFile } from './project/scanned-file.js';
import type { SourceModule } from './project/source-module.js';
import { ModuleSymbols } from './project/symbols.js';
import { analysisFromJson } from './analysis/analysis-json.js';
import { type FileLoadSettings, type FileOutcome, isUnreadable, readSourceSync, type UnreadableSource } from './analysis/file-loader.js';
import { createFileLoading, type FileLoading } from './analysis/file-loading.js';
import { ProjectWordMemo } from './analysis/project-word-memo.js';
import { FileStats, settledTime } from './analysis/run-memo.js';
import { Prefilter } from './prefilter.js';
import { tabledViewExpressions } from './project/route-tables.js';
import { analysePythonSource, type FileAnalysis } from './python/analyse.js';
import { initPythonParser } from './python/parser.js';
import type { Expr } from './python/facts.js';
import { BINARY_FILE, declaresOtherEncoding, looksBinary } from './python/source.js';
import { RULES } from './rules/index.js';
import { type ProjectFile, projectWordsOf, rulesThatCanFindIn, type SearchedFile } from './rules/project-words.js';
import { rulesThatCanReportIn } from './rules/reports-at.js';
import type { Rule } from './rules/rule.js';

export const DEFAULT_MAX_FILE_SIZE_BYTES = 5 * 1024 * 1024;

/**
 * How many imports deep the prefilter's passed-over modules are still read: enough for base
 * classes of base classes, re-exports through a package and imported constants, without reading
 * the whole import graph of a large project.
 */
const IMPORT_DEPTH = 3;

/** Files being loaded at once: enough to keep every worker thread busy, few enough to bound memory. */
const ANALYSES_IN_FLIGHT = 64;

export interface LoadedProject {
  project: Project;
  /** Problems with the scanned files (not with files read only for context). */
  errors: ScanError[];
  /** Files under the given paths. */
  filesSeen: number;
  /** Python files parsed, taken from the cache, and passed over by the prefilter. */
  filesParsed: number;
  filesCached: number;
  filesSkipped: number;
  /** The Python files and templates found under the given paths, parsed or not. */
  targetFiles: string[];
  /** Under the given paths, left out by the configuration's globs and by `.gitignore` files. */
  pathsExcluded: number;
  pathsIgnored: number;
  /** Modules the prefilter passed over, loaded because other modules import them. */
  importedOnly?: ReadonlySet<string>;
  /** Every file whose text the project model depends on: Python files found (scanned or around them), templates, and the scripts read. */
  filesRead?: readonly string[];
  /** What the loader followed imports from, so that an edit can follow them again over the modules kept. */
  followed?: FollowedImports;
  /** Of the rules the project was loaded for, those that can find something in it, when fewer may run. */
  rulesToRun?: readonly Rule[];
}

/** The loader's inputs and first outcomes: enough to replay its import following without reading unchanged files. */
interface FollowedImports {
  targets: readonly string[];
  context: readonly string[];
  projectRoots: ProjectRoots;
  scanRoots: readonly string[];
  displayPath: (absolutePath: string) => string;
  /** Files the prefilter passed over when first read (some loaded later because a module imports them). */
  passedOverFirst: ReadonlySet<string>;
}

/** How far reading and parsing have got: files done out of the files found. */
export type ProgressListener = (done: number, total: number) => void;

/** What discovery found: either the answer already (a file without a rule's word), or the files to load. */
export type DiscoveredProject = { answer: LoadedProject } | DiscoveredFiles;

interface DiscoveredFiles {
  answer?: undefined;
  discovery: Discovery;
  context: Discovery;
  targets: string[];
  projectRoots: ProjectRoots;
  displayPath: (absolutePath: string) => string;
  read: ReadSource;
  maxFileSizeBytes: number;
  /** The status of the files the project-word memo took, for the run memo to key the run by. */
  fileStats?: FileStats;
  /**
   * The rules whose findings the run can report: when files are named inside a larger project (as
   * pre-commit names them), only those whose words the files hold, now or as committed (see
   * `rulesWithWordsIn`); the others load nothing and run not at all.
   */
  rulesThatCanReport: readonly Rule[];
  /** The project is loaded for every rule: run only those that can find something in its modules (see `rulesToRunOnModules`). */
  wholeProject?: true;
}

type Discovery = Awaited<ReturnType<typeof discoverFiles>>;

/** Every file a run of the discovered project reads: Python files, templates and scripts, scanned or around them. */
export function filesRead({ discovery, context }: DiscoveredFiles): string[] {
  const problems = [...discovery.problems, ...context.problems].map((problem) => problem.absolutePath);
  return [...new Set([...discovery.files, ...discovery.templates, ...discovery.scripts, ...context.files, ...context.scripts, ...problems])];
}

/**
 * Discovers and parses the given files, plus the rest of each one's project when its root lies
 * above the given paths: `csrflint check app/views.py` still knows that `extensions.py` protects
 * the app. Rules see every module; findings and errors are kept for the given paths only.
 */
export async function loadProject(options: CheckOptions): Promise<LoadedProject> {
  const discovered = await discoverProject(options);
  return discovered.answer ?? (await loadDiscovered(options, discovered));
}

/** Finds the files of `loadProject`, and answers at once for files that hold none of the rules' words. */
export async function discoverProject(options: CheckOptions): Promise<DiscoveredProject> {
  const cwd = options.cwd ?? process.cwd();
  const displayPath = (absolutePath: string) => path.relative(cwd, absolutePath).split(path.sep).join('/') || '.';
  const excludeDirectory = options.excludeDirectory ?? cwd;
  const isExcluded = exclusionOf({ ...optionalExclusions(options), directory: excludeDirectory });
  const givenPaths = options.paths.map((given) => path.resolve(cwd, given));
  const targets = options.forceExclude ? givenPaths.filter((given) => !isExcludedGivenPath(isExcluded, given, excludeDirectory)) : givenPaths;
  const discoverOptions = {
    respectGitignore: options.respectGitignore ?? true,
    isExcluded,
    ...(options.templateDirectories ? { templateDirectories: options.templateDirectories } : {}),
  };
  const discover = options.discoveryMemo ? options.discoveryMemo.discover.bind(options.discoveryMemo) : discoverFiles;
  const discovery = await discover(targets, discoverOptions);
  const projectRoots = new ProjectRoots();
  const surroundingRoots = rootsAbove(discovery.files, targets, projectRoots);
  const maxFileSizeBytes = options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES;
  const read = (absolutePath: string, limit: number) => readOverlaidSync(absolutePath, limit, options.overlays);
  const rules = options.rules ?? RULES;
  const namedInProject = surroundingRoots.length > 0 && options.prefilter !== false && discovery.templates.length === 0;
  const rulesThatCanReport = namedInProject && !options.changedFiles && options.baseRevision === undefined ? rulesWithWordsIn(discovery.files, rules, maxFileSizeBytes, read, cwd) : rules;
  // As pre-commit runs it: a file without any rule's word holds no finding, whatever its project says.
  if (rulesThatCanReport.length === 0 || (namedInProject && holdNoRuleWord(discovery.files, rules, maxFileSizeBytes, read))) return answerWithoutProject(discovery, displayPath);
  const context = surroundingRoots.length > 0 ? await discover(surroundingRoots, discoverOptions) : { files: [], templates: [], scripts: [], problems: [], excluded: 0, ignored: 0 };
  if (rulesThatCanReport === rules) return { discovery, context, targets, projectRoots, displayPath, read, maxFileSizeBytes, rulesThatCanReport, wholeProject: true };
  const fileStats = new FileStats();
  const rulesThatCanFind = findRulesInProject([...discovery.files, ...context.files], surroundingRoots, rulesThatCanReport, options, { read, maxFileSizeBytes, fileStats });
  // The answer leaves the named files unparsed, so it is given only when parsing them has nothing to tell.
  if (rulesThatCanFind.length === 0 && (await analyseCleanly(discovery.files, maxFileSizeBytes, read))) return answerWithoutProject(discovery, displayPath);
  return { discovery, context, targets, projectRoots, displayPath, read, maxFileSizeBytes, fileStats, rulesThatCanReport: rulesThatCanFind.length === 0 ? rulesThatCanReport : rulesThatCanFind };
}

function answerWithoutProject(discovery: Discovery, displayPath: (absolutePath: string) => string): DiscoveredProject {
  const errors = discovery.problems.map((problem) => ({ path: displayPath(problem.absolutePath), message: problem.message }));
  return { answer: { project: new Project([]), errors, filesSeen: discovery.files.length, filesParsed: 0, filesCached: 0, filesSkipped: discovery.files.length, targetFiles: discovery.files, pathsExcluded: discovery.excluded, pathsIgnored: discovery.ignored } };
}

/**
 * `rulesThatCanFindIn` the project's files, with what the search found in each file kept in the
 * cache directory while the file does not change (not for an editor's unsaved buffers).
 */
function findRulesInProject(files: readonly string[], roots: readonly string[], rules: readonly Rule[], options: CheckOptions, { read, maxFileSizeBytes, fileStats }: { read: ReadSource; maxFileSizeBytes: number; fileStats: FileStats }): Rule[] {
  if (options.cacheDirectory === undefined || options.overlays) return rulesThatCanFindIn(projectFiles(files, maxFileSizeBytes, read), rules);
  const searchKey = JSON.stringify({ roots, words: rules.map((rule) => [rule.id, projectWordsOf(rule)]), maxFileSizeBytes });
  const memo = new ProjectWordMemo(options.cacheDirectory, searchKey, settledTime(), fileStats);
  const found = rulesThatCanFindIn(projectFiles(files, maxFileSizeBytes, read, memo), rules, (file, rulesFound) => memo.remember(file, rulesFound.map((rule) => rule.id)));
  memo.save();
  return found;
}

/** The project's Python files for a word search, read lazily: a file read unfaithfully (another encoding) may hold any word. */
function* projectFiles(files: readonly string[], maxFileSizeBytes: number, read: ReadSource, memo?: ProjectWordMemo): Generator<ProjectFile | SearchedFile> {
  for (const file of new Set(files)) {
    const rulesFound = memo?.rulesFoundIn(file);
    if (rulesFound !== undefined) {
      yield { path: file, rulesFound };
      continue;
    }
    const bytes = read(file, maxFileSizeBytes);
    // A file that cannot be read at all is no module of the project.
    if (isUnreadable(bytes)) continue;
    yield { path: file, bytes: isPlainBytes(bytes) ? bytes : undefined };
  }
}

/** Whether the files read as Python with no problem, syntax error or note to report. */
async function analyseCleanly(files: readonly string[], maxFileSizeBytes: number, read: ReadSource): Promise<boolean> {
  await initPythonParser();
  return files.every((file) => {
    const bytes = read(file, maxFileSizeBytes);
    if (isUnreadable(bytes)) return false;
    const analysis = analysePythonSource(bytes);
    return analysis.ok && analysis.problems.length === 0 && analysis.facts.syntaxProblems.length === 0;
  });
}

/** Reads and parses the discovered files into the project model. */
export async function loadDiscovered(options: CheckOptions, { discovery, context, targets, projectRoots, displayPath, read, maxFileSizeBytes, fileStats, wholeProject }: DiscoveredFiles): Promise<LoadedProject> {
  const targetFiles = new Set(discovery.files);
  const contextFiles = context.files.filter((file) => !targetFiles.has(file));
  const errors: ScanError[] = discovery.problems.map((problem) => ({ path: displayPath(problem.absolutePath), message: problem.message }));
  const prefilter = options.prefilter === false ? undefined : Prefilter.forRules(options.rules ?? RULES);
  const loading = createFileLoading(fileLoadSettings(options, maxFileSizeBytes, prefilter), options.jobs, discovery.files.length + contextFiles.length);
  // The files under the given paths, as the summary counts them: the surrounding project's are read but not counted.
  const progress = new Progress(discovery.files.length + discovery.templates.length, options.onProgress);
  const scanRoots = targets.filter((target) => !targetFiles.has(target));
  const loader = new ModuleLoader({ projectRoots, scanRoots, displayPath, loading: memoised(loading, options), progress });
  let modules: SourceModule[];
  try {
    modules = await loader.loadAll(discovery.files, contextFiles, errors);
  } finally {
    await loading.close();
  }
  const templates = loadTemplates(discovery.templates, { displayPath, contextRoots: new ContextRoots(), projectRoots, scanRoots, read, maxFileSizeBytes }, errors);
  const scripts = templates.length > 0 ? loadScripts(new Set([...discovery.scripts, ...context.scripts]), { displayPath, projectRoots, scanRoots, read, maxFileSizeBytes }) : [];
  progress.filesDone(discovery.templates.length);
  const rules = options.rules ?? RULES;
  return {
    ...(wholeProject ? { rulesToRun: rulesToRunOnModules(modules, targets, rules, options, { read, maxFileSizeBytes, fileStats: fileStats ?? new FileStats() }) } : {}),
    // A long-lived process's next project reuses the resolutions that read no edited module.
    project: new Project(modules, templates, scripts, { remembersReads: options.warmProject !== undefined }),
    errors: errors.sort(compareErrors),
    importedOnly: loader.importedOnly,
    filesSeen: discovery.files.length + discovery.templates.length,
    targetFiles: [...discovery.files, ...discovery.templates],
    filesRead: [...discovery.files, ...contextFiles, ...discovery.templates, ...(templates.length > 0 ? [...discovery.scripts, ...context.scripts] : [])],
    pathsExcluded: discovery.excluded,
    pathsIgnored: discovery.ignored,
    followed: { targets: discovery.files, context: contextFiles, projectRoots, scanRoots, displayPath, passedOverFirst: loader.passedOverFirst },
    ...loader.counts,
  };
}

/**
 * On a project loaded for every rule, the rules that can find something in its modules
 * (`rulesThatCanFindIn` their files): a Flask rule has nothing to do where no module names Flask.
 * Rules see the modules alone, so files the prefilter passed over are not searched; the prefilter
 * still parsed the files of every rule, so the rules that run see the project they saw before.
 */
function rulesToRunOnModules(modules: readonly SourceModule[], targets: readonly string[], rules: readonly Rule[], options: CheckOptions, reading: { read: ReadSource; maxFileSizeBytes: number; fileStats: FileStats }): readonly Rule[] {
  if (options.prefilter === false || !rules.some((rule) => projectWordsOf(rule) !== undefined)) return rules;
  return findRulesInProject(modules.map((module) => module.absolutePath), targets, rules, options, reading);
}

/**
 * `previous` with the given Python files read again (their text changed; no file was added or
 * removed; the options are the same), when that cannot change which files the project holds: each
 * module still holds a rule's word (or, loaded only because it is imported, still none), still
 * parses, and imports and follows the same names, so the import closure is the one `loadProject`
 * would follow; each file the prefilter passed over still holds no word. Otherwise the loader
 * follows imports again over the modules kept (see `withImportsFollowedAgain`).
 */
export async function withModulesReloaded(previous: LoadedProject, files: readonly string[], options: CheckOptions): Promise<LoadedProject | undefined> {
  const modules = new Map(previous.project.modules.map((module) => [module.absolutePath, module]));
  const importedOnly = previous.importedOnly;
  if (!importedOnly || !files.every((file) => /\.pyi?$/.test(file))) return undefined;
  const loading = reloading(options);
  const replaced = new Map<string, { module: SourceModule; problems: readonly string[] }>();
  let sameFiles = true;
  try {
    for (const file of files) {
      const module = modules.get(file);
      const reloaded = module ? await reloadedModule(module, importedOnly.has(file), loading) : undefined;
      if (module ? !reloaded : (await loading.load({ absolutePath: file, mayPassOver: true })).kind !== 'passed-over') sameFiles = false;
      if (!sameFiles) break;
      if (reloaded) replaced.set(file, reloaded);
    }
  } finally {
    await loading.close();
  }
  if (!sameFiles) return withImportsFollowedAgain(previous, files, options);
  const cwd = options.cwd ?? process.cwd();
  const reread = new Set(files.map((file) => path.relative(cwd, file).split(path.sep).join('/')));
  const errors = previous.errors.filter((error) => !reread.has(error.path));
  for (const { module, problems } of replaced.values()) if (module.isTarget) errors.push(...problems.map((message) => ({ path: module.path, message })));
  errors.sort(compareErrors);
  // Comments edited, say: the same project, whose rules' findings its owner may still hold.
  const sameModules = [...replaced.values()].every(({ module }) => modules.get(module.absolutePath) === module);
  if (sameModules && JSON.stringify(errors) === JSON.stringify(previous.errors)) return previous;
  const modulesNow = previous.project.modules.map((module) => replaced.get(module.absolutePath)?.module ?? module);
  const project = new Project(modulesNow, previous.project.templates, previous.project.scripts, { previous: previous.project });
  return { ...previous, project, errors };
}

/** Loading for a few files read again after an edit: in this thread, through the owner's outcome memo. */
function reloading(options: CheckOptions): FileLoading {
  const maxFileSizeBytes = options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES;
  const prefilter = options.prefilter === false ? undefined : Prefilter.forRules(options.rules ?? RULES);
  return memoised(createFileLoading(fileLoadSettings(options, maxFileSizeBytes, prefilter), 1), options);
}

/**
 * `previous` after an edit that changes which files the project holds (imports followed, a word
 * gained or lost): the loader follows imports again over the same files found, as `loadProject`
 * would, but takes each unchanged file's outcome from the previous load (its module, or passed
 * over), so only the edited files and those newly imported are read. The modules, their order and
 * the errors are then those of a fresh load. Undefined when the previous load kept no record of
 * what it followed.
 */
async function withImportsFollowedAgain(previous: LoadedProject, files: readonly string[], options: CheckOptions): Promise<LoadedProject | undefined> {
  const { followed, importedOnly } = previous;
  if (!followed || !importedOnly) return undefined;
  const kept = new KeptOutcomes(previous.project.modules, followed.passedOverFirst, new Set(files));
  const loading = reloading(options);
  const { projectRoots, scanRoots, displayPath } = followed;
  const loader = new ModuleLoader({ projectRoots, scanRoots, displayPath, loading, progress: new Progress(0, undefined), kept });
  const newErrors: ScanError[] = [];
  let modules: SourceModule[];
  try {
    modules = await loader.loadAll(followed.targets, followed.context, newErrors);
  } finally {
    await loading.close();
  }
  const held = new Set(modules.map((module) => module.absolutePath));
  const dropped = previous.project.modules.filter((module) => !held.has(module.absolutePath)).map((module) => module.absolutePath);
  // Errors of the files read again, or no longer loaded, are theirs now; the others' stay as they were.
  const reread = new Set([...loader.readAgain, ...dropped].map(displayPath));
  const errors = [...previous.errors.filter((error) => !reread.has(error.path)), ...newErrors].sort(compareErrors);
  const project = new Project(modules, previous.project.templates, previous.project.scripts, { previous: previous.project });
  const { filesSkipped } = loader.counts;
  return { ...previous, project, errors, filesSkipped, importedOnly: loader.importedOnly, followed: { ...followed, passedOverFirst: loader.passedOverFirst } };
}

/** The module with its file's new facts, if it loads as before (see `withModulesReloaded`). */
async function reloadedModule(module: SourceModule, importedOnly: boolean, loading: FileLoading): Promise<{ module: SourceModule; problems: readonly string[] } | undefined> {
  const first = parsedOnce(await loading.load({ absolutePath: module.absolutePath, mayPassOver: true }));
  if (first.kind !== (importedOnly ? 'passed-over' : 'analysed')) return undefined;
  const outcome = importedOnly ? parsedOnce(await loading.load({ absolutePath: module.absolutePath, mayPassOver: false })) : first;
  if (outcome.kind !== 'analysed' || !outcome.analysis.ok) return undefined;
  const { facts, problems } = outcome.analysis;
  if (JSON.stringify(facts) === JSON.stringify(module.facts)) return { module, problems };
  const reloaded: SourceModule = { ...module, facts, symbols: new ModuleSymbols(module, facts) };
  if (importsOf(module) !== importsOf(reloaded) || followedImports(module) !== followedImports(reloaded)) return undefined;
  return { module: reloaded, problems };
}

/** What of a module's imports decides which files the loader follows them to. */
function importsOf(module: SourceModule): string {
  return JSON.stringify(module.facts.imports.map(({ module: from, level, kind, star, names }) => [from, level, kind, star, names.map(({ boundName, importedName }) => [boundName, importedName])]));
}

/** The imported names the loader follows into other files (`namesFollowedFrom` matched against the imports' bound names). */
function followedImports(module: SourceModule): string {
  const imported = new Set(module.facts.imports.flatMap((statement) => statement.names.map((name) => name.boundName)));
  return JSON.stringify([...namesFollowedFrom(module)].filter((name) => imported.has(name)).sort());
}

function fileLoadSettings(options: CheckOptions, maxFileSizeBytes: number, prefilter: Prefilter | undefined): FileLoadSettings {
  return {
    maxFileSizeBytes,
    ...(prefilter ? { prefilterWords: prefilter.words } : {}),
    ...(options.cacheDirectory !== undefined ? { cacheDirectory: options.cacheDirectory } : {}),
    ...(options.overlays ? { overlays: Object.fromEntries(options.overlays) } : {}),
  };
}

function compareErrors(a: ScanError, b: ScanError): number {
  return a.path.localeCompare(b.path) || a.message.localeCompare(b.message);
}

function optionalExclusions(options: CheckOptions): { exclude?: readonly string[]; extendExclude?: readonly string[] } {
  return { ...(options.exclude ? { exclude: options.exclude } : {}), ...(options.extendExclude ? { extendExclude: options.extendExclude } : {}) };
}

/**
 * Whether every file reads well and holds none of the words of the rules, suppression rules
 * included (a suppression comment in the file can be a finding of its own).
 */
function holdNoRuleWord(files: readonly string[], rules: readonly Rule[], maxFileSizeBytes: number, read: ReadSource): boolean {
  const prefilter = new Prefilter(rules.flatMap((rule) => rule.keywords));
  const holdsNone = (bytes: Uint8Array | UnreadableSource | string) => isPlainBytes(bytes) && !prefilter.matches(bytes);
  if (files.some((file) => file.includes('\n')) || !files.every((file) => holdsNone(read(file, maxFileSizeBytes)))) return false;
  // The committed versions count too: a change that deleted `CSRFProtect(app)` leaves a file without
  // a word, and the finding it causes lands in another file, which must still be reported.
  const committed = committedVersionsOf(files, maxFileSizeBytes);
  return committed === undefined || holdsNone(committed);
}

/**
 * The rules that can change what a run on the named files reports (`rulesThatCanReportIn`). Every
 * rule runs when a file does not read well (a file in another encoding hides its words from a byte
 * search: UTF-7 `+AEA-csrf_exempt`), and when a suppression rule has words there, since which
 * suppressions it reports depends on the rules run.
 */
function rulesWithWordsIn(files: readonly string[], rules: readonly Rule[], maxFileSizeBytes: number, read: ReadSource, cwd: string): readonly Rule[] {
  if (files.some((file) => file.includes('\n'))) return rules;
  const current = files.map((file) => read(file, maxFileSizeBytes));
  if (!current.every(isPlainBytes)) return rules;
  const suppressionRules = rules.filter((rule) => rule.reads === 'suppressions');
  if (suppressionRules.some((rule) => current.some((bytes) => new Prefilter(rule.keywords).matches(bytes)))) return rules;
  // As `onlyNewElsewhere` reads them: findings elsewhere are new since HEAD, seen from the working directory.
  const versions = versionsAtRevision(files, 'HEAD', cwd, maxFileSizeBytes);
  const committed = versions === undefined ? undefined : files.map((file) => versions.get(file));
  if (committed?.some((bytes) => bytes !== undefined && !isPlainBytes(bytes))) return rules;
  return rulesThatCanReportIn({ current, committed }, rules);
}

/** Bytes a byte search reads faithfully: read at all, not binary, not declared in another encoding. */
function isPlainBytes(bytes: Uint8Array | UnreadableSource | string): bytes is Uint8Array {
  return bytes instanceof Uint8Array && !looksBinary(bytes) && !declaresOtherEncoding(bytes);
}

/** The project roots of the scanned files that lie above every given path, so their modules give context. */
function rootsAbove(files: readonly string[], targets: readonly string[], projectRoots: ProjectRoots): string[] {
  const roots = new Set<string>();
  for (const file of files) {
    const root = projectRoots.rootOf(path.dirname(file));
    if (root !== undefined && !targets.some((target) => isSameOrInside(target, root))) roots.add(root);
  }
  return [...roots];
}

/** Reads a scanned file's bytes, or says why it cannot. */
type ReadSource = (absolutePath: string, maxFileSizeBytes: number) => Uint8Array | UnreadableSource;

/** The overlay's text when there is one (an editor's unsaved buffer), else the file's bytes. */
function readOverlaidSync(absolutePath: string, maxFileSizeBytes: number, overlays: ReadonlyMap<string, string> | undefined): Uint8Array | UnreadableSource {
  const overlay = overlays?.get(absolutePath);
  return overlay !== undefined ? Buffer.from(overlay, 'utf8') : readSourceSync(absolutePath, maxFileSizeBytes);
}

interface TemplatePlaces {
  displayPath: (absolutePath: string) => string;
  contextRoots: ContextRoots;
  projectRoots: ProjectRoots;
  /** The scanned folders: the project of a file with no project marker above it. */
  scanRoots: readonly string[];
  read: ReadSource;
  maxFileSizeBytes: number;
}

/**
 * Templates are read as text. Those without a template tag or a form can neither hold a finding nor
 * render a token into another template's form.
 */
function loadTemplates(files: readonly string[], places: TemplatePlaces, errors: ScanError[]): TemplateFile[] {
  const templates: TemplateFile[] = [];
  for (const absolutePath of files) {
    const bytes = places.read(absolutePath, places.maxFileSizeBytes);
    const relativePath = places.displayPath(absolutePath);
    if (isUnreadable(bytes) || looksBinary(bytes)) {
      errors.push(isUnreadable(bytes) ? { path: relativePath, ...bytes } : { path: relativePath, message: BINARY_FILE });
      continue;
    }
    const text = new TextDecoder('utf-8').decode(bytes);
    if (!/<form|<input|\{%|\{\{/i.test(text)) continue;
    // Test, example and settings folders are judged from the repository root, wherever the scan started.
    const context = contextOfPath(places.contextRoots.pathFromRoot(absolutePath));
    const projectRoot = places.projectRoots.projectOf(path.dirname(absolutePath), places.scanRoots);
    templates.push({ kind: 'template', path: relativePath, absolutePath, text, context, isTarget: true, projectRoot });
  }
  return templates;
}

/**
 * Scripts are read for what they do with forms and CSRF tokens; only those that mention a submission
 * or a token matter. One that cannot be read is passed over without a word: it holds no finding.
 * Outside any project marker (an unpacked release, a deployed folder), a script belongs to the scanned
 * folder around it, as the walk finds template folders: its own folder (`static/js/`) would hold
 * none of the templates whose forms it submits.
 */
function loadScripts(files: ReadonlySet<string>, { displayPath, projectRoots, scanRoots, read, maxFileSizeBytes }: Omit<TemplatePlaces, 'contextRoots'>): ScriptFile[] {
  const scripts: ScriptFile[] = [];
  for (const absolutePath of files) {
    const bytes = read(absolutePath, maxFileSizeBytes);
    if (isUnreadable(bytes) || looksBinary(bytes)) continue;
    const text = new TextDecoder('utf-8').decode(bytes);
    if (!/submit|csrf|xsrf/i.test(text)) continue;
    const projectRoot = projectRoots.projectOf(path.dirname(absolutePath), scanRoots);
    scripts.push({ path: displayPath(absolutePath), text, projectRoot });
  }
  return scripts;
}

/**
 * Reads and parses modules. With a prefilter, a file none of whose bytes match a rule's words is
 * passed over, unless a parsed module imports it: class hierarchies, imported constants and
 * helpers are then complete, whatever words their files hold.
 */
interface LoaderSettings {
  projectRoots: ProjectRoots;
  /** The directories given to the scan. */
  scanRoots: readonly string[];
  displayPath: (absolutePath: string) => string;
  loading: FileLoading;
  progress: Progress;
  /** When following imports again after an edit: the outcomes of the files that did not change. */
  kept?: KeptOutcomes;
}

const PASSED_OVER = Symbol('passed over');

/**
 * What an unchanged file gave the previous load, for the same request: its module, or passed over
 * when first read (the prefilter's verdict on the same bytes). Undefined for a changed file and for
 * one with no module to give (never needed, unreadable, or not parsed): it is read.
 */
class KeptOutcomes {
  private readonly modules: Map<string, SourceModule>;

  constructor(
    modules: readonly SourceModule[],
    private readonly passedOverFirst: ReadonlySet<string>,
    private readonly changed: ReadonlySet<string>,
  ) {
    this.modules = new Map(modules.map((module) => [module.absolutePath, module]));
  }

  of({ absolutePath, mayPassOver }: FileToLoad): SourceModule | typeof PASSED_OVER | undefined {
    if (this.changed.has(absolutePath)) return undefined;
    if (mayPassOver && this.passedOverFirst.has(absolutePath)) return PASSED_OVER;
    return this.modules.get(absolutePath);
  }
}

/** Loading through the memo of a long-lived process, when it has one. */
function memoised(loading: FileLoading, options: CheckOptions): FileLoading {
  const memo = options.outcomeMemo;
  if (!memo) return loading;
  return {
    load: (request) => memo.load(request, options.overlays?.get(request.absolutePath), async () => parsedOnce(await loading.load(request))),
    close: () => loading.close(),
  };
}

/** A remembered analysis is kept parsed: JSON is only the way it crosses threads and the disk. */
function parsedOnce(outcome: FileOutcome): FileOutcome {
  if (outcome.kind !== 'analysed-json') return outcome;
  const analysis = analysisFromJson(outcome.analysisJson);
  return analysis ? { kind: 'analysed', analysis, cached: outcome.cached } : outcome;
}

interface FileToLoad {
  absolutePath: string;
  isTarget: boolean;
  /** False for a passed-over file read again because a parsed module imports it. */
  mayPassOver: boolean;
}

class ModuleLoader {
  private readonly namer: ModuleNamer;
  private readonly contextRoots = new ContextRoots();
  private readonly locations = new Map<string, ModuleLocation & { key: string }>();
  private readonly namesTaken = new Map<string, number>();
  private readonly filesByModuleName = new Map<string, string[]>();
  /** Files the prefilter passed over, and whether each is a scan target. */
  private readonly passedOver = new Map<string, boolean>();
  /** Every module loaded so far, by file. */
  private readonly loaded = new Map<string, SourceModule>();
  /** Loaded modules whose every import has been followed. */
  private readonly followedWhole = new Set<string>();
  /** What other modules need from a file loaded only because they import it. */
  private readonly demanded = new Map<string, Set<string> | typeof WHOLE_MODULE>();
  private parsed = 0;
  private cached = 0;
  readonly importedOnly = new Set<string>();
  /** Files the prefilter passed over when first read. */
  readonly passedOverFirst = new Set<string>();
  /** Files read, rather than taken from the kept outcomes. */
  readonly readAgain = new Set<string>();

  constructor(private readonly settings: LoaderSettings) {
    this.namer = new ModuleNamer(settings.projectRoots, settings.scanRoots);
  }

  /** Files parsed, files taken from the cache, and files under the given paths that the prefilter passed over and no parsed module imports. */
  get counts(): { filesParsed: number; filesCached: number; filesSkipped: number } {
    return { filesParsed: this.parsed, filesCached: this.cached, filesSkipped: [...this.passedOver.values()].filter((isTarget) => isTarget).length };
  }

  async loadAll(targets: readonly string[], context: readonly string[], errors: ScanError[]): Promise<SourceModule[]> {
    for (const file of [...targets, ...context]) this.indexFile(file);
    const found = [...targets.map((absolutePath) => ({ absolutePath, isTarget: true, mayPassOver: true })), ...context.map((absolutePath) => ({ absolutePath, isTarget: false, mayPassOver: true }))];
    const modules = await this.loadInOrder(found, errors);
    for (let pending = modules, depth = 0; pending.length > 0 && depth < IMPORT_DEPTH; depth++) {
      pending = await this.loadInOrder(this.neededImports(pending), errors);
      for (const module of pending) this.importedOnly.add(module.absolutePath);
      modules.push(...pending);
    }
    return modules;
  }

  /**
   * Loads several files at a time (in worker threads when there are many) and returns their
   * modules in the order given, so that results never depend on timing.
   */
  private async loadInOrder(files: readonly FileToLoad[], errors: ScanError[]): Promise<SourceModule[]> {
    const loading: Array<Promise<SourceModule | undefined>> = [];
    for (const file of files) {
      loading.push(this.loadModule(file, file.isTarget ? errors : []));
      if (loading.length >= ANALYSES_IN_FLIGHT) await loading[loading.length - ANALYSES_IN_FLIGHT];
    }
    const modules = (await Promise.all(loading)).filter((module): module is SourceModule => module !== undefined);
    for (const module of modules) this.loaded.set(module.absolutePath, module);
    return modules;
  }

  /**
   * The passed-over files the modules import, now that they turn out to be needed. A name needed
   * from a module that is already loaded, and that it only re-exports, is followed on through it.
   */
  private neededImports(modules: readonly SourceModule[]): FileToLoad[] {
    const needed: FileToLoad[] = [];
    const pending = modules.flatMap((module) => this.passedOverImports(module));
    const seen = new Set<string>();
    for (let next = pending.pop(); next; next = pending.pop()) {
      const { file, name } = next;
      const key = `${file}\0${String(name)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.demand(file, name);
      const loaded = this.loaded.get(file);
      if (loaded && !this.followedWhole.has(file)) pending.push(...this.namesFollowedThrough(loaded, name));
      const isTarget = this.passedOver.get(file);
      if (isTarget === undefined) continue;
      this.passedOver.delete(file);
      needed.push({ absolutePath: file, isTarget, mayPassOver: false });
    }
    return needed.sort((a, b) => a.absolutePath.localeCompare(b.absolutePath));
  }

  /**
   * What a module already loaded must pass on when another needs `name` from it (it may only
   * re-export it), or every import when another module takes it whole (`from . import views`).
   */
  private namesFollowedThrough(module: SourceModule, name: string | typeof WHOLE_MODULE): ImportedFrom[] {
    if (name !== WHOLE_MODULE) return this.importsOf(module, (boundName) => boundName === name, name);
    this.followedWhole.add(module.absolutePath);
    return this.importsOf(module, () => true);
  }

  private demand(file: string, name: string | typeof WHOLE_MODULE): void {
    const demanded = this.demanded.get(file);
    if (demanded === WHOLE_MODULE) return;
    if (name === WHOLE_MODULE) this.demanded.set(file, WHOLE_MODULE);
    else if (demanded) demanded.add(name);
    else this.demanded.set(file, new Set([name]));
  }

  private indexFile(file: string): void {
    const location = this.namer.locate(file);
    const taken = (this.namesTaken.get(location.name) ?? 0) + 1;
    this.namesTaken.set(location.name, taken);
    this.locations.set(file, { ...location, key: taken === 1 ? location.name : `${location.name}@${taken}` });
    for (const name of [location.name, ...location.aliases]) {
      const files = this.filesByModuleName.get(name);
      if (files) files.push(file);
      else this.filesByModuleName.set(name, [file]);
    }
  }

  /**
   * The files a module imports from, for the names it needs: the module named, and for
   * `from m import n` the submodule `m.n` when there is one. Enclosing packages are not needed to
   * resolve those names.
   */
  private passedOverImports(module: SourceModule): ImportedFrom[] {
    const needed = this.namesNeededFrom(module);
    return this.importsOf(module, (boundName) => needed === WHOLE_MODULE || needed.has(boundName));
  }

  /**
   * The scanned files behind the module's imports of the names `wanted` accepts, and behind its
   * star imports: needed whole, or, when looking for where a re-exported name comes from, for it.
   */
  private importsOf(module: SourceModule, wanted: (boundName: string) => boolean, reexported?: string): ImportedFrom[] {
    const found: ImportedFrom[] = [];
    const add = (moduleName: string, name: string | typeof WHOLE_MODULE) => {
      for (const file of this.filesByModuleName.get(moduleName) ?? []) found.push({ file, name });
    };
    for (const statement of module.facts.imports) {
      const used = statement.names.filter((name) => wanted(name.boundName));
      if (used.length === 0 && !statement.star) continue;
      const base = module.symbols.importedModule(statement);
      if (base === undefined) continue;
      if (base === '') {
        for (const name of used) add(name.importedName, WHOLE_MODULE);
        continue;
      }
      if (statement.kind === 'import') add(base, WHOLE_MODULE);
      else if (statement.star) add(base, reexported ?? WHOLE_MODULE);
      for (const name of statement.kind === 'from' ? used : []) {
        add(base, name.importedName);
        add(`${base}.${name.importedName}`, WHOLE_MODULE);
      }
    }
    return found;
  }

  /**
   * The names of a module that other modules are followed for: those it uses where rules follow a
   * name (see `namesFollowedFrom`), and those another module needed from it, which it may only
   * re-export. A module imported whole (`import m`, `from pkg import m`, `import *`) needs every import.
   */
  private namesNeededFrom(module: SourceModule): Set<string> | typeof WHOLE_MODULE {
    const demanded = this.demanded.get(module.absolutePath);
    if (demanded === WHOLE_MODULE) return WHOLE_MODULE;
    const names = namesFollowedFrom(module);
    for (const name of demanded ?? []) names.add(name);
    return names;
  }

  private async loadModule(file: FileToLoad, errors: ScanError[]): Promise<SourceModule | undefined> {
    try {
      const kept = this.settings.kept?.of(file);
      if (kept === PASSED_OVER) return this.passOver(file);
      if (kept) return kept;
      this.readAgain.add(file.absolutePath);
      const outcome = await this.settings.loading.load({ absolutePath: file.absolutePath, mayPassOver: file.mayPassOver });
      return await this.moduleFrom(file, outcome, errors);
    } finally {
      if (file.mayPassOver && file.isTarget) this.settings.progress.filesDone(1);
    }
  }

  private async moduleFrom(file: FileToLoad, outcome: FileOutcome, errors: ScanError[]): Promise<SourceModule | undefined> {
    const { absolutePath, isTarget } = file;
    const relativePath = this.settings.displayPath(absolutePath);
    if (outcome.kind === 'unreadable') {
      errors.push({ path: relativePath, message: outcome.message, ...(outcome.blocking ? { blocking: true } : {}) });
      return undefined;
    }
    if (outcome.kind === 'passed-over') return this.passOver(file);
    const analysis = await this.analysisOf(file, outcome);
    const blocking = !analysis.ok && analysis.blocking ? { blocking: true } : {};
    for (const problem of analysis.problems) errors.push({ path: relativePath, message: problem, ...blocking });
    if (!analysis.ok) return undefined;
    const location = this.locations.get(absolutePath)!;
    return {
      kind: 'python',
      path: relativePath,
      absolutePath,
      ...location,
      facts: analysis.facts,
      symbols: new ModuleSymbols(location, analysis.facts),
      context: contextOfPath(this.contextRoots.pathFromRoot(absolutePath)),
      projectRoot: this.settings.projectRoots.projectOf(path.dirname(absolutePath), this.settings.scanRoots),
      isTarget,
    };
  }

  private passOver({ absolutePath, isTarget, mayPassOver }: FileToLoad): undefined {
    this.passedOver.set(absolutePath, isTarget);
    if (mayPassOver) this.passedOverFirst.add(absolutePath);
    return undefined;
  }

  /** The analysis of a loaded file; one read back from the cache in a bad shape is made again. */
  private async analysisOf(file: FileToLoad, outcome: Extract<FileOutcome, { kind: 'analysed' | 'analysed-json' }>): Promise<FileAnalysis> {
    const analysis = outcome.kind === 'analysed' ? outcome.analysis : analysisFromJson(outcome.analysisJson);
    if (analysis) {
      if (outcome.cached) this.cached++;
      else this.parsed++;
      return analysis;
    }
    const again = await this.settings.loading.load({ absolutePath: file.absolutePath, mayPassOver: false, useCache: false });
    if (again.kind === 'unreadable') return { ok: false, problems: [again.message], ...(again.blocking ? { blocking: true as const } : {}) };
    if (again.kind === 'passed-over') return { ok: false, problems: [] };
    return this.analysisOf(file, again);
  }
}

interface ImportedFrom {
  file: string;
  name: string | typeof WHOLE_MODULE;
}

/** Needed whole: imported as a module, so any of its names may be used. */
const WHOLE_MODULE = Symbol('whole module');

/**
 * The imported names a module uses where rules follow a name into another module: a call
 * (`setup(app)`, `helpers.setup(app)`, `myproject.setup.init(app)` through a plain import), a class
 * base or a decorator. A model class used in a query or handed to a shortcut is not among them:
 * reading its module would cost more than anything in it could change.
 */
function namesFollowedFrom(module: SourceModule): Set<string> {
  const moduleNames = new Set(module.facts.imports.filter((statement) => statement.kind === 'import').flatMap((statement) => statement.names.map((name) => name.boundName)));
  const followed = new Set<string>();
  const follow = (expr: Expr, anyDepth: boolean) => {
    let root = expr;
    let depth = 0;
    while (root.kind === 'attribute') {
      root = root.object;
      depth++;
    }
    if (root.kind === 'name' && (anyDepth || depth <= 1 || moduleNames.has(root.id))) followed.add(root.id);
  };
  for (const { call } of module.facts.calls) {
    follow(call.callee, false);
    // `csrf_exempt(views.hook)`, `csrf.exempt(views.Hook.as_view())`: rules read the exempted view's body.
    if (/exempt/i.test(finalIdentifier(call.callee) ?? '')) for (const argument of call.args) follow(viewOf(argument.value), true);
    // `app.register_blueprint(admin)` after `from pkg import admin`: the package may only re-export the blueprint.
    if (finalIdentifier(call.callee) === 'register_blueprint') for (const argument of call.args.slice(0, 1)) follow(argument.value, true);
    // `Route("/submit/shout", "submit_shout", {"POST": content.submit_shout_})`: a route table of the project's binds views of other modules.
    for (const view of tabledViewExpressions(call)) follow(view, true);
  }
  for (const definition of module.facts.definitions) {
    for (const base of definition.bases) follow(base.value, true);
    for (const decorator of definition.decorators) follow(decorator.expression.kind === 'call' ? decorator.expression.callee : decorator.expression, true);
  }
  return followed;
}

/** The view an argument names: `views.hook`, or the class of `views.Hook.as_view()`. */
function viewOf(expr: Expr): Expr {
  return expr.kind === 'call' && expr.callee.kind === 'attribute' ? expr.callee.object : expr;
}


/** Counts the files under the given paths that are done (read, and parsed or passed over), for a progress display. */
class Progress {
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly listener: ProgressListener | undefined,
  ) {}

  filesDone(count: number): void {
    if (count === 0) return;
    this.done += count;
    this.listener?.(this.done, this.total);
  }
}
