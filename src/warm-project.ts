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
 * edited), some modules replaced in it, or the whole project loaded.
 */
export type LoadKind = 'kept' | 'modules-replaced' | 'loaded';

/**
 * The project model of a long-lived process (the language server), kept from one check to the
 * next. A change of some modules' text (unsaved or on disk: every file is compared with the version
 * read) replaces just those modules when the files the project holds stay the same; otherwise the
 * project is loaded again. Files found last time are found again only when the owner cannot be
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
    const changes = previous ? changedFiles(previous.versions, options.overlays) : undefined;
    const reloaded = previous && changes && !changes.some(isGone) && (await withModulesReloaded(previous.loaded, changes, options));
    if (!this.reuseDiscovery || !previous || changes?.some(isGone)) this.discovery = new DiscoveryMemo();
    const loaded = reloaded || (await loadProject({ ...options, discoveryMemo: this.discovery }));
    this.lastLoad = !reloaded ? 'loaded' : reloaded === previous?.loaded ? 'kept' : 'modules-replaced';
    this.previous = { loaded, settings, versions: versionsRead(loaded, options.overlays) };
    return loaded;
  }
}

function versionsRead(loaded: LoadedProject, overlays: ReadonlyMap<string, string> | undefined): Map<string, Version> {
  const files = new Set([...loaded.targetFiles, ...loaded.project.modules.map((module) => module.absolutePath)]);
  return new Map([...files].map((file) => [file, versionOf(file, overlays)]));
}

/** The files whose version differs from the one read, and the open files read from disk last time. */
function changedFiles(versions: ReadonlyMap<string, Version>, overlays: ReadonlyMap<string, string> | undefined): string[] {
  return [...versions].filter(([file, version]) => versionOf(file, overlays) !== version).map(([file]) => file);
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

function isGone(file: string): boolean {
  return versionOf(file, undefined) === GONE;
}

/** Everything in the options that decides which files are read and how, but the text read. */
function settingsOf(options: CheckOptions): string {
  const { overlays: _overlays, outcomeMemo: _outcomeMemo, warmProject: _warmProject, onProgress: _onProgress, discoveryMemo: _discoveryMemo, baseline: _baseline, rules, ...rest } = options;
  return JSON.stringify({ ...rest, rules: rules?.map((rule) => rule.id) ?? null });
}
