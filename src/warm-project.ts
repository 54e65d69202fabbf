import { existsSync } from 'node:fs';
import { DiscoveryMemo } from './discover/discovery-memo.js';
import type { CheckOptions } from './engine.js';
import { type LoadedProject, loadProject, withModulesReloaded } from './load-project.js';

/**
 * The project model of a long-lived process (the language server), kept from one check to the
 * next: its owner says which files changed since (`changed`), or that anything may have
 * (`invalidate`: a file added or removed, a settings file changed). A change of some modules'
 * text replaces just those modules when the files the project holds stay the same; otherwise the
 * project is loaded again, from the files found last time unless files may have come or gone.
 * Unchanged files' facts come from the outcome memo either way.
 */
export class WarmProject {
  private previous: { loaded: LoadedProject; settings: string } | undefined;
  private discovery = new DiscoveryMemo();
  private readonly changes = new Set<string>();

  changed(files: Iterable<string>): void {
    for (const file of files) this.changes.add(file);
  }

  invalidate(): void {
    this.previous = undefined;
    this.discovery = new DiscoveryMemo();
    this.changes.clear();
  }

  async load(options: CheckOptions): Promise<LoadedProject> {
    const settings = settingsOf(options);
    const changes = [...this.changes];
    const previous = this.previous?.settings === settings ? this.previous.loaded : undefined;
    this.previous = undefined;
    if (!previous || changes.some((file) => !previous.targetFiles.includes(file) || !existsSync(file))) this.discovery = new DiscoveryMemo();
    const loaded = (previous && changes.every(isPython) && (await withModulesReloaded(previous, changes, options))) || (await loadProject({ ...options, discoveryMemo: this.discovery }));
    this.previous = { loaded, settings };
    this.changes.clear();
    return loaded;
  }
}

function isPython(file: string): boolean {
  return file.endsWith('.py') || file.endsWith('.pyi');
}

/** Everything in the options that decides which files are read and how, but the text read. */
function settingsOf(options: CheckOptions): string {
  const { overlays: _overlays, outcomeMemo: _outcomeMemo, warmProject: _warmProject, onProgress: _onProgress, discoveryMemo: _discoveryMemo, baseline: _baseline, rules, ...rest } = options;
  return JSON.stringify({ ...rest, rules: rules?.map((rule) => rule.id) ?? null });
}
