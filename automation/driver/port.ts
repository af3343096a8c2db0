/**
 * The driver port: exactly the stack operations the runner needs. The real adapter drives Pulumi's
 * Automation API; the in-memory driver drives tests and rehearsals. The runner branches on these
 * error types, never on message text.
 */

export type Operation = "up" | "preview" | "refresh" | "destroy";

export interface OperationOptions {
    /** Cancels the operation (Ctrl-C): the driver stops it cleanly and rejects with `OperationCancelledError`. */
    readonly signal?: AbortSignal;
    /** One line per resource operation, as the engine reports it. */
    readonly onEvent?: (line: string) => void;
    /**
     * Temporary config for this one operation (e.g. `paved:global.drill: "true"`); applied to this run only,
     * never written to a tracked file.
     */
    readonly config?: Readonly<Record<string, string>>;
}

export interface OperationResult {
    readonly stack: string;
    readonly operation: Operation;
    /** Resource changes by kind, e.g. { create: 3, same: 40 }. */
    readonly changes: Readonly<Record<string, number>>;
}

/** One property of one resource that differs between the cloud and the last deployment. */
export interface DriftFinding {
    readonly urn: string;
    readonly type: string;
    readonly property: string;
    readonly deployed: unknown;
    readonly live: unknown;
    /** `deleted`: the resource is gone from the cloud (property `id`, live absent). Absent means `changed`. */
    readonly kind?: "changed" | "deleted";
}

export interface StackDriver {
    /**
     * Checks, before any stack is touched, that the driver can work on these stacks (for Pulumi: the
     * secrets passphrase is in the environment). Throws a usage error naming what is missing.
     */
    assertReady(stacks: readonly string[]): void;
    listStacks(): Promise<string[]>;
    /** Creates a stack whose config is a copy of the template stack's (or selects it when it exists). */
    createStack(stack: string, template: string): Promise<void>;
    run(stack: string, operation: Operation, options?: OperationOptions): Promise<OperationResult>;
    /** What `refresh` would change, property by property, without changing anything. */
    previewRefresh(stack: string, options?: OperationOptions): Promise<DriftFinding[]>;
    removeStack(stack: string): Promise<void>;
    /** Clears the lock a dead run left behind (pulumi cancel); a no-op when nothing runs. */
    cancelStaleUpdate(stack: string): Promise<void>;
    /** One config value by path, e.g. `paved:global.drill`; undefined when unset. Never a secret. */
    getConfig(stack: string, key: string): Promise<string | undefined>;
    /** The stack's outputs as of its last update; secrets stay masked. */
    outputs(stack: string): Promise<Record<string, unknown>>;
    getTags(stack: string): Promise<Record<string, string>>;
    setTags(stack: string, tags: Record<string, string>): Promise<void>;
}

/** Another update is running on the stack (Pulumi's ConcurrentUpdateError). Worth retrying. */
export class StackBusyError extends Error {
    constructor(readonly stack: string, attempts?: number) {
        super(`stack ${stack} is being updated by someone else${attempts ? ` (still busy after ${attempts} attempts); try again when that update has finished` : ""}`);
        this.name = "StackBusyError";
    }
}

/** No such stack (Pulumi's StackNotFoundError). */
export class StackMissingError extends Error {
    constructor(readonly stack: string) {
        super(`stack ${stack} does not exist`);
        this.name = "StackMissingError";
    }
}

/** The operation was cancelled through its AbortSignal. */
export class OperationCancelledError extends Error {
    constructor(readonly stack: string) {
        super(`${stack}: cancelled`);
        this.name = "OperationCancelledError";
    }
}
