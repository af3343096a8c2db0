import { durationHours, isPrometheusDuration } from "../../components/validation";
import { stackBaseName } from "../driver/stack-name";
import { RunnerUsageError } from "./usage-error";

export { RunnerUsageError };

const PR_STACK = /^pr-([1-9]\d*)$/;

/** Whether a stack is a PR stack, `pr-<n>` for a positive whole n: the only stacks PR commands and sweeps touch. */
export const isPrStack = (stack: string): boolean => PR_STACK.test(stackBaseName(stack));

/** `pr-<n>` for a positive whole PR number, or a usage error naming the value. */
export function prStackName(pr: string): string {
    if (!/^[1-9]\d*$/.test(pr)) throw new RunnerUsageError(`got PR number "${pr}": a positive whole number, e.g. paved pr up 123`);
    return `pr-${pr}`;
}

/**
 * Destroy refuses every stack that is not a PR stack unless the caller typed its name into the
 * confirmation flag (`--yes-destroy-<stack>`): production is never one keystroke away.
 */
export function assertDestroyAllowed(stack: string, confirmations: readonly string[]): void {
    if (isPrStack(stack)) return;
    if (!confirmations.includes(`--yes-destroy-${stack}`)) {
        throw new RunnerUsageError(`refusing to destroy ${stack}: it is not a PR stack; to destroy it anyway pass --yes-destroy-${stack}`);
    }
}

export interface PrStackInfo {
    readonly stack: string;
    /** The `paved:created-at` tag, ISO 8601. */
    readonly createdAt?: string;
}

/**
 * Which PR stacks a sweep removes: those older than the TTL, or whose PR is no longer open (when
 * the open list is given). A stack whose name is not `pr-<number>` is never selected.
 */
export function sweepSelection(stacks: readonly PrStackInfo[], options: { readonly ttl: string; readonly now: Date; readonly open?: readonly number[] }): string[] {
    const ttl: string = options.ttl;
    if (!isPrometheusDuration(options.ttl)) throw new RunnerUsageError(`got TTL "${ttl}": a duration, e.g. 72h or 3d`);
    const maxAgeMs = durationHours(options.ttl) * 3_600_000;
    return stacks
        .filter((s) => isPrStack(s.stack))
        .filter((s) => {
            const pr = Number(PR_STACK.exec(stackBaseName(s.stack))![1]);
            const created = s.createdAt ? Date.parse(s.createdAt) : Number.NaN;
            const expired = !Number.isNaN(created) && options.now.getTime() - created > maxAgeMs;
            const closed = options.open !== undefined && !options.open.includes(pr);
            return expired || closed;
        })
        .map((s) => s.stack)
        .sort();
}
