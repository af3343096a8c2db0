import * as path from "node:path";
import { ResourceLimits, Worker } from "node:worker_threads";
import type { PlanRequest, PlanWorkerData, Ready } from "./plan-worker";
import { StackOutcome, failedStack } from "./outcome";

export interface PoolOptions {
    /** Worker threads at most. */
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

/**
 * A worker's heap. A plan's live heap is about 75 MiB (the SDKs and one stack); a lower ceiling makes V8
 * collect sooner, which keeps the whole plan's memory within 1.5× of the single-process run.
 */
const RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 512 };

/** This folder's worker entry; from source (tests, tsx) it is TypeScript, which the worker compiles with tsx as the tests do. */
function startWorker(workerData: PlanWorkerData, resourceLimits: ResourceLimits): Worker {
    const entry = path.join(__dirname, `plan-worker${path.extname(__filename)}`);
    const options = { workerData, resourceLimits, execArgv: [] };
    if (!entry.endsWith(".ts")) return new Worker(entry, options);
    const loader = path.join(__dirname, "..", "typescript-sources.cjs");
    return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(entry)});`, { ...options, eval: true });
}

/** The one line for a worker that died of an error. */
function crashed(e: unknown, limits: ResourceLimits): string {
    if ((e as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY") {
        return `its plan worker ran out of memory (a ${limits.maxOldGenerationSizeMb} MiB heap each); plan it in this process, without that limit, with --workers 1`;
    }
    return `its plan worker crashed: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
}

interface Job {
    readonly stack: string;
    readonly index: number;
}

/**
 * Plans stacks in worker threads, one Pulumi mock runtime each, each worker taking the next stack when
 * it finishes one. Stacks are added as the caller finds them; a worker starts with each added stack
 * until there are `workers`. `onOutcome` gets every stack exactly once, as it finishes. A worker that
 * crashes, exits, runs out of memory or hangs past the timeout fails the stack it was planning with one
 * line, and a new worker takes the stacks still waiting: never a hang, never a lost stack.
 */
export class PlanPool {
    private readonly queue: Job[] = [];
    /** Workers with nothing to do yet, waiting for a stack or for the end. */
    private readonly idle = new Set<() => void>();
    private live = 0;
    private unfinished = 0;
    private closed = false;
    private whenDone: () => void = () => undefined;
    private readonly limits: ResourceLimits;
    private readonly workerData: PlanWorkerData;

    constructor(
        private readonly projectDir: string,
        private readonly options: PoolOptions,
        private readonly onOutcome: (index: number, outcome: StackOutcome) => void,
    ) {
        this.limits = options.resourceLimits ?? RESOURCE_LIMITS;
        this.workerData = { planner: options.planner ?? path.join(__dirname, `stack-outcome${path.extname(__filename)}`) };
    }

    /** Plans `stack`, the `index`-th of the caller's list. */
    add(stack: string, index: number): void {
        this.unfinished++;
        this.queue.push({ stack, index });
        const waiting = this.idle.values().next();
        if (!waiting.done) waiting.value();
        else if (this.live < this.options.workers) this.start();
    }

    /** No more stacks: resolves when every added stack has its outcome and the workers are stopped. */
    close(): Promise<void> {
        this.closed = true;
        [...this.idle].forEach((wake) => wake());
        return this.unfinished === 0 ? Promise.resolve() : new Promise((resolve) => (this.whenDone = resolve));
    }

    private finish(job: Job, outcome: StackOutcome): void {
        this.onOutcome(job.index, outcome);
        if (--this.unfinished === 0 && this.closed) this.whenDone();
    }

    private start(): void {
        this.live++;
        const worker = startWorker(this.workerData, this.limits);
        // The worker's first stack is its own from the start, so a worker that never loads fails a stack too.
        let job = this.queue.shift();
        let over = false;
        const limit = (ms: number) =>
            setTimeout(() => {
                stop(`not planned after ${ms / 1000} s: its plan worker was stopped`);
                void worker.terminate();
            }, ms);
        let timer = limit(START_TIMEOUT_MS);
        const send = () => {
            this.idle.delete(send);
            job ??= this.queue.shift();
            if (job) {
                timer = limit(this.options.stackTimeoutMs ?? STACK_TIMEOUT_MS);
                worker.postMessage({ projectDir: this.projectDir, stack: job.stack } satisfies PlanRequest);
            } else if (this.closed) {
                over = true;
                this.live--;
                void worker.terminate();
            } else {
                this.idle.add(send);
            }
        };
        /** This worker is done for: its stack fails, and a new worker takes the ones still waiting. */
        const stop = (message: string) => {
            if (over) return;
            over = true;
            this.live--;
            this.idle.delete(send);
            clearTimeout(timer);
            if (job) this.finish(job, failedStack(job.stack, message));
            if (this.queue.length > 0) this.start();
        };
        worker.on("message", (message: StackOutcome | Ready) => {
            if (over) return;
            clearTimeout(timer);
            if (message !== ("ready" satisfies Ready) && job) {
                this.finish(job, message);
                job = undefined;
            }
            send();
        });
        worker.on("error", (e) => stop(crashed(e, this.limits)));
        worker.on("exit", (code) => stop(`its plan worker exited (code ${code}) before finishing it`));
    }
}
