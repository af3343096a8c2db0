import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConnection, onCluster } from "../cluster/kubernetes-cluster";
import { modelledCustomResource, validatedManifest } from "../custom-resource";
import { GATEWAY_NAME, GATEWAY_NAMESPACE } from "./rollout-manifests";

/** A tiny, pinned echo server: it answers every request with the text it was started with. */
export const HEALTH_IMAGE = "hashicorp/http-echo:1.0.0";
const NAMESPACE = "platform-health";
const PORT = 5678;

/** Arguments of HealthEndpoint: the cluster, the domain and the region it answers for. */
export interface HealthEndpointArgs {
    readonly cluster: ClusterConnection;
    /**
     * The environment's domain. The endpoint answers on `health-<region>.<domain>` (this region
     * alone: what its health checks and ring gates probe) and on `health.<domain>` (the name global
     * failover routes to whichever region is primary).
     */
    readonly domain: string;
    /** What each answer says, so a prober knows which region served it, e.g. "us-east-1". */
    readonly region: string;
    /**
     * How the shared Gateway serves it: https when it has a certificate (ProgressiveDelivery.scheme).
     * @default "https"
     */
    readonly scheme?: "https" | "http";
    /**
     * Replicas (spread so one node's loss does not fail the probe).
     * @default 2
     */
    readonly replicas?: number;
}

/** The label of the name that reaches this region only, e.g. `health-us-east-1`. */
export const regionalHealthLabel = (region: string) => `health-${region}`;
/** The name that reaches this region only, e.g. `health-us-east-1.paved.example.com`. */
export const regionalHealthHost = (domain: string, region: string) => `${regionalHealthLabel(region)}.${domain}`;
/** The name global failover routes to the serving region. */
export const globalHealthHost = (domain: string) => `health.${domain}`;
export const HEALTH_PATH = "/healthz";

export async function healthRoute(domain: string, region: string): Promise<Record<string, unknown>> {
    const { HTTPRoute } = await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute");
    return validatedManifest(new HTTPRoute({
        metadata: { name: "health", namespace: NAMESPACE },
        spec: {
            parentRefs: [{ name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE }],
            hostnames: [globalHealthHost(domain), regionalHealthHost(domain, region)],
            rules: [{ matches: [{ path: { type: "Exact", value: HEALTH_PATH } }], backendRefs: [{ name: "health", port: PORT }] }],
        },
    }));
}

/**
 * The stack's health endpoint, served through the shared Gateway: it answers 200 with the region's
 * name, so load balancers and the failover drill see both that the region serves traffic and which
 * region it is.
 */
export class HealthEndpoint extends pulumi.ComponentResource {
    public readonly url: string;

    constructor(name: string, args: HealthEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:delivery:HealthEndpoint", name, {}, opts);
        const on = onCluster(args.cluster, this);
        const labels = { "app.kubernetes.io/name": "health" };
        const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: NAMESPACE } }, on);
        const inNs = { ...on, dependsOn: [ns] };
        new k8s.apps.v1.Deployment(`${name}-echo`, {
            metadata: { name: "health", namespace: NAMESPACE },
            spec: {
                replicas: args.replicas ?? 2,
                selector: { matchLabels: labels },
                template: {
                    metadata: { labels },
                    spec: {
                        containers: [{
                            name: "echo",
                            image: HEALTH_IMAGE,
                            args: [`-text=${args.region}`, `-listen=:${PORT}`],
                            ports: [{ name: "http", containerPort: PORT }],
                            readinessProbe: { httpGet: { path: "/", port: "http" } },
                            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
                            securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
                        }],
                        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } }],
                    },
                },
            },
        }, inNs);
        new k8s.core.v1.Service(`${name}-svc`, {
            metadata: { name: "health", namespace: NAMESPACE },
            spec: { selector: labels, ports: [{ name: "http", port: PORT, targetPort: "http" }] },
        }, inNs);
        modelledCustomResource(`${name}-route`, { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute" }, healthRoute(args.domain, args.region), inNs);
        this.url = `${args.scheme ?? "https"}://${regionalHealthHost(args.domain, args.region)}${HEALTH_PATH}`;
        this.registerOutputs({ url: this.url });
    }
}
