import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { stringify } from "yaml";
import { EXEMPLAR_TRACE_DESTINATION, correlatedDataSources, defaultSizing, kubePrometheusStackValues, telemetryEndpoints } from "../../../components/observability";
import { runTool } from "../../tools";
import { upstreamChart } from "../../upstream";

/** Grafana's correlations in both directions: log → trace, exemplar → trace, trace → logs and trace → metrics. */
describe("Grafana data source correlations", () => {
    const [loki, tempo] = correlatedDataSources(telemetryEndpoints("monitoring")) as any[];
    /** The uid the chart gives its own Prometheus data source (kube-prometheus-stack values: grafana.sidecar.datasources.uid). */
    const chartPrometheusUid = (upstreamChart("kube-prometheus-stack").values as any).grafana.sidecar.datasources.uid as string;

    it("provisions Loki and Tempo with fixed uids at the in-cluster addresses", () => {
        expect([loki.name, loki.uid, loki.type, loki.url]).to.deep.equal(["Loki", "loki", "loki", "http://loki-gateway.monitoring.svc.cluster.local"]);
        expect([tempo.name, tempo.uid, tempo.type, tempo.url]).to.deep.equal(["Tempo", "tempo", "tempo", "http://tempo.monitoring.svc.cluster.local:3200"]);
        expect(chartPrometheusUid).to.equal("prometheus");
    });

    it("log → trace: a trace id in a log line, in each usual spelling, opens that trace in Tempo", () => {
        expect(loki.jsonData.derivedFields).to.have.length(1);
        const [field] = loki.jsonData.derivedFields;
        // `$$` is a literal `$` in Grafana's provisioning files: the link is the matched value itself.
        expect(field).to.deep.equal({ name: "TraceID", matcherRegex: '(?:trace_id|traceID|traceId)["=:\\s]+(\\w+)', url: "$${__value.raw}", datasourceUid: tempo.uid, urlDisplayLabel: "View trace" });
        // Grafana runs the matcher with JavaScript's RegExp and links the first group.
        const traceIdOf = (line: string) => new RegExp(field.matcherRegex).exec(line)?.[1];
        expect(traceIdOf('level=error trace_id=4bf92f3577b34da6a3ce929d0e0e4736 msg="boom"')).to.equal("4bf92f3577b34da6a3ce929d0e0e4736");
        expect(traceIdOf('{"level":"error","traceID":"4bf92f3577b34da6","msg":"boom"}')).to.equal("4bf92f3577b34da6");
        expect(traceIdOf("ERROR [traceId: 0af7651916cd43dd] boom")).to.equal("0af7651916cd43dd");
        expect(traceIdOf("level=info msg=ready")).to.equal(undefined);
    });

    it("trace → logs: a span opens its logs in Loki, filtered by its trace id, five minutes either side", () => {
        expect(tempo.jsonData.tracesToLogsV2).to.deep.equal({ datasourceUid: loki.uid, filterByTraceID: true, spanStartTimeShift: "-5m", spanEndTimeShift: "5m" });
        expect(tempo.jsonData.lokiSearch).to.deep.equal({ datasourceUid: "loki" });
    });

    it("trace → metrics: a span opens its service's request rate in the chart's Prometheus, and the service map comes from there too", () => {
        const toMetrics = tempo.jsonData.tracesToMetrics;
        expect(toMetrics.datasourceUid).to.equal(chartPrometheusUid);
        expect([toMetrics.spanStartTimeShift, toMetrics.spanEndTimeShift]).to.deep.equal(["-5m", "5m"]);
        expect(toMetrics.queries).to.deep.equal([{ name: "Request rate", query: "sum(rate(traces_spanmetrics_calls_total{$$__tags}[5m]))" }]);
        expect(tempo.jsonData.serviceMap).to.deep.equal({ datasourceUid: chartPrometheusUid });
        expect(tempo.jsonData.nodeGraph).to.deep.equal({ enabled: true });
    });

    it("trace → metrics queries are valid PromQL once Grafana fills in the span's tags (`promtool check rules`)", () => {
        const queries = (tempo.jsonData.tracesToMetrics.queries as { query: string }[]).map((q) => q.query);
        expect(queries).to.have.length(1);
        // Provisioning's `$$` is a literal `$`; Grafana replaces `$__tags` with the span's tag matchers.
        const filled = queries.map((q) => q.replaceAll("$$", "$").replaceAll("$__tags", 'service_name="checkout"'));
        expect(filled).to.deep.equal(['sum(rate(traces_spanmetrics_calls_total{service_name="checkout"}[5m]))']);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-grafana-"));
        try {
            const rules = filled.map((expr, i) => ({ record: `grafana:trace_to_metrics:${i}`, expr }));
            fs.writeFileSync(path.join(dir, "queries.yml"), stringify({ groups: [{ name: "trace-to-metrics", rules }] }));
            const result = runTool("promtool", ["check", "rules", path.join(dir, "queries.yml")]);
            expect(result.status, result.output).to.equal(0);
            expect(result.output).to.include("SUCCESS: 1 rules found");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("exemplar → trace: Prometheus keeps exemplars and Grafana links their trace_id label to Tempo", () => {
        expect(EXEMPLAR_TRACE_DESTINATION).to.deep.equal({ datasourceUid: tempo.uid, traceIdLabelName: "trace_id" });
        const values = kubePrometheusStackValues({
            sizing: defaultSizing(false), endpoints: telemetryEndpoints("monitoring"), grafanaAdmin: { name: "g", userKey: "u", passwordKey: "p" },
        }) as any;
        expect(values.grafana.sidecar.datasources.exemplarTraceIdDestinations).to.deep.equal({ datasourceUid: "tempo", traceIdLabelName: "trace_id" });
        expect(values.prometheus.prometheusSpec.enableFeatures).to.deep.equal(["exemplar-storage"]);
        expect(values.grafana.additionalDataSources.map((d: { uid: string }) => d.uid)).to.deep.equal(["loki", "tempo"]);
    });
});
