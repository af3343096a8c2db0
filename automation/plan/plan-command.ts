/* eslint-disable @typescript-eslint/no-require-imports -- the planning modules load on demand, see `inProcess` */
import { EXIT } from "../exit-codes";
import { listStacks } from "../offline/stack-file";
import { knownStack } from "../runner/known-stack";
import { RunnerUsageError } from "../runner/usage-error";
import { PlannedStack, StackFailure, StackOutcome } from "./outcome";
import { PlanPool, PoolOptions } from "./plan-pool";
import { defaultWorkers } from "./workers-option";

/**
 * What planning in this process needs: Pulumi's SDK, the program and the clouds' SDKs, about 0.7 CPU-s
 * to load. A plan in worker threads leaves them to the workers, so this thread stays light.
 */
const inProcess = () => require("./stack-outcome") as typeof import("./stack-outcome");
const stackDiff = () => ({
    ...(require("./diff") as typeof import("./diff")),
    ...(require("./node-replacements") as typeof import("./node-replacements")),
    ...(require("./plan") as typeof import("./plan")),
});

export const NOTICE = "Credential-free evaluation under Pulumi's mock runtime: no cloud was asked; this is not a cloud preview.";

export interface PlanOptions {
    readonly json?: boolean;
    readonly diff?: string[];
    /** Stacks evaluated at once, each in its own worker thread; 1 evaluates them one after another in this process. Default: defaultWorkers. */
    readonly workers?: number;
}

/**
 * Plans the stacks and hands each outcome to `report` in the order of `stacks`, whatever order they
 * finish in, so the output is the same with any number of workers. With more than one worker every
 * stack goes to them, its file checked there: this thread loads none of the planning modules.
 */
export async function planStacks(dir: string, stacks: readonly string[], workers: number, report: (outcome: StackOutcome) => void, pool: Partial<PoolOptions> = {}): Promise<void> {
    if (workers <= 1 || stacks.length <= 1) {
        const { planOutcome, withoutStackTraces } = inProcess();
        for (const stack of stacks) report(await withoutStackTraces(() => planOutcome(dir, stack)));
        return;
    }
    const done: (StackOutcome | undefined)[] = [];
    let next = 0;
    const planner = new PlanPool(dir, { ...pool, workers }, (index, outcome) => {
        done[index] = outcome;
        for (; next < stacks.length && done[next]; next++) report(done[next]!);
    });
    stacks.forEach((stack, index) => planner.add(stack, index));
    return planner.close();
}

/**
 * `paved plan`: every selected stack planned, in parallel workers unless `workers` is 1; a stack that
 * fails is reported (in text on stderr, in --json as data) and the others are still planned. The
 * output is in stack order, byte for byte the same with any number of workers. Exit code: the worst outcome.
 */
export async function planCommand(dir: string, names: readonly string[], options: PlanOptions, pool: Partial<PoolOptions> = {}): Promise<number> {
    const stacks = listStacks(dir);
    if (options.diff) {
        if (options.diff.length !== 2) throw new RunnerUsageError(`--diff takes two stacks, got ${options.diff.length}; e.g. paved plan --diff prod-us-east-1 prod-us-west-2`);
        const [a, b] = options.diff.map((s) => knownStack(s, stacks));
        const { diffStacks, formatNodeReplacement, nodeGroupPins, nodeReplacements, planStack } = stackDiff();
        const pa = await planStack(dir, a);
        const pb = await planStack(dir, b);
        const diffs = diffStacks(pa.evaluation, pb.evaluation);
        // Node groups whose version or AMI release differ are replaced, not patched: said on their own lines.
        const replaced = nodeReplacements(nodeGroupPins(pa.evaluation.resources, a), nodeGroupPins(pb.evaluation.resources, b));
        if (options.json) {
            console.log(JSON.stringify({ a, b, diffs, nodeReplacements: replaced }, undefined, 2));
        } else {
            console.log(`${NOTICE}\n\n${a} → ${b}: ${diffs.length} resource(s) differ (names derived from the stack name are matched as {stack})`);
            for (const d of diffs) {
                console.log(`  ${d.change === "changed" ? "~" : d.change === "only-in-a" ? `- only in ${a}:` : `+ only in ${b}:`} ${d.key}`);
                for (const c of d.inputs) console.log(`      ${c.path}: ${JSON.stringify(c.a)} → ${JSON.stringify(c.b)}`);
            }
            for (const r of replaced) console.log(formatNodeReplacement(r));
        }
        return EXIT.ok;
    }
    const selected = names.length > 0 ? names.map((s) => knownStack(s, stacks)) : stacks;
    if (!options.json) console.log(`${NOTICE}\n`);
    const plans: PlannedStack[] = [];
    const failures: StackFailure[] = [];
    await planStacks(dir, selected, options.workers ?? defaultWorkers(selected.length), (outcome) => {
        if ("plan" in outcome) {
            plans.push(outcome.plan);
            if (!options.json) console.log(`${outcome.plan.text}\n`);
        } else {
            failures.push(outcome.failure);
            if (!options.json) console.error(`${outcome.stack}: ${outcome.failure.message}\n`);
        }
    }, pool);
    if (options.json) console.log(JSON.stringify({ notice: NOTICE, stacks: plans.map((p) => p.json), failed: failures }, undefined, 2));
    // The worst outcome: a config error (fix the file), then a failed program, then policy findings.
    if (failures.some((f) => f.kind === "config")) return EXIT.usage;
    if (failures.length > 0) return EXIT.failure;
    return plans.some((p) => p.findings) ? EXIT.findings : EXIT.ok;
}
