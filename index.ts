/**
 * paved-road: Pulumi components for the platform's paved road. This entry has both clouds; a team
 * on one cloud imports `paved-road/aws` or `paved-road/gcp`, whose declarations never mention the
 * other cloud's SDK. Here the cloud components load on first use, as the Pulumi providers' own
 * modules do (their `lazyLoad`), so importing this entry loads neither cloud's SDK.
 */
import type * as Aws from "./components/aws";
import type * as Gcp from "./components/gcp";

export * from "./common";
export type * from "./components/aws";
export type * from "./components/gcp";

/** An EKS cluster in its own VPC: see `paved-road/aws`. */
export const EksCluster: typeof Aws.EksCluster = null as never;
export type EksCluster = Aws.EksCluster;
/** Spot node groups with an on-demand fallback on an EKS cluster: see `paved-road/aws`. */
export const EksSpotNodePool: typeof Aws.EksSpotNodePool = null as never;
export type EksSpotNodePool = Aws.EksSpotNodePool;
/** The Kubernetes Cluster Autoscaler on an EKS cluster: see `paved-road/aws`. */
export const ClusterAutoscaler: typeof Aws.ClusterAutoscaler = null as never;
export type ClusterAutoscaler = Aws.ClusterAutoscaler;
/** Route 53 failover between two regions: see `paved-road/aws`. */
export const Route53Failover: typeof Aws.Route53Failover = null as never;
export type Route53Failover = Aws.Route53Failover;
/** A private regional GKE cluster in its own VPC: see `paved-road/gcp`. */
export const GkeCluster: typeof Gcp.GkeCluster = null as never;
export type GkeCluster = Gcp.GkeCluster;
/** Spot node pools with an on-demand fallback on a GKE cluster: see `paved-road/gcp`. */
export const GkeSpotNodePool: typeof Gcp.GkeSpotNodePool = null as never;
export type GkeSpotNodePool = Gcp.GkeSpotNodePool;
/** Cloud DNS failover between two regions: see `paved-road/gcp`. */
export const CloudDnsFailover: typeof Gcp.CloudDnsFailover = null as never;
export type CloudDnsFailover = Gcp.CloudDnsFailover;

/** Replaces each placeholder above with a getter that loads its cloud's module on first read. */
function loadOnFirstUse(names: readonly string[], load: () => Record<string, unknown>): void {
    for (const name of names) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
}
/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous load on first read, not at import */
loadOnFirstUse(["EksCluster", "EksSpotNodePool", "ClusterAutoscaler", "Route53Failover"], () => require("./components/aws") as Record<string, unknown>);
loadOnFirstUse(["GkeCluster", "GkeSpotNodePool", "CloudDnsFailover"], () => require("./components/gcp") as Record<string, unknown>);
/* eslint-enable @typescript-eslint/no-require-imports */
