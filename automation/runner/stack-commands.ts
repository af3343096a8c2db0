import { Operation, StackDriver } from "../driver/port";
import { EXIT } from "../exit-codes";
import { OrchestrateOptions, StackOutcome, orchestrate } from "./orchestrate";
import { RunnerUsageError, assertDestroyAllowed } from "./pr-stacks";
import { checkVersionSteps } from "./version-step";
import { knownStack } from "./known-stack";
import { OperatorContext, assertNotOperatorOwned, ownedAmong, withOperatorPaused } from "./operator-ownership";

export interface RunnerContext extends OperatorContext {
    readonly driver: StackDriver;
    /** The stacks this repository defines (its Pulumi.<stack>.yaml files). */
    readonly knownStacks: readonly string[];
    /** What `--all` means: the environment stacks (not the PR template, PR copies or the laptop's stack). */
    readonly fleet: readonly string[];
    readonly log: (line: string) => void;
    readonly signal?: AbortSignal;
    /** The clock PR tags and sweeps read; tests pin it. */
    readonly now?: () => Date;
    /** How often and how patiently a busy stack is retried (defaults: 3 retries from 1 s, doubling). */
    readonly retry?: Pick<OrchestrateOptions, "retries" | "backoffMs">;
}

/** orchestrate() with the context's cancellation and retry settings. */
export function forEachStack<T>(context: RunnerContext, stacks: readonly string[], work: (stack: string, signal?: AbortSignal) => Promise<T>, concurrency = 1): Promise<StackOutcome<T>[]> {
    return orchestrate(stacks, work, { concurrency, signal: context.signal, ...context.retry });
}

export interface OperationRequest {
    readonly stack?: string;
    readonly all?: boolean;
    readonly concurrency?: number;
    readonly json?: boolean;
    /** Raw arguments, where destroy looks for its `--yes-destroy-<stack>` confirmation. */
    readonly confirmations?: readonly string[];
    /** `--override-operator`: write operator-owned stacks too, with the operator paused meanwhile. */
    readonly overrideOperator?: boolean;
}

/** A result's resource changes for one line, e.g. "create 3, same 40". */
export const formatChanges = (changes: Readonly<Record<string, number>>): string => Object.entries(changes).map(([k, n]) => `${k} ${n}`).join(", ") || "no changes";

/** Which stacks a request names: one known stack, or the fleet; anything else is a usage error. */
export function targetStacks(request: OperationRequest, context: Pick<RunnerContext, "knownStacks" | "fleet">): string[] {
    if (request.all === true && request.stack !== undefined) throw new RunnerUsageError("give --stack <name> or --all, not both");
    if (request.all === true) return [...context.fleet];
    if (request.stack === undefined) throw new RunnerUsageError("name the stack: --stack <name> (or --all)");
    return [knownStack(request.stack, context.knownStacks)];
}

/**
 * `paved up|preview|refresh|destroy`: runs the operation on the named stacks through the driver,
 * bounded and one per stack, printing each resource operation and one summary line per stack.
 * Returns the exit code: 0 when every stack succeeded, 1 when any failed.
 */
export async function runOperation(operation: Operation, request: OperationRequest, context: RunnerContext): Promise<number> {
    const named = targetStacks(request, context);
    // --all is the stacks paved applies; the operator's are applied from Git, unless the override says otherwise.
    const skipped = operation !== "preview" && request.all && !request.overrideOperator ? ownedAmong(named, context) : [];
    const stacks = named.filter((s) => !skipped.includes(s));
    if (operation === "destroy") {
        if (stacks.length !== 1) throw new RunnerUsageError("destroy takes exactly one --stack");
        assertDestroyAllowed(stacks[0], request.confirmations ?? []);
        const [owned] = ownedAmong(stacks, context);
        // Not even with the override: the operator would build the stack again at its next resync.
        if (owned) throw new RunnerUsageError(`refusing to destroy ${owned}: the Pulumi Kubernetes Operator reconciles it from Git and would create it again; set paved:reconciler: paved in Pulumi.${owned}.yaml first (its Stack object goes, destroyOnFinalize is off), then paved destroy --stack ${owned} --yes-destroy-${owned}`);
    }
    if (operation !== "preview") assertNotOperatorOwned(operation, stacks, context, request.overrideOperator, `paved ${operation} --stack ${stacks[0]}`);
    context.driver.assertReady(stacks);
    if (skipped.length > 0 && !request.json) context.log(`not applied here: ${skipped.join(", ")}: the Pulumi Kubernetes Operator reconciles them from Git (to apply them from here anyway: paved ${operation} --all --override-operator)`);
    // One minor version at a time, checked against the last deployment; the node groups it replaces said first.
    if (operation === "up") {
        const replaced = await checkVersionSteps(context.driver, stacks);
        if (!request.json) replaced.forEach((line) => context.log(line));
    }
    const owned = operation === "preview" ? [] : ownedAmong(stacks, context);
    const outcomes = await withOperatorPaused(context.operator, owned, `paved ${operation} --override-operator`, request.json ? () => undefined : context.log, () =>
        forEachStack(context, stacks, (stack, signal) => context.driver.run(stack, operation, { signal, onEvent: request.json ? undefined : context.log }), request.concurrency ?? 4),
    );
    if (request.json) {
        context.log(JSON.stringify(outcomes.map((o) => (o.ok ? { stack: o.stack, ok: true, changes: o.value.changes } : { stack: o.stack, ok: false, error: o.error.message }))));
    } else {
        for (const o of outcomes) {
            context.log(
                o.ok
                    ? `${o.stack}: ${operation} succeeded (${formatChanges(o.value.changes)})`
                    : `${o.stack}: ${operation} FAILED — ${o.error.message}`,
            );
        }
    }
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failure;
}
