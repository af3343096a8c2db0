/** A failed query (Prometheus unreachable, bad PromQL): the gate cannot vouch for the stack. */
export class PrometheusQueryError extends Error {}

/**
 * The value of an instant query through Prometheus's HTTP API (`/api/v1/query`), or undefined when
 * it has no result or NaN (no traffic to measure).
 */
export async function instantValue(baseUrl: string, promql: string, timeoutMs: number): Promise<number | undefined> {
    let body: { status?: string; error?: string; data?: { result?: { value: [number, string] }[] } };
    try {
        const res = await fetch(`${baseUrl.replace(/\/$/, "")}/api/v1/query?query=${encodeURIComponent(promql)}`, { signal: AbortSignal.timeout(timeoutMs) });
        body = (await res.json()) as typeof body;
    } catch (e) {
        throw new PrometheusQueryError(`Prometheus at ${baseUrl} did not answer: ${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
    }
    if (body.status !== "success") throw new PrometheusQueryError(`Prometheus at ${baseUrl} rejected the query: ${body.error ?? "unknown error"}`);
    const value = Number(body.data?.result?.[0]?.value[1]);
    return body.data?.result?.length && !Number.isNaN(value) ? value : undefined;
}
