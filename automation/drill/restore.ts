/* The restore: undo what the journal began, retried, checked, never shrinking a region that serves. */
import { DrillRecord, update } from "./applied";
import { Journal } from "./journal";
import { DRILL_KNOB, DrillContext, DrillSettings, DrillTargets, Endpoints, KNOB_OUTPUT, PROMOTED_OUTPUT } from "./model";
import { watchUntilServedBy } from "./measure";
import { withRetries } from "./retry";
import { resumeOperator } from "./operator-pause";

export interface RestoreOutcome {
    /** Everything the journal began is undone; false leaves the journal open for `--resume`. */
    readonly complete: boolean;
    readonly knobReverted: boolean;
    readonly primaryServing: boolean;
    /** The operator could be resumed on every stack that is Git's again (a stack still promoted stays paused). */
    readonly operatorResumed: boolean;
    readonly problem?: string;
}

/**
 * Undoes what the journal says was begun, each action retried with backoff and checked against
 * the applied state: the knob first, then — only once the primary has served `consecutive`
 * answers in a row over at least the failover bound — the standby back to warm. A standby carrying traffic is never shrunk.
 * Never cancelled; a journal that cannot be written does not stop it.
 */
export async function restore(journal: Journal, targets: DrillTargets, endpoints: Endpoints | undefined, settings: DrillSettings, ctx: DrillContext, rec: DrillRecord, reason: string, clearStaleLocks: boolean): Promise<RestoreOutcome> {
    const { driver, clock, log } = ctx;
    const calm: DrillContext = { ...ctx, signal: undefined };
    const retry = <T>(what: string, action: () => Promise<T>) => withRetries(what, action, settings.restoreRetry, clock, log);
    journal.tryWrite("restore", { reason }, log);
    const problems: string[] = [];
    if (clearStaleLocks) {
        for (const stack of [targets.global, targets.standby]) {
            await retry(`restore: clear a stale lock on ${stack}`, () => driver.cancelStaleUpdate(stack)).catch((e: Error) => problems.push(`clearing ${stack}'s lock failed: ${e.message}`));
        }
    }
    let knobReverted = true;
    if (journal.has("inject")) {
        log(`restore: ${DRILL_KNOB} back to Git's state (off) on ${targets.global}`);
        knobReverted = await retry("restore: knob off", () => update(calm, rec, "restore: knob off", targets.global, undefined, { output: KNOB_OUTPUT, value: false })).then(
            () => true,
            (e: Error) => (problems.push(`the knob could not be reverted: ${e.message}`), false),
        );
    }
    // The knob is Git's again: the operator may reconcile the global stack (until then it stays paused, on purpose).
    const globalResumed = knobReverted ? await resumeOperator(ctx, journal, [targets.global], retry) : undefined;
    if (globalResumed) problems.push(globalResumed);
    let primaryServing = false;
    if (knobReverted && endpoints) {
        const back = await watchUntilServedBy(endpoints.global, endpoints.primary.region, { clock, interval: settings.probeInterval, consecutive: settings.consecutive, requestTimeout: settings.requestTimeout, timeout: settings.stepTimeout + (endpoints.failoverBoundSeconds ?? 0), span: endpoints.failoverBoundSeconds });
        rec.samples.push(...back.samples);
        primaryServing = back.reachedAt !== undefined;
        if (primaryServing) rec.mark("restored", back.reachedAt);
        else problems.push(`the primary did not serve ${settings.consecutive} answers in a row within ${settings.stepTimeout + (endpoints.failoverBoundSeconds ?? 0)} s`);
    }
    let standbyWarm = !journal.has("promote");
    if (!standbyWarm && primaryServing) {
        log(`restore: ${targets.standby} back to warm capacity`);
        standbyWarm = await retry("restore: standby warm", () => update(calm, rec, "restore: standby warm", targets.standby, undefined, { output: PROMOTED_OUTPUT, value: false })).then(
            () => true,
            (e: Error) => (problems.push(`the standby could not return to warm: ${e.message}`), false),
        );
        if (standbyWarm) rec.mark("warm");
    } else if (!standbyWarm) {
        log(`restore: ${targets.standby} stays promoted: it carries the traffic while the primary does not serve`);
    }
    const standbyResumed = standbyWarm ? await resumeOperator(ctx, journal, [targets.standby], retry) : undefined;
    if (standbyResumed) problems.push(standbyResumed);
    rec.mark("rolled back");
    const operatorResumed = !globalResumed && !standbyResumed;
    return { complete: knobReverted && standbyWarm && operatorResumed, knobReverted, primaryServing, operatorResumed, problem: problems.length ? problems.join("; ") : undefined };
}
