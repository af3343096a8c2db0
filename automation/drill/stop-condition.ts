import { instantValue } from "../health/prometheus-query";
import { Clock } from "./clock";
import { Sample } from "./measure";

/**
 * When a drill stops itself, as AWS FIS stop conditions do: while the knob is on, a real outage of
 * the primary is masked (its inverted check looks healthy), so clients' failures are the signal.
 */
export interface StopCondition {
    /** Share of failed probes of the global endpoint over the window above which the drill reverts. */
    readonly failedProbeShare: number;
    /** The standby's error ratio (with --prometheus) above which, for the whole window, the drill reverts. */
    readonly standbyErrorRatio: number;
    /** Drill seconds the threshold must be exceeded for. */
    readonly windowSeconds: number;
}

/** Defaults: half the probes failing for 30 s, or the standby over 5 % errors for 30 s. */
export const DEFAULT_STOP_CONDITION: StopCondition = { failedProbeShare: 0.5, standbyErrorRatio: 0.05, windowSeconds: 30 };

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The failed share over the last window, once the samples span it. */
export function failedShareOverWindow(samples: readonly Sample[], now: number, windowSeconds: number): number | undefined {
    if (samples.length === 0 || samples[0].t > now - windowSeconds) return undefined;
    const window = samples.filter((s) => s.t >= now - windowSeconds);
    return window.length === 0 ? undefined : window.filter((s) => s.error).length / window.length;
}

/**
 * A check for `watchUntilServedBy`: a reason to stop once the failed-probe share over the window
 * exceeds its threshold, or (with Prometheus) the standby's error ratio stayed above its own for the
 * whole window. An unreachable Prometheus stops nothing: the probes still decide.
 */
export function stopCheck(condition: StopCondition, clock: Clock, prometheus?: { readonly url: string; readonly errorRatioQuery: string; readonly timeoutMs: number }) {
    let aboveSince: number | undefined;
    let lastQuery = -Infinity;
    return async (samples: readonly Sample[]): Promise<string | undefined> => {
        const now = clock.now();
        const share = failedShareOverWindow(samples, now, condition.windowSeconds);
        if (share !== undefined && share > condition.failedProbeShare) {
            return `${pct(share)} of probes failed over the last ${condition.windowSeconds} s (stop threshold ${pct(condition.failedProbeShare)})`;
        }
        if (!prometheus || now - lastQuery < condition.windowSeconds / 3) return undefined;
        lastQuery = now;
        const ratio = await instantValue(prometheus.url, prometheus.errorRatioQuery, prometheus.timeoutMs).catch(() => undefined);
        if (ratio === undefined || !(ratio > condition.standbyErrorRatio)) {
            aboveSince = undefined;
            return undefined;
        }
        aboveSince ??= now;
        return now - aboveSince >= condition.windowSeconds ? `the standby's error ratio stayed above ${pct(condition.standbyErrorRatio)} for ${condition.windowSeconds} s (now ${pct(ratio)})` : undefined;
    };
}
