export const HELP = `csrflint: finds where a Python web application disables CSRF protection or never turns it on.

Usage:
  csrflint check [PATHS...] [options]   scan files and directories (default: .)
  csrflint rules [--format text|json]   list the rules
  csrflint rule <id-or-code>            show a rule's documentation
  csrflint --version                    print the version
  csrflint --help                       print this help

Options for check:
  --format <full|concise|json>   output format (default: full)
  --color <auto|always|never>    colored output (default: auto; NO_COLOR turns auto off)
  --select <ids-or-codes>        run only these rules (comma-separated)
  --ignore <ids-or-codes>        do not run these rules (comma-separated)
  --include-tests                also report findings in test code (hidden by default)
  --no-gitignore                 scan files that .gitignore excludes
  --max-file-size <MB>           skip larger files with an error entry (default: 5)
  --exit-zero                    exit 0 even when there are findings

Exit codes: 0 no findings, 1 findings, 2 usage error or internal failure.
Documentation of every rule: csrflint rule <id>, or docs/rules/<id>.md.
`;
