import { reportConcise } from './concise.js';
import { reportFull } from './full.js';
import { reportGithub } from './github.js';
import { reportGitlabSast } from './gitlab-sast.js';
import { reportHtml } from './html.js';
import { reportJson } from './json.js';
import { reportJunit } from './junit.js';
import type { Reporter } from './reporter.js';
import { reportSarif } from './sarif.js';
import { reportSonarqube } from './sonarqube.js';

export const REPORTERS = {
  full: reportFull,
  concise: reportConcise,
  json: reportJson,
  sarif: reportSarif,
  github: reportGithub,
  'gitlab-sast': reportGitlabSast,
  sonarqube: reportSonarqube,
  junit: reportJunit,
  html: reportHtml,
} satisfies Record<string, Reporter>;

export type OutputFormat = keyof typeof REPORTERS;

export const OUTPUT_FORMATS = Object.keys(REPORTERS) as OutputFormat[];

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(REPORTERS, name);
}

/** Formats that show code excerpts and so need the reported files' lines. */
export function needsSourceLines(format: OutputFormat): boolean {
  return format === 'full' || format === 'html';
}

/** Formats read by people in a terminal, which get the scan problems on stderr and may be colored. */
export function isTerminalFormat(format: OutputFormat): boolean {
  return format === 'full' || format === 'concise';
}
