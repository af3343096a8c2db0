import { StackConfigError } from "../../stacks/config";
import { ConfigIssue } from "../../stacks/config-problems";
import { StackEvaluationError } from "../offline/evaluate";
import { StackFileError } from "../offline/stack-file";
import { RunnerUsageError } from "../runner/pr-stacks";
import { StackPlan, formatPlan, planJson, planStack } from "./plan";

/** A stack `paved plan` could not plan, as data: its config problems, or the one line of what failed. */
export interface StackFailure {
    readonly stack: string;
    /** "config": the stack file is wrong (exit 2, nothing evaluated); "failure": the program failed (exit 1). */
    readonly kind: "config" | "failure";
    readonly message: string;
    readonly errors: readonly ConfigIssue[];
}

/** A planned stack as `paved plan` prints it: plain data, the same whether a worker or this process planned it. */
export interface PlannedStack {
    /** The text block (formatPlan). */
    readonly text: string;
    /** The --json entry (planJson). */
    readonly json: Omit<StackPlan, "evaluation">;
    /** Whether it breaks a mandatory policy (exit 3). */
    readonly findings: boolean;
}

/** What planning one stack came to. */
export type StackOutcome = { readonly stack: string; readonly plan: PlannedStack } | { readonly stack: string; readonly failure: StackFailure };

/** What a stack's failure means for the exit code and the report. */
export function failureOf(stack: string, e: unknown): StackFailure {
    const cause = e instanceof StackEvaluationError ? e.cause : e;
    if (cause instanceof StackConfigError) return { stack, kind: "config", message: cause.message, errors: cause.issues };
    if (cause instanceof StackFileError || cause instanceof RunnerUsageError) return { stack, kind: "config", message: cause.message, errors: [] };
    return { stack, kind: "failure", message: cause instanceof Error ? cause.message : String(cause), errors: [] };
}

/** A failure that is no error of the stack's own (its worker died or hung): the program failed, exit 1. */
export function failedStack(stack: string, message: string): StackOutcome {
    return { stack, failure: { stack, kind: "failure", message, errors: [] } };
}

/**
 * Runs `plan` with no stack traces captured. The SDK captures one for every promise and resource it
 * creates (runtime/debuggable.ts, resource.ts): a fifth of a plan's CPU, for traces a plan never prints.
 */
export async function withoutStackTraces<T>(plan: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await plan();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/**
 * Plans one stack into plain data; a stack that fails is an outcome, not a throw. Only what is printed
 * is kept: the evaluation (every resource) is dropped as soon as the stack is formatted.
 */
export async function planOutcome(projectDir: string, stack: string): Promise<StackOutcome> {
    try {
        const plan = await planStack(projectDir, stack);
        return { stack, plan: { text: formatPlan(plan), json: planJson(plan), findings: plan.violations.some((v) => v.level === "mandatory") } };
    } catch (e) {
        return { stack, failure: failureOf(stack, e) };
    }
}
