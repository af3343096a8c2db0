// The AWS public API (`paved-road/aws`). Nothing here or below loads @pulumi/gcp.
export type { EksClusterArgs, ExistingVpc, NatGatewayMode } from "./cluster/eks-args";
export { EksCluster } from "./cluster/eks-cluster";
export type { ExistingEksCluster } from "./nodepools/existing-cluster";
export type { EksSpotNodePoolArgs } from "./nodepools/eks-spot-node-pool";
export { EksSpotNodePool } from "./nodepools/eks-spot-node-pool";
export type { ClusterAutoscalerArgs } from "./nodepools/cluster-autoscaler";
export { ClusterAutoscaler } from "./nodepools/cluster-autoscaler";
export { Route53Failover } from "./failover/route53-failover";
