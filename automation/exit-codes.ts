/** The runner's exit codes, the same for every command. */
export const EXIT = {
    ok: 0,
    /** A stack operation failed. */
    failure: 1,
    /** Bad usage or config: nothing was touched. */
    usage: 2,
    /** Findings: mandatory policy violations, or drift left unfixed. */
    findings: 3,
} as const;
