import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { RULES } from '../../src/rules/index.js';
import { writeCorpus } from './corpus.js';

/**
 * `npm run bench [-- --sizes 1,10,100] [-- --runs 3] [-- PATH...]`: scans generated corpora and
 * the real trees installed on the machine (Debian's `python3-django`, the Python standard
 * library), or the given folders, with csrflint (no cache, cold and warm cache), beside the floor
 * of reading the same files (`grep -rliE` of the prefilter's words), ast-grep looking for one
 * pattern in every file, and `bandit -r` when it is installed, and prints wall time, peak RSS and
 * each tool's ratio to the floor measured in the same run. `--sizes none` skips the generated ones.
 */

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/bin.js');
const CORPUS_VERSION = '4';

/** Real code any Debian or Ubuntu machine can install: `apt-get install python3-django`. */
const INSTALLED_TREES = [
  { name: 'Django (python3-django)', directory: '/usr/lib/python3/dist-packages/django', install: 'apt-get install python3-django' },
  { name: 'Python 3.11 standard library', directory: '/usr/lib/python3.11', install: 'apt-get install libpython3.11-stdlib' },
];

/** One pattern ast-grep looks for: it parses every file to find it, where csrflint parses a few. */
const AST_GREP_PATTERN = 'csrf_exempt';

interface Measurement {
  seconds: number;
  /** User plus system time: on a shared machine it moves less than the wall time. */
  cpuSeconds: number | undefined;
  peakRssMegabytes: number | undefined;
}

interface Row {
  corpus: string;
  files: number;
  megabytes: number;
  tool: string;
  measurement: Measurement;
  floor: Measurement;
}

const MEASURE_CHILD = `
import json, resource, subprocess, sys, time
started = time.perf_counter()
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "kb": usage.ru_maxrss, "status": status}))
`;

function main(): void {
  const { values, positionals } = parseArgs({ options: { sizes: { type: 'string', default: '1,10,100' }, runs: { type: 'string', default: '3' } }, allowPositionals: true });
  const runs = Math.max(1, Number(values.runs));
  const sizes = values.sizes === 'none' ? [] : values.sizes.split(',').map(Number);
  const corpora = positionals.length > 0 ? positionals.map((given) => ({ name: given, directory: path.resolve(given) })) : [...generatedCorpora(sizes), ...installedTrees()];
  printMachine();
  const rows = corpora.flatMap(({ name, directory }) => benchmark(name, directory, runs));
  printTable(rows);
  printLinearity(rows);
}

function generatedCorpora(sizes: number[]): Array<{ name: string; directory: string }> {
  return sizes.map((scale) => {
    const directory = path.join(os.tmpdir(), 'csrflint-bench', `${scale}x`);
    const marker = path.join(directory, '.corpus-version');
    if (!existsSync(marker) || readFileSync(marker, 'utf8') !== CORPUS_VERSION) {
      rmSync(directory, { recursive: true, force: true });
      process.stderr.write(`generating the ${scale}x corpus in ${directory}\n`);
      writeCorpus(directory, scale);
      writeFileSync(marker, CORPUS_VERSION);
    }
    return { name: `${scale}x`, directory };
  });
}

function installedTrees(): Array<{ name: string; directory: string }> {
  return INSTALLED_TREES.filter(({ name, directory, install }) => {
    if (existsSync(directory)) return true;
    process.stderr.write(`skipping ${name}: ${directory} is not installed (${install})\n`);
    return false;
  });
}

function benchmark(name: string, directory: string, runs: number): Row[] {
  const { files, bytes } = sizeOf(directory);
  const megabytes = bytes / (1024 * 1024);
  process.stderr.write(`${name}: ${files} files, ${megabytes.toFixed(1)} MB\n`);
  const floorCommand = ['grep', '-rliE', prefilterPattern(), '--include=*.py', directory];
  measure(floorCommand); // fills the page cache: every tool then reads from memory
  const floor = median(runs, () => measure(floorCommand));
  const row = (tool: string, measurement: Measurement): Row => ({ corpus: name, files, megabytes, tool, measurement, floor });
  const cacheDirectory = mkdtempSync(path.join(os.tmpdir(), 'csrflint-bench-cache-'));
  const csrflint = (...extra: string[]) => [process.execPath, CLI, 'check', directory, '--format', 'json', '--exit-zero', '--include-tests', ...extra];
  const rows = [row('grep (read floor)', floor)];
  rows.push(row('csrflint, no cache', median(runs, () => measure(csrflint('--no-cache')))));
  rows.push(row('csrflint, no cache, --jobs 1', median(runs, () => measure(csrflint('--no-cache', '--jobs', '1')))));
  const cold = median(runs, () => {
    rmSync(cacheDirectory, { recursive: true, force: true });
    return measure(csrflint('--cache-dir', cacheDirectory));
  });
  rows.push(row('csrflint, cold cache', cold));
  rows.push(row('csrflint, warm cache, --no-memo', median(runs, () => measure(csrflint('--cache-dir', cacheDirectory, '--no-memo')))));
  rows.push(row('csrflint, warm cache (run memo)', median(runs, () => measure(csrflint('--cache-dir', cacheDirectory)))));
  rmSync(cacheDirectory, { recursive: true, force: true });
  const astGrep = astGrepBinary();
  if (astGrep) rows.push(row('ast-grep, one pattern', median(runs, () => measure([astGrep, 'run', '--lang', 'python', '--pattern', AST_GREP_PATTERN, '--json=compact', directory]))));
  // bandit takes tens of seconds on the big corpus: one run is enough to place it.
  if (hasCommand('bandit')) rows.push(row('bandit -r', measure(['bandit', '-r', '-q', '-f', 'json', directory])));
  return rows;
}

/**
 * ast-grep's binary, which its npm package ships per platform (`@ast-grep/cli-linux-x64-gnu`...):
 * nothing is downloaded or built when it is installed.
 */
function astGrepBinary(): string | undefined {
  const require = createRequire(import.meta.url);
  const platformPackage = `@ast-grep/cli-${process.platform}-${process.arch}${process.platform === 'linux' ? '-gnu' : process.platform === 'win32' ? '-msvc' : ''}`;
  for (const packageName of [platformPackage, '@ast-grep/cli']) {
    try {
      const binary = path.join(path.dirname(require.resolve(`${packageName}/package.json`)), process.platform === 'win32' ? 'ast-grep.exe' : 'ast-grep');
      if (existsSync(binary)) return binary;
    } catch {
      // Not installed for this platform: try the next.
    }
  }
  process.stderr.write('skipping ast-grep: @ast-grep/cli is not installed (npm ci installs it)\n');
  return undefined;
}

/** The words of every rule that reads Python, in any case: a floor that exact words only raise. */
function prefilterPattern(): string {
  const words = new Set(RULES.filter((rule) => (rule.reads ?? 'python') === 'python').flatMap((rule) => rule.keywords.map((word) => (typeof word === 'string' ? word : word.exact).toLowerCase())));
  return [...words].map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** Wall time and peak RSS of a command, measured by Python's `getrusage` of its children. */
function measure(command: string[]): Measurement {
  const run = spawnSync('python3', ['-c', MEASURE_CHILD, ...command], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  if (run.status === 0) {
    const { seconds, cpu, kb } = JSON.parse(run.stdout) as { seconds: number; cpu: number; kb: number };
    return { seconds, cpuSeconds: cpu, peakRssMegabytes: kb / 1024 };
  }
  const started = performance.now();
  spawnSync(command[0]!, command.slice(1), { stdio: 'ignore' });
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: undefined, peakRssMegabytes: undefined };
}

function median(runs: number, take: () => Measurement): Measurement {
  const measurements = Array.from({ length: runs }, take).sort((a, b) => a.seconds - b.seconds);
  return measurements[Math.floor(measurements.length / 2)]!;
}

function sizeOf(directory: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.py')) {
        files++;
        bytes += statSync(full).size;
      }
    }
  };
  walk(directory);
  return { files, bytes };
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function printMachine(): void {
  const cpus = os.cpus();
  process.stdout.write(`Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}\n\n`);
}

function printTable(rows: Row[]): void {
  const header = '| corpus | files | MB | tool | wall s | CPU s | peak RSS MB | × grep floor |';
  const lines = rows.map(
    ({ corpus, files, megabytes, tool, measurement, floor }) =>
      `| ${corpus} | ${files} | ${megabytes.toFixed(1)} | ${tool} | ${measurement.seconds.toFixed(2)} | ${measurement.cpuSeconds?.toFixed(2) ?? 'n/a'} | ${measurement.peakRssMegabytes?.toFixed(0) ?? 'n/a'} | ${(measurement.seconds / floor.seconds).toFixed(1)} |`,
  );
  process.stdout.write([header, '| --- | --- | --- | --- | --- | --- | --- | --- |', ...lines].join('\n') + '\n\n');
}

/** Time per MB at each size: flat means linear. */
function printLinearity(rows: Row[]): void {
  const tools = [...new Set(rows.map((row) => row.tool))];
  for (const tool of tools) {
    const perMegabyte = rows.filter((row) => row.tool === tool).map((row) => `${row.corpus} ${((row.measurement.seconds * 1000) / row.megabytes).toFixed(0)} ms/MB`);
    process.stdout.write(`${tool}: ${perMegabyte.join(', ')}\n`);
  }
}

main();
