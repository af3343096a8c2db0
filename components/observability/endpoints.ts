/** In-cluster addresses of the stack's parts (release names are the chart names, in one namespace). */
export function telemetryEndpoints(namespace: string) {
    const svc = (name: string) => `${name}.${namespace}.svc.cluster.local`;
    return {
        lokiGateway: `http://${svc("loki-gateway")}`,
        lokiPush: `http://${svc("loki-gateway")}/loki/api/v1/push`,
        lokiOtlp: `http://${svc("loki-gateway")}/otlp`,
        tempoQuery: `http://${svc("tempo")}:3200`,
        tempoOtlpGrpc: `${svc("tempo")}:4317`,
        prometheusQuery: `http://${svc("kube-prometheus-stack-prometheus")}:9090`,
        prometheusRemoteWrite: `http://${svc("kube-prometheus-stack-prometheus")}:9090/api/v1/write`,
    };
}
export type TelemetryEndpoints = ReturnType<typeof telemetryEndpoints>;

/** Grafana data-source UIDs, fixed so the correlations between them can name each other. */
export const DATASOURCE_UID = { prometheus: "prometheus", loki: "loki", tempo: "tempo" } as const;
