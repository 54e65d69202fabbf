import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import {
  type CodeAction,
  CodeActionRequest,
  createMessageConnection,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  type Hover,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  LogMessageNotification,
  type MessageConnection,
  PublishDiagnosticsNotification,
  type FileEvent,
  type Range,
  type Registration,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';
import { CLI } from './paths.js';

const WAIT_MS = 30_000;

/** A real LSP client (vscode-languageserver-protocol) talking to a server over a pair of streams. */
export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publication, in order: `uri` and how many diagnostics it held. */
  readonly publications: Array<{ uri: string; count: number }> = [];
  readonly logs: string[] = [];
  /** What the server registered dynamically (`client/registerCapability`). */
  readonly registrations: Registration[] = [];
  private readonly connection: MessageConnection;
  private readonly listeners = new Set<() => void>();

  constructor(input: Readable, output: Writable, readonly child?: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
    this.connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
      this.diagnostics.set(uri, diagnostics);
      this.publications.push({ uri, count: diagnostics.length });
      this.notify();
    });
    this.connection.onNotification(LogMessageNotification.type, ({ message }) => {
      this.logs.push(message);
      this.notify();
    });
    this.connection.onRequest(RegistrationRequest.type, ({ registrations }) => {
      this.registrations.push(...registrations);
      this.notify();
    });
    this.connection.listen();
  }

  /** Starts `csrflint server` as an editor would, with its cache in `cacheHome`. */
  static spawn(cwd: string, cacheHome: string): LspClient {
    const child = spawn(process.execPath, [CLI, 'server'], { cwd, env: { ...process.env, XDG_CACHE_HOME: cacheHome }, stdio: ['pipe', 'pipe', 'inherit'] });
    return new LspClient(child.stdout!, child.stdin!, child);
  }

  /** `watchesFiles`: the client can be asked to watch files on disk, as VS Code and Neovim can. */
  initialize(rootUri: string, { watchesFiles = false } = {}): Promise<InitializeResult> {
    const capabilities = watchesFiles ? { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } : {};
    const result = this.connection.sendRequest(InitializeRequest.type, { processId: null, rootUri, capabilities, workspaceFolders: [{ uri: rootUri, name: 'project' }] });
    return result.then(async (answer) => {
      await this.connection.sendNotification(InitializedNotification.type, {});
      return answer;
    });
  }

  open(uri: string, text: string, languageId = 'python'): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  filesChanged(changes: FileEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  save(uri: string): Promise<void> {
    return this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = []): Promise<CodeAction[]> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
  }

  hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  /** The diagnostics of `uri` once `accept` takes them (they may already be there). */
  waitForDiagnostics(uri: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    return this.waitFor(() => {
      const diagnostics = this.diagnostics.get(uri);
      return diagnostics && accept(diagnostics) ? diagnostics : undefined;
    }, `diagnostics of ${uri}`);
  }

  /** Once `uri` has been published `count` times. */
  waitForPublications(uri: string, count: number): Promise<number> {
    return this.waitFor(() => {
      const published = this.publications.filter((publication) => publication.uri === uri).length;
      return published >= count ? published : undefined;
    }, `${count} publications of ${uri}`);
  }

  waitForRegistration(method: string): Promise<Registration> {
    return this.waitFor(() => this.registrations.find((registration) => registration.method === method), `a registration of ${method}`);
  }

  waitForLog(accept: (message: string) => boolean): Promise<string> {
    return this.waitFor(() => this.logs.find(accept), 'a log message');
  }

  /** `shutdown`, then `exit`: resolves with the server process's exit code. */
  async shutdownAndExit(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    const exited = this.child ? once(this.child, 'exit') : Promise.resolve([0]);
    await this.connection.sendNotification(ExitNotification.type);
    const [code] = (await exited) as [number | null];
    this.connection.dispose();
    return code;
  }

  dispose(): void {
    this.connection.dispose();
    this.child?.kill();
  }

  private waitFor<T>(found: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}; published: ${JSON.stringify(this.publications)}`));
      }, WAIT_MS);
      this.listeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
