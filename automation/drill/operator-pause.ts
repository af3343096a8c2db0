/* The drill and the Pulumi Kubernetes Operator: paused for the stacks the drill turns, resumed once each is Git's again. */
import { ownedAmong } from "../runner/operator-ownership";
import { Journal } from "./journal";
import { DrillContext, DrillTargets } from "./model";
import { withRetries } from "./retry";

/**
 * The stacks the drill writes that the operator owns: the global stack (the knob) and the standby
 * (the promotion). Left to reconcile, the operator would apply Git's state to them at its next
 * resync: the knob off in the middle of the failover, the standby back to warm while it serves.
 */
export const drillOwned = (ctx: DrillContext, targets: DrillTargets): string[] => ownedAmong([targets.global, targets.standby], ctx);

/** The stacks this drill paused, as its journal says (written before each pause acted). */
export const pausedIn = (journal: Journal): string[] => [...new Set(journal.steps.filter((e) => e.step === "pause").map((e) => String(e.detail?.stack)))];

/** Pauses each stack, journaled before it acts, so that any restore (even after a crash) resumes it. */
export async function pauseOperator(ctx: DrillContext, journal: Journal, stacks: readonly string[], reason: string): Promise<void> {
    for (const stack of stacks) {
        journal.write("pause", { stack });
        ctx.log(`operator: pausing its reconciliation of ${stack} (${reason}), so it does not undo the drill`);
        await ctx.operator!().pauseReconciliation(stack, reason);
    }
}

/**
 * Resumes the stacks among `stacks` that this drill paused, retried as every restore action is;
 * returns the problem when one could not be resumed (the journal then stays open for --resume).
 */
export async function resumeOperator(ctx: DrillContext, journal: Journal, stacks: readonly string[], retry: <T>(what: string, action: () => Promise<T>) => Promise<T>): Promise<string | undefined> {
    const problems: string[] = [];
    for (const stack of stacks.filter((s) => pausedIn(journal).includes(s))) {
        try {
            await retry(`operator: resume ${stack}`, () => ctx.operator!().resumeReconciliation(stack));
            journal.tryWrite("resume", { stack }, ctx.log);
            ctx.log(`operator: reconciling ${stack} again`);
        } catch (e) {
            problems.push(`the operator's reconciliation of ${stack} could not be resumed: ${(e as Error).message}`);
        }
    }
    return problems.length ? problems.join("; ") : undefined;
}

/** The restore's retry policy, for resumes outside restore(). */
export const restoreRetry = (ctx: DrillContext, attempts: { attempts: number; firstBackoff: number }) => <T>(what: string, action: () => Promise<T>) => withRetries(what, action, attempts, ctx.clock, ctx.log);

/** What the operator does now for the stacks the drill paused, read from it: the drill's last words. */
export async function operatorNow(ctx: DrillContext, stacks: readonly string[]): Promise<string | undefined> {
    if (stacks.length === 0) return undefined;
    const states = await Promise.all(
        stacks.map(async (stack) => {
            try {
                const status = await ctx.operator!().stackStatus(stack);
                return status.paused ? `${stack} PAUSED (${status.paused.reason}; paved drill --resume resumes it)` : `${stack} reconciled again`;
            } catch (e) {
                return `${stack} unknown (${(e as Error).message})`;
            }
        }),
    );
    return states.join(", ");
}
