import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** As root in a closed network: no sandbox, and none of Chromium's background connections. */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Starts headless Chromium for the browser tests: the one named by `CHROMIUM_PATH`, else a system
 * Chromium, else the headless shell that the `@sparticuz/chromium` dev dependency ships inside its
 * npm package, so that `npm ci && npm test` needs nothing but Node.
 */
export async function launchChromium(): Promise<Browser> {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH names ${named}, which does not exist`);
    return chromium.launch({ executablePath: named, args: CHROMIUM_FLAGS });
  }
  const system = SYSTEM_CHROMIUM.find((candidate) => existsSync(candidate));
  if (system) return chromium.launch({ executablePath: system, args: CHROMIUM_FLAGS });
  return chromium.launch({ executablePath: await bundledHeadlessShell(), args: [...CHROMIUM_FLAGS, '--no-zygote', '--single-process'] });
}

/**
 * Unpacks the packaged headless shell once per version into the temporary folder. Test files run
 * in parallel processes, so each unpacks into a folder of its own and the first to rename it into
 * place wins; nobody ever starts a half-written binary.
 */
async function bundledHeadlessShell(): Promise<string> {
  const version = packagedChromiumVersion();
  const target = path.join(os.tmpdir(), `csrflint-test-chromium-${version}`);
  const executable = path.join(target, 'chromium');
  if (existsSync(path.join(target, 'unpacked'))) return executable;
  mkdirSync(os.tmpdir(), { recursive: true });
  const staging = mkdtempSync(`${target}.staging-`);
  await unpackInto(staging);
  writeFileSync(path.join(staging, 'unpacked'), '');
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'unpacked'))) throw new Error(`could not unpack the bundled Chromium into ${target}`);
  }
  return executable;
}

/** The package exports no `package.json`, so it is read beside the entry point Node resolves. */
function packagedChromiumVersion(): string {
  let directory = path.dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium'));
  while (path.basename(directory) !== 'chromium' || !existsSync(path.join(directory, 'package.json'))) {
    if (path.dirname(directory) === directory) throw new Error('cannot find the @sparticuz/chromium package folder');
    directory = path.dirname(directory);
  }
  return (JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `@sparticuz/chromium` unpacks into `os.tmpdir()`, which Node reads from TMPDIR at each call. */
async function unpackInto(directory: string): Promise<void> {
  const { default: packaged } = (await import('@sparticuz/chromium')) as { default: { executablePath(): Promise<string> } };
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = directory;
  try {
    await packaged.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}
