/**
 * Tempo's answers, shaped exactly like its documented HTTP API. There is no Tempo binary on these
 * machines (no Docker, no download), so a loopback server answers in its place with these bodies.
 *
 * - `GET /api/search?q=<TraceQL>&start=&end=&limit=&spss=`: grafana/tempo
 *   docs/sources/tempo/api_docs/_index.md, "Search" and its "Example of TraceQL search" (traces[] with
 *   traceID, rootServiceName, rootTraceName, startTimeUnixNano as a string, durationMs, spanSets[] of
 *   { spans[] { spanID, startTimeUnixNano, durationNanos, attributes }, matched }, and metrics). Spans
 *   also carry `name`: field 2 of `message Span` in pkg/tempopb/tempo.proto.
 * - `GET /api/v2/traces/<traceID>?start=&end=`: the same doc, "Query V2": a TraceByIDResponse
 *   (pkg/tempopb/tempo.proto: { trace, metrics }) whose trace is OpenTelemetry JSON (resourceSpans →
 *   scopeSpans → spans) as Tempo's jsonpb writes it: ids in base64, nanosecond times as strings (see
 *   cmd/tempo-vulture/testdata/trace.json in the same repository).
 */

/** When the tests load: the traces are minutes old, inside the window `paved trace` asks for. */
const NOW_NS = BigInt(Date.now()) * 1_000_000n;
const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

interface FixtureSpan {
    readonly id: string;
    readonly parent?: string;
    readonly name: string;
    readonly service: string;
    readonly kind: "SPAN_KIND_SERVER" | "SPAN_KIND_CLIENT" | "SPAN_KIND_INTERNAL";
    readonly offsetMs: number;
    readonly durationMs: number;
}

interface FixtureTrace {
    readonly traceId: string;
    readonly startNs: bigint;
    readonly spans: readonly FixtureSpan[];
}

const ms = (n: number) => BigInt(Math.round(n * 1e6));

/** A trace: a server span of `service` and its children, `ageS` seconds before NOW. */
function trace(traceId: string, ageS: number, service: string, route: string, rootMs: number, children: readonly [string, string, number][]): FixtureTrace {
    const rootId = `${traceId.slice(0, 14)}01`;
    return {
        traceId,
        startNs: NOW_NS - BigInt(ageS) * 1_000_000_000n,
        spans: [
            { id: rootId, name: route, service, kind: "SPAN_KIND_SERVER", offsetMs: 0, durationMs: rootMs },
            ...children.map(([name, childService, durationMs], i) => ({
                id: `${traceId.slice(0, 14)}${(i + 2).toString(16).padStart(2, "0")}`,
                parent: rootId,
                name,
                service: childService,
                kind: "SPAN_KIND_CLIENT" as const,
                offsetMs: 2 + i,
                durationMs,
            })),
        ],
    };
}

/** checkout is slow: its slowest request spends 2.1 s charging the card. Tempo finds them in this (unsorted) order. */
export const CHECKOUT_TRACES = [
    trace("2f3e0cee77ae5dc9c17ade3689eb2e54", 240, "checkout", "POST /checkout", 640, [["SELECT orders", "checkout", 90], ["charge-card", "payments", 480]]),
    trace("4bf92f3577b34da6a3ce929d0e0e4736", 120, "checkout", "POST /checkout", 2450, [["SELECT orders", "checkout", 180], ["charge-card", "payments", 2100]]),
    trace("9c1d5a7e3b2f4e6d8a0b1c2d3e4f5a6b", 60, "checkout", "POST /checkout", 1320, [["reserve-stock", "inventory", 1150], ["charge-card", "payments", 100]]),
];

/** api is healthy: fast requests. */
export const API_TRACES = [
    trace("0af7651916cd43dd8448eb211c80319c", 30, "api", "GET /items", 120, [["SELECT items", "api", 40]]),
    trace("5b8aa5a2d2c872e8321cf37308d69df2", 90, "api", "GET /items/{id}", 180, [["GET /prices", "pricing", 95]]),
];

export const TRACES_BY_SERVICE: Record<string, readonly FixtureTrace[]> = { checkout: CHECKOUT_TRACES, api: API_TRACES };

/** The `/api/search` body for a service's traces. */
export function searchResponse(traces: readonly FixtureTrace[]): unknown {
    return {
        traces: traces.map((t) => {
            const root = t.spans[0];
            return {
                traceID: t.traceId,
                rootServiceName: root.service,
                rootTraceName: root.name,
                startTimeUnixNano: String(t.startNs),
                durationMs: root.durationMs,
                spanSets: [{
                    spans: [{
                        spanID: root.id,
                        name: root.name,
                        startTimeUnixNano: String(t.startNs),
                        durationNanos: String(ms(root.durationMs)),
                        attributes: [{ key: "kind", value: { stringValue: "server" } }],
                    }],
                    matched: 1,
                }],
            };
        }),
        metrics: { inspectedTraces: 3100, inspectedBytes: "3811736", totalBlocks: 3 },
    };
}

/** The `/api/v2/traces/<id>` body: spans grouped by the service (resource) that emitted them. */
export function traceByIdResponse(t: FixtureTrace): unknown {
    const services = [...new Set(t.spans.map((s) => s.service))];
    return {
        trace: {
            resourceSpans: services.map((service) => ({
                resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
                scopeSpans: [{
                    scope: { name: "@opentelemetry/instrumentation-http", version: "0.57.0" },
                    spans: t.spans.filter((s) => s.service === service).map((s) => ({
                        traceId: b64(t.traceId),
                        spanId: b64(s.id),
                        ...(s.parent ? { parentSpanId: b64(s.parent) } : {}),
                        name: s.name,
                        kind: s.kind,
                        startTimeUnixNano: String(t.startNs + ms(s.offsetMs)),
                        endTimeUnixNano: String(t.startNs + ms(s.offsetMs + s.durationMs)),
                        status: {},
                    })),
                }],
            })),
        },
        metrics: { inspectedBytes: "48213" },
    };
}

