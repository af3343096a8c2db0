/**
 * Whole-stack test harness: evaluate a program or a shipped `Pulumi.<stack>.yaml` under strict
 * mocks, then find recorded resources and read their inputs and outputs.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
    ProgramSettings,
    StackEvaluation,
    StackEvaluationError,
    StackProgram,
    evaluateProgram,
    evaluateStack,
} from "../automation/offline/evaluate";
import { RecordedResource, isSecret, reveal } from "../automation/offline/recorder";
import { program } from "../stacks/program";
import { SHARED_EVALUATIONS_ENV, sharedEvaluation } from "./shared-evaluations";

export { RecordedResource, StackEvaluation, StackEvaluationError, isSecret, reveal };

export const REPO_ROOT = path.resolve(__dirname, "..");

const shipped = new Map<string, StackEvaluation>();
let shippedUnder: unknown;

/**
 * Runs a shipped stack (`Pulumi.<stack>.yaml` in the repo root) through the real stack program.
 * Evaluation is deterministic, so each shipped stack is evaluated once per process and, under npm
 * test, once per run: the workers share it (test/shared-evaluations.ts).
 */
export async function runStack(stack: string, projectDir = REPO_ROOT): Promise<StackEvaluation> {
    if (projectDir !== REPO_ROOT) return evaluateStack(projectDir, stack, program);
    // Under StrykerJS (npm run mutate) one process runs many mutants: each evaluates its own (mutated)
    // program once; its dry run evaluates for every test, so each test is seen to cover what it runs.
    const stryker = (globalThis as { __stryker__?: { activeMutant?: unknown } }).__stryker__;
    if (stryker && stryker.activeMutant === undefined) return evaluateStack(projectDir, stack, program);
    const mutant = stryker?.activeMutant;
    if (mutant !== shippedUnder) {
        shipped.clear();
        shippedUnder = mutant;
    }
    const cached = shipped.get(stack);
    if (cached) return cached;
    const sharedIn = stryker ? undefined : process.env[SHARED_EVALUATIONS_ENV];
    const evaluate = () => evaluateStack(projectDir, stack, program);
    const run = await (sharedIn ? sharedEvaluation(sharedIn, stack, evaluate) : evaluate());
    shipped.set(stack, run);
    return run;
}

/** Runs a test program (e.g. one component) with the given config. */
export function runProgram(body: StackProgram, settings: Partial<ProgramSettings> = {}): Promise<StackEvaluation> {
    return evaluateProgram({ project: "paved", stack: "test", ...settings }, body);
}

/** Runs a program that must fail; returns the failure (what the program threw and what it registered). */
export async function runFailing(body: StackProgram, settings: Partial<ProgramSettings> = {}): Promise<StackEvaluationError> {
    try {
        await runProgram(body, settings);
    } catch (e) {
        if (e instanceof StackEvaluationError) return e;
        throw e;
    }
    throw new Error("expected the program to fail, but it succeeded");
}

/** Resolves an output's value (hangs on an unknown value, which these previews never produce). */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

/** The one resource of a type (and name, when given); fails the test when there is not exactly one. */
export function one(resources: readonly RecordedResource[], type: string, name?: string): RecordedResource {
    const found = ofType(resources, type).filter((r) => name === undefined || r.name === name);
    expect(found, `resources of type ${type}${name ? ` named ${name}` : ""}`).to.have.length(1);
    return found[0];
}

/** Inputs with secrets revealed, for assertions. */
export function inputsOf(resource: RecordedResource): Record<string, any> {
    return reveal(resource.inputs) as Record<string, any>;
}

/** Direct children of a resource. */
export function childrenOf(resources: readonly RecordedResource[], parent: RecordedResource): RecordedResource[] {
    return resources.filter((r) => r.parent === parent.urn);
}

/** The URN part of a provider reference (`urn::id`). */
export function providerUrn(resource: RecordedResource): string | undefined {
    return resource.provider?.split("::").slice(0, -1).join("::");
}
