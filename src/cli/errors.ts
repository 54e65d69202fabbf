/** A mistake in how csrflint was called: one friendly line and exit code 2, never a stack trace. */
export class UsageError extends Error {}

/** A report or baseline that cannot be written: one line and exit code 2; `--help` would not help. */
export class OutputError extends Error {}
