import { RunnerUsageError } from "./usage-error";

/** The stack itself when this repository defines it; a usage error listing the stacks otherwise. */
export function knownStack(stack: string, known: readonly string[]): string {
    if (!known.includes(stack)) throw new RunnerUsageError(`unknown stack "${stack}": there is no Pulumi.${stack}.yaml; stacks here: ${known.join(", ")}`);
    return stack;
}
