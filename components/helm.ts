import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A Helm chart pinned to one version, checked against the upstream copy in vendor/upstream/helm. */
export interface HelmChartPin {
    readonly chart: string;
    readonly version: string;
    /** A chart repository URL, or an OCI registry path (`oci://...`) that holds the chart. */
    readonly repo: string;
    /** Values the chart documents as free-form maps (e.g. extra CLI flags), so any key below them is valid. */
    readonly freeFormValues?: readonly string[];
}

/**
 * A Helm release of a pinned chart, installed the same way everywhere: atomic (a failed upgrade
 * rolls back), cleaned up on failure, waiting for readiness, with bounded history.
 */
export function pinnedRelease(
    name: string,
    pin: HelmChartPin,
    args: { readonly namespace: string; readonly values: pulumi.Input<Record<string, unknown>>; readonly createNamespace?: boolean },
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    const oci = pin.repo.startsWith("oci://");
    return new k8s.helm.v3.Release(name, {
        name: pin.chart,
        chart: oci ? `${pin.repo}/${pin.chart}` : pin.chart,
        version: pin.version,
        repositoryOpts: oci ? undefined : { repo: pin.repo },
        namespace: args.namespace,
        createNamespace: args.createNamespace ?? false,
        values: args.values,
        atomic: true,
        cleanupOnFail: true,
        maxHistory: 10,
        timeout: 600,
    }, opts);
}
