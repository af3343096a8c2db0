import { EXIT } from "../exit-codes";
import { judgeOperatorDrift } from "./operator-drift";
import { resumeAll } from "./operator-ownership";
import { RunnerUsageError } from "./pr-stacks";
import { knownStack } from "./known-stack";
import { RunnerContext } from "./stack-commands";

/**
 * `paved operator status|resume --stack <s>`: the operator's last result for one of its stacks, and
 * the one command that lets it reconcile a stack again when a paved run could not resume it.
 */
export async function operatorCommand(action: "status" | "resume", stack: string, context: RunnerContext): Promise<number> {
    knownStack(stack, context.knownStacks);
    if (!(context.operatorOwned ?? []).includes(stack)) throw new RunnerUsageError(`got --stack ${stack}: paved applies it (its file does not say paved:reconciler: operator); the operator's stacks here: ${(context.operatorOwned ?? []).join(", ") || "none"}`);
    const operator = context.operator!();
    if (action === "resume") return (await resumeAll(operator, [stack], context.log)) ? EXIT.ok : EXIT.failure;
    const drift = judgeOperatorDrift(await operator.stackStatus(stack), (context.now ?? (() => new Date()))());
    [drift.summary, ...drift.details].forEach((line) => context.log(line));
    return EXIT.ok;
}
