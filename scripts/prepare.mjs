// `npm ci` runs this with the dev dependencies installed. When csrflint is installed globally from
// git (as pre-commit's `language: node` does), npm prepares the clone without them, so they are
// installed there first, without lifecycle scripts (the grammar ships as WebAssembly).
// Everything goes to stderr: pre-commit before 4 reads the tarball name from `npm pack`'s stdout.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';

const tsc = 'node_modules/typescript/bin/tsc';
const TO_STDERR = ['inherit', 2, 2];
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

if (!existsSync(tsc)) {
  const [command, ...prefix] = npm;
  // `npm install -g --allow-scripts=csrflint` hands its setting down; npm refuses it in a project install.
  const { npm_config_allow_scripts: _, ...env } = process.env;
  execFileSync(command, [...prefix, 'install', '--global=false', '--include=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund'], { stdio: TO_STDERR, env });
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: TO_STDERR });
// `npx csrflint` runs the bin file itself, which tsc writes without the execute bit.
chmodSync('dist/src/cli/main.js', 0o755);
