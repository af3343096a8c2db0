import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConnection, onCluster } from "../cluster/kubernetes-cluster";
import { modelledCustomResource } from "../custom-resource";
import { pinnedRelease } from "../helm";
import { Problems, show } from "../validation";
import { errorRateTemplate } from "./analysis";
import { CanarySpec, canaryProblems } from "./canary-spec";
import { ARGO_ROLLOUTS_CHART, ENVOY_GATEWAY_CHART, GATEWAY_API_PLUGIN } from "./charts";
import { isDnsName } from "./gitops-spec";
import { GATEWAY_NAMESPACE, envoyGatewayClass, httpRoute, rollout, serviceNames, sharedGateway } from "./rollout-manifests";

/** Arguments of ProgressiveDelivery: the cluster, the domain of the shared Gateway and the canary apps. */
export interface ProgressiveDeliveryArgs {
    readonly cluster: ClusterConnection;
    /** The environment's domain; the shared Gateway listens on `*.<domain>`. */
    readonly domain: string;
    /** Prometheus' query URL, which the analysis reads. */
    readonly prometheusAddress: string;
    /**
     * Two controller replicas.
     * @default false
     */
    readonly production?: boolean;
    /**
     * Apps released as canaries.
     * @default none
     */
    readonly canaries?: readonly CanarySpec[];
    /**
     * The Secret (type kubernetes.io/tls, in the Gateway's namespace) holding a certificate for
     * `*.<domain>`: the Gateway then also serves HTTPS on 443. Without it, HTTP only.
     * @default none
     */
    readonly tlsSecretName?: string;
}

export function progressiveDeliveryProblems(args: Omit<ProgressiveDeliveryArgs, "cluster">): Problems {
    const problems = new Problems();
    problems.check(isDnsName(args.domain), "domain", `got ${show(args.domain)}: a DNS name, e.g. "dev.example.com"`);
    (args.canaries ?? []).forEach((c, i) => problems.addAll("", canaryProblems(c, `canaries[${i}]`).list));
    if (args.tlsSecretName !== undefined) problems.check(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(args.tlsSecretName), "tlsSecretName", `got ${show(args.tlsSecretName)}: a Secret name, e.g. "gateway-tls"`);
    return problems;
}

export function argoRolloutsValues(production: boolean): Record<string, unknown> {
    return {
        controller: {
            replicas: production ? 2 : 1,
            trafficRouterPlugins: [{ name: GATEWAY_API_PLUGIN.name, location: GATEWAY_API_PLUGIN.location() }],
        },
        providerRBAC: { enabled: true, providers: { gatewayAPI: true } },
    };
}

const GATEWAY_API = "gateway.networking.k8s.io/v1";

/**
 * Canary releases with real traffic splitting: Argo Rollouts with the Gateway API traffic-router
 * plugin on Envoy Gateway (both pinned), a shared Gateway for `*.<domain>`, and per app a Rollout,
 * its stable and canary Services, the HTTPRoute whose weights move, and the AnalysisTemplate that
 * measures the canary's 5xx share in Prometheus.
 */
export class ProgressiveDelivery extends pulumi.ComponentResource {
    /** The shared Gateway, which publishes its load balancer address in `status.addresses`. */
    public readonly gateway: k8s.apiextensions.CustomResource;
    /** The Gateway's namespace, where its certificate Secret goes. */
    public readonly gatewayNamespace: k8s.core.v1.Namespace;
    /** How the Gateway's routes are reached: https with a certificate, http without. */
    public readonly scheme: "https" | "http";

    constructor(name: string, args: ProgressiveDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:delivery:ProgressiveDelivery", name, {}, opts);
        progressiveDeliveryProblems(args).throwIfAny("ProgressiveDelivery");
        const on = onCluster(args.cluster, this);

        const rollouts = pinnedRelease(`${name}-rollouts`, ARGO_ROLLOUTS_CHART, {
            namespace: "argo-rollouts",
            createNamespace: true,
            values: argoRolloutsValues(args.production ?? false),
        }, on);
        const envoy = pinnedRelease(`${name}-envoy-gateway`, ENVOY_GATEWAY_CHART, { namespace: "envoy-gateway-system", createNamespace: true, values: {} }, on);
        const gatewayNamespace = new k8s.core.v1.Namespace(`${name}-gateway-ns`, { metadata: { name: GATEWAY_NAMESPACE } }, on);
        this.gatewayNamespace = gatewayNamespace;
        this.scheme = args.tlsSecretName ? "https" : "http";
        const gatewayClass = modelledCustomResource(`${name}-gateway-class`, { apiVersion: GATEWAY_API, kind: "GatewayClass" }, envoyGatewayClass(), {
            ...on,
            dependsOn: [envoy],
        });
        this.gateway = modelledCustomResource(`${name}-gateway`, { apiVersion: GATEWAY_API, kind: "Gateway" }, sharedGateway(args.domain, args.tlsSecretName), {
            ...on,
            dependsOn: [gatewayClass, gatewayNamespace],
        });

        const namespaces = new Map<string, k8s.core.v1.Namespace>();
        for (const spec of args.canaries ?? []) {
            const ns = namespaces.get(spec.namespace) ?? new k8s.core.v1.Namespace(`${name}-${spec.namespace}`, { metadata: { name: spec.namespace } }, on);
            namespaces.set(spec.namespace, ns);
            const inApp = { ...on, dependsOn: [ns, rollouts] };
            const port = spec.port ?? 8080;
            for (const service of Object.values(serviceNames(spec.app))) {
                new k8s.core.v1.Service(`${name}-${spec.app}-${service}`, {
                    metadata: { name: service, namespace: spec.namespace },
                    spec: { selector: { "app.kubernetes.io/name": spec.app }, ports: [{ name: "http", port, targetPort: "http" }] },
                }, { ...on, dependsOn: [ns] });
            }
            modelledCustomResource(`${name}-${spec.app}-route`, { apiVersion: GATEWAY_API, kind: "HTTPRoute" }, httpRoute(spec), { ...on, dependsOn: [ns, this.gateway] });
            const template = modelledCustomResource(`${name}-${spec.app}-analysis`, { apiVersion: "argoproj.io/v1alpha1", kind: "AnalysisTemplate" },
                errorRateTemplate(spec.namespace, args.prometheusAddress, spec.analysis), inApp);
            modelledCustomResource(`${name}-${spec.app}`, { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" }, rollout(spec), { ...inApp, dependsOn: [ns, rollouts, template] });
        }
        this.registerOutputs({});
    }
}
