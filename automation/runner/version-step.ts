/**
 * Before `paved up`: the configured Kubernetes version against the one each stack last deployed
 * (its `kubernetesVersion` output, read through the driver). A skip of minor versions or a downgrade is
 * refused before anything runs; otherwise the node groups the update will replace are said up front.
 */
import { versionStepProblem } from "../../components/cluster/node-release";
import { StackDriver, StackMissingError } from "../driver/port";
import { deployedPins, upNodeChanges } from "../plan/node-replacements";
import { RunnerUsageError } from "./pr-stacks";

export const VERSION_KEY = "paved:cluster.kubernetesVersion";
export const RELEASE_KEY = "paved:cluster.releaseVersion";

/** A stack not created yet has no last deployment: nothing to compare. */
async function lastOutputs(driver: StackDriver, stack: string): Promise<Record<string, unknown>> {
    try {
        return await driver.outputs(stack);
    } catch (e) {
        if (e instanceof StackMissingError) return {};
        throw e;
    }
}

/**
 * The lines `paved up` prints before it starts (node groups it replaces); throws a usage error naming
 * `paved:cluster.kubernetesVersion`, the configured and the deployed version when a stack's step is refused.
 */
export async function checkVersionSteps(driver: StackDriver, stacks: readonly string[]): Promise<string[]> {
    const lines: string[] = [];
    const refused: string[] = [];
    for (const stack of stacks) {
        const outputs = await lastOutputs(driver, stack);
        const deployed = outputs.kubernetesVersion;
        if (typeof deployed !== "string") continue;
        const configured = await driver.getConfig(stack, VERSION_KEY);
        if (configured === undefined) continue;
        const problem = versionStepProblem(deployed, configured);
        if (problem) {
            refused.push(`${stack}: ${VERSION_KEY}: ${problem}`);
            continue;
        }
        const pinned = await driver.getConfig(stack, RELEASE_KEY);
        lines.push(...upNodeChanges(deployedPins(outputs), configured, pinned).map((l) => `${stack}: ${l}`));
    }
    if (refused.length > 0) throw new RunnerUsageError(`refusing to run up, nothing was touched:\n${refused.join("\n")}`);
    return lines;
}
