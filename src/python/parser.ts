import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

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
