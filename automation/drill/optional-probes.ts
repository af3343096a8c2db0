import { instantValue } from "../health/prometheus-query";
import { DrillRecord } from "./applied";
import { DrillSettings } from "./model";

/* Optional measurements: each failure is reported as "not measured", naming the probe and URL. */

export async function replicationLag(url: string, timeoutMs: number): Promise<number> {
    let res: Response;
    try {
        res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        throw new Error(`the probe ${url} did not answer (${err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.message)})`);
    }
    const lag = Number((await res.text()).trim());
    if (!res.ok || Number.isNaN(lag)) throw new Error(`the probe ${url} answered HTTP ${res.status} without a number of seconds`);
    return lag;
}

export async function standbyErrorRatio(prometheus: NonNullable<DrillSettings["prometheus"]>, timeoutMs: number, rec: DrillRecord): Promise<number | undefined> {
    try {
        const value = await instantValue(prometheus.url, prometheus.errorRatioQuery, timeoutMs);
        if (value === undefined) rec.notMeasured.push(`not measured: the standby's error ratio: Prometheus ${prometheus.url} has no series for ${prometheus.errorRatioQuery}`);
        return value;
    } catch (e) {
        const err = e as Error;
        rec.notMeasured.push(`not measured: the standby's error ratio: ${err.message}`);
        return undefined;
    }
}
