import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type Connection,
  createConnection,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  FileChangeType,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  MarkupKind,
  type Range,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
  WatchKind,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isScript } from '../discover/file-kinds.js';
import { isSameOrInside } from '../discover/path-inside.js';
import { ContextRoots } from '../discover/project-root.js';
import { checkProject } from '../engine.js';
import type { Finding } from '../finding.js';
import { type Fix, fixesFor, withFixContext } from '../fixes/index.js';
import { renderRuleDoc } from '../rules/doc.js';
import { findRule } from '../rules/index.js';
import { VERSION } from '../version.js';
import { diagnosticOf, problemDiagnosticOf, rangeOf } from './diagnostics.js';
import { type Analyse, type Change, type FileReport, type OpenText, ProjectSession } from './project-session.js';

/** Long enough to let a burst of keystrokes pass, short enough to feel immediate. */
const TYPING_PAUSE_MS = 250;

/** Files changed on disk arrive in bursts (a checkout, a rebase): one analysis after the burst. */
const DISK_CHANGES_PAUSE_MS = 100;

/** Files whose change can alter findings though no finding is in them: configuration and ignore files. */
const SETTINGS_FILES = ['pyproject.toml', 'csrflint.toml', '.csrflint.toml', '.gitignore'];

/**
 * What the client is asked to watch on disk (`workspace/didChangeWatchedFiles`): the files a scan
 * reads (Python, templates, the scripts that submit forms), settings files, and every path created
 * or deleted, as a folder moved in or out (a checkout, `mv`) is reported as the folder alone.
 */
const WATCHED_FILES: Array<{ globPattern: string; kind?: number }> = [
  { globPattern: '**/*.{py,pyi,html,htm,jinja,jinja2,j2,djhtml}' },
  { globPattern: '**/*.{js,mjs,cjs,jsx,ts,tsx,vue,svelte}' },
  ...SETTINGS_FILES.map((name) => ({ globPattern: `**/${name}` })),
  { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
];

/**
 * `csrflint server`: a language server over the given streams (stdin and stdout). Resolves with the
 * exit code when the client closes the input; the `exit` notification ends the process itself.
 */
export function runServer(input: Readable, output: Writable, analyse: Analyse = checkProject): Promise<number> {
  const connection = createConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const server = new CsrflintServer(connection, analyse);
  server.listen();
  return new Promise((resolve) => {
    const end = () => {
      server.dispose();
      connection.dispose();
      resolve(server.shutdownReceived ? 0 : 1);
    };
    input.once('end', end);
    input.once('close', end);
  });
}

export class CsrflintServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly sessions = new Map<string, ProjectSession>();
  private workspaceRoots: string[] = [];
  private readonly contextRoots = new ContextRoots();
  private watchesFiles = false;
  shutdownReceived = false;

  constructor(
    private readonly connection: Connection,
    private readonly analyse: Analyse,
  ) {}

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.watchFiles());
    connection.onShutdown(async () => {
      this.shutdownReceived = true;
      this.dispose();
    });
    // Opening, saving or closing a document whose text was analysed changes nothing (see `ProjectSession`).
    documents.onDidOpen(({ document }) => this.documentChanged(document.uri, 0));
    documents.onDidChangeContent(({ document }) => this.documentChanged(document.uri, TYPING_PAUSE_MS));
    documents.onDidSave(({ document }) => this.documentSaved(document.uri));
    // A closed document's text on disk is what counts again.
    documents.onDidClose(({ document }) => this.documentChanged(document.uri, 0));
    connection.onDidChangeWatchedFiles((params) => this.filesChangedOnDisk(params));
    connection.onHover((params) => this.hover(params.textDocument.uri, params.position));
    connection.onCodeAction((params) => this.codeActions(params.textDocument.uri, params.range));
    documents.listen(connection);
    connection.listen();
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.watchesFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.workspaceRoots = folders.map(pathOfUri).filter((root): root is string => root !== undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'csrflint', version: VERSION },
    };
  }

  /** Files changed by git or another tool: the client watches them when it can be asked to. */
  private watchFiles(): void {
    if (!this.watchesFiles) return;
    this.connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_FILES })
      .catch((error: unknown) => this.connection.console.error(`csrflint: the client would not watch files: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** A document's text changed, or is read from the file again. */
  private documentChanged(uri: string, delayMs: number): void {
    const file = pathOfUri(uri);
    if (file !== undefined && isScanned(file)) this.sessionFor(file).changed(file, delayMs);
  }

  /** The configuration is read from disk: a saved settings file applies to the sessions it covers. */
  private documentSaved(uri: string): void {
    const file = pathOfUri(uri);
    if (file !== undefined && isSettingsFile(file)) this.sessionsOver(file).forEach((session) => session.changed('anything', 0));
    else this.documentChanged(uri, 0);
  }

  /**
   * A file changed on disk changes what the sessions holding it read; one created or deleted
   * changes which modules the project has, and a settings file what is scanned and how.
   */
  private filesChangedOnDisk({ changes }: DidChangeWatchedFilesParams): void {
    for (const { uri, type } of changes) {
      const file = pathOfUri(uri);
      const change = file === undefined ? undefined : diskChange(file, type);
      if (change !== undefined) this.sessionsOver(file!).forEach((session) => session.changed(change, DISK_CHANGES_PAUSE_MS));
    }
  }

  /** The sessions whose root holds the file (a settings file of a folder above a root holds for it too). */
  private sessionsOver(file: string): ProjectSession[] {
    return [...this.sessions.values()].filter((session) => isSameOrInside(session.root, file) || isSameOrInside(path.dirname(file), session.root));
  }

  /** The workspace folder holding the file, else the file's project root (its repository or packaging root). */
  private sessionFor(file: string): ProjectSession {
    const folder = this.workspaceRoots.filter((root) => isSameOrInside(root, file)).sort((a, b) => b.length - a.length)[0];
    const root = folder ?? this.contextRoots.rootOf(path.dirname(file)) ?? path.dirname(file);
    let session = this.sessions.get(root);
    if (!session) {
      session = new ProjectSession(root, this.analyse, {
        openTexts: () => this.openTexts(),
        publish: (absolutePath, report) => void this.connection.sendDiagnostics({ uri: this.uriOf(absolutePath), diagnostics: diagnosticsOf(report) }),
        log: (message) => this.connection.console.error(message),
      }, this.watchesFiles);
      this.sessions.set(root, session);
    }
    return session;
  }

  private openTexts(): Map<string, OpenText> {
    const texts = new Map<string, OpenText>();
    for (const document of this.documents.all()) {
      const file = pathOfUri(document.uri);
      if (file !== undefined && isScanned(file) && existsSync(file)) texts.set(file, { text: document.getText(), version: document.version });
    }
    return texts;
  }

  /** The client's own URI for an open document (it may spell paths its own way), else the file's. */
  private uriOf(absolutePath: string): string {
    return this.documents.all().find((document) => pathOfUri(document.uri) === absolutePath)?.uri ?? pathToFileURL(absolutePath).href;
  }

  /** The findings of the document as analysed, if they were made from its current text, and the project model they were found in. */
  private currentFindings(uri: string): { file: string; findings: readonly Finding[]; text: string; session: ProjectSession } | undefined {
    const file = pathOfUri(uri);
    if (file === undefined) return undefined;
    const session = [...this.sessions.values()].find((candidate) => isSameOrInside(candidate.root, file));
    const analysed = session?.reportOf(file);
    if (!session || !analysed) return undefined;
    const document = this.documents.get(uri);
    const disk = readTextOrUndefined(file);
    // Made from the file on disk (before it was opened), they still fit an open text that matches it.
    const fits = !document || analysed.version === document.version || (analysed.version === undefined && document.getText() === disk);
    const text = document?.getText() ?? disk;
    return fits && text !== undefined ? { file, findings: analysed.findings, text, session } : undefined;
  }

  private hover(uri: string, position: { line: number; character: number }): Hover | null {
    const current = this.currentFindings(uri);
    const finding = current?.findings.find((candidate) => contains(rangeOf(candidate), position));
    const rule = finding ? findRule(finding.rule) : undefined;
    if (!finding || !rule) return null;
    return { contents: { kind: MarkupKind.Markdown, value: renderRuleDoc(rule) }, range: rangeOf(finding) };
  }

  /** The fixes of the findings in the range: the rule's own fix first, then the suppression comment. */
  private async codeActions(uri: string, range: Range): Promise<CodeAction[]> {
    const current = this.currentFindings(uri);
    if (!current) return [];
    const document = TextDocument.create(uri, 'text', 0, current.text);
    const actions: CodeAction[] = [];
    for (const finding of current.findings.filter((candidate) => overlaps(rangeOf(candidate), range))) {
      try {
        const fixable = withFixContext(finding, current.file, current.session.project);
        for (const fix of await fixesFor(fixable, current.text, current.file)) actions.push(codeActionOf(fix, finding, uri, document));
      } catch (error) {
        this.connection.console.error(`csrflint: fixes for ${current.file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    return actions;
  }
}

function codeActionOf(fix: Fix, finding: Finding, uri: string, document: TextDocument): CodeAction {
  const edits = fix.edits.map((edit) => ({ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText }));
  return {
    title: fix.applicability === 'unsafe' ? `${fix.title} [unsafe]` : fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnosticOf(finding)],
    ...(fix.applicability === 'safe' ? { isPreferred: true } : {}),
    edit: { changes: { [uri]: edits } },
  };
}

function diagnosticsOf(report: FileReport) {
  return [...report.problems.map(problemDiagnosticOf), ...report.findings.map(diagnosticOf)];
}

/**
 * What a change on disk asks of a session: a read file changed is read again; a file of the scan
 * created or deleted, a settings file, or a folder moved in, is found again ('anything'); another
 * path deleted (maybe a folder of read files) has the files read compared again.
 */
function diskChange(file: string, type: FileChangeType): Change | undefined {
  const read = isScanned(file) || isScript(file);
  if (isSettingsFile(file) || (read && type !== FileChangeType.Changed)) return 'anything';
  if (read) return file;
  if (type === FileChangeType.Created) return isDirectory(file) ? 'anything' : undefined;
  return type === FileChangeType.Deleted ? file : undefined;
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isSettingsFile(file: string): boolean {
  return SETTINGS_FILES.includes(path.basename(file));
}

/** Python files and HTML templates: what a scan reads. */
function isScanned(file: string): boolean {
  return /\.(py|pyi|html?|jinja2?|j2|djhtml)$/i.test(file);
}

function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function readTextOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function contains(range: Range, position: { line: number; character: number }): boolean {
  return !isBefore(position, range.start) && !isBefore(range.end, position);
}

function overlaps(a: Range, b: Range): boolean {
  return !isBefore(a.end, b.start) && !isBefore(b.end, a.start);
}

function isBefore(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
