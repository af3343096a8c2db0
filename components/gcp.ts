// The GCP public API (`paved-road/gcp`). Nothing here or below loads @pulumi/aws.
export type { AuthorizedNetwork, ExistingGcpNetwork, GkeClusterArgs, ReleaseChannel } from "./cluster/gke-args";
export { GkeCluster } from "./cluster/gke-cluster";
export type { GkeMaintenance, MaintenanceExclusion, MaintenanceWindow } from "./cluster/gke-maintenance";
export type { ExistingGkeCluster } from "./nodepools/existing-cluster";
export type { GkeSpotNodePoolArgs } from "./nodepools/gke-spot-node-pool";
export { GkeSpotNodePool } from "./nodepools/gke-spot-node-pool";
export type { CloudDnsFailoverArgs } from "./failover/cloud-dns-failover";
export { CloudDnsFailover } from "./failover/cloud-dns-failover";
