import { discoverFiles } from './walk.js';

type DiscoverOptions = Parameters<typeof discoverFiles>[1];
type Discovery = Awaited<ReturnType<typeof discoverFiles>>;

/**
 * What discovery found under the same paths, kept by a long-lived process (the language server)
 * while no file is added or removed and the settings stay the same: its owner drops it when
 * either may have changed, as it cannot tell by itself (`isExcluded` is a function).
 */
export class DiscoveryMemo {
  private readonly found = new Map<string, Promise<Discovery>>();

  discover(paths: readonly string[], options: DiscoverOptions): Promise<Discovery> {
    const key = JSON.stringify([paths, options.respectGitignore, options.templateDirectories ?? null]);
    let discovery = this.found.get(key);
    if (!discovery) {
      discovery = discoverFiles(paths, options);
      // A walk that failed (a path given that does not exist) is walked again next time.
      discovery.catch(() => this.found.delete(key));
      this.found.set(key, discovery);
    }
    return discovery;
  }
}
