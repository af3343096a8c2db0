import { HealthyOptions, waitUntilHealthy } from "./probe";
import { PrometheusQueryError, instantValue } from "./prometheus-query";

export interface GateSettings extends HealthyOptions {
    /** Highest acceptable share of 5xx answers. */
    readonly maxErrorRatio: number;
    readonly errorRatioQuery: string;
    /** The stack's Prometheus (HTTP API); without one the gate is the HTTP probe alone. */
    readonly prometheusUrl?: string;
}

export interface GateVerdict {
    readonly healthy: boolean;
    /** One line per check, for the report. */
    readonly checks: string[];
}

/**
 * The health gate between two stacks of a ring: the stack's health endpoint must answer healthy
 * `probes` times in a row, and — when the stack has a Prometheus — its error ratio must be at most
 * the limit. No traffic to measure does not fail the gate (the probe already did), but says so.
 */
export async function healthGate(healthEndpoint: string, settings: GateSettings): Promise<GateVerdict> {
    const probe = await waitUntilHealthy(healthEndpoint, settings);
    const checks = [`${healthEndpoint}: ${probe.detail}`];
    if (!probe.healthy) return { healthy: false, checks };
    if (!settings.prometheusUrl) return { healthy: true, checks: [...checks, "error ratio: no Prometheus configured for this stack"] };
    try {
        const ratio = await instantValue(settings.prometheusUrl, settings.errorRatioQuery, settings.requestTimeoutMs);
        if (ratio === undefined) return { healthy: true, checks: [...checks, "error ratio: no traffic to measure"] };
        const healthy = ratio <= settings.maxErrorRatio;
        return { healthy, checks: [...checks, `error ratio ${(ratio * 100).toFixed(2)} % ${healthy ? "≤" : ">"} limit ${(settings.maxErrorRatio * 100).toFixed(2)} %`] };
    } catch (e) {
        if (!(e instanceof PrometheusQueryError)) throw e;
        return { healthy: false, checks: [...checks, `error ratio: ${e.message}`] };
    }
}
