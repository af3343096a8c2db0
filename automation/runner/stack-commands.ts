import { Operation, StackDriver } from "../driver/port";
import { orchestrate } from "./orchestrate";
import { RunnerUsageError, assertDestroyAllowed } from "./pr-stacks";

export interface RunnerContext {
    readonly driver: StackDriver;
    /** The stacks this repository defines (its Pulumi.<stack>.yaml files). */
    readonly knownStacks: readonly string[];
    readonly log: (line: string) => void;
    readonly signal?: AbortSignal;
}

export interface OperationRequest {
    readonly stack?: string;
    readonly all?: boolean;
    readonly concurrency?: number;
    readonly json?: boolean;
    /** Raw arguments, where destroy looks for its `--yes-destroy-<stack>` confirmation. */
    readonly confirmations?: readonly string[];
}

/** Which stacks a request names: one known stack, or all of them; anything else is a usage error. */
export function targetStacks(request: OperationRequest, known: readonly string[]): string[] {
    if (request.all === true && request.stack !== undefined) throw new RunnerUsageError("give --stack <name> or --all, not both");
    if (request.all === true) return [...known];
    if (request.stack === undefined) throw new RunnerUsageError("name the stack: --stack <name> (or --all)");
    if (!known.includes(request.stack)) throw new RunnerUsageError(`unknown stack "${request.stack}": there is no Pulumi.${request.stack}.yaml; stacks here: ${known.join(", ")}`);
    return [request.stack];
}

/**
 * `paved up|preview|refresh|destroy`: runs the operation on the named stacks through the driver,
 * bounded and one per stack, printing each resource operation and one summary line per stack.
 * Returns the exit code: 0 when every stack succeeded, 1 when any failed.
 */
export async function runOperation(operation: Operation, request: OperationRequest, context: RunnerContext): Promise<number> {
    const stacks = targetStacks(request, context.knownStacks);
    if (operation === "destroy") {
        if (stacks.length !== 1) throw new RunnerUsageError("destroy takes exactly one --stack");
        assertDestroyAllowed(stacks[0], request.confirmations ?? []);
    }
    const outcomes = await orchestrate(
        stacks,
        (stack, signal) => context.driver.run(stack, operation, { signal, onEvent: request.json ? undefined : context.log }),
        { concurrency: request.concurrency ?? 4, signal: context.signal },
    );
    if (request.json) {
        context.log(JSON.stringify(outcomes.map((o) => (o.ok ? { stack: o.stack, ok: true, changes: o.value.changes } : { stack: o.stack, ok: false, error: o.error.message }))));
    } else {
        for (const o of outcomes) {
            context.log(
                o.ok
                    ? `${o.stack}: ${operation} succeeded (${Object.entries(o.value.changes).map(([k, n]) => `${k} ${n}`).join(", ") || "no changes"})`
                    : `${o.stack}: ${operation} FAILED — ${o.error.message}`,
            );
        }
    }
    return outcomes.every((o) => o.ok) ? 0 : 1;
}
