import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The modules csrflint reads code and markup with; an upgrade changes facts and findings without changing csrflint. */
const PARSER_MODULES = ['web-tree-sitter', 'web-tree-sitter/tree-sitter.wasm', '@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm', 'htmlparser2'];

let parsersHash: string | undefined;

/** The files of the installed parsers: tree-sitter's runtime and its Python grammar, and htmlparser2's `package.json` (its version). */
export function parserFiles(): string[] {
  return PARSER_MODULES.flatMap((name) => {
    try {
      const file = require.resolve(name);
      const version = name === 'htmlparser2' ? manifestOf(file, name) : file;
      return version === undefined ? [] : [version];
    } catch {
      return [];
    }
  });
}

/** The installed parsers, as a hash: cached facts and remembered runs of other parser versions must not be met. */
export function hashOfParsers(): string {
  if (parsersHash !== undefined) return parsersHash;
  const hash = createHash('sha256');
  for (const file of parserFiles()) hash.update(`${path.basename(file)}\n`).update(readFileSync(file));
  parsersHash = hash.digest('hex');
  return parsersHash;
}

/** The `package.json` of the package a file is in: the first one above it that names the package (a nested one may only set `type`). */
function manifestOf(file: string, packageName: string): string | undefined {
  for (let directory = path.dirname(file); directory !== path.dirname(directory); directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }).name === packageName) return candidate;
  }
  return undefined;
}
