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
    /** When the first of `consecutive` answers in a row from the awaited region came; undefined on timeout, cancel or stop. */
    readonly reachedAt?: number;
    /** Why a stop condition ended the watch. */
    readonly stopped?: string;
}

/**
 * Probes `url` every `interval` drill seconds until `consecutive` answers in a row come from
 * `region`, or `timeout` passes, or the signal fires. A failed probe or another region's answer
 * starts the count over, so a flapping region is never taken as settled.
 */
export async function watchUntilServedBy(
    url: string,
    region: string,
    options: {
        readonly clock: Clock;
        readonly interval: number;
        readonly consecutive: number;
        readonly timeout: number;
        readonly requestTimeout: number;
        readonly signal?: AbortSignal;
        /** Asked after every probe; a reason ends the watch at once. */
        readonly stop?: (samples: readonly Sample[]) => Promise<string | undefined>;
        /**
         * Drill seconds the streak must also span: after the knob is reverted, resolvers may still hold
         * (or the router may still be about to give) the other region's answer for detection + TTL.
         */
        readonly span?: number;
    },
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
            if (streak >= options.consecutive && t - streakStart! >= (options.span ?? 0)) return { samples, reachedAt: streakStart };
        } else {
            streak = 0;
        }
        const stopped = await options.stop?.(samples);
        if (stopped) return { samples, stopped };
        await clock.sleep(Math.max(0, t + options.interval - clock.now()), options.signal);
    }
    return { samples };
}

/** Probes `url` every `interval` in the background (e.g. during promotion) until `stop()`, which returns the samples. */
export function startSampling(url: string, options: { readonly clock: Clock; readonly interval: number; readonly requestTimeout: number }): { stop(): Promise<Sample[]> } {
    const { clock } = options;
    const controller = new AbortController();
    const samples: Sample[] = [];
    const loop = (async () => {
        while (!controller.signal.aborted) {
            const t = clock.now();
            const answer = await probeOnce(url, clock.ms(options.requestTimeout));
            samples.push(answer.ok ? { t, region: answer.body?.trim() } : { t, error: describeAnswer(answer) });
            await clock.sleep(Math.max(0, t + options.interval - clock.now()), controller.signal);
        }
    })();
    return {
        stop: async () => {
            controller.abort();
            await loop;
            return samples;
        },
    };
}
