import { HelmChartPin } from "../helm";
import { discoveryOwnerTag } from "./eks-autoscaler-tags";

/** cluster-autoscaler chart, pinned; its upstream copy is vendor/upstream/helm/cluster-autoscaler. */
export const CLUSTER_AUTOSCALER_CHART: HelmChartPin = {
    chart: "cluster-autoscaler",
    version: "9.59.0",
    repo: "https://kubernetes.github.io/autoscaler",
    // "Additional container arguments": every cluster-autoscaler flag is a key here.
    freeFormValues: ["extraArgs", "expanderPriorities"],
};

export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/** Expander priorities: higher wins. Spot groups first; on-demand fallbacks only when spot cannot scale. */
export const SPOT_PRIORITY = 50;
export const ON_DEMAND_FALLBACK_PRIORITY = 10;

/**
 * Managed node group ASGs are named `eks-<node group name>-<uuid>`, and the pools' node group names
 * are `<pool>-spot-` / `<pool>-ondemand-` plus the provider's 26-digit unique suffix, so these
 * patterns match exactly one pool's groups even when one pool's name starts with another's.
 */
export function asgPattern(pool: string, capacity: "spot" | "ondemand"): string {
    return `^eks-${pool.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-${capacity}-[0-9]{26}-`;
}

/**
 * Helm values for cluster-autoscaler on EKS: auto-discovery by cluster tags, the priority expander
 * preferring spot groups, running on the system pool, image matching the cluster's minor version
 * (the autoscaler supports exactly its own Kubernetes minor).
 */
export function clusterAutoscalerValues(args: {
    readonly clusterName: string;
    readonly region: string;
    readonly kubernetesVersion: string;
    readonly pools: readonly string[];
}): Record<string, unknown> {
    return {
        cloudProvider: "aws",
        awsRegion: args.region,
        autoDiscovery: { clusterName: args.clusterName },
        image: { tag: `v${args.kubernetesVersion}.0` },
        rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
        extraArgs: {
            expander: "priority",
            "balance-similar-node-groups": true,
            "skip-nodes-with-local-storage": false,
            "scale-down-unneeded-time": "5m",
        },
        expanderPriorities: {
            [SPOT_PRIORITY]: args.pools.map((p) => asgPattern(p, "spot")),
            [ON_DEMAND_FALLBACK_PRIORITY]: args.pools.map((p) => asgPattern(p, "ondemand")),
        },
        nodeSelector: { "paved.io/pool": "system" },
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
        priorityClassName: "system-cluster-critical",
        resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
    };
}

/** Least privilege for the autoscaler: read everywhere, change only groups tagged as this cluster's. */
export function clusterAutoscalerPolicy(clusterName: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/${discoveryOwnerTag(clusterName)}`]: "owned" } },
            },
        ],
    });
}

/** What Prometheus scrapes: the chart's Service (release "cluster-autoscaler") on its "http" port. */
export const CLUSTER_AUTOSCALER_SCRAPE = {
    name: "cluster-autoscaler",
    namespace: "kube-system",
    selector: { "app.kubernetes.io/instance": CLUSTER_AUTOSCALER_CHART.chart },
    port: "http",
};
