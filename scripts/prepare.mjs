// `npm ci` runs this with the dev dependencies installed. When csrflint is installed globally from
// git (as pre-commit's `language: node` does), npm prepares the clone without them, so they are
// installed there first, without lifecycle scripts (the grammar ships as WebAssembly).
// Everything goes to stderr: pre-commit before 4 reads the tarball name from `npm pack`'s stdout.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';

const tsc = 'node_modules/typescript/bin/tsc';
const TO_STDERR = ['inherit', 2, 2];
const INHERITED_GLOBAL_SETTINGS = /^npm_config_(global|location|prefix|allow_scripts)$/i;
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

if (!existsSync(tsc)) {
  const [command, ...prefix] = npm;
  // npm hands the settings of `npm install -g --allow-scripts=<url> <url>` down to this script; this
  // install is of the clone's own dependencies, and npm 11 refuses allow-scripts in it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INHERITED_GLOBAL_SETTINGS.test(name)));
  execFileSync(command, [...prefix, 'install', '--location=project', '--include=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund'], { stdio: TO_STDERR, env });
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: TO_STDERR });
// `npx csrflint` runs the bin file itself, which tsc writes without the execute bit.
chmodSync('dist/src/cli/bin.js', 0o755);
