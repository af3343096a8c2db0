/**
 * The abort reason for Ctrl-C. The terminal sends SIGINT to its whole foreground process group, so
 * every running `pulumi` child already has it and is cancelling gracefully; a second SIGINT would
 * mean "terminate now" (pkg/backend/cancellation_scope.go) and can orphan resources. So an
 * interrupt stops new work, and running operations are signalled only when `cancelRunning` aborts
 * (SIGTERM), once.
 */
export class Interrupt extends Error {
    constructor(readonly cancelRunning: AbortSignal) {
        super("interrupted");
        this.name = "Interrupt";
    }
}

/**
 * The signal handed to the Automation API, whose abort sends SIGINT to the `pulumi` child
 * (sdk/nodejs/automation/cmd.ts): it aborts with an ordinary cancellation, and after an interrupt
 * only when the interrupt escalates.
 */
export function childSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
    if (!signal) return undefined;
    const child = new AbortController();
    const forward = () => {
        const reason: unknown = signal.reason;
        if (!(reason instanceof Interrupt)) child.abort();
        else if (reason.cancelRunning.aborted) child.abort();
        else reason.cancelRunning.addEventListener("abort", () => child.abort(), { once: true });
    };
    if (signal.aborted) forward();
    else signal.addEventListener("abort", forward, { once: true });
    return child.signal;
}
