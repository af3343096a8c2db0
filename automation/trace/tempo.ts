/**
 * Tempo's HTTP query API, as documented in grafana/tempo docs/sources/tempo/api_docs/_index.md
 * ("Search", "Query V2") with the field names of pkg/tempopb/tempo.proto (TraceSearchMetadata,
 * SpanSet, Span, TraceByIDResponse). Tempo writes its protobuf messages as JSON (jsonpb): 64-bit
 * numbers are strings, trace and span ids inside a trace are base64 (search results give hex ids),
 * and empty fields are left out.
 */

/** A failed Tempo request (unreachable, an error status, a body that is not Tempo's). */
export class TempoQueryError extends Error {}

export interface TempoSearchSpan {
    readonly spanID: string;
    readonly name?: string;
    readonly startTimeUnixNano?: string;
    readonly durationNanos?: string;
}
export interface TempoTraceSummary {
    readonly traceID: string;
    readonly rootServiceName?: string;
    readonly rootTraceName?: string;
    readonly startTimeUnixNano?: string;
    readonly durationMs?: number;
    readonly spanSets?: readonly { readonly spans?: readonly TempoSearchSpan[]; readonly matched?: number }[];
}

/** One span of a trace fetched by id, with the service that emitted it. */
export interface TraceSpan {
    readonly spanId: string;
    readonly parentSpanId?: string;
    readonly name: string;
    readonly service: string;
    readonly durationMs: number;
}

interface OtlpJsonTrace {
    readonly resourceSpans?: readonly {
        readonly resource?: { readonly attributes?: readonly { readonly key: string; readonly value?: { readonly stringValue?: string } }[] };
        readonly scopeSpans?: readonly { readonly spans?: readonly { spanId?: string; parentSpanId?: string; name?: string; startTimeUnixNano?: string; endTimeUnixNano?: string }[] }[];
    }[];
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
    let res: Response;
    try {
        res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    } catch (e) {
        throw new TempoQueryError(`Tempo at ${new URL(url).origin} did not answer: ${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new TempoQueryError(`Tempo at ${new URL(url).origin} answered ${res.status} to ${new URL(url).pathname}: ${text.trim().slice(0, 200)}`);
    try {
        return JSON.parse(text) as unknown;
    } catch {
        throw new TempoQueryError(`Tempo at ${new URL(url).origin} answered ${new URL(url).pathname} with something other than JSON`);
    }
}

/** `GET /api/search?q=<TraceQL>&start=&end=&limit=&spss=`: the traces Tempo found first (not sorted). */
export async function searchTraces(
    baseUrl: string,
    query: { readonly traceQl: string; readonly start: number; readonly end: number; readonly limit: number; readonly spansPerSpanSet: number },
    timeoutMs: number,
): Promise<TempoTraceSummary[]> {
    const params = new URLSearchParams({ q: query.traceQl, start: String(query.start), end: String(query.end), limit: String(query.limit), spss: String(query.spansPerSpanSet) });
    const body = (await getJson(`${baseUrl.replace(/\/$/, "")}/api/search?${params.toString()}`, timeoutMs)) as { traces?: TempoTraceSummary[] };
    if (typeof body !== "object" || body === null) throw new TempoQueryError(`Tempo at ${baseUrl} answered /api/search without a search response`);
    return body.traces ?? [];
}

const hexOf = (base64: string | undefined) => (base64 ? Buffer.from(base64, "base64").toString("hex") : undefined);

/** `GET /api/v2/traces/<id>?start=&end=`: every span of the trace, ids as hex (like search results). */
export async function traceSpans(baseUrl: string, traceId: string, window: { readonly start: number; readonly end: number }, timeoutMs: number): Promise<TraceSpan[]> {
    const params = new URLSearchParams({ start: String(window.start), end: String(window.end) });
    const body = (await getJson(`${baseUrl.replace(/\/$/, "")}/api/v2/traces/${encodeURIComponent(traceId)}?${params.toString()}`, timeoutMs)) as { trace?: OtlpJsonTrace };
    return (body.trace?.resourceSpans ?? []).flatMap((rs) => {
        const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value?.stringValue ?? "unknown service";
        return (rs.scopeSpans ?? []).flatMap((ss) =>
            (ss.spans ?? []).map((s) => ({
                spanId: hexOf(s.spanId) ?? "",
                parentSpanId: hexOf(s.parentSpanId),
                name: s.name ?? "",
                service,
                // Nanosecond timestamps exceed a double's exact range; their difference does not.
                durationMs: Number(BigInt(s.endTimeUnixNano ?? "0") - BigInt(s.startTimeUnixNano ?? "0")) / 1e6,
            })),
        );
    });
}

/**
 * The slowest direct child of `parentSpanId` (the service's own server span), or of the trace's
 * root when that span is not in the trace: where the time inside the slow request went.
 */
export function slowestChild(spans: readonly TraceSpan[], parentSpanId: string | undefined): TraceSpan | undefined {
    const parent = spans.find((s) => s.spanId === parentSpanId) ?? spans.find((s) => !s.parentSpanId);
    if (!parent) return undefined;
    return spans.filter((s) => s.parentSpanId === parent.spanId).sort((a, b) => b.durationMs - a.durationMs)[0];
}
