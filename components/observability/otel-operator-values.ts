import { telemetryEndpoints } from "./endpoints";

/**
 * Values of the OpenTelemetry Operator chart.
 *
 * Webhook certificates: the chart's own generated certificate (`admissionWebhooks.autoGenerateCert`),
 * not cert-manager. The platform runs no cert-manager, and installing one only to sign a single
 * in-cluster webhook would add a controller, its CRDs and its upgrades for no other consumer. Helm
 * renders a self-signed CA and serving certificate into the webhook Secret and the webhook
 * configurations' caBundle in the same release, so nothing is done by hand; `recreate` issues a
 * fresh certificate on every upgrade, so one never outlives the release that renews it. Should the
 * platform adopt cert-manager, flip `certManager.enabled` and drop `autoGenerateCert`.
 */
export function otelOperatorValues(args: { readonly production: boolean }): Record<string, unknown> {
    return {
        replicaCount: args.production ? 2 : 1,
        pdb: { create: args.production },
        manager: {
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            // Apps may opt in with `tracing: go`; the operator refuses Go injection unless this is on.
            autoInstrumentation: { go: { enabled: true } },
        },
        admissionWebhooks: {
            certManager: { enabled: false },
            autoGenerateCert: { enabled: true, recreate: true, certPeriodDays: 365 },
            // A pod is still created when the operator is down, only without instrumentation.
            pods: { failurePolicy: "Ignore" },
        },
        nodeSelector: { "kubernetes.io/os": "linux", "paved.io/pool": "system" },
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
    };
}

/** The stack outputs `paved trace` reads: Prometheus's and Tempo's query APIs and Grafana, in-cluster. */
export function telemetryUrls(namespace: string): { prometheusUrl: string; tempoUrl: string; grafanaUrl: string } {
    const endpoints = telemetryEndpoints(namespace);
    // kube-prometheus-stack names Grafana's Service <release>-grafana, on port 80.
    return { prometheusUrl: endpoints.prometheusQuery, tempoUrl: endpoints.tempoQuery, grafanaUrl: `http://kube-prometheus-stack-grafana.${namespace}.svc.cluster.local` };
}
