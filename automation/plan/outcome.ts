// What planning one stack comes to, as plain data: the same from a worker thread as from this
// process. No Pulumi and no components here, so the main thread of a plan in workers loads neither.
import type { ConfigIssue } from "../../stacks/config-problems";
import type { StackPlan } from "./plan";

/** A stack `paved plan` could not plan, as data: its config problems, or the one line of what failed. */
export interface StackFailure {
    readonly stack: string;
    /** "config": the stack file is wrong (exit 2, nothing evaluated); "failure": the program failed (exit 1). */
    readonly kind: "config" | "failure";
    readonly message: string;
    readonly errors: readonly ConfigIssue[];
}

/** A planned stack as `paved plan` prints it: plain data, the same whether a worker or this process planned it. */
export interface PlannedStack {
    /** The text block (formatPlan). */
    readonly text: string;
    /** The --json entry (planJson). */
    readonly json: Omit<StackPlan, "evaluation">;
    /** Whether it breaks a mandatory policy (exit 3). */
    readonly findings: boolean;
}

/** What planning one stack came to. */
export type StackOutcome = { readonly stack: string; readonly plan: PlannedStack } | { readonly stack: string; readonly failure: StackFailure };

/** A failure that is no error of the stack's own (its worker died or hung): the program failed, exit 1. */
export function failedStack(stack: string, message: string): StackOutcome {
    return { stack, failure: { stack, kind: "failure", message, errors: [] } };
}
