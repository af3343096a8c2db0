import { DATASOURCE_UID, TelemetryEndpoints } from "./endpoints";

/** Log lines carrying a trace id in any of the usual spellings (OTel, Go, Java loggers). */
export const TRACE_ID_PATTERN = "(?:trace_id|traceID|traceId)[\"=:\\s]+(\\w+)";

/**
 * Grafana data sources that link to each other: a trace opens its logs (Tempo → Loki by trace id)
 * and its metrics (Tempo → Prometheus), a log line opens its trace (Loki derived field), and the
 * service map comes from Prometheus. `$$` is how Grafana's provisioning files write a literal `$`.
 */
export function correlatedDataSources(endpoints: TelemetryEndpoints): Record<string, unknown>[] {
    return [
        {
            name: "Loki",
            uid: DATASOURCE_UID.loki,
            type: "loki",
            access: "proxy",
            url: endpoints.lokiGateway,
            jsonData: {
                derivedFields: [{
                    name: "TraceID",
                    matcherRegex: TRACE_ID_PATTERN,
                    url: "$${__value.raw}",
                    datasourceUid: DATASOURCE_UID.tempo,
                    urlDisplayLabel: "View trace",
                }],
            },
        },
        {
            name: "Tempo",
            uid: DATASOURCE_UID.tempo,
            type: "tempo",
            access: "proxy",
            url: endpoints.tempoQuery,
            jsonData: {
                tracesToLogsV2: { datasourceUid: DATASOURCE_UID.loki, filterByTraceID: true, spanStartTimeShift: "-5m", spanEndTimeShift: "5m" },
                tracesToMetrics: {
                    datasourceUid: DATASOURCE_UID.prometheus,
                    spanStartTimeShift: "-5m",
                    spanEndTimeShift: "5m",
                    queries: [{ name: "Request rate", query: "sum(rate(traces_spanmetrics_calls_total{$$__tags}[5m]))" }],
                },
                serviceMap: { datasourceUid: DATASOURCE_UID.prometheus },
                nodeGraph: { enabled: true },
                lokiSearch: { datasourceUid: DATASOURCE_UID.loki },
            },
        },
    ];
}

/** Prometheus exemplars (the trace id of a sampled request) link to the trace in Tempo. */
export const EXEMPLAR_TRACE_DESTINATION = { datasourceUid: DATASOURCE_UID.tempo, traceIdLabelName: "trace_id" };
