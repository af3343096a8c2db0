/**
 * The operator port: what the runner needs of the Pulumi Kubernetes Operator (v2.9.0) for the stacks
 * it owns (`paved:reconciler: operator`): read its last result, and pause and resume its
 * reconciliation while `paved` writes such a stack itself (an override, a drill). A port of its own,
 * beside the stack driver: the operator is a different system (Kubernetes objects, not Pulumi).
 */

/** One condition of the Stack's ready protocol (operator/api/pulumi/v1/stack_types.go: Ready, Reconciling, Stalled). */
export interface OperatorCondition {
    readonly status: "True" | "False" | "Unknown";
    readonly reason?: string;
    readonly message?: string;
}

/**
 * The Stack object's `.status.lastUpdate` (operator/api/pulumi/shared/stack_types.go, StackUpdateState),
 * as markStackSucceeded / markStackFailed write it (operator/internal/controller/pulumi/stack_controller.go).
 */
export interface OperatorLastUpdate {
    /** The Update object's kind of run: `up`, `preview`, `destroy`, `refresh`. */
    readonly type: string;
    readonly state: "succeeded" | "failed";
    /** The Stack's generation the update ran for. */
    readonly generation: number;
    /** When it ended (lastResyncTime), ISO 8601. */
    readonly time: string;
    readonly commit?: string;
    readonly message?: string;
    /** Failed attempts in a row at this generation; the operator stops retrying at 3 (maxUpdateFailures). */
    readonly failures: number;
    readonly permalink?: string;
}

/** Who paused the operator's reconciliation of a stack, why and since when (paved's own annotation). */
export interface OperatorPause {
    readonly reason: string;
    readonly since: string;
}

/**
 * What the operator last did to a stack. PKO v2.9.0 does not record whether the refresh before an
 * update found changes: `spec.expectNoRefreshChanges` is ignored (operator/internal/controller/pulumi/migration.go)
 * and no status field carries it, so no field here pretends to.
 */
export interface OperatorStackStatus {
    readonly stack: string;
    /** `metadata.generation` and `status.observedGeneration`. */
    readonly generation: number;
    readonly observedGeneration?: number;
    readonly lastUpdate?: OperatorLastUpdate;
    /** An update the operator runs now (`status.currentUpdate`), with the generation it runs for. */
    readonly currentUpdate?: { readonly name: string; readonly generation: number };
    readonly conditions: Readonly<Partial<Record<"Ready" | "Reconciling" | "Stalled", OperatorCondition>>>;
    /** `spec.resyncFrequencySeconds` when `continueResyncOnCommitMatch` is on: how often it re-applies Git. */
    readonly resyncSeconds?: number;
    /** `spec.preview`: the operator only previews (reports), never applies. */
    readonly previewOnly: boolean;
    readonly paused?: OperatorPause;
}

export interface OperatorPort {
    /** The Stack object's status; throws `OperatorStackMissingError` when the operator has no such Stack. */
    stackStatus(stack: string): Promise<OperatorStackStatus>;
    /**
     * Stops the operator applying the stack, and returns once no update of the operator's is running
     * on it. Throws `OperatorPausedError` when someone else paused it (their resume would undo ours).
     */
    pauseReconciliation(stack: string, reason: string): Promise<void>;
    /** Lets the operator apply the stack again as it did before; a no-op when it is not paused. */
    resumeReconciliation(stack: string): Promise<void>;
}

export class OperatorStackMissingError extends Error {
    constructor(readonly stack: string) {
        super(`the Pulumi Kubernetes Operator has no Stack object ${stack}`);
        this.name = "OperatorStackMissingError";
    }
}

export class OperatorPausedError extends Error {
    constructor(readonly stack: string, readonly pause: OperatorPause) {
        super(`the operator's reconciliation of ${stack} is already paused (${pause.reason}, since ${pause.since}); wait until that ends`);
        this.name = "OperatorPausedError";
    }
}
