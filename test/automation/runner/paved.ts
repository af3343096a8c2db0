import { MainDeps, main } from "../../../automation/cli";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { listStacks } from "../../../automation/offline/stack-file";
import { REPO_ROOT } from "../../harness";

export interface PavedRun {
    readonly code: number;
    readonly out: string[];
    readonly err: string[];
}

/** Runs `paved` in-process (through main(), as the binary does) and captures what it prints. */
export async function paved(args: string[], deps: MainDeps): Promise<PavedRun> {
    const out: string[] = [];
    const err: string[] = [];
    const [log, error] = [console.log, console.error];
    console.log = (...a: unknown[]) => out.push(a.join(" "));
    console.error = (...a: unknown[]) => err.push(a.join(" "));
    try {
        return { code: await main(args, deps), out, err };
    } finally {
        console.log = log;
        console.error = error;
    }
}

/** Every stack file of this repository. */
export const repoStacks = () => new Set(listStacks(REPO_ROOT));

/** What `--all` must mean here: the environment stacks, not the PR template nor the laptop's stack. */
export const FLEET = ["dev", "dev-gcp", "prod-global", "prod-us-east-1", "prod-us-west-2", "staging"];

/** The operations the in-memory driver saw, as [stack, operation] pairs in the order they ended. */
export const callsOf = (driver: MemoryDriver) => driver.calls.map((c) => [c.stack, c.operation]);
