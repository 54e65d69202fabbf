import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

// Why WebAssembly and not the native binding (`tree-sitter` 0.25.1 + `tree-sitter-python` 0.25.0),
// measured on Debian's Django tree (859 files, CPU time): native parses about 20% faster, but its
// `Node` objects are built through a transfer buffer on every access, so the fact walk took 3.4 s
// instead of 1.25 s, the whole cold check 6.7 s instead of 4.5 s, and RSS grew from 140 to 380 MB
// (2 GB on saleor): its trees have no `delete()` and wait for the garbage collector. Its linux-x64
// prebuild also needs libstdc++ from GCC 13 (GLIBCXX_3.4.31), so on Debian 12 or Ubuntu 22.04
// `npm ci` compiles it, and fails without Python and a C++ compiler.

let parserReady: Promise<Parser> | undefined;
let readyParser: Parser | undefined;

/**
 * tree-sitter-python's WebAssembly grammar, as VS Code's package ships it: the same file without
 * the grammar package's native install script, which makes an install from git fail.
 */
function grammarPath(): string {
  return require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm');
}

async function createParser(): Promise<Parser> {
  await Parser.init();
  const python = await Language.load(grammarPath());
  const parser = new Parser();
  parser.setLanguage(python);
  readyParser = parser;
  return parser;
}

/** Loads the grammar, once per thread: it costs far more than a parse. Parsing is synchronous after it. */
export async function initPythonParser(): Promise<void> {
  parserReady ??= createParser();
  await parserReady;
}

/** Parses Python source. The caller must `delete()` the tree: it lives in WebAssembly memory. */
export function parsePython(source: string): Tree {
  if (!readyParser) throw new Error('parsePython() needs initPythonParser() first');
  const tree = readyParser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
