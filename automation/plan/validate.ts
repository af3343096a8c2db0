import { loadAnyStackConfig } from "../../stacks/config-load";
import { listStacks, readStackConfig } from "../offline/stack-file";

/**
 * Checks a stack file's config with its role's loader, before the program runs: a bad stack throws
 * one `StackConfigError` (every problem of the stack) and never starts the mock runtime, so nothing
 * of it is registered and nothing of it can reach the next stack.
 */
export function checkStackConfig(projectDir: string, stack: string): void {
    const file = readStackConfig(projectDir, stack);
    const secret = new Set(file.secretKeys);
    const stacks = listStacks(projectDir);
    loadAnyStackConfig(file.config, {
        stack,
        isSecret: (key) => secret.has(key),
        peerConfig: (peer) => (stacks.includes(peer) ? readStackConfig(projectDir, peer).config : undefined),
    });
}
