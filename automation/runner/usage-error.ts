/** A usage error of the runner: one line, exit 2, nothing touched. Its own module so the CLI's option parsers need nothing else. */
export class RunnerUsageError extends Error {}
