import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../cluster/eks-cluster";
import { POD_IDENTITY_TRUST } from "../cluster/eks-iam";
import { onCluster } from "../cluster/kubernetes-cluster";
import { pinnedRelease } from "../helm";
import { CostTags, awsTags } from "../tags";
import {
    CLUSTER_AUTOSCALER_CHART,
    CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
    clusterAutoscalerPolicy,
    clusterAutoscalerValues,
} from "./cluster-autoscaler-values";

/** Arguments of ClusterAutoscaler: the EKS cluster and the spot pools it prefers. */
export interface ClusterAutoscalerArgs {
    readonly cluster: EksCluster;
    /** Names of the spot pools whose groups it prefers (and of their on-demand fallbacks). */
    readonly pools: readonly string[];
    readonly tags: CostTags;
}

/**
 * cluster-autoscaler on EKS, installed by Helm: its own least-privilege IAM role through Pod
 * Identity, and the priority expander that scales spot groups first and on-demand fallbacks only
 * when spot capacity cannot be had.
 */
export class ClusterAutoscaler extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:nodepools:ClusterAutoscaler", name, {}, opts);
        const child = { parent: this };
        const tags = awsTags(args.tags);
        const { cluster } = args;

        const role = new iam.Role(`${name}-role`, { assumeRolePolicy: POD_IDENTITY_TRUST, tags }, child);
        new iam.RolePolicy(`${name}-policy`, { role: role.name, policy: cluster.clusterName.apply(clusterAutoscalerPolicy) }, child);
        const identity = new eks.PodIdentityAssociation(`${name}-identity`, {
            clusterName: cluster.clusterName,
            namespace: "kube-system",
            serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
            roleArn: role.arn,
            tags,
        }, child);

        const values = pulumi.all([cluster.clusterName, cluster.region]).apply(([clusterName, region]) =>
            clusterAutoscalerValues({ clusterName, region, kubernetesVersion: cluster.kubernetesVersion, pools: args.pools }),
        );
        pinnedRelease(`${name}-chart`, CLUSTER_AUTOSCALER_CHART, { namespace: "kube-system", values }, {
            ...onCluster(cluster, this),
            dependsOn: [identity],
        });

        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
