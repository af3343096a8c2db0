import { OperatorStackStatus } from "../driver/operator-port";

/**
 * Drift of a stack the Pulumi Kubernetes Operator owns, judged from its Stack status instead of a
 * refresh of our own: with `refresh: true` and `continueResyncOnCommitMatch`, every resync refreshes
 * the stack and applies Git again, so what matters is whether the operator's last update applied
 * Git's current spec, and when. The rules follow operator/internal/controller/pulumi/stack_controller.go
 * at v2.9.0 (isSynced, markStackResult, markStackSucceeded/Failed).
 */
export interface OperatorDrift {
    readonly stack: string;
    /** Git's state was applied by the operator's last update, recently enough: a manual change before it is reverted. */
    readonly applied: boolean;
    /** The first line of the report. */
    readonly summary: string;
    readonly details: string[];
    readonly status: OperatorStackStatus;
}

/** A resync is late when nothing ran for this many periods (the operator requeues every period). */
const LATE_AFTER_PERIODS = 2;

/** Why Git's state is not known to be applied, or undefined when it is. */
function notApplied(s: OperatorStackStatus, now: Date): string | undefined {
    const last = s.lastUpdate;
    if (s.paused) return `its reconciliation is paused (${s.paused.reason}, since ${s.paused.since}): changes outside Git stay until it resumes`;
    if (s.conditions.Stalled?.status === "True") return `stalled (${s.conditions.Stalled.reason ?? "no reason"}): ${s.conditions.Stalled.message ?? "no message"}`;
    if (!last) return "the operator has not applied it yet";
    if (last.state === "failed") return `its last ${last.type} failed (${last.failures} time(s) at generation ${last.generation}): ${last.message ?? "no message"}`;
    if (s.previewOnly || last.type !== "up") return `the operator only previews it (spec.preview): it reports changes outside Git, never reverts them`;
    if (last.generation !== s.generation) return `its spec changed (generation ${s.generation}) after the last update applied generation ${last.generation}; ${s.currentUpdate ? `update ${s.currentUpdate.name} is running` : "no update is running yet"}`;
    const age = (now.getTime() - Date.parse(last.time)) / 1000;
    if (s.resyncSeconds !== undefined && age > LATE_AFTER_PERIODS * s.resyncSeconds + 60) return `its last update is ${Math.round(age / 60)} min old, though it re-applies Git every ${s.resyncSeconds} s: the operator is not reconciling it`;
    return undefined;
}

export function judgeOperatorDrift(status: OperatorStackStatus, now: Date): OperatorDrift {
    const last = status.lastUpdate;
    const why = notApplied(status, now);
    const summary = why
        ? `${status.stack}: reconciled by the Pulumi Kubernetes Operator, and Git's state is not known to be applied: ${why}`
        : `${status.stack}: reconciled by the Pulumi Kubernetes Operator: Git's state applied at ${last!.time} (refresh, then up${last!.commit ? ` of ${last!.commit.slice(0, 12)}` : ""}); a change outside Git since then is reverted at the next resync${status.resyncSeconds ? ` (every ${status.resyncSeconds} s)` : ""}`;
    const ready = status.conditions.Ready;
    const details = [
        ...(last ? [`  last update: ${last.type} ${last.state} at ${last.time}, generation ${last.generation} of ${status.generation}${last.permalink ? `, ${last.permalink}` : ""}`] : []),
        `  Ready: ${ready ? `${ready.status}${ready.reason ? ` (${ready.reason})` : ""}` : "not reported"}${status.conditions.Reconciling?.status === "True" ? `; Reconciling: ${status.conditions.Reconciling.reason ?? ""}` : ""}`,
        // PKO v2.9.0 records no refresh result: spec.expectNoRefreshChanges is ignored (migration.go).
        "  whether its refresh found changes: not in the operator's status (PKO v2.9.0 does not record it)",
    ];
    return { stack: status.stack, applied: why === undefined, summary, details, status };
}
