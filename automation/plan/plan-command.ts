import { EXIT } from "../exit-codes";
import { listStacks } from "../offline/stack-file";
import { RunnerUsageError } from "../runner/pr-stacks";
import { knownStack } from "../runner/stack-commands";
import { diffStacks } from "./diff";
import { formatNodeReplacement, nodeGroupPins, nodeReplacements } from "./node-replacements";
import { checkStack, planStack } from "./plan";
import { PlanPool, PoolOptions } from "./plan-pool";
import { defaultWorkers } from "./workers-option";
import { PlannedStack, StackFailure, StackOutcome, failureOf, planOutcome, withoutStackTraces } from "./stack-outcome";

export const NOTICE = "Credential-free evaluation under Pulumi's mock runtime: no cloud was asked; this is not a cloud preview.";

export interface PlanOptions {
    readonly json?: boolean;
    readonly diff?: string[];
    /** Stacks evaluated at once, each in its own worker thread; 1 evaluates them one after another in this process. Default: defaultWorkers. */
    readonly workers?: number;
}

/**
 * Plans the stacks and hands each outcome to `report` in the order of `stacks`, whatever order they
 * finish in, so the output is the same with any number of workers. With more than one, each stack file
 * is read and checked here (cheap) while the workers start: the second good stack starts them, each
 * good stack goes to them as it is found. A lone good stack is planned here, quicker than in a worker.
 */
export async function planStacks(dir: string, stacks: readonly string[], workers: number, report: (outcome: StackOutcome) => void, pool: Partial<PoolOptions> = {}): Promise<void> {
    if (workers <= 1 || stacks.length <= 1) {
        for (const stack of stacks) report(await withoutStackTraces(() => planOutcome(dir, stack)));
        return;
    }
    const done: (StackOutcome | undefined)[] = [];
    let next = 0;
    const deliver = (index: number, outcome: StackOutcome) => {
        done[index] = outcome;
        for (; next < stacks.length && done[next]; next++) report(done[next]!);
    };
    let first: number | undefined;
    let planner: PlanPool | undefined;
    for (const [index, stack] of stacks.entries()) {
        try {
            checkStack(dir, stack);
        } catch (e) {
            deliver(index, { stack, failure: failureOf(stack, e) });
            continue;
        }
        if (first === undefined) {
            first = index;
            continue;
        }
        if (!planner) {
            planner = new PlanPool(dir, { ...pool, workers }, deliver);
            planner.add(stacks[first], first);
        }
        planner.add(stack, index);
        // Let the workers' start (and their messages) go on between two files.
        await new Promise(setImmediate);
    }
    if (planner) return planner.close();
    if (first !== undefined) deliver(first, await withoutStackTraces(() => planOutcome(dir, stacks[first])));
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
