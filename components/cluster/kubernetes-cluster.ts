import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** What a component that only deploys Kubernetes resources needs: a provider bound to the cluster. */
export interface ClusterConnection {
    readonly provider: k8s.Provider;
}

/**
 * What every cloud-agnostic component needs from a cluster. `EksCluster` and `GkeCluster` both
 * implement it, so Vault, observability, GitOps and delivery components take either.
 */
export interface KubernetesCluster extends ClusterConnection {
    readonly cloud: "aws" | "gcp";
    /** The cluster's name in its cloud. */
    readonly clusterName: pulumi.Output<string>;
    /** The API server URL. */
    readonly endpoint: pulumi.Output<string>;
    /** The API server's CA certificate, PEM (public: what clients such as Vault verify it with). */
    readonly certificateAuthority: pulumi.Output<string>;
    /** A kubeconfig using exec auth (no static token); a Pulumi secret all the same. */
    readonly kubeconfig: pulumi.Output<string>;
}

/** Parent options that put a child resource onto a cluster. */
export function onCluster(cluster: ClusterConnection, parent: pulumi.Resource): pulumi.CustomResourceOptions {
    return { parent, provider: cluster.provider };
}

/** Both clouds report the cluster CA as base64 of the PEM. */
export function pemFromBase64(data: string): string {
    return Buffer.from(data, "base64").toString("utf8");
}
