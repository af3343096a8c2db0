import { StackConfigError } from "../../stacks/config";
import { StackEvaluationError } from "../offline/evaluate";
import { StackFileError } from "../offline/stack-file";
import { RunnerUsageError } from "../runner/pr-stacks";
import { formatPlan, planJson, planStack } from "./plan";
import { StackFailure, StackOutcome } from "./outcome";

/** What a stack's failure means for the exit code and the report. */
export function failureOf(stack: string, e: unknown): StackFailure {
    const cause = e instanceof StackEvaluationError ? e.cause : e;
    if (cause instanceof StackConfigError) return { stack, kind: "config", message: cause.message, errors: cause.issues };
    if (cause instanceof StackFileError || cause instanceof RunnerUsageError) return { stack, kind: "config", message: cause.message, errors: [] };
    return { stack, kind: "failure", message: cause instanceof Error ? cause.message : String(cause), errors: [] };
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
