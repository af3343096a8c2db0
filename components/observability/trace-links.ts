import { DATASOURCE_UID } from "./endpoints";

// The links from alerts and from `paved trace` to the traces behind them: plain text, no Pulumi, so
// the trace command loads none of the components.

/** Where the alerts' links point. */
export interface SloLinks {
    /**
     * Grafana's address as people open it.
     * @default relative links (`/explore?...`)
     */
    readonly grafanaUrl?: string;
}

/** The TraceQL that finds a service's server spans slower than a threshold (its latency objective). */
export function slowSpansTraceQl(service: string, thresholdSeconds: number): string {
    return `{ resource.service.name = "${service}" && kind = server && duration > ${Math.round(thresholdSeconds * 1000)}ms }`;
}

/** The TraceQL that finds a service's failed server spans. */
export function failedSpansTraceQl(service: string): string {
    return `{ resource.service.name = "${service}" && kind = server && status = error }`;
}

/** A Prometheus template for the evaluation time minus `offsetSeconds`, in Unix milliseconds. */
const evalTimeMs = (offsetSeconds: number) =>
    `{{ with query "time() * 1000${offsetSeconds ? ` - ${offsetSeconds * 1000}` : ""}" }}{{ . | first | value | printf "%.0f" }}{{ end }}`;

/**
 * A Grafana Explore URL opening Tempo with one TraceQL query (a search, or a trace id) over a time
 * range in Unix milliseconds: `panes` is the URL-encoded JSON of Explore's state.
 */
export function tempoExploreLink(query: string, range: { readonly from: string; readonly to: string }, grafanaUrl = ""): string {
    const pane = {
        traces: {
            datasource: DATASOURCE_UID.tempo,
            queries: [{ refId: "A", datasource: { type: "tempo", uid: DATASOURCE_UID.tempo }, queryType: "traceql", query, limit: 20, tableType: "spans" }],
            range,
        },
    };
    return `${grafanaUrl.replace(/\/$/, "")}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(pane))}`;
}

/**
 * A Grafana Explore link, as an alert annotation template: Tempo's TraceQL search over the alert's
 * window, ending when the rule fired (Prometheus renders the times from `time()` at evaluation, so
 * the link stays right when opened later). Spans are listed, so Grafana sorts them by duration.
 */
export function traceSearchLink(traceQl: string, windowSeconds: number, links: SloLinks = {}): string {
    // Placeholders survive JSON and URL encoding unchanged; the times are digits, which need no encoding.
    return tempoExploreLink(traceQl, { from: "FROM_MS", to: "TO_MS" }, links.grafanaUrl).replace("FROM_MS", evalTimeMs(windowSeconds)).replace("TO_MS", evalTimeMs(0));
}
