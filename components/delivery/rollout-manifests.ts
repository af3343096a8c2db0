import { ERROR_RATE_TEMPLATE } from "./analysis";
import { CanarySpec, DEFAULT_STEPS } from "./canary-spec";
import { GATEWAY_API_PLUGIN } from "./charts";
import { validatedManifest } from "../custom-resource";
import { tracingAnnotations } from "../observability/instrumentation";

export const GATEWAY_CLASS = "envoy";
export const GATEWAY_NAMESPACE = "gateway";
export const GATEWAY_NAME = "platform";

export const serviceNames = (app: string) => ({ stable: `${app}-stable`, canary: `${app}-canary` });

/** Canary steps as Argo Rollouts writes them. */
export function rolloutSteps(spec: CanarySpec): Record<string, unknown>[] {
    return (spec.steps ?? DEFAULT_STEPS).map((step) =>
        step === "analysis"
            ? { analysis: { templates: [{ templateName: ERROR_RATE_TEMPLATE }], args: [{ name: "service", value: serviceNames(spec.app).canary }] } }
            : { setWeight: step },
    );
}

/**
 * The Rollout: canary steps with real traffic splitting through the Gateway API plugin (weights on
 * the HTTPRoute, not replica counts), background analysis from the first step so a failure aborts
 * at any weight, and a delay before an aborted canary scales down.
 */
export async function rollout(spec: CanarySpec): Promise<Record<string, unknown>> {
    const { Rollout } = await import("@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout");
    const labels = { "app.kubernetes.io/name": spec.app };
    const services = serviceNames(spec.app);
    const analysisArgs = [{ name: "service", value: services.canary }];
    const r = new Rollout({
        metadata: { name: spec.app, namespace: spec.namespace },
        spec: {
            replicas: spec.replicas ?? 3,
            selector: { matchLabels: labels },
            template: {
                // `tracing: <language>`: the OpenTelemetry Operator injects the SDK into these pods.
                metadata: { labels, ...(spec.tracing ? { annotations: tracingAnnotations(spec.app, spec) } : {}) },
                spec: { containers: [{ name: spec.app, image: spec.image, ports: [{ name: "http", containerPort: spec.port ?? 8080 }] }] },
            },
            strategy: {
                canary: {
                    stableService: services.stable,
                    canaryService: services.canary,
                    abortScaleDownDelaySeconds: spec.abortScaleDownDelaySeconds ?? 30,
                    trafficRouting: { plugins: { [GATEWAY_API_PLUGIN.name]: { httpRoute: spec.app, namespace: spec.namespace } } },
                    analysis: { templates: [{ templateName: ERROR_RATE_TEMPLATE }], startingStep: 1, args: analysisArgs },
                    steps: rolloutSteps(spec),
                },
            },
        },
    });
    return validatedManifest(r);
}

/** The HTTPRoute whose backend weights the plugin shifts between stable and canary. */
export async function httpRoute(spec: CanarySpec): Promise<Record<string, unknown>> {
    const { HTTPRoute } = await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute");
    const services = serviceNames(spec.app);
    const port = spec.port ?? 8080;
    const route = new HTTPRoute({
        metadata: { name: spec.app, namespace: spec.namespace },
        spec: {
            parentRefs: [{ name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE }],
            hostnames: [spec.hostname],
            rules: [{ backendRefs: [{ name: services.stable, port, weight: 100 }, { name: services.canary, port, weight: 0 }] }],
        },
    });
    return validatedManifest(route);
}

/**
 * The shared Gateway every app and PR environment attaches its routes to: HTTP on 80 and, given a
 * certificate Secret for `*.<domain>` in the Gateway's namespace, HTTPS on 443 terminating TLS
 * (routes without a sectionName attach to both).
 */
export async function sharedGateway(domain: string, tlsSecretName?: string): Promise<Record<string, unknown>> {
    const { Gateway } = await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway");
    const allowedRoutes = { namespaces: { from: "All" as const } };
    const gateway = new Gateway({
        metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
        spec: {
            gatewayClassName: GATEWAY_CLASS,
            listeners: [
                { name: "http", protocol: "HTTP", port: 80, hostname: `*.${domain}`, allowedRoutes },
                ...(tlsSecretName
                    ? [{ name: "https", protocol: "HTTPS", port: 443, hostname: `*.${domain}`, tls: { mode: "Terminate" as const, certificateRefs: [{ kind: "Secret", name: tlsSecretName }] }, allowedRoutes }]
                    : []),
            ],
        },
    });
    return validatedManifest(gateway);
}

export async function envoyGatewayClass(): Promise<Record<string, unknown>> {
    const { GatewayClass } = await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass");
    const c = new GatewayClass({ metadata: { name: GATEWAY_CLASS }, spec: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" } });
    return validatedManifest(c);
}
