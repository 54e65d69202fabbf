/** A mistake in how csrflint was called: one friendly line and exit code 2, never a stack trace. */
export class UsageError extends Error {}
