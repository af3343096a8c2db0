/**
 * Clusters a node pool can join without the cluster component in the same program: a reference by
 * name with the inputs the pool's node groups need. Plain values are checked offline; values known
 * only at deployment (Outputs, e.g. from a StackReference) are left to the cloud.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkAwsId, checkAwsIds, checkGcpName, checkRoleArn, isDeferred } from "../cluster/network-ids";
import { checkReleaseVersion } from "../cluster/node-release";
import { Problems, checkKubernetesVersion, show } from "../validation";

/** An EKS cluster made elsewhere. */
export interface ExistingEksCluster {
    /** The cluster's name in AWS, e.g. "team-a-dev". */
    readonly clusterName: pulumi.Input<string>;
    /** Its Kubernetes minor version, e.g. "1.33": the pool's nodes run the same. */
    readonly kubernetesVersion: string;
    /**
     * The IAM role nodes run as; it must already be allowed to join the cluster (an EC2_LINUX access
     * entry, or the aws-auth ConfigMap), e.g. "arn:aws:iam::123456789012:role/eks-nodes".
     */
    readonly nodeRoleArn: pulumi.Input<string>;
    /** Private subnets for the nodes, e.g. ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"]. */
    readonly subnetIds: readonly pulumi.Input<string>[];
    /**
     * Security groups for the nodes, in the pool's launch template.
     * @default none in the template, so EKS attaches the cluster security group (its default for managed node groups)
     */
    readonly securityGroupIds?: readonly pulumi.Input<string>[];
    /**
     * The EKS AMI release to pin, e.g. "1.33.0-20250704".
     * @default AWS's recommended release for `kubernetesVersion` and the pool's architecture
     */
    readonly releaseVersion?: string;
}

/** A GKE cluster made elsewhere. */
export interface ExistingGkeCluster {
    /** The cluster's name, e.g. "team-a-dev". */
    readonly clusterName: pulumi.Input<string>;
    /** Its region (regional cluster) or zone (zonal cluster), e.g. "europe-west1". */
    readonly location: string;
    /** The project it is in, e.g. "acme-platform-dev". */
    readonly project: string;
    /** The service account nodes run as, e.g. "gke-nodes@acme-platform-dev.iam.gserviceaccount.com". */
    readonly nodeServiceAccountEmail: pulumi.Input<string>;
    /** A Kubernetes provider for the cluster: the pool creates its ComputeClass there. */
    readonly provider: k8s.Provider;
}

/** Every problem with a reference to an existing EKS cluster, under `path`. */
export function existingEksClusterProblems(problems: Problems, path: string, ref: ExistingEksCluster): void {
    if (!isDeferred(ref.clusterName)) {
        problems.check(
            typeof ref.clusterName === "string" && /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(ref.clusterName),
            `${path}.clusterName`,
            `got ${show(ref.clusterName)}: EKS names use letters, digits, "-" and "_" (at most 100), e.g. "team-a-dev"`,
        );
    }
    checkKubernetesVersion(problems, `${path}.kubernetesVersion`, ref.kubernetesVersion);
    if (typeof ref.kubernetesVersion === "string") checkReleaseVersion(problems, `${path}.releaseVersion`, ref.releaseVersion, ref.kubernetesVersion);
    checkRoleArn(problems, `${path}.nodeRoleArn`, ref.nodeRoleArn);
    checkAwsIds(problems, `${path}.subnetIds`, "subnet", ref.subnetIds, 1, "a node group needs at least one subnet; list the cluster's private subnets");
    (ref.securityGroupIds ?? []).forEach((id, i) => checkAwsId(problems, `${path}.securityGroupIds[${i}]`, "sg", id));
}

/** GKE locations: a region ("europe-west1") or a zone ("europe-west1-b"). */
const GCP_LOCATION = /^[a-z]+-[a-z]+\d+(-[a-z])?$/;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** A user-managed service account (Google's default Compute account is far broader than nodes need). */
const SERVICE_ACCOUNT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;

/** Every problem with a reference to an existing GKE cluster, under `path`. */
export function existingGkeClusterProblems(problems: Problems, path: string, ref: ExistingGkeCluster): void {
    // GKE cluster names: at most 40 characters (GKE API, Cluster.name).
    checkGcpName(problems, `${path}.clusterName`, ref.clusterName, "a GKE cluster name", "team-a-dev", 40);
    problems.check(
        typeof ref.location === "string" && GCP_LOCATION.test(ref.location),
        `${path}.location`,
        `got ${show(ref.location)}: a GCP region or zone, e.g. "europe-west1" (regional cluster) or "europe-west1-b" (zonal)`,
    );
    problems.check(
        typeof ref.project === "string" && GCP_PROJECT.test(ref.project),
        `${path}.project`,
        `got ${show(ref.project)}: a GCP project ID is 6-30 lowercase letters, digits and "-", e.g. "acme-platform-dev"`,
    );
    if (!isDeferred(ref.nodeServiceAccountEmail)) {
        problems.check(
            typeof ref.nodeServiceAccountEmail === "string" && SERVICE_ACCOUNT.test(ref.nodeServiceAccountEmail),
            `${path}.nodeServiceAccountEmail`,
            `got ${show(ref.nodeServiceAccountEmail)}: a user-managed service account's e-mail (not the broad Compute Engine default), e.g. "gke-nodes@acme-platform-dev.iam.gserviceaccount.com"`,
        );
    }
    problems.check(
        k8s.Provider.isInstance(ref.provider),
        `${path}.provider`,
        `got ${ref.provider === undefined ? "nothing" : "something else"}: a Kubernetes provider for the cluster (the pool creates a ComputeClass in it), e.g. new k8s.Provider("team-a", { kubeconfig })`,
    );
}
