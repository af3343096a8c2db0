import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { EksCluster } from "../components/cluster/eks-cluster";
import { GkeCluster } from "../components/cluster/gke-cluster";
import { KubernetesCluster } from "../components/cluster/kubernetes-cluster";
import { StackConfig, clusterNameOf } from "./config";

/**
 * The regional role: one cluster per region, with everything that runs on it. Later components
 * (spot pools, Vault, observability, GitOps) are wired in here, in one obvious place.
 */
export function regional(config: StackConfig): Record<string, unknown> {
    const name = clusterNameOf(config.stack);
    let cluster: KubernetesCluster;
    if (config.cloud === "aws") {
        // Explicit providers: the region comes from paved config, never from ambient settings.
        const provider = new aws.Provider("aws", { region: config.region as aws.Region });
        cluster = new EksCluster(name, config.cluster, { providers: [provider] });
    } else {
        const provider = new gcp.Provider("gcp", { project: config.gcpProject, region: config.region });
        cluster = new GkeCluster(name, config.cluster, { providers: [provider] });
    }
    return {
        cloud: config.cloud,
        region: config.region,
        environment: config.environment,
        clusterName: cluster.clusterName,
        endpoint: cluster.endpoint,
        kubeconfig: cluster.kubeconfig,
    };
}
