import { describeAnswer, probeOnce } from "../health/probe";
import { Clock } from "./clock";

/** One probe of the global endpoint: who served it (the region its body names), or why it failed. */
export interface Sample {
    /** Drill seconds since the drill started. */
    readonly t: number;
    readonly region?: string;
    readonly error?: string;
}

export interface WatchResult {
    readonly samples: Sample[];
    /** When the first of `consecutive` answers in a row from the awaited region came; undefined on timeout or cancel. */
    readonly reachedAt?: number;
}

/**
 * Probes `url` every `interval` drill seconds until `consecutive` answers in a row come from
 * `region`, or `timeout` passes, or the signal fires. A failed probe or another region's answer
 * starts the count over, so a flapping region is never taken as settled.
 */
export async function watchUntilServedBy(
    url: string,
    region: string,
    options: { readonly clock: Clock; readonly interval: number; readonly consecutive: number; readonly timeout: number; readonly requestTimeout: number; readonly signal?: AbortSignal },
): Promise<WatchResult> {
    const { clock } = options;
    const deadline = clock.now() + options.timeout;
    const samples: Sample[] = [];
    let streakStart: number | undefined;
    let streak = 0;
    while (!options.signal?.aborted && clock.now() <= deadline) {
        const t = clock.now();
        const answer = await probeOnce(url, clock.ms(options.requestTimeout));
        const sample: Sample = answer.ok ? { t, region: answer.body?.trim() } : { t, error: describeAnswer(answer) };
        samples.push(sample);
        if (sample.region === region) {
            streakStart = streak === 0 ? t : streakStart;
            streak++;
            if (streak >= options.consecutive) return { samples, reachedAt: streakStart };
        } else {
            streak = 0;
        }
        await clock.sleep(Math.max(0, t + options.interval - clock.now()), options.signal);
    }
    return { samples };
}
