import { validatedManifest } from "../custom-resource";

/** A target for a ServiceMonitor: a Service found by its labels, scraped on a named port. */
export interface ScrapeTarget {
    readonly name: string;
    readonly namespace: string;
    readonly selector: Record<string, string>;
    readonly port: string;
    /** @default "/metrics" */
    readonly path?: string;
}

/**
 * A ServiceMonitor built with @kubernetes-models/prometheus-operator and validated before Pulumi
 * sees it (the package is ESM-only, hence the dynamic import).
 */
export async function serviceMonitor(target: ScrapeTarget, namespace: string): Promise<Record<string, unknown>> {
    const { ServiceMonitor } = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor");
    const monitor = new ServiceMonitor({
        metadata: { name: target.name, namespace, labels: { "app.kubernetes.io/managed-by": "paved-road" } },
        spec: {
            namespaceSelector: { matchNames: [target.namespace] },
            selector: { matchLabels: target.selector },
            endpoints: [{ port: target.port, path: target.path ?? "/metrics", interval: "30s" }],
        },
    });
    return validatedManifest(monitor);
}
