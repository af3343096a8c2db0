import * as pulumi from "@pulumi/pulumi";
import { OfflineMocks } from "./mocks";
import { RecordedResource, Recorder } from "./recorder";
import { readStackConfig } from "./stack-file";

/**
 * The SDK's promise bookkeeping, which it keeps internal (its .d.ts declares nothing): the module object
 * itself, whose exports the SDK reads at each call (an `import *` of it may be a copy).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object, not a copy of its exports
const sdkPromises = require("@pulumi/pulumi/runtime/debuggable") as {
    debugPromiseLeaks?: boolean;
    debuggablePromise: <T>(promise: Promise<T>, context: unknown) => Promise<T>;
    leakedPromises?: () => unknown;
};

/** What one stack program declared, evaluated offline. */
export interface StackEvaluation {
    readonly project: string;
    readonly stack: string;
    readonly resources: RecordedResource[];
    /** Stack outputs; secret ones stay wrapped (see `isSecret`). */
    readonly outputs: Record<string, unknown>;
}

/** A Pulumi stack program: what it returns are the stack's outputs. */
export type StackProgram = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/** The project, stack and config a program runs with offline. */
export interface ProgramSettings {
    readonly project: string;
    readonly stack: string;
    /** Flat `namespace:key` config, as Pulumi hands it to a program. */
    readonly config?: Record<string, string>;
    readonly secretKeys?: string[];
    /** Where the project's stack files are, so StackReferences resolve to stacks of this repository. */
    readonly projectDir?: string;
}

/** A program failed offline; `cause` is what it threw, `resources` what it had registered by then. */
export class StackEvaluationError extends Error {
    constructor(readonly stack: string, readonly cause: Error, readonly resources: RecordedResource[]) {
        super(cause.message);
        this.name = "StackEvaluationError";
    }
}

let running = false;

/** How long a failed program's registrations in flight may take to reach its own mocks. */
const DRAIN_MS = 1000;

/**
 * Errors of failed runs. The SDK rejects a failed stack's promises more than once, some of them after
 * the run has returned (the Stack resource's data, its outputs). Those late rejections carry the same
 * error: they are expected, already reported, and must neither crash the process nor fail the next stack.
 */
const reported = new WeakSet<object>();
/** Where an unhandled rejection goes while a program runs; undefined between runs. */
let currentRun: ((reason: unknown) => void) | undefined;

function onUnhandledRejection(reason: unknown): void {
    if (typeof reason === "object" && reason !== null && reported.has(reason)) return;
    if (currentRun) return currentRun(reason);
    // Not ours: Node's own behaviour (the process ends) unless someone else listens for it.
    if (process.listenerCount("unhandledRejection") === 1) throw reason;
}

/**
 * Runs a program in-process under Pulumi's mock runtime and returns every resource it registered
 * and its outputs. No CLI, no credentials, no network. The runtime is process-global, so runs are
 * sequential: a second concurrent call is refused rather than corrupting the first.
 */
export async function evaluateProgram(settings: ProgramSettings, program: StackProgram): Promise<StackEvaluation> {
    if (running) throw new Error("evaluateProgram: another program is being evaluated; the Pulumi runtime is process-global, so await each run");
    running = true;
    promisesWithoutStacks();
    // A throw inside an `apply` surfaces as an unhandled rejection, and the resources waiting on that
    // output never register; the real runtime ends the program there, and so do we.
    let onRejection: (reason: unknown) => void = () => undefined;
    const asyncFailure = new Promise<never>((_, reject) => (onRejection = reject));
    asyncFailure.catch(() => undefined);
    if (!process.listeners("unhandledRejection").includes(onUnhandledRejection)) process.on("unhandledRejection", onUnhandledRejection);
    currentRun = (reason) => {
        if (typeof reason === "object" && reason !== null) reported.add(reason);
        onRejection(reason);
    };
    const recorder = new Recorder();
    try {
        await pulumi.runtime.setMocks(new OfflineMocks(recorder, { projectDir: settings.projectDir }), settings.project, settings.stack, false);
        recorder.attach();
        pulumi.runtime.setAllConfig(settings.config ?? {}, settings.secretKeys ?? []);
        const run = async () => {
            try {
                await pulumi.runtime.runInPulumiStack(async () => (await program()) ?? {});
            } finally {
                // Resources register asynchronously; wait until every registration has reached the
                // monitor, also after a failure, so the caller sees exactly what was registered.
                await pulumi.runtime.disconnect();
            }
        };
        const pending = run();
        try {
            await Promise.race([pending, asyncFailure]);
        } catch (e) {
            const cause = asError(e);
            reported.add(cause);
            // The failed program may never settle (a resource waiting on a failed output); whatever it
            // still rejects with is this failure's, never the next run's. Registrations still in flight
            // get a moment to reach this run's mocks rather than the next run's.
            const settled = pending.catch((late: unknown) => typeof late === "object" && late !== null && reported.add(late));
            await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
            // The failed program's pending outputs are abandoned on purpose; clear them so the
            // runtime does not report them as leaks when the process exits.
            forgetPendingPromises();
            throw new StackEvaluationError(settings.stack, cause, recorder.resources);
        }

        const root = recorder.resources.find((r) => r.type === "pulumi:pulumi:Stack");
        return {
            project: settings.project,
            stack: settings.stack,
            resources: recorder.resources,
            outputs: root ? recorder.outputsOf(root.urn) : {},
        };
    } finally {
        currentRun = undefined;
        running = false;
    }
}

/** Evaluates the program with the config of `<projectDir>/Pulumi.<stack>.yaml`, read as Pulumi reads it. */
export async function evaluateStack(projectDir: string, stack: string, program: StackProgram): Promise<StackEvaluation> {
    const file = readStackConfig(projectDir, stack);
    return evaluateProgram({ project: file.project, stack, config: file.config, secretKeys: file.secretKeys, projectDir }, program);
}

let stacksDropped = false;

/**
 * The SDK captures the stack of every promise it makes (debuggablePromise), several per resource, and
 * reads it only to report a promise still pending at exit when PULUMI_DEBUG_PROMISE_LEAKS is set.
 * Without that variable they are made with an empty stack. Where something formats stacks in
 * JavaScript (source maps: tsx, ts-node, Jest, these tests) that was about a quarter of the CPU time
 * of tests that evaluate stacks. (`paved plan` gains nothing: it runs with no stack traces at all,
 * plan/stack-outcome.ts's withoutStackTraces.) Which promises are pending at exit, and the report of
 * them, are unchanged.
 */
function promisesWithoutStacks(): void {
    if (stacksDropped || sdkPromises.debugPromiseLeaks) return;
    stacksDropped = true;
    const withStack = sdkPromises.debuggablePromise;
    sdkPromises.debuggablePromise = <T>(promise: Promise<T>, context: unknown): Promise<T> => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return withStack(promise, context);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}

/** The SDK's leak detector, which it keeps internal: reading it also clears it. */
function forgetPendingPromises(): void {
    sdkPromises.leakedPromises?.();
}

function asError(e: unknown): Error {
    return e instanceof Error ? e : new Error(String(e));
}
