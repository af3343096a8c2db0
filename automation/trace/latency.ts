import type { SloSpec } from "../../components/observability/slo";
import { instantValue } from "../health/prometheus-query";

/**
 * A service's latency now, from Prometheus: its SLO's own histogram when the stack declares a
 * latency objective for it, otherwise Tempo's span metrics for its server spans (one histogram per
 * service, which every instrumented app gets without declaring anything).
 */
export interface LatencySource {
    /** The histogram's base name and its label matchers. */
    readonly metric: string;
    readonly matchers: string;
    readonly from: "slo" | "span metrics";
}

export function latencySource(service: string, slo: SloSpec | undefined): LatencySource {
    if (slo?.latency) return { metric: slo.latency.metric, matchers: slo.latency.matchers, from: "slo" };
    return { metric: "traces_spanmetrics_latency", matchers: `service="${service}",span_kind="SPAN_KIND_SERVER"`, from: "span metrics" };
}

export const quantileQuery = (source: LatencySource, quantile: number, window: string) =>
    `histogram_quantile(${quantile}, sum by (le) (rate(${source.metric}_bucket{${source.matchers}}[${window}])))`;

/** The share of requests at or below the objective's threshold: the latency SLI itself. */
export const fastShareQuery = (source: LatencySource, thresholdSeconds: number, window: string) =>
    `sum(rate(${source.metric}_bucket{${source.matchers},le="${thresholdSeconds}"}[${window}])) / sum(rate(${source.metric}_count{${source.matchers}}[${window}]))`;

export interface LatencyNow {
    readonly source: LatencySource;
    /** Undefined when there was no traffic in the window. */
    readonly p50Ms?: number;
    readonly p99Ms?: number;
    readonly objective?: { readonly thresholdMs: number; readonly percent: number; readonly fastPercent?: number; readonly met?: boolean };
}

export async function latencyNow(prometheusUrl: string, service: string, slo: SloSpec | undefined, window: string, timeoutMs: number): Promise<LatencyNow> {
    const source = latencySource(service, slo);
    const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);
    const [p50, p99] = await Promise.all([0.5, 0.99].map((q) => instantValue(prometheusUrl, quantileQuery(source, q, window), timeoutMs)));
    if (!slo?.latency) return { source, p50Ms: ms(p50), p99Ms: ms(p99) };
    const share = await instantValue(prometheusUrl, fastShareQuery(source, slo.latency.thresholdSeconds, window), timeoutMs);
    const fastPercent = share === undefined ? undefined : share * 100;
    return {
        source,
        p50Ms: ms(p50),
        p99Ms: ms(p99),
        objective: {
            thresholdMs: slo.latency.thresholdSeconds * 1000,
            percent: slo.latency.objective,
            fastPercent,
            met: fastPercent === undefined ? undefined : fastPercent >= slo.latency.objective,
        },
    };
}
