import pLimit from "p-limit";
import { OperationCancelledError, StackBusyError } from "../driver/port";

export interface OrchestrateOptions {
    /** Most stacks worked on at once. */
    readonly concurrency: number;
    /** Retries of an operation that found its stack busy. */
    readonly retries?: number;
    /** First backoff; each retry doubles it. */
    readonly backoffMs?: number;
    readonly signal?: AbortSignal;
}

export type StackOutcome<T> = { readonly stack: string; readonly ok: true; readonly value: T } | { readonly stack: string; readonly ok: false; readonly error: Error };

/** Serialises work per stack: a second operation on a stack waits for the first (one workspace, one update). */
export class StackLocks {
    private readonly tails = new Map<string, Promise<unknown>>();

    run<T>(stack: string, work: () => Promise<T>): Promise<T> {
        const previous = this.tails.get(stack) ?? Promise.resolve();
        const next = previous.then(work, work);
        this.tails.set(stack, next.catch(() => undefined));
        return next;
    }
}

/**
 * Runs one operation per stack with bounded parallelism, one operation per stack at a time, retrying
 * with exponential backoff when a stack is busy (Pulumi's ConcurrentUpdateError), and stopping
 * cleanly when cancelled: work not yet started is not started.
 */
export async function orchestrate<T>(
    stacks: readonly string[],
    work: (stack: string, signal?: AbortSignal) => Promise<T>,
    options: OrchestrateOptions,
    locks = new StackLocks(),
): Promise<StackOutcome<T>[]> {
    const limit = pLimit(Math.max(1, options.concurrency));
    const retries = options.retries ?? 3;
    const backoff = options.backoffMs ?? 1000;
    const attempt = async (stack: string): Promise<T> => {
        for (let i = 0; ; i++) {
            if (options.signal?.aborted) throw new OperationCancelledError(stack);
            try {
                return await work(stack, options.signal);
            } catch (e) {
                if (!(e instanceof StackBusyError)) throw e;
                if (i >= retries) throw new StackBusyError(stack, i + 1);
                await new Promise((r) => setTimeout(r, backoff * 2 ** i));
            }
        }
    };
    return Promise.all(
        stacks.map((stack) =>
            limit(() => locks.run(stack, () => attempt(stack)))
                .then((value): StackOutcome<T> => ({ stack, ok: true, value }))
                .catch((error: unknown): StackOutcome<T> => ({ stack, ok: false, error: error instanceof Error ? error : new Error(String(error)) })),
        ),
    );
}
