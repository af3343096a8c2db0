import { StackConfigError } from "../../stacks/config";
import { ConfigIssue } from "../../stacks/config-problems";
import { EXIT } from "../exit-codes";
import { StackEvaluationError } from "../offline/evaluate";
import { StackFileError, listStacks } from "../offline/stack-file";
import { RunnerUsageError } from "../runner/pr-stacks";
import { knownStack } from "../runner/stack-commands";
import { diffStacks } from "./diff";
import { formatNodeReplacement, nodeGroupPins, nodeReplacements } from "./node-replacements";
import { StackPlan, formatPlan, planJson, planStack } from "./plan";

export const NOTICE = "Credential-free evaluation under Pulumi's mock runtime: no cloud was asked; this is not a cloud preview.";

/** A stack `paved plan` could not plan, as data: its config problems, or the one line of what failed. */
export interface StackFailure {
    readonly stack: string;
    /** "config": the stack file is wrong (exit 2, nothing evaluated); "failure": the program failed (exit 1). */
    readonly kind: "config" | "failure";
    readonly message: string;
    readonly errors: readonly ConfigIssue[];
}

/** What a stack's failure means for the exit code and the report. */
export function failureOf(stack: string, e: unknown): StackFailure {
    const cause = e instanceof StackEvaluationError ? e.cause : e;
    if (cause instanceof StackConfigError) return { stack, kind: "config", message: cause.message, errors: cause.issues };
    if (cause instanceof StackFileError || cause instanceof RunnerUsageError) return { stack, kind: "config", message: cause.message, errors: [] };
    return { stack, kind: "failure", message: cause instanceof Error ? cause.message : String(cause), errors: [] };
}

/**
 * `paved plan`: every selected stack planned one after another; a stack that fails is reported (in
 * text on stderr, in --json as data) and the others are still planned. Exit code: the worst outcome.
 */
export async function planCommand(dir: string, names: readonly string[], options: { json?: boolean; diff?: string[] }): Promise<number> {
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
    const plans: StackPlan[] = [];
    const failures: StackFailure[] = [];
    let findings = false;
    for (const stack of selected) {
        try {
            const p = await planStack(dir, stack);
            plans.push(p);
            if (!options.json) console.log(`${formatPlan(p)}\n`);
            if (p.violations.some((v) => v.level === "mandatory")) findings = true;
        } catch (e) {
            const failure = failureOf(stack, e);
            failures.push(failure);
            if (!options.json) console.error(`${stack}: ${failure.message}\n`);
        }
    }
    if (options.json) console.log(JSON.stringify({ notice: NOTICE, stacks: plans.map(planJson), failed: failures }, undefined, 2));
    // The worst outcome: a config error (fix the file), then a failed program, then policy findings.
    if (failures.some((f) => f.kind === "config")) return EXIT.usage;
    if (failures.length > 0) return EXIT.failure;
    return findings ? EXIT.findings : EXIT.ok;
}
