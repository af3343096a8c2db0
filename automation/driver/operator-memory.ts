import { OperatorPause, OperatorPausedError, OperatorPort, OperatorStackMissingError, OperatorStackStatus } from "./operator-port";

export interface OperatorCall {
    readonly stack: string;
    readonly call: "stackStatus" | "pause" | "resume";
    readonly reason?: string;
}

/** A Stack that the operator last applied successfully at generation 1: the state of a healthy fleet. */
export function reconciledStatus(stack: string, time: string): OperatorStackStatus {
    return {
        stack,
        generation: 1,
        observedGeneration: 1,
        lastUpdate: { type: "up", state: "succeeded", generation: 1, time, commit: "0123456789abcdef0123456789abcdef01234567", failures: 0 },
        conditions: { Ready: { status: "True", reason: "ProcessingCompleted" } },
        resyncSeconds: 300,
        previewOnly: false,
    };
}

/**
 * An in-memory operator for tests and rehearsals — clearly not Kubernetes. It keeps a status per
 * Stack, records every call in order, and pauses as the real adapter does: `spec.preview` on (a
 * spec change, so the generation moves) and paved's pause note; resume puts both back.
 */
export class MemoryOperator implements OperatorPort {
    readonly calls: OperatorCall[] = [];
    readonly statuses = new Map<string, OperatorStackStatus>();
    /** A call that fails once, by `call:stack`, e.g. `resume:prod-global` → its message. */
    readonly failures = new Map<string, string>();
    /** Called after every pause and resume: a rehearsal keeps its world on disk. */
    onChange?: () => void;
    private readonly previewBefore = new Map<string, boolean>();

    constructor(stacks: Iterable<string> = [], private readonly now = () => new Date()) {
        for (const s of stacks) this.statuses.set(s, reconciledStatus(s, now().toISOString()));
    }

    /** Whether the operator's reconciliation of the stack is paused now. */
    isPaused(stack: string): boolean {
        return this.statuses.get(stack)?.paused !== undefined;
    }

    stackStatus(stack: string): Promise<OperatorStackStatus> {
        return this.act(stack, "stackStatus", undefined, (s) => s);
    }

    pauseReconciliation(stack: string, reason: string): Promise<void> {
        return this.act(stack, "pause", reason, (s) => {
            if (s.paused) throw new OperatorPausedError(stack, s.paused);
            this.previewBefore.set(stack, s.previewOnly);
            const paused: OperatorPause = { reason, since: this.now().toISOString() };
            this.statuses.set(stack, { ...s, generation: s.generation + 1, observedGeneration: s.generation + 1, previewOnly: true, paused });
            this.onChange?.();
        });
    }

    resumeReconciliation(stack: string): Promise<void> {
        return this.act(stack, "resume", undefined, (s) => {
            if (!s.paused) return;
            this.statuses.set(stack, { ...s, paused: undefined, generation: s.generation + 1, observedGeneration: s.generation + 1, previewOnly: this.previewBefore.get(stack) ?? false });
            this.onChange?.();
        });
    }

    private async act<T>(stack: string, call: OperatorCall["call"], reason: string | undefined, work: (s: OperatorStackStatus) => T): Promise<T> {
        this.calls.push({ stack, call, ...(reason ? { reason } : {}) });
        await Promise.resolve();
        const status = this.statuses.get(stack);
        if (!status) throw new OperatorStackMissingError(stack);
        const failure = this.failures.get(`${call}:${stack}`);
        if (failure !== undefined) {
            this.failures.delete(`${call}:${stack}`);
            throw new Error(failure);
        }
        return work(status);
    }
}
