import * as container from "@pulumi/gcp/container";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Architecture, poolArchitecture } from "../cluster/architecture";
import { GkeCluster } from "../cluster/gke-cluster";
import { secureNodeConfig } from "../cluster/gke-node-config";
import { onCluster } from "../cluster/kubernetes-cluster";
import { gcpLabels } from "../tags";
import { PoolCostInput } from "./cost";
import { ExistingGkeCluster, existingGkeClusterProblems } from "./existing-cluster";
import { ResolvedSpotPoolArgs, SpotPoolArgs, Taint, cloudTaint, poolLabels, resolveSpotPoolArgs, spotPoolCostInput, spotPoolProblems } from "./spot-pool-args";

/** Arguments of GkeSpotNodePool: the cluster and the pool's spot settings. */
export interface GkeSpotNodePoolArgs extends SpotPoolArgs {
    /**
     * The cluster the pools join: the `GkeCluster` component (its node service account), or a
     * reference to a cluster made elsewhere.
     */
    readonly cluster: GkeCluster | ExistingGkeCluster;
}

/** What the pools take from their cluster, whichever form it was given in. */
function poolCluster(cluster: GkeCluster | ExistingGkeCluster) {
    if (pulumi.Resource.isInstance(cluster)) {
        return { cluster: cluster.clusterId, location: cluster.region, project: cluster.project, serviceAccount: cluster.nodeServiceAccountEmail, connection: cluster };
    }
    return { cluster: cluster.clusterName, location: cluster.location, project: cluster.project, serviceAccount: cluster.nodeServiceAccountEmail, connection: cluster };
}

/** Nodes of a custom ComputeClass carry this label and taint; workloads select it with a nodeSelector. */
export const COMPUTE_CLASS_KEY = "cloud.google.com/compute-class";

/**
 * The ComputeClass that orders a pool's node pools: spot pools first, in the order of their machine
 * types, then the on-demand fallback. GKE's autoscaler follows the priorities, and active migration
 * moves workloads back to spot when it returns.
 */
export function computeClassSpec(spotPools: readonly string[], fallbackPool: string | undefined): Record<string, unknown> {
    return {
        priorities: [...spotPools, ...(fallbackPool ? [fallbackPool] : [])].map((pool) => ({ nodepools: [pool] })),
        nodePoolAutoCreation: { enabled: false },
        activeMigration: { optimizeRulePriority: true },
        whenUnsatisfiable: "DoNotScaleUp",
    };
}

/**
 * Spot capacity on GKE: one spot node pool per machine type (a GKE pool has one type, so diversity
 * comes from several pools), each autoscaling from a total of 0 with location policy ANY, plus an
 * optional on-demand fallback pool. A ComputeClass orders them — GKE's own mechanism for "spot
 * first, on-demand when spot is gone"; cluster-autoscaler's priority expander is not offered on GKE.
 * Scale to zero at night needs nothing more on the nodes: once KEDA has scaled workloads to zero,
 * the autoscaler removes the empty nodes.
 */
export class GkeSpotNodePool extends pulumi.ComponentResource {
    public readonly poolName: string;
    public readonly settings: ResolvedSpotPoolArgs;
    public readonly nodePoolNames: pulumi.Output<string>[];
    /** Workloads select this pool with `nodeSelector: { "cloud.google.com/compute-class": computeClass }`. */
    public readonly computeClass: string;
    /** The nodes' architecture, from the machine types. */
    public readonly architecture: Architecture;

    constructor(name: string, args: GkeSpotNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:nodepools:GkeSpotNodePool", name, {}, opts);
        // One error for every problem, the pool's and the cluster reference's.
        const problems = spotPoolProblems(args, "gcp");
        if (!pulumi.Resource.isInstance(args.cluster)) existingGkeClusterProblems(problems, "cluster", args.cluster);
        problems.throwIfAny("GkeSpotNodePool");
        const a = resolveSpotPoolArgs(args, "gcp", "GkeSpotNodePool");
        const cluster = poolCluster(args.cluster);
        // Arm machine types (T2A, C4A, ...): GKE taints their nodes kubernetes.io/arch=arm64:NoSchedule by default,
        // so only workloads that select arm64 land there (validated: one architecture per pool).
        this.architecture = poolArchitecture("gcp", a.instanceTypes);
        const child = { parent: this };
        const classTaint: Taint = { key: COMPUTE_CLASS_KEY, value: name, effect: "NoSchedule" };

        const nodePool = (resourceName: string, machineType: string, spot: boolean) =>
            new container.NodePool(resourceName, {
                cluster: cluster.cluster,
                location: cluster.location,
                project: cluster.project,
                initialNodeCount: 0,
                autoscaling: { totalMinNodeCount: 0, totalMaxNodeCount: a.maxSize, locationPolicy: "ANY" },
                management: { autoRepair: true, autoUpgrade: true },
                upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
                nodeConfig: secureNodeConfig({
                    spot,
                    machineType,
                    diskSizeGiB: a.diskSizeGiB,
                    serviceAccount: cluster.serviceAccount,
                    labels: { ...poolLabels(name, spot ? "spot" : "on-demand", a), [COMPUTE_CLASS_KEY]: name },
                    resourceLabels: gcpLabels(a.tags),
                    taints: [...a.taints, classTaint].map(cloudTaint),
                }),
            }, { ...child, ignoreChanges: ["initialNodeCount"] });

        const spotPools = a.instanceTypes.map((type, i) => nodePool(`${name}-spot-${i}`, type, true));
        const fallback = a.onDemandFallback ? nodePool(`${name}-ondemand`, a.instanceTypes[0], false) : undefined;

        const spec = pulumi
            .all([pulumi.all(spotPools.map((p) => p.name)), fallback?.name])
            .apply(([spotNames, fallbackName]) => computeClassSpec(spotNames, fallbackName));
        new k8s.apiextensions.CustomResource(`${name}-class`, {
            apiVersion: "cloud.google.com/v1",
            kind: "ComputeClass",
            metadata: { name },
            spec,
        }, { ...onCluster(cluster.connection, this), dependsOn: [...spotPools, ...(fallback ? [fallback] : [])] });

        this.poolName = name;
        this.settings = a;
        this.computeClass = name;
        this.nodePoolNames = [...spotPools, ...(fallback ? [fallback] : [])].map((p) => p.name);
        this.registerOutputs({ nodePoolNames: this.nodePoolNames, computeClass: this.computeClass });
    }

    /** What the cost report needs to know of this pool. */
    costInput(): PoolCostInput {
        return spotPoolCostInput(this.poolName, this.settings);
    }
}
