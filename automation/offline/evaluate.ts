import * as pulumi from "@pulumi/pulumi";
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

export type StackProgram = () => Promise<Record<string, unknown> | void>;

let running = false;

/**
 * Runs a stack program in-process under Pulumi's mock runtime with the config of
 * `Pulumi.<stack>.yaml`, and returns every resource it registered and its outputs. No CLI,
 * no credentials, no network. The runtime is process-global: runs must be sequential.
 */
export async function evaluateStack(projectDir: string, stack: string, program: StackProgram): Promise<StackEvaluation> {
    if (running) throw new Error("evaluateStack: another stack is being evaluated; the Pulumi runtime is process-global, so await each run");
    running = true;
    const asyncFailures: unknown[] = [];
    const onRejection = (reason: unknown) => asyncFailures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        const file = readStackConfig(projectDir, stack);
        const recorder = new Recorder();
        await pulumi.runtime.setMocks(new OfflineMocks(recorder), file.project, stack, false);
        recorder.attach();
        pulumi.runtime.setAllConfig(file.config, file.secretKeys);

        let failure: Error | undefined;
        await pulumi.runtime.runInPulumiStack(async () => (await program()) ?? {}).catch((e: unknown) => (failure = asError(e)));
        // Resources register asynchronously; wait until every registration has reached the monitor.
        await pulumi.runtime.disconnect();
        await new Promise((resolve) => setImmediate(resolve));
        const error = failure ?? (asyncFailures.length > 0 ? asError(asyncFailures[0]) : undefined);
        if (error) throw error;

        const root = recorder.resources.find((r) => r.type === "pulumi:pulumi:Stack");
        return {
            project: file.project,
            stack,
            resources: recorder.resources,
            outputs: root ? recorder.outputsOf(root.urn) : {},
        };
    } finally {
        process.off("unhandledRejection", onRejection);
        running = false;
    }
}

function asError(e: unknown): Error {
    return e instanceof Error ? e : new Error(String(e));
}
