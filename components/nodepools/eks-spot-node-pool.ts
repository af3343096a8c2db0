import * as autoscaling from "@pulumi/aws/autoscaling";
import * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../cluster/eks-cluster";
import { launchTemplateRef, nodeLaunchTemplate } from "../cluster/eks-launch-template";
import { APP_POOL_UPDATE_CONFIG } from "../cluster/node-release";
import { AmiType } from "../cluster/architecture";
import { amiTypeFor, nodeReleaseVersion } from "../cluster/eks-node-image";
import { awsTags } from "../tags";
import { PoolCostInput } from "./cost";
import { ExistingEksCluster, existingEksClusterProblems } from "./existing-cluster";
import { scheduledScaling } from "./eks-scheduled-scaling";
import { DISCOVERY_ENABLED_TAG, discoveryOwnerTag, nodeTemplateTags } from "./eks-autoscaler-tags";
import { ResolvedSpotPoolArgs, SpotPoolArgs, cloudTaint, poolLabels, resolveSpotPoolArgs, spotPoolCostInput, spotPoolProblems } from "./spot-pool-args";

/** Arguments of EksSpotNodePool: the cluster (the component or an existing one) and the pool's spot settings. */
export interface EksSpotNodePoolArgs extends SpotPoolArgs {
    /**
     * The cluster the pool joins: the `EksCluster` component (its node role, private subnets and node
     * security group), or a reference to a cluster made elsewhere.
     */
    readonly cluster: EksCluster | ExistingEksCluster;
}

/** What a pool's node groups take from their cluster, whichever form it was given in. */
interface PoolCluster {
    readonly clusterName: pulumi.Output<string>;
    readonly version: pulumi.Input<string>;
    readonly releaseVersion: (amiType: AmiType) => pulumi.Output<string>;
    readonly nodeRoleArn: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupIds: pulumi.Input<string>[];
    /** Node groups wait for these (node role policies, network add-ons, the system group); nothing for a cluster made elsewhere. */
    readonly dependsOn: pulumi.Resource[];
}

function poolCluster(cluster: EksCluster | ExistingEksCluster, opts: pulumi.InvokeOutputOptions): PoolCluster {
    if (pulumi.Resource.isInstance(cluster)) {
        const c = cluster; // the component
        return {
            clusterName: c.clusterName,
            // The cluster's version and AMI release: a change rolls the pool after the system group.
            version: c.nodeVersion,
            releaseVersion: (amiType) => c.releaseVersionFor(amiType),
            nodeRoleArn: c.nodeRoleArn,
            subnetIds: c.privateSubnetIds,
            securityGroupIds: [c.nodeSecurityGroupId],
            // As the system group: the node role's policies are attached before nodes join and detached after they drain.
            // Upgrade order: app pools roll after the system group and the add-ons their nodes need.
            dependsOn: [...c.nodeRolePolicies, ...c.nodeAddons, c.systemNodeGroup],
        };
    }
    const ref = cluster; // a reference
    return {
        clusterName: pulumi.output(ref.clusterName),
        version: ref.kubernetesVersion,
        releaseVersion: (amiType) => nodeReleaseVersion(ref.kubernetesVersion, amiType, ref.releaseVersion, opts),
        nodeRoleArn: ref.nodeRoleArn,
        subnetIds: [...ref.subnetIds],
        securityGroupIds: [...(ref.securityGroupIds ?? [])],
        dependsOn: [],
    };
}

type Capacity = "spot" | "ondemand";

/**
 * A spot managed node group (with an optional on-demand sibling for when spot capacity is gone):
 * several instance types, IMDSv2, encrypted gp3, no key pair or remote access, autoscaler discovery
 * and node-template tags so it scales up from zero, and optional night/weekend scheduled actions.
 */
export class EksSpotNodePool extends pulumi.ComponentResource {
    public readonly poolName: string;
    public readonly settings: ResolvedSpotPoolArgs;
    /** The AMI type of every node group of the pool, from its instance types' architecture. */
    public readonly amiType: AmiType;
    public readonly spotNodeGroupName: pulumi.Output<string>;
    public readonly fallbackNodeGroupName?: pulumi.Output<string>;
    /** The managed node groups (spot, then the fallback): what a version or AMI release change replaces. */
    public readonly nodeGroups: eks.NodeGroup[] = [];

    constructor(name: string, args: EksSpotNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:nodepools:EksSpotNodePool", name, {}, opts);
        // One error for every problem, the pool's and the cluster reference's.
        const problems = spotPoolProblems(args, "aws");
        if (!pulumi.Resource.isInstance(args.cluster)) existingEksClusterProblems(problems, "cluster", args.cluster);
        problems.throwIfAny("EksSpotNodePool");
        const a = resolveSpotPoolArgs(args, "aws", "EksSpotNodePool");
        const child = { parent: this };
        const cluster = poolCluster(args.cluster, child);
        // Graviton types run the ARM64 image, x86 types the x86_64 one (one architecture per pool, validated).
        this.amiType = amiTypeFor(a.instanceTypes);
        const releaseVersion = cluster.releaseVersion(this.amiType);
        const tags = awsTags(a.tags);
        const template = nodeLaunchTemplate(`${name}-nodes`, {
            description: `Node pool ${name}: IMDSv2 only, encrypted gp3 root, no key pair`,
            diskSizeGiB: a.diskSizeGiB,
            tags,
            securityGroupIds: cluster.securityGroupIds,
        }, child);

        const nodeGroup = (capacity: Capacity) => {
            const labels = poolLabels(name, capacity === "spot" ? "spot" : "on-demand", a);
            // The fallback starts empty: the autoscaler grows it only when spot groups cannot scale.
            const minSize = capacity === "spot" ? a.minSize : 0;
            const group = new eks.NodeGroup(`${name}-${capacity}`, {
                clusterName: cluster.clusterName,
                version: cluster.version,
                releaseVersion,
                nodeGroupNamePrefix: `${name}-${capacity}-`,
                nodeRoleArn: cluster.nodeRoleArn,
                subnetIds: cluster.subnetIds,
                capacityType: capacity === "spot" ? "SPOT" : "ON_DEMAND",
                amiType: this.amiType,
                instanceTypes: [...a.instanceTypes],
                scalingConfig: { minSize, maxSize: a.maxSize, desiredSize: a.wake && capacity === "spot" ? a.nodes : minSize },
                updateConfig: APP_POOL_UPDATE_CONFIG,
                launchTemplate: launchTemplateRef(template),
                labels,
                taints: a.taints.map(cloudTaint),
                tags,
            }, {
                ...child,
                dependsOn: cluster.dependsOn,
                // The autoscaler and the schedule own the node count; never report it as drift. A wake sets it
                // (with a refresh first, so the night's zero is a change to undo).
                ignoreChanges: a.wake ? [] : ["scalingConfig.desiredSize"],
            });
            const asgName = group.resources.apply((r) => r[0].autoscalingGroups[0].name);
            this.tagGroup(`${name}-${capacity}`, asgName, cluster.clusterName, nodeTemplateTags(labels, a.taints));
            if (a.schedule) scheduledScaling(`${name}-${capacity}`, { asgName, schedule: a.schedule, minSize, maxSize: a.maxSize, wake: a.wake }, child);
            this.nodeGroups.push(group);
            return group;
        };

        this.poolName = name;
        this.settings = a;
        this.spotNodeGroupName = nodeGroup("spot").nodeGroupName;
        if (a.onDemandFallback) this.fallbackNodeGroupName = nodeGroup("ondemand").nodeGroupName;
        this.registerOutputs({ spotNodeGroupName: this.spotNodeGroupName, fallbackNodeGroupName: this.fallbackNodeGroupName });
    }

    /** What the cost report needs to know of this pool. */
    costInput(): PoolCostInput {
        return spotPoolCostInput(this.poolName, this.settings);
    }

    /** Managed node group tags stop at the node group; the autoscaler reads them on the ASG. */
    private tagGroup(prefix: string, asgName: pulumi.Output<string>, clusterName: pulumi.Output<string>, templateTags: Record<string, string>): void {
        const tag = (suffix: string, key: pulumi.Input<string>, value: string) =>
            new autoscaling.Tag(`${prefix}-${suffix}`, { autoscalingGroupName: asgName, tag: { key, value, propagateAtLaunch: false } }, { parent: this });
        tag("discovery-enabled", DISCOVERY_ENABLED_TAG, "true");
        tag("discovery-owner", clusterName.apply(discoveryOwnerTag), "owned");
        for (const [key, value] of Object.entries(templateTags)) tag(key.split("/node-template/")[1].replace(/\//g, "-"), key, value);
    }
}
