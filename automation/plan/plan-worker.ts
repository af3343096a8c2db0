/**
 * A plan worker: a thread with its own Pulumi mock runtime (the runtime's state lives on the isolate's
 * globalThis and module scope, and a worker's process.env is its own copy), planning one stack per
 * message until its pool stops it. It loads the program and the provider SDKs once for all its stacks.
 */
import "../defer-sdk-modules";
import { parentPort, workerData } from "node:worker_threads";
import type { StackOutcome } from "./outcome";

/** What a pool hands a worker when it starts. */
export interface PlanWorkerData {
    /** The module whose `planOutcome` plans a stack: ./stack-outcome, unless a test hands in another. */
    readonly planner: string;
}

/** What a worker says once it has loaded its planner, before its first stack. */
export type Ready = "ready";

/** One request: plan this stack of this project. */
export interface PlanRequest {
    readonly projectDir: string;
    readonly stack: string;
}

// No stack traces in this isolate, as withoutStackTraces does for a plan in process (stack-outcome.ts).
Error.stackTraceLimit = 0;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the planner is chosen at run time
const planner = require((workerData as PlanWorkerData).planner) as { planOutcome(projectDir: string, stack: string): Promise<StackOutcome> };

parentPort?.on("message", (request: PlanRequest) => {
    void planner.planOutcome(request.projectDir, request.stack).then((outcome) => parentPort?.postMessage(outcome));
});
// Loaded: from now on each stack has its own time limit.
parentPort?.postMessage("ready" satisfies Ready);
