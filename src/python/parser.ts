import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let parserReady: Promise<Parser> | undefined;

/** The grammar ships as WebAssembly inside the tree-sitter-python package: no native build. */
function grammarPath(): string {
  return require.resolve('tree-sitter-python/tree-sitter-python.wasm');
}

async function createParser(): Promise<Parser> {
  await Parser.init();
  const python = await Language.load(grammarPath());
  const parser = new Parser();
  parser.setLanguage(python);
  return parser;
}

/** One parser per thread; loading the grammar costs far more than a parse. */
export function pythonParser(): Promise<Parser> {
  parserReady ??= createParser();
  return parserReady;
}

/** Parses Python source. The caller must `delete()` the tree: it lives in WebAssembly memory. */
export async function parsePython(source: string): Promise<Tree> {
  const parser = await pythonParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
