import { Clock } from "./clock";

export interface RetryPolicy {
    readonly attempts: number;
    /** Drill seconds before the second attempt; doubled before each one after. */
    readonly firstBackoff: number;
}

/** A restore must finish: five tries, 5 s then 10, 20, 40 s apart (75 s in all), before it gives up. */
export const RESTORE_RETRY: RetryPolicy = { attempts: 5, firstBackoff: 5 };

/**
 * Runs `action` until it succeeds or the attempts are spent, sleeping on the drill clock between
 * attempts (so a rehearsal's backoff is time-scaled too). Rejects with the last error.
 */
export async function withRetries<T>(what: string, action: () => Promise<T>, policy: RetryPolicy, clock: Clock, log: (line: string) => void): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await action();
        } catch (e) {
            if (attempt >= policy.attempts) throw e;
            const wait = policy.firstBackoff * 2 ** (attempt - 1);
            log(`${what}: attempt ${attempt} of ${policy.attempts} failed (${(e as Error).message}); retrying in ${wait} s`);
            await clock.sleep(wait);
        }
    }
}
