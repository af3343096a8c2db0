import * as path from "node:path";
import { ResourceLimits, Worker } from "node:worker_threads";
import type { PlanRequest, PlanWorkerData, Ready } from "./plan-worker";
import { StackOutcome, failedStack } from "./stack-outcome";

export interface PoolOptions {
    /** Worker threads at most (never more than there are stacks). */
    readonly workers: number;
    /** How long one stack may take in a worker before the worker is stopped. */
    readonly stackTimeoutMs?: number;
    /** Each worker's heap: a stack that outgrows it fails alone, not the plan or the machine. */
    readonly resourceLimits?: ResourceLimits;
    /** The module whose `planOutcome` a worker runs; tests hand in one that crashes. */
    readonly planner?: string;
}

/** A cold worker plans its first stack in 2-4 s (schemas compile, code warms up): generous for a loaded machine. */
export const STACK_TIMEOUT_MS = 120_000;

/** How long a worker may take to load the program and the SDKs (about a second) before it counts as hung. */
const START_TIMEOUT_MS = 120_000;

/** Today's whole fleet plan peaks under 500 MiB in one heap; 2 GiB is a runaway stack, not a big one. */
const RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 2048 };

/** This folder's worker entry; from source (tests, tsx) it is TypeScript, which the worker compiles with tsx as this process does. */
function startWorker(workerData: PlanWorkerData, resourceLimits: ResourceLimits): Worker {
    const entry = path.join(__dirname, `plan-worker${path.extname(__filename)}`);
    const options = { workerData, resourceLimits, execArgv: [] };
    if (!entry.endsWith(".ts")) return new Worker(entry, options);
    return new Worker(`require("tsx/cjs"); require(${JSON.stringify(entry)});`, { ...options, eval: true });
}

function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/**
 * Plans the stacks in worker threads, one mock runtime each, each worker taking the next stack when it
 * finishes one. `onOutcome` gets every stack exactly once, as it finishes (`index` is its place in
 * `stacks`). A worker that crashes, exits, runs out of memory or hangs past the timeout fails the stack
 * it was planning, with one line, and a new worker takes the stacks still waiting: never a hang, never
 * a lost stack.
 */
export function planInWorkers(projectDir: string, stacks: readonly string[], options: PoolOptions, onOutcome: (index: number, outcome: StackOutcome) => void): Promise<void> {
    const queue = stacks.map((stack, index) => ({ stack, index }));
    const timeoutMs = options.stackTimeoutMs ?? STACK_TIMEOUT_MS;
    const workerData: PlanWorkerData = { planner: options.planner ?? path.join(__dirname, `stack-outcome${path.extname(__filename)}`) };
    let unfinished = stacks.length;
    return new Promise((resolve) => {
        if (unfinished === 0) return resolve();
        const finish = (index: number, outcome: StackOutcome) => {
            onOutcome(index, outcome);
            if (--unfinished === 0) resolve();
        };
        const start = () => {
            const worker = startWorker(workerData, options.resourceLimits ?? RESOURCE_LIMITS);
            // The worker's first stack is its own from the start, so a worker that never loads fails a stack too.
            let job = queue.shift();
            let over = false;
            const limit = (ms: number) =>
                setTimeout(() => {
                    stop(`not planned after ${ms / 1000} s: its plan worker was stopped`);
                    void worker.terminate();
                }, ms);
            let timer = limit(START_TIMEOUT_MS);
            const send = () => {
                if (!job) {
                    over = true;
                    void worker.terminate();
                    return;
                }
                timer = limit(timeoutMs);
                worker.postMessage({ projectDir, stack: job.stack } satisfies PlanRequest);
            };
            /** This worker is done for: the stack it had fails, and a new worker takes the ones still waiting. */
            const stop = (message: string) => {
                if (over) return;
                over = true;
                clearTimeout(timer);
                if (job) finish(job.index, failedStack(job.stack, message));
                if (queue.length > 0) start();
            };
            worker.on("message", (message: StackOutcome | Ready) => {
                if (over || !job) return;
                clearTimeout(timer);
                if (message !== ("ready" satisfies Ready)) {
                    finish(job.index, message);
                    job = queue.shift();
                }
                send();
            });
            worker.on("error", (e) => stop(`its plan worker crashed: ${firstLine(e)}`));
            worker.on("exit", (code) => stop(`its plan worker exited (code ${code}) before finishing it`));
        };
        for (let i = 0; i < Math.min(options.workers, stacks.length); i++) start();
    });
}
