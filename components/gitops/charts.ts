import { HelmChartPin } from "../helm";

/** The Pulumi Kubernetes Operator (v2), pinned; its upstream copy is in vendor/upstream/helm. */
export const PULUMI_OPERATOR_CHART: HelmChartPin = {
    chart: "pulumi-kubernetes-operator",
    version: "2.9.0",
    // Published only as an OCI artifact (the chart's README and chart-publish workflow at v2.9.0).
    repo: "oci://ghcr.io/pulumi/helm-charts",
};

/** Where the operator itself runs. */
export const OPERATOR_NAMESPACE = "pulumi-kubernetes-operator";

/** The operator's values: JSON logs for the log pipeline; otherwise the chart's defaults. */
export function operatorValues(args: { readonly production: boolean }): Record<string, unknown> {
    return {
        controller: { logFormat: "json", logLevel: "info" },
        // Long updates (a cluster, a node group) outlive the default lease less often than they outlive a restart.
        leaderElection: { leaseDuration: "120s", renewDeadline: "90s", retryPeriod: "20s" },
        resources: args.production
            ? { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } }
            : { requests: { cpu: "200m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    };
}
