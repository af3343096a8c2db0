import { DriftFinding, Operation, OperationCancelledError, OperationOptions, OperationResult, StackBusyError, StackDriver, StackMissingError } from "./port";

/** What a scripted call does: succeed (the default), fail, report the stack busy, or report drift. */
export type ScriptedOutcome =
    | { readonly kind: "ok"; readonly changes?: Record<string, number> }
    | { readonly kind: "fail"; readonly message: string }
    | { readonly kind: "busy" }
    /** Never answers, not even to cancellation: a process that died mid-call. */
    | { readonly kind: "hang" }
    | { readonly kind: "drift"; readonly findings: DriftFinding[] };

export interface MemoryCall {
    readonly stack: string;
    readonly operation: Operation | "previewRefresh" | "createStack" | "removeStack" | "setConfig" | "cancelStaleUpdate";
    readonly startedAt: number;
    readonly endedAt: number;
}

/**
 * An in-memory driver for tests and rehearsals — clearly not Pulumi. Each call takes `latencyMs`,
 * follows the stack's script in order, and is recorded; it also measures how many calls ran at
 * once overall and per stack, so tests can observe the runner's concurrency bound and exclusivity.
 */
export class MemoryDriver implements StackDriver {
    readonly calls: MemoryCall[] = [];
    maxInFlight = 0;
    /** Greatest number of calls on one stack at the same time; the runner must keep it at 1. */
    maxInFlightPerStack = 0;
    private inFlight = 0;
    private readonly inFlightByStack = new Map<string, number>();
    private readonly tags = new Map<string, Record<string, string>>();
    /** Which template each stack created through `createStack` was copied from. */
    readonly createdFrom = new Map<string, string>();
    /** What `outputs` answers per stack, as the stack's program would export it. */
    readonly stackOutputs = new Map<string, Record<string, unknown>>();
    /** Config per stack, by path key. */
    readonly config = new Map<string, Record<string, string>>();
    /** Called after every successful `up` with the config it applied (the stack's, then the run's own): how a rehearsal's world reacts to an update. */
    onUp?: (stack: string, config: Readonly<Record<string, string>>) => void;
    /** What a refresh preview finds when the script has nothing else for it: e.g. a FirewallWorld's findings. */
    refreshFindings?: (stack: string) => DriftFinding[];
    /** Stacks whose update lock a dead run left behind (a `hang`): every call is busy until `cancelStaleUpdate`. */
    readonly locked = new Set<string>();

    constructor(
        private readonly stacks: Set<string>,
        private readonly script: Map<string, ScriptedOutcome[]> = new Map(),
        /** Each call's duration: fixed, or drawn per call (e.g. from a distribution). */
        private readonly latencyMs: number | ((stack: string, operation: MemoryCall["operation"]) => number) = 10,
    ) {
        for (const s of stacks) this.tags.set(s, {});
    }

    /** Nothing to check: an in-memory stack has no secrets provider. */
    assertReady(): void {}

    listStacks(): Promise<string[]> {
        return Promise.resolve([...this.stacks].sort());
    }

    createStack(stack: string, template: string): Promise<void> {
        if (!this.stacks.has(stack)) {
            this.stacks.add(stack);
            this.tags.set(stack, {});
            this.createdFrom.set(stack, template);
        }
        this.record(stack, "createStack");
        return Promise.resolve();
    }

    getConfig(stack: string, key: string): Promise<string | undefined> {
        if (!this.stacks.has(stack)) return Promise.reject(new StackMissingError(stack));
        return Promise.resolve(this.config.get(stack)?.[key]);
    }

    /** Seeds a stack's config (Git's state) in tests and rehearsals; not part of the port, which never writes a stack file. */
    setConfig(stack: string, key: string, value: string): Promise<void> {
        if (!this.stacks.has(stack)) return Promise.reject(new StackMissingError(stack));
        this.config.set(stack, { ...this.config.get(stack), [key]: value });
        this.record(stack, "setConfig");
        return Promise.resolve();
    }

    outputs(stack: string): Promise<Record<string, unknown>> {
        if (!this.stacks.has(stack)) return Promise.reject(new StackMissingError(stack));
        return Promise.resolve({ ...this.stackOutputs.get(stack) });
    }

    async run(stack: string, operation: Operation, options: OperationOptions = {}): Promise<OperationResult> {
        const outcome = await this.call(stack, operation, options);
        if (outcome.kind === "fail") throw new Error(`${stack}: ${operation} failed: ${outcome.message}`);
        if (operation === "destroy") this.tags.set(stack, {});
        if (operation === "up") this.onUp?.(stack, { ...this.config.get(stack), ...options.config });
        return { stack, operation, changes: outcome.kind === "ok" ? (outcome.changes ?? { same: 1 }) : { same: 1 } };
    }

    async previewRefresh(stack: string, options: OperationOptions = {}): Promise<DriftFinding[]> {
        const outcome = await this.call(stack, "previewRefresh", options);
        if (outcome.kind === "fail") throw new Error(`${stack}: previewRefresh failed: ${outcome.message}`);
        return outcome.kind === "drift" ? outcome.findings : (this.refreshFindings?.(stack) ?? []);
    }

    removeStack(stack: string): Promise<void> {
        if (!this.stacks.delete(stack)) return Promise.reject(new StackMissingError(stack));
        this.tags.delete(stack);
        this.record(stack, "removeStack");
        return Promise.resolve();
    }

    /** Clears the lock a `hang` left behind; the call is recorded so tests see that it was made. */
    cancelStaleUpdate(stack: string): Promise<void> {
        if (!this.stacks.has(stack)) return Promise.reject(new StackMissingError(stack));
        this.locked.delete(stack);
        this.record(stack, "cancelStaleUpdate");
        return Promise.resolve();
    }

    getTags(stack: string): Promise<Record<string, string>> {
        const tags = this.tags.get(stack);
        return tags ? Promise.resolve({ ...tags }) : Promise.reject(new StackMissingError(stack));
    }

    setTags(stack: string, tags: Record<string, string>): Promise<void> {
        if (!this.stacks.has(stack)) return Promise.reject(new StackMissingError(stack));
        this.tags.set(stack, { ...this.tags.get(stack), ...tags });
        return Promise.resolve();
    }

    private record(stack: string, operation: MemoryCall["operation"]): void {
        const now = Date.now();
        this.calls.push({ stack, operation, startedAt: now, endedAt: now });
    }

    private async call(stack: string, operation: MemoryCall["operation"], options: OperationOptions): Promise<ScriptedOutcome> {
        if (!this.stacks.has(stack)) throw new StackMissingError(stack);
        const startedAt = Date.now();
        this.inFlight++;
        this.inFlightByStack.set(stack, (this.inFlightByStack.get(stack) ?? 0) + 1);
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        this.maxInFlightPerStack = Math.max(this.maxInFlightPerStack, this.inFlightByStack.get(stack)!);
        try {
            options.onEvent?.(`${stack}: ${operation} started`);
            await new Promise<void>((resolve, reject) => {
                const cancel = () => {
                    clearTimeout(timer);
                    reject(new OperationCancelledError(stack));
                };
                const timer = setTimeout(() => {
                    options.signal?.removeEventListener("abort", cancel);
                    resolve();
                }, typeof this.latencyMs === "number" ? this.latencyMs : this.latencyMs(stack, operation));
                if (options.signal?.aborted) cancel();
                else options.signal?.addEventListener("abort", cancel, { once: true });
            });
            if (this.locked.has(stack)) throw new StackBusyError(stack);
            const outcome = this.script.get(stack)?.shift() ?? { kind: "ok" };
            if (outcome.kind === "busy") throw new StackBusyError(stack);
            if (outcome.kind === "hang") {
                this.locked.add(stack);
                await new Promise<never>(() => undefined);
            }
            return outcome;
        } finally {
            this.inFlight--;
            this.inFlightByStack.set(stack, this.inFlightByStack.get(stack)! - 1);
            this.calls.push({ stack, operation, startedAt, endedAt: Date.now() });
        }
    }
}
