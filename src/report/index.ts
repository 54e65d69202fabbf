import { reportConcise } from './concise.js';
import { reportFull } from './full.js';
import { reportJson } from './json.js';
import type { Reporter } from './reporter.js';

export const REPORTERS = {
  full: reportFull,
  concise: reportConcise,
  json: reportJson,
} satisfies Record<string, Reporter>;

export type OutputFormat = keyof typeof REPORTERS;

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(REPORTERS, name);
}
