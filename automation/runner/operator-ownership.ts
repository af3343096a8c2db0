import { OperatorPort } from "../driver/operator-port";
import { RunnerUsageError } from "./usage-error";

/**
 * One writer per stack. A stack whose file says `paved:reconciler: operator` is applied by the Pulumi
 * Kubernetes Operator from Git, every resync; `paved` writing it too would fight the operator (each
 * undoing the other, or one failing on the other's update lock). So the commands that write a stack
 * (up, refresh, deploy --ring) refuse it unless told so with this flag, and then pause the operator
 * for the stack while they write. Preview, plan and drift only read.
 */
export const OVERRIDE_OPERATOR = "--override-operator";

/** What writing commands need to know of the operator. */
export interface OperatorContext {
    /** The stacks whose files say `paved:reconciler: operator`. */
    readonly operatorOwned?: readonly string[];
    /** The operator's API; made only when a command needs it (the real one needs a cluster). */
    readonly operator?: () => OperatorPort;
}

/** An operator-owned stack named without the override: exit 2, nothing touched. */
export class OperatorOwnedError extends RunnerUsageError {}

/** The owned stacks among these, in their order. */
export const ownedAmong = (stacks: readonly string[], context: OperatorContext): string[] => stacks.filter((s) => (context.operatorOwned ?? []).includes(s));

/**
 * Refuses operator-owned stacks, naming them, why, and the command with the flag (`retry`, e.g.
 * `paved up --stack staging`); a no-op when none is owned or the caller passed the flag.
 */
export function assertNotOperatorOwned(verb: string, stacks: readonly string[], context: OperatorContext, override: boolean | undefined, retry: string): void {
    const owned = ownedAmong(stacks, context);
    if (owned.length === 0 || override) return;
    const them = owned.length === 1 ? "it" : "them";
    throw new OperatorOwnedError(
        `refusing to ${verb} ${owned.join(", ")}: the Pulumi Kubernetes Operator reconciles ${them} from Git (paved:reconciler: operator in ${owned.map((s) => `Pulumi.${s}.yaml`).join(", ")}), so two writers would fight; to apply from here anyway, with the operator paused meanwhile: ${retry} ${OVERRIDE_OPERATOR}`,
    );
}

/**
 * Runs `work` with the operator's reconciliation of `stacks` paused, and resumes each in every
 * case: success, failure and cancellation (the resume itself is never cancelled). Stacks paused
 * before a later pause failed are resumed too, and `work` does not run. Logs one line per stack
 * saying whether the operator reconciles it again.
 */
export async function withOperatorPaused<T>(operatorOf: (() => OperatorPort) | undefined, stacks: readonly string[], reason: string, log: (line: string) => void, work: () => Promise<T>): Promise<T> {
    if (stacks.length === 0) return work();
    if (!operatorOf) throw new Error(`no operator access to pause ${stacks.join(", ")}`);
    const operator = operatorOf();
    const paused: string[] = [];
    try {
        for (const stack of stacks) {
            await operator.pauseReconciliation(stack, reason);
            paused.push(stack);
            log(`operator: reconciliation of ${stack} paused (${reason})`);
        }
        return await work();
    } finally {
        await resumeAll(operator, paused, log);
    }
}

/** Resumes each stack, one line each; a resume that fails is said with the one command that finishes it. */
export async function resumeAll(operator: OperatorPort, stacks: readonly string[], log: (line: string) => void): Promise<boolean> {
    let all = true;
    for (const stack of stacks) {
        try {
            await operator.resumeReconciliation(stack);
            log(`operator: reconciling ${stack} again (it re-applies Git at its next resync)`);
        } catch (e) {
            all = false;
            log(`operator: reconciliation of ${stack} is STILL PAUSED (${(e as Error).message}); to resume it: ${resumeCommand(stack)}`);
        }
    }
    return all;
}

/** The one command that resumes the operator for a stack when paved could not. */
export const resumeCommand = (stack: string) => `paved operator resume --stack ${stack}`;
