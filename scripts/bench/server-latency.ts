import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LspClient } from '../../tests/support/lsp-client.js';

/**
 * `node dist/scripts/bench/server-latency.js ROOT --edit FILE --remove TEXT [--watch FILE] [--runs 5] [--cpu-prof DIR] [--watches-files]`
 * (or `--comment-on TEXT`: a comment added to that line instead; `--statement-after TEXT`: an
 * assignment added after that line, which changes the module's facts; `--watches-files`: the client
 * offers to watch files, as VS Code does, so the server need not look for the project's files again):
 * starts `csrflint server` over stdio as an editor does, opens FILE (and the watched file), waits
 * for their first diagnostics (cold), then toggles FILE between its text and its text without
 * the first line holding TEXT, timing from each `didChange` to the watched file's new
 * diagnostics (the edit's own file by default). The typing pause the server waits is included.
 */

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/bin.js');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    edit: { type: 'string' },
    remove: { type: 'string' },
    'comment-on': { type: 'string' },
    'statement-after': { type: 'string' },
    watch: { type: 'string' },
    runs: { type: 'string', default: '5' },
    'cpu-prof': { type: 'string' },
    'watches-files': { type: 'boolean', default: false },
  },
});
const root = path.resolve(positionals[0] ?? '.');
const marker = values.remove ?? values['comment-on'] ?? values['statement-after'];
if (!values.edit || !marker) throw new Error('--edit FILE and --remove TEXT (or --comment-on TEXT, or --statement-after TEXT) are needed');
const edited = path.join(root, values.edit);
const watched = path.join(root, values.watch ?? values.edit);
const original = readFileSync(edited, 'utf8');
const lines = original.split('\n');
const editedAt = lines.findIndex((line) => line.includes(marker));
if (editedAt < 0) throw new Error(`no line of ${edited} holds ${marker}`);
// `--comment-on`: a comment added to the line, which changes no finding; the edited file's next publication ends the wait.
// `--statement-after`: a new assignment after the line, which changes the module's facts (a comment does not) but no finding.
const editedLine = values.remove ? [] : values['statement-after'] ? [lines[editedAt]!, `${/^\s*/.exec(lines[editedAt]!)![0]}latency_bench_edit = 1`] : [`${lines[editedAt]}  # edited`];
const edit = [...lines.slice(0, editedAt), ...editedLine, ...lines.slice(editedAt + 1)].join('\n');

const profiling = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(values['cpu-prof'])] : [];
// The fact cache is kept from one run to the next, as an editor's is: the first analysis is then warm too.
const cacheHome = path.join(os.tmpdir(), 'csrflint-latency-cache');
mkdirSync(cacheHome, { recursive: true });
const child = spawn(process.execPath, [...profiling, CLI, 'server'], { cwd: root, env: { ...process.env, XDG_CACHE_HOME: cacheHome }, stdio: ['pipe', 'pipe', 'inherit'] });
const client = new LspClient(child.stdout, child.stdin, child);
await client.initialize(pathToFileURL(root).href, { watchesFiles: values['watches-files'] });

const editedUri = pathToFileURL(edited).href;
const watchedUri = pathToFileURL(watched).href;
const signature = () => JSON.stringify(client.diagnostics.get(watchedUri));

let started = performance.now();
await client.open(editedUri, original);
if (watchedUri !== editedUri) await client.open(watchedUri, readFileSync(watched, 'utf8'));
await patiently(() => client.waitForPublications(watchedUri, 1));
await patiently(() => client.waitForPublications(editedUri, 1));
console.log(`cold: ${Math.round(performance.now() - started)} ms, ${client.diagnostics.get(watchedUri)?.length} diagnostics in ${values.watch ?? values.edit}`);

const latencies: number[] = [];
const cpuTimes: number[] = [];
const runs = Number(values.runs) * 2;
for (let version = 2; version < 2 + runs; version++) {
  const before = signature();
  const text = version % 2 === 0 ? edit : original;
  const published = client.publications.filter((publication) => publication.uri === editedUri).length;
  started = performance.now();
  const cpuBefore = serverCpuMs();
  await client.change(editedUri, version, text);
  if (!values.remove) await patiently(() => client.waitForPublications(editedUri, published + 1));
  const after = await patiently(() => client.waitForDiagnostics(watchedUri, () => !values.remove || signature() !== before));
  const latency = Math.round(performance.now() - started);
  const cpu = serverCpuMs() - cpuBefore;
  latencies.push(latency);
  cpuTimes.push(cpu);
  console.log(`edit ${version - 1}: ${latency} ms, server CPU ${cpu} ms, ${after.length} diagnostics`);
}
console.log(`median of ${latencies.length}: ${median(latencies)} ms, server CPU ${median(cpuTimes)} ms`);
console.log(`exit code ${await client.shutdownAndExit()}`);

/** The client gives up after 30 s; a cold start of a large project on a loaded machine takes longer. */
async function patiently<T>(wait: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await wait();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The server's user and system time so far (Linux): on a loaded machine, wall time says little. */
function serverCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
