import type { Keyword } from '../prefilter.js';
import type { SourceRange } from '../python/facts.js';
import type { FindingContext } from '../project/context.js';
import type { Project } from '../project/project.js';
import type { TemplateFile } from '../project/scanned-file.js';
import type { SourceModule } from '../project/source-module.js';

export type Severity = 'low' | 'medium' | 'high';

export interface Reference {
  title: string;
  url: string;
}

/** A rule's documentation: the same text is the `csrflint rule` page, the docs site and SARIF help. */
export interface RuleDoc {
  /** Markdown: the shapes the rule reports. */
  whatItFinds: string;
  /** Markdown: the attack the finding opens the door to. */
  whyItMatters: string;
  /** Code the rule reports (a test runs it through the rule). */
  example: string;
  /** Code that does the same job safely (a test checks the rule is silent on it). */
  useInstead: string;
  /** Where the examples would live in a project; `app.py` unless the rule reads templates. */
  exampleFile?: string;
  /** Markdown: when a reviewer may accept the finding, and how to record that. */
  whenItIsFine: string;
  /** Rule-specific references; CWE-352 and OWASP A01:2021 are added to every rule. */
  references: Reference[];
}

export interface RuleReport {
  /** The module or template the finding is in. */
  file: SourceModule | TemplateFile;
  range: SourceRange;
  message: string;
  /** Overrides the module's context, e.g. a testing config class in a production module. */
  context?: FindingContext;
  /** Overrides the rule's severity for this finding. */
  severity?: Severity;
  /** Extra information a reviewer needs, e.g. why the finding may be benign. */
  hint?: string;
  /** Overrides the rule's fix for this finding, when the general one does not fit it. */
  fix?: string;
  /**
   * What turns a forged request away on every request, when the finding is a CSRF exemption judged
   * guarded (`header-token`, `signature`...): such findings are hidden unless `reportGuardedExemptions`.
   */
  guard?: string;
}

/** Options that change what a rule reports, not which files it reads. */
export interface RuleSettings {
  /** Also report template forms without a token that post to a view the server protects: broken forms, not holes. */
  reportBrokenForms?: boolean;
}

export interface RuleContext {
  project: Project;
  settings: RuleSettings;
  report(finding: RuleReport): void;
}

export interface Rule {
  /** Stable kebab-case id: the rule's name everywhere. */
  id: string;
  /** Short code for `# noqa: CODE`. */
  code: string;
  /** One line naming what is wrong, for tables and SARIF short descriptions. */
  title: string;
  severity: Severity;
  framework: string;
  /** What the rule looks at: Python modules (the default), templates, or csrflint's own suppression comments. */
  reads?: 'python' | 'templates' | 'suppressions';
  /**
   * `project`: a finding says a protection is missing from the whole project, so a change to any
   * file of the project can cause it (`CSRFProtect(app)` removed from `security.py` leaves `app.py`
   * unprotected). `--diff-base` and runs on some files report it wherever it lands in a project
   * they touch.
   */
  judges?: 'project';
  /** Off unless selected or turned on by its option (`--report-unused-suppressions`, `require-reason`). */
  optIn?: boolean;
  /** How often a finding is right, as code scanning tools grade it; `high` unless said. */
  precision?: 'very-high' | 'high' | 'medium';
  /** One line on how to fix it, shown under each finding. */
  fix: string;
  /**
   * Words of which a file must hold one (in any case, unless exact) to matter to this rule, either for
   * what it reports or for the facts it needs (where an app is protected, where views are routed).
   * The prefilter parses only such files and the modules they import; a rule that needs a new
   * word declares it here. A rule that reads templates lists the words of the Python facts it uses.
   */
  keywords: Keyword[];
  /**
   * Words of which a file must hold one for a finding of this rule to land in it, when that is
   * narrower than `keywords` (which also name the files the rule reads facts from): DRF's rule
   * reads `authentication_classes` lists but reports only at `enforce_csrf` and `authenticate`. A
   * run on some files skips a rule that can report in none of them and cannot cause a finding
   * elsewhere (see `rulesThatCanReportIn`). Leave it out when a finding can land in a file through
   * a name the file need not spell (an app created by calling a subclass defined elsewhere).
   */
  reportsAt?: Keyword[];
  /**
   * Top-level packages (`aiohttp`) of which every finding needs some class or function, reached
   * through a name of the code: the rule is not run on a project that can refer to none of them
   * (see `Project.mayReferTo`). Leave it out when a finding can come without one (a setting read
   * as a string, a method matched by its name on any object).
   */
  packages?: readonly string[];
  /**
   * Words of which some Python file of the project (its text or its path) must hold one for the rule
   * to find anything anywhere in it, when the rule has no `packages` to say so (a rule with
   * `packages` needs the code to spell one of their import names). A run on some files skips the
   * rule when no file of their projects holds one, without loading the project for it.
   */
  projectWords?: Keyword[];
  doc: RuleDoc;
  check(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
