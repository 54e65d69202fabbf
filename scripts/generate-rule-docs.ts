/** Writes docs/rules/<rule-id>.md from each rule's own doc; `npm test` fails when they drift. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRuleDoc } from '../src/rules/doc.js';
import { RULES } from '../src/rules/index.js';

const docsDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/rules');
mkdirSync(docsDirectory, { recursive: true });
const current = new Set(RULES.map((rule) => `${rule.id}.md`));
for (const stale of readdirSync(docsDirectory).filter((name) => !current.has(name))) rmSync(path.join(docsDirectory, stale));
for (const rule of RULES) writeFileSync(path.join(docsDirectory, `${rule.id}.md`), renderRuleDoc(rule));
console.log(`wrote ${RULES.length} rule pages to ${path.relative(process.cwd(), docsDirectory)}`);
