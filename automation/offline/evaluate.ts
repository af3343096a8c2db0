import * as pulumi from "@pulumi/pulumi";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";
import { OfflineMocks } from "./mocks";
import { RecordedResource, Recorder } from "./recorder";
import { readStackConfig } from "./stack-file";

/** What one stack program declared, evaluated offline. */
export interface StackEvaluation {
    readonly project: string;
    readonly stack: string;
    readonly resources: RecordedResource[];
    /** Stack outputs; secret ones stay wrapped (see `isSecret`). */
    readonly outputs: Record<string, unknown>;
}

export type StackProgram = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

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

/**
 * Runs a program in-process under Pulumi's mock runtime and returns every resource it registered
 * and its outputs. No CLI, no credentials, no network. The runtime is process-global, so runs are
 * sequential: a second concurrent call is refused rather than corrupting the first.
 */
export async function evaluateProgram(settings: ProgramSettings, program: StackProgram): Promise<StackEvaluation> {
    if (running) throw new Error("evaluateProgram: another program is being evaluated; the Pulumi runtime is process-global, so await each run");
    running = true;
    // A throw inside an `apply` surfaces as an unhandled rejection, and the resources waiting on that
    // output never register; the real runtime ends the program there, and so do we.
    let onRejection: (reason: unknown) => void = () => undefined;
    const asyncFailure = new Promise<never>((_, reject) => (onRejection = reject));
    asyncFailure.catch(() => undefined);
    process.on("unhandledRejection", onRejection);
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
        try {
            await Promise.race([run(), asyncFailure]);
        } catch (e) {
            // The failed program's pending outputs are abandoned on purpose; clear them so the
            // runtime does not report them as leaks when the process exits.
            forgetPendingPromises();
            throw new StackEvaluationError(settings.stack, asError(e), recorder.resources);
        }

        const root = recorder.resources.find((r) => r.type === "pulumi:pulumi:Stack");
        return {
            project: settings.project,
            stack: settings.stack,
            resources: recorder.resources,
            outputs: root ? recorder.outputsOf(root.urn) : {},
        };
    } finally {
        process.off("unhandledRejection", onRejection);
        running = false;
    }
}

/** Evaluates the program with the config of `<projectDir>/Pulumi.<stack>.yaml`, read as Pulumi reads it. */
export async function evaluateStack(projectDir: string, stack: string, program: StackProgram): Promise<StackEvaluation> {
    const file = readStackConfig(projectDir, stack);
    return evaluateProgram({ project: file.project, stack, config: file.config, secretKeys: file.secretKeys, projectDir }, program);
}

/** The SDK's leak detector, which it keeps internal: reading it also clears it. */
function forgetPendingPromises(): void {
    (debuggable as unknown as { leakedPromises?: () => unknown }).leakedPromises?.();
}

function asError(e: unknown): Error {
    return e instanceof Error ? e : new Error(String(e));
}
