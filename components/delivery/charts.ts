import { HelmChartPin } from "../helm";

/** Delivery charts, pinned; their upstream copies are in vendor/upstream/helm. */
export const ARGO_CD_CHART: HelmChartPin = {
    chart: "argo-cd",
    version: "10.1.1",
    repo: "https://argoproj.github.io/argo-helm",
    // argocd-cm and argocd-cmd-params-cm verbatim: their keys are Argo CD settings.
    freeFormValues: ["configs.cm", "configs.params"],
};

export const ARGO_ROLLOUTS_CHART: HelmChartPin = {
    chart: "argo-rollouts",
    version: "2.41.0",
    repo: "https://argoproj.github.io/argo-helm",
};

/** Envoy Gateway: a maintained Gateway API implementation (ingress-nginx gets no fixes since March 2026). */
export const ENVOY_GATEWAY_CHART: HelmChartPin = {
    chart: "gateway-helm",
    version: "v1.9.0",
    repo: "oci://docker.io/envoyproxy",
};

/** Argo Rollouts' Gateway API traffic router (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi). */
export const GATEWAY_API_PLUGIN = {
    name: "argoproj-labs/gatewayAPI",
    version: "v0.15.0",
    location: (os = "linux", arch = "amd64") =>
        `https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.15.0/gatewayapi-plugin-${os}-${arch}`,
};
