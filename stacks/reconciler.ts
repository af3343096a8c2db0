/**
 * Who applies a stack: `paved` (from a laptop or CI) or the Pulumi Kubernetes Operator (from Git).
 * The one place that answers it, from the stack's own `Pulumi.<stack>.yaml`, so that the stacks
 * `paved` drives and the Stack objects the operator reconciles never disagree and never overlap.
 */
import { StackFileError, listStacks, readStackConfig } from "../automation/offline/stack-file";
import { show } from "../components/validation";
import { NAMESPACE, RECONCILERS } from "./config-schema";

export type Reconciler = (typeof RECONCILERS)[number];

/** The config key that names a stack's reconciler. */
export const RECONCILER_KEY = `${NAMESPACE}:reconciler`;

/** A stack file of the repository and who reconciles it. */
export interface StackReconciler {
    readonly stack: string;
    readonly reconciler: Reconciler;
    /** The stack's config as its file declares it (flat `namespace:key` strings, secrets as placeholders). */
    readonly config: Readonly<Record<string, string>>;
}

/**
 * The reconciler a stack's config names; `paved` when it names none. A value that is neither is an
 * error, not a default: guessing `paved` could let two writers apply one stack.
 */
export function reconcilerOf(config: Readonly<Record<string, string>>, file = "the stack file"): Reconciler {
    const value = config[RECONCILER_KEY];
    if (value === undefined) return "paved";
    if ((RECONCILERS as readonly string[]).includes(value)) return value as Reconciler;
    throw new StackFileError(`${file}: ${RECONCILER_KEY} got ${show(value)}: must be "operator" or "paved"; e.g. ${RECONCILER_KEY}: operator`);
}

/** Every `Pulumi.<stack>.yaml` beside `Pulumi.yaml`, sorted by stack name, with its reconciler. */
export function stackReconcilers(projectDir: string): StackReconciler[] {
    return listStacks(projectDir).map((stack) => {
        const file = readStackConfig(projectDir, stack);
        return { stack, reconciler: reconcilerOf(file.config, `Pulumi.${stack}.yaml`), config: file.config };
    });
}

/** The stacks the operator owns (their files say `paved:reconciler: operator`), sorted. */
export function operatorOwnedStacks(projectDir: string): string[] {
    return stackReconcilers(projectDir).filter((s) => s.reconciler === "operator").map((s) => s.stack);
}
