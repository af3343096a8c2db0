import type * as inputs from "@pulumi/gcp/types/input";
import * as pulumi from "@pulumi/pulumi";

/** Node metadata that closes every SSH path GCE offers: OS Login only, no project keys, no legacy metadata API. */
export const GKE_NODE_METADATA = {
    "block-project-ssh-keys": "true",
    "enable-oslogin": "true",
    "disable-legacy-endpoints": "true",
};

/**
 * The node configuration every GKE node pool of the platform uses: shielded COS nodes on the
 * cluster's least-privilege service account, the GKE metadata server (Workload Identity, no node
 * credentials for pods), and no SSH path.
 */
export function secureNodeConfig(args: {
    readonly machineType: string;
    readonly diskSizeGiB: number;
    readonly serviceAccount: pulumi.Input<string>;
    readonly labels: Record<string, string>;
    readonly resourceLabels: Record<string, string>;
    readonly taints: inputs.container.NodePoolNodeConfigTaint[];
    readonly spot?: boolean;
}): inputs.container.NodePoolNodeConfig {
    return {
        ...(args.spot === undefined ? {} : { spot: args.spot }),
        machineType: args.machineType,
        diskType: "pd-balanced",
        diskSizeGb: args.diskSizeGiB,
        imageType: "COS_CONTAINERD",
        serviceAccount: args.serviceAccount,
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        metadata: GKE_NODE_METADATA,
        labels: args.labels,
        resourceLabels: args.resourceLabels,
        taints: args.taints,
    };
}
