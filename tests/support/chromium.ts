import { existsSync } from 'node:fs';

/** As root in a closed network: no sandbox, and none of Chromium's background connections. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's `chromium` (what `.ci/run` installs), or the browser named by `CHROMIUM_PATH`. */
export function chromiumExecutable(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the HTML tests need Chromium: apt-get install chromium, or set CHROMIUM_PATH (looked at ${candidates.join(', ')})`);
  return found;
}
