import { statSync } from 'node:fs';
import { DiscoveryMemo } from './discover/discovery-memo.js';
import type { CheckOptions } from './engine.js';
import { type LoadedProject, loadProject, withModulesReloaded } from './load-project.js';
import type { Project } from './project/project.js';
import type { Rule, RuleSettings } from './rules/rule.js';
import { runRules } from './run-rules.js';
import type { RuleFinding } from './suppress/apply.js';

/** What a file read was: the unsaved text read instead of it, or the identity of its version on disk. */
type Version = string;

interface Snapshot {
  loaded: LoadedProject;
  settings: string;
  /** The version of each file found and each module read, as the load read it. */
  versions: Map<string, Version>;
}

/**
 * How the latest `load` built the project: the previous one kept (no fact changed: a comment was
 * edited), some modules replaced in it (the imports followed again over the modules kept, when the
 * edit changes which files it holds), or the whole project loaded.
 */
export type LoadKind = 'kept' | 'modules-replaced' | 'loaded';

/**
 * The project model of a long-lived process (the language server), kept from one check to the
 * next. A change of some modules' text (unsaved or on disk: every file is compared with the version
 * read) replaces just those modules; when it changes which files the project holds (imports, a
 * rule's word), imports are followed again over the unchanged modules, and only the files newly
 * needed are read. A file created or deleted, or a template edited, loads the project again. Files found last time are found again only when the owner cannot be
 * told that files came or went (`reuseDiscovery` off), or says they may have (`invalidate`: a file
 * created or deleted, a settings file changed). Unchanged files' facts come from the outcome memo.
 */
export class WarmProject {
  private previous: Snapshot | undefined;
  private discovery = new DiscoveryMemo();
  private found: { project: Project; rules: string; findings: readonly RuleFinding[] } | undefined;
  lastLoad: LoadKind | undefined;

  constructor(private readonly reuseDiscovery: boolean) {}

  invalidate(): void {
    this.previous = undefined;
    this.discovery = new DiscoveryMemo();
  }

  /** What the rules find in the project; in the project kept from the previous check, what they found there. */
  ruleFindings(project: Project, rules: readonly Rule[], settings: RuleSettings): RuleFinding[] {
    const ruleSet = JSON.stringify([rules.map((rule) => rule.id), settings]);
    if (this.found?.project !== project || this.found.rules !== ruleSet) this.found = { project, rules: ruleSet, findings: runRules(project, rules, settings) };
    // Suppressions are marked on the findings: each check starts from unmarked ones.
    return this.found.findings.map(({ rule, report }) => ({ rule, report }));
  }

  async load(options: CheckOptions): Promise<LoadedProject> {
    const settings = settingsOf(options);
    const previous = this.previous?.settings === settings ? this.previous : undefined;
    this.previous = undefined;
    // Taken before reading: a file changed while it is read differs from its version next time.
    const current = new Map([...(previous?.versions.keys() ?? [])].map((file) => [file, versionOf(file, options.overlays)]));
    const changes = previous ? [...current].filter(([file, version]) => previous.versions.get(file) !== version).map(([file]) => file) : [];
    const gone = changes.some((file) => current.get(file) === GONE);
    const reloaded = previous && !gone ? await withModulesReloaded(previous.loaded, changes, options) : undefined;
    if (!this.reuseDiscovery || !previous || gone) this.discovery = new DiscoveryMemo();
    const loaded = reloaded ?? (await loadProject({ ...options, discoveryMemo: this.discovery }));
    this.lastLoad = !reloaded ? 'loaded' : reloaded === previous?.loaded ? 'kept' : 'modules-replaced';
    this.previous = { loaded, settings, versions: versionsRead(loaded, current, options.overlays) };
    return loaded;
  }
}

/** The version of every file the project depends on: as taken before the load, or now for a file it found. */
function versionsRead(loaded: LoadedProject, before: ReadonlyMap<string, Version>, overlays: ReadonlyMap<string, string> | undefined): Map<string, Version> {
  const files = new Set([...(loaded.filesRead ?? loaded.targetFiles), ...loaded.project.modules.map((module) => module.absolutePath)]);
  return new Map([...files].map((file) => [file, before.get(file) ?? versionOf(file, overlays)]));
}

const GONE: Version = 'gone';

function versionOf(file: string, overlays: ReadonlyMap<string, string> | undefined): Version {
  const overlay = overlays?.get(file);
  if (overlay !== undefined) return `text:${overlay}`;
  try {
    const stat = statSync(file, { bigint: true });
    return `file:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return GONE;
  }
}

/** Everything in the options that decides which files are read and how, but the text read. */
function settingsOf(options: CheckOptions): string {
  const { overlays: _overlays, outcomeMemo: _outcomeMemo, warmProject: _warmProject, onProgress: _onProgress, discoveryMemo: _discoveryMemo, baseline: _baseline, rules, ...rest } = options;
  return JSON.stringify({ ...rest, rules: rules?.map((rule) => rule.id) ?? null });
}
