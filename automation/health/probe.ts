/** One HTTP probe of a health endpoint: healthy when it answers 2xx within the request timeout. */
export interface ProbeAnswer {
    readonly ok: boolean;
    readonly status?: number;
    /** The first line of the body: our health endpoints answer with the region that served. */
    readonly body?: string;
    readonly error?: string;
}

export async function probeOnce(url: string, timeoutMs: number): Promise<ProbeAnswer> {
    try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
        const body = (await res.text()).split("\n")[0].slice(0, 200);
        return { ok: res.status >= 200 && res.status < 300, status: res.status, body };
    } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        return { ok: false, error: err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.message) };
    }
}

export const describeAnswer = (a: ProbeAnswer): string => (a.error ?? `HTTP ${a.status}`);

export interface HealthyOptions {
    /** Consecutive healthy answers required. */
    readonly probes: number;
    readonly intervalMs: number;
    /** Give up after this long without `probes` healthy answers in a row. */
    readonly timeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly signal?: AbortSignal;
}

/** Probes until `probes` answers in a row are healthy, or the timeout passes; a single failure starts the count over. */
export async function waitUntilHealthy(url: string, options: HealthyOptions): Promise<{ readonly healthy: boolean; readonly detail: string }> {
    const deadline = Date.now() + options.timeoutMs;
    let streak = 0;
    let last: ProbeAnswer | undefined;
    for (;;) {
        if (options.signal?.aborted) return { healthy: false, detail: "cancelled" };
        last = await probeOnce(url, options.requestTimeoutMs);
        streak = last.ok ? streak + 1 : 0;
        if (streak >= options.probes) return { healthy: true, detail: `${streak} healthy answers in a row` };
        if (Date.now() + options.intervalMs > deadline) {
            return { healthy: false, detail: `not ${options.probes} healthy answers in a row within ${options.timeoutMs} ms; last: ${describeAnswer(last)}` };
        }
        await new Promise((r) => setTimeout(r, options.intervalMs));
    }
}
