import { HelmChartPin } from "../helm";

/** KEDA chart, pinned; its upstream copy is vendor/upstream/helm/keda. */
export const KEDA_CHART: HelmChartPin = {
    chart: "keda",
    version: "2.20.2",
    repo: "https://kedacore.github.io/charts",
};

export const KEDA_NAMESPACE = "keda";

/** KEDA runs on the system pool: it must stay up while it has scaled everything else to zero. */
export function kedaValues(): Record<string, unknown> {
    const resources = { requests: { cpu: "50m", memory: "100Mi" }, limits: { memory: "500Mi" } };
    return {
        nodeSelector: { "paved.io/pool": "system" },
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
        priorityClassName: "system-cluster-critical",
        resources: { operator: resources, metricServer: resources, webhooks: resources },
        // Expose the operator's and metrics server's metrics (port "metrics") for the platform's ServiceMonitor.
        prometheus: { operator: { enabled: true }, metricServer: { enabled: true } },
    };
}

/** What Prometheus scrapes: KEDA's Services (release "keda") on their "metrics" ports. */
export const KEDA_SCRAPE = {
    name: "keda",
    namespace: KEDA_NAMESPACE,
    selector: { "app.kubernetes.io/instance": KEDA_CHART.chart },
    port: "metrics",
};
