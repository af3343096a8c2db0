import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { MainDeps, main } from "../../../automation/cli";
import { RECONCILER_KEY, Reconciler } from "../../../stacks/reconciler";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { listStacks } from "../../../automation/offline/stack-file";
import { REPO_ROOT } from "../../harness";
import { oncePerProcess } from "../../upstream";

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

// One exit listener for every scratch project: a listener each passed Node's limit of 10 in a long-lived
// mocha worker, whose warning then reached the stderr that tests read.
const scratchDirs = new Set<string>();
process.once("exit", () => scratchDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/**
 * A scratch copy of this repository's project files (Pulumi.yaml, every stack file, rings.yaml,
 * drift.yaml) in which the named stacks say `paved:reconciler: operator` and every other stack says
 * `paved`. Tests of what `paved` does to a stack use it, so that which stacks the shipped files hand
 * to the Pulumi Kubernetes Operator does not change what they test. Removed at exit.
 */
export function projectWith(operatorOwned: readonly string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-project-"));
    scratchDirs.add(dir);
    for (const f of fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi(\..+)?\.yaml$|^(rings|drift)\.yaml$/.test(f))) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    for (const stack of listStacks(dir)) {
        setReconciler(path.join(dir, `Pulumi.${stack}.yaml`), operatorOwned.includes(stack) ? "operator" : "paved");
    }
    return dir;
}

/** A stack file's text with `paved:reconciler` set, worked out once per text: scratch projects are made many times per process. */
const withReconciler = oncePerProcess((text: string, reconciler: Reconciler): string => {
    const doc = parseDocument(text);
    doc.setIn(["config", RECONCILER_KEY], reconciler);
    return doc.toString();
});

/** Sets `paved:reconciler` in one stack file, keeping the rest of it. */
export function setReconciler(file: string, reconciler: Reconciler): void {
    fs.writeFileSync(file, withReconciler(fs.readFileSync(file, "utf8"), reconciler));
}

/** The rollout ring's stacks, which the tests hand to the operator where they test ownership. */
export const RING = ["staging", "prod-us-east-1", "prod-us-west-2"];
