export const HELP = `csrflint: finds where a Python web application disables CSRF protection or never turns it on.

Usage:
  csrflint check [PATHS...] [options]   scan files and directories (default: .)
  csrflint endpoints [PATHS...] [options]
                                        list every endpoint, its methods, credentials and CSRF state
  csrflint server                        a language server over stdio: findings as you type, quick fixes
  csrflint rules [--format text|json]   list the rules
  csrflint rule <id-or-code>            show a rule's documentation
  csrflint --version                    print the version
  csrflint --help                       print this help

Output:
  --format <name>[=FILE]         full (default), concise, json, sarif, github, gitlab-sast,
                                 sonarqube, junit or html; repeat with =FILE for several reports
  -o, --output <FILE>            write the report to FILE instead of standard output
  --color <auto|always|never>    colored text output (default: auto; NO_COLOR turns auto off)
  --show-suppressed              also show suppressed findings in text, SARIF and other reports
  -q, --quiet                    print the findings only: no summary, no notes
  --statistics                   print a count per rule instead of each finding
  --fail-on <low|medium|high>    exit 1 only for findings of this severity or above (default: low)
  --exit-zero                    exit 0 even when there are findings

Fixes (csrflint check):
  --fix                          apply the safe fixes, then report what is left
  --unsafe-fixes                 with --fix or --diff, also the fixes that change behaviour
                                 (adding CsrfViewMiddleware rejects every post without a token)
  --diff                         print the fixes as a unified diff instead of writing them
                                 (exit 1 when there is one)

Endpoints (csrflint endpoints; the scan options below apply too):
  --format <name>                table (default), json, markdown, csv or html
  -o, --output <FILE>            write the inventory to FILE
  --only <states>                keep these states: unprotected, exempt, protected, safe (comma-separated)

Configuration (the nearest csrflint.toml, .csrflint.toml or pyproject.toml [tool.csrflint]):
  --config <FILE>                read this configuration file instead
  --isolated                     read no configuration file
  --select <ids-or-codes>        run only these rules (comma-separated or repeated)
  --ignore <ids-or-codes>        do not run these rules (added to the configuration's)
  --exclude <globs>              skip these paths instead of the default folders (.git, venv...)
  --extend-exclude <globs>       skip these paths as well
  --force-exclude                skip excluded paths even when named on the command line (pre-commit)
  --per-file-ignores <GLOB:IDS>  silence rules in matching files, e.g. 'hooks/*.py:CSRF102'
  --[no-]include-tests           report findings in test code too (hidden by default)
  --template-dirs <names>        folder names whose .html files are templates (default: templates,jinja2)
  --[no-]respect-gitignore       skip what .gitignore files exclude (default: on; or --no-gitignore)
  --[no-]require-reason          report suppression comments that give no reason
  --[no-]report-unused-suppressions
                                 report suppression comments that silence nothing
  --[no-]report-broken-forms     also report token-less template forms the server will reject
                                 (CSRF401 reports only forms that are a hole by default)
  --[no-]report-guarded-exemptions
                                 also report CSRF exemptions judged guarded (a signature, a header
                                 token, a secret URL... turns a forged request away)
  --baseline <FILE>              hide the findings recorded in FILE
  --write-baseline <FILE>        record the current findings in FILE and exit 0
  --diff-base <REF>              report only files changed since git REF (the project is still read)
  --max-file-size <MB>           larger files are not read, and the run fails (default: 5)

Speed:
  -j, --jobs <N>                 threads that parse (default: one per core, one on 2 cores or fewer;
                                 small scans parse inline)
  --cache-dir <DIR>              where parsed facts are cached (default: a folder per project in the
                                 user cache folder, e.g. ~/.cache/csrflint; entries are signed)
  --no-cache                     neither read nor write the cache
  --no-memo                      do not answer from the memo of the last run over unchanged files
                                 (facts are still cached)

Globs on the command line are relative to the working directory; globs in a configuration file
are relative to its folder. A glob without '/' matches a file or folder name anywhere.

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error, or internal failure.
Documentation of every rule: csrflint rule <id>, or docs/rules/<id>.md.
`;
