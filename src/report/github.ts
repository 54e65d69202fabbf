import type { CheckResult } from '../finding.js';
import { type ReportContext, type Reporter, repositoryRelative, shownFindings } from './reporter.js';

const COMMAND = { high: 'error', medium: 'warning', low: 'notice' } as const;

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff. */
export const reportGithub: Reporter = (result, context) => findingCommands(result, context) + scanErrorCommands(result, context);

function findingCommands(result: CheckResult, context: ReportContext): string {
  return shownFindings(result, context)
    .map((finding) => {
      const properties = [
        `file=${escapeProperty(repositoryRelative(finding.path, context))}`,
        `line=${finding.line}`,
        `col=${finding.column}`,
        `endLine=${finding.endLine}`,
        `endColumn=${finding.endColumn}`,
        `title=${escapeProperty(`${finding.code} ${finding.rule}`)}`,
      ].join(',');
      const message = finding.hint ? `${finding.message} (hint: ${finding.hint})` : finding.message;
      return `::${COMMAND[finding.severity]} ${properties}::${escapeData(message)}\n`;
    })
    .join('');
}

/** Files that could not be fully checked, so that a pull request shows why a file went unchecked. */
function scanErrorCommands(result: CheckResult, context: ReportContext): string {
  return result.errors.map((error) => `::warning file=${escapeProperty(repositoryRelative(error.path, context))},title=csrflint could not check this file::${escapeData(error.message)}\n`).join('');
}

/** The escapes GitHub's workflow command parser undoes. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
