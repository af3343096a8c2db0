import { HelmChartPin } from "../helm";

/** The observability charts, pinned; their upstream copies are in vendor/upstream/helm. */
export const KUBE_PROMETHEUS_STACK_CHART: HelmChartPin = {
    chart: "kube-prometheus-stack",
    version: "88.5.3",
    repo: "https://prometheus-community.github.io/helm-charts",
    // Grafana data sources are the subchart's own (free-form) provisioning entries.
    freeFormValues: ["grafana.additionalDataSources"],
};

// grafana-community's charts are served from its GitHub Pages index (the usual layout; not reachable
// from the build machines to confirm).
export const LOKI_CHART: HelmChartPin = {
    chart: "loki",
    version: "18.11.0",
    repo: "https://grafana-community.github.io/helm-charts",
    // Passed to Loki's own configuration verbatim (documented in the chart's comments and schema).
    freeFormValues: ["loki.storage.bucketNames", "loki.limits_config", "loki.schemaConfig"],
};

export const TEMPO_CHART: HelmChartPin = {
    chart: "tempo",
    version: "2.2.4",
    repo: "https://grafana-community.github.io/helm-charts",
    // Tempo's storage.trace block, passed verbatim: backends other than `local` have no chart default.
    freeFormValues: ["tempo.storage.trace"],
};

export const ALLOY_CHART: HelmChartPin = {
    chart: "alloy",
    version: "1.11.1",
    repo: "https://grafana.github.io/helm-charts",
};

export const OTEL_COLLECTOR_CHART: HelmChartPin = {
    chart: "opentelemetry-collector",
    version: "0.170.0",
    repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    // The collector's own configuration, merged over the chart's defaults.
    freeFormValues: ["config"],
};

/** The OpenTelemetry Operator: injects auto-instrumentation into pods that ask for it by annotation. */
export const OTEL_OPERATOR_CHART: HelmChartPin = {
    chart: "opentelemetry-operator",
    version: "0.122.0",
    repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    // A plain node selector map; the platform's pool label is not among the chart's example keys.
    freeFormValues: ["nodeSelector"],
};
