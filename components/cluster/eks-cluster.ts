import * as cloudwatch from "@pulumi/aws/cloudwatch";
import type * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awsTags } from "../tags";
import { EKS_LOG_TYPES, EksClusterArgs, eksClusterProblems, resolveEksClusterArgs } from "./eks-args";
import {
    CLUSTER_POLICIES,
    CLUSTER_TRUST,
    EKS_ADDONS,
    NODE_POLICIES,
    NODE_TRUST,
    POD_IDENTITY_TRUST,
    clusterAdminPolicyArn,
    managedPolicyArn,
} from "./eks-iam";
import { launchTemplateRef, nodeLaunchTemplate } from "./eks-launch-template";
import { eksKubeconfig } from "./kubeconfig";
import { AmiType } from "./architecture";
import { amiTypeFor, nodeReleaseVersion } from "./eks-node-image";
import { SYSTEM_UPDATE_CONFIG } from "./node-release";
import { PlatformFirewalls, platformSecurityGroups } from "./security-groups";
import { KubernetesCluster, pemFromBase64 } from "./kubernetes-cluster";
import { existingVpc, newVpc } from "./eks-network";
import { systemPoolSchedule } from "./system-pool";
import { scheduledScaling } from "../nodepools/eks-scheduled-scaling";

/**
 * A private-by-default EKS cluster in its own VPC (or an existing one, `network`): API authentication with access entries,
 * KMS envelope encryption of Secrets, control-plane logs, IRSA and Pod Identity, managed add-ons,
 * and a small on-demand system node group with IMDSv2 and no remote access of any kind.
 */
export class EksCluster extends pulumi.ComponentResource implements KubernetesCluster {
    public readonly cloud = "aws" as const;
    public readonly clusterName: pulumi.Output<string>;
    public readonly endpoint: pulumi.Output<string>;
    public readonly certificateAuthority: pulumi.Output<string>;
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    public readonly vpcId: pulumi.Output<string>;
    public readonly privateSubnetIds: pulumi.Output<string>[];
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly oidcProviderArn: pulumi.Output<string>;
    public readonly oidcIssuerUrl: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    public readonly nodeRoleArn: pulumi.Output<string>;
    /**
     * The node role's policy attachments. Every node group depends on them, as the provider docs
     * recommend, so that on destroy the policies outlive the nodes that are still draining.
     */
    public readonly nodeRolePolicies: readonly pulumi.Resource[];
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** The platform's node security group, which every node group's launch template uses. */
    public readonly nodeSecurityGroupId: pulumi.Output<string>;
    /** The security groups the platform owns (control plane, nodes): what `paved drift` checks for unmanaged rules. */
    public readonly platformSecurityGroupIds: pulumi.Output<string>[];
    /** The platform's security groups and their rules as deployed: what `paved drift` lists unmanaged rules against. */
    public readonly firewalls: pulumi.Output<PlatformFirewalls>;
    public readonly region: pulumi.Output<string>;
    public readonly kubernetesVersion: string;
    /** The control plane's Kubernetes version as deployed: every node group pins it, so nodes follow the control plane. */
    public readonly nodeVersion: pulumi.Output<string>;
    /** The AMI release every node group pins: the config's, or AWS's recommended one for the version (node-release.ts). */
    public readonly nodeReleaseVersion: pulumi.Output<string>;
    /** The system node group: app pools roll after it (upgrade order: control plane, add-ons, system nodes, app pools). */
    public readonly systemNodeGroup: eks.NodeGroup;
    /** The add-ons nodes need to join and network (VPC CNI, kube-proxy, Pod Identity agent): every node group waits for them. */
    public readonly nodeAddons: readonly eks.Addon[];
    /** The system node group's AMI type, from its instance types' architecture. */
    public readonly systemAmiType: AmiType;
    private readonly releases = new Map<AmiType, pulumi.Output<string>>();
    private readonly pinnedRelease?: string;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:cluster:EksCluster", name, {}, opts);
        const a = resolveEksClusterArgs(name, args);
        eksClusterProblems(a).throwIfAny("EksCluster");

        const tags = awsTags(a.tags);
        const child = { parent: this };
        const partition = getPartitionOutput({}, child).partition;
        const region = getRegionOutput({}, child).region;
        const policyArn = (policy: string) => partition.apply((p) => managedPolicyArn(p, policy));

        // --- Network: an existing VPC as given, or a new one (eks-network.ts).
        const network = a.network
            ? existingVpc(a.network, child)
            : newVpc(name, { vpcCidr: a.vpcCidr, availabilityZoneCount: a.availabilityZoneCount, natGateways: a.natGateways, tags }, child);
        const privateSubnetIds = network.privateSubnetIds;

        // --- Firewalls the platform owns: every rule inline, so console edits are drift (security-groups.ts).
        const securityGroups = platformSecurityGroups(name, { vpcId: network.vpcId, vpcCidrs: network.vpcCidrs, tags }, child);

        // --- Control plane.
        const clusterRole = new iam.Role(`${name}-cluster`, { assumeRolePolicy: CLUSTER_TRUST, tags }, child);
        const clusterRolePolicies = CLUSTER_POLICIES.map(
            (policy) => new iam.RolePolicyAttachment(`${name}-cluster-${policy}`, { role: clusterRole.name, policyArn: policyArn(policy) }, child),
        );
        const secretsKey = new kms.Key(`${name}-secrets`, {
            description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${a.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: a.production ? 30 : 7,
            tags,
        }, child);
        // EKS writes to this exact group name; creating it first is how it gets a retention period.
        const logGroup = new cloudwatch.LogGroup(`${name}-control-plane`, {
            name: `/aws/eks/${a.clusterName}/cluster`,
            retentionInDays: a.logRetentionDays,
            tags,
        }, child);

        const cluster = new eks.Cluster(`${name}-eks`, {
            name: a.clusterName,
            version: a.kubernetesVersion,
            roleArn: clusterRole.arn,
            vpcConfig: {
                subnetIds: privateSubnetIds,
                // Updated in place on an existing cluster: vpc_config.security_group_ids is not ForceNew
                // (terraform-provider-aws internal/service/eks/cluster.go), EKS's UpdateClusterConfig takes it.
                securityGroupIds: [securityGroups.cluster.id],
                endpointPrivateAccess: true,
                endpointPublicAccess: a.publicEndpoint,
                publicAccessCidrs: a.publicEndpoint ? [...a.publicAccessCidrs] : undefined,
            },
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: a.bootstrapCreatorAdmin },
            encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
            enabledClusterLogTypes: [...EKS_LOG_TYPES],
            // The network add-ons below are managed by EKS, not the self-managed copies it would bootstrap.
            bootstrapSelfManagedAddons: false,
            upgradePolicy: { supportType: a.production ? "EXTENDED" : "STANDARD" },
            deletionProtection: a.production,
            tags,
        }, { ...child, dependsOn: [...clusterRolePolicies, logGroup] });

        const oidcIssuerUrl = cluster.identities.apply((ids) => ids[0].oidcs[0].issuer);
        const oidc = new iam.OpenIdConnectProvider(`${name}-oidc`, {
            url: oidcIssuerUrl,
            clientIdLists: ["sts.amazonaws.com"],
            tags,
        }, child);

        a.adminRoleArns.forEach((principalArn, i) => {
            const entry = new eks.AccessEntry(`${name}-admin-${i}`, { clusterName: cluster.name, principalArn, type: "STANDARD", tags }, child);
            new eks.AccessPolicyAssociation(`${name}-admin-${i}`, {
                clusterName: cluster.name,
                principalArn,
                policyArn: partition.apply(clusterAdminPolicyArn),
                accessScope: { type: "cluster" },
            }, { ...child, dependsOn: [entry] });
        });

        // --- Managed add-ons before nodes (networking), then the system node group, then the rest.
        const addon = (spec: (typeof EKS_ADDONS)[number], dependsOn: pulumi.Resource[]) => {
            const podIdentityAssociations = spec.podIdentity && [{
                serviceAccount: spec.podIdentity.serviceAccount,
                roleArn: this.podIdentityRole(`${name}-${spec.name}`, policyArn(spec.podIdentity.policy), tags).arn,
            }];
            return new eks.Addon(`${name}-${spec.name}`, {
                clusterName: cluster.name,
                addonName: spec.name,
                addonVersion: eks.getAddonVersionOutput({ addonName: spec.name, kubernetesVersion: a.kubernetesVersion, mostRecent: false }, child).version,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "PRESERVE",
                podIdentityAssociations,
                tags,
            }, { ...child, dependsOn });
        };
        const [agentSpec] = EKS_ADDONS.filter((s) => s.name === "eks-pod-identity-agent");
        const podIdentityAgent = addon(agentSpec, []);
        const earlyAddons = EKS_ADDONS.filter((s) => !s.needsNodes && s !== agentSpec)
            .map((spec) => addon(spec, spec.podIdentity ? [podIdentityAgent] : []));

        const nodeRole = new iam.Role(`${name}-node`, { assumeRolePolicy: NODE_TRUST, tags }, child);
        const nodeRolePolicies = NODE_POLICIES.map(
            (policy) => new iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: nodeRole.name, policyArn: policyArn(policy) }, child),
        );
        const launchTemplate = nodeLaunchTemplate(`${name}-system`, {
            description: `System node group of ${a.clusterName}: IMDSv2 only, encrypted gp3 root, no key pair`,
            diskSizeGiB: a.systemPool.diskSizeGiB,
            tags,
            securityGroupIds: [securityGroups.nodes.id],
        }, child);
        // Nodes are replaced, never patched: a new AMI release or Kubernetes version rolls the group.
        this.kubernetesVersion = a.kubernetesVersion;
        this.pinnedRelease = a.releaseVersion;
        this.systemAmiType = amiTypeFor(a.systemPool.instanceTypes);
        const nodeReleaseVersion = this.releaseVersionFor(this.systemAmiType);
        const systemNodes = new eks.NodeGroup(`${name}-system`, {
            clusterName: cluster.name,
            version: cluster.version,
            releaseVersion: nodeReleaseVersion,
            nodeRoleArn: nodeRole.arn,
            subnetIds: privateSubnetIds,
            capacityType: a.systemPool.spot ? "SPOT" : "ON_DEMAND",
            amiType: this.systemAmiType,
            instanceTypes: [...a.systemPool.instanceTypes],
            scalingConfig: { minSize: a.systemPool.minSize, maxSize: a.systemPool.maxSize, desiredSize: a.systemPool.minSize },
            updateConfig: SYSTEM_UPDATE_CONFIG,
            launchTemplate: launchTemplateRef(launchTemplate),
            labels: { "paved.io/pool": "system" },
            taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
            tags,
        }, {
            ...child,
            dependsOn: [...nodeRolePolicies, ...earlyAddons, podIdentityAgent],
            // The cluster autoscaler and the schedule own the node count after creation; never report it as
            // drift. A wake sets it (after a refresh, so the night's zero is a change to undo).
            ignoreChanges: a.systemPool.wake ? [] : ["scalingConfig.desiredSize"],
        });
        const systemSchedule = systemPoolSchedule(a.systemPool, "aws");
        if (systemSchedule) {
            const asgName = systemNodes.resources.apply((r) => r[0].autoscalingGroups[0].name);
            scheduledScaling(`${name}-system`, { asgName, schedule: systemSchedule, minSize: a.systemPool.minSize, maxSize: a.systemPool.maxSize, wake: a.systemPool.wake }, child);
        }
        EKS_ADDONS.filter((s) => s.needsNodes).forEach((spec) => addon(spec, [systemNodes, podIdentityAgent]));

        // --- What other components consume.
        this.clusterName = cluster.name;
        this.endpoint = cluster.endpoint;
        this.kubeconfig = pulumi.secret(
            pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority.data, region]).apply(
                ([clusterName, endpoint, ca, r]) => eksKubeconfig({ name: clusterName, endpoint, certificateAuthorityData: ca, region: r }),
            ),
        );
        this.certificateAuthority = cluster.certificateAuthority.data.apply(pemFromBase64);
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { ...child, dependsOn: [systemNodes] });
        this.vpcId = network.vpcId;
        this.privateSubnetIds = privateSubnetIds;
        this.publicSubnetIds = network.publicSubnetIds;
        this.oidcProviderArn = oidc.arn;
        this.oidcIssuerUrl = oidcIssuerUrl;
        this.kmsKeyArn = secretsKey.arn;
        this.nodeRoleArn = nodeRole.arn;
        this.nodeRolePolicies = nodeRolePolicies;
        this.nodeSecurityGroupId = securityGroups.nodes.id;
        this.platformSecurityGroupIds = [securityGroups.cluster.id, securityGroups.nodes.id];
        const groupScope = (g: ec2.SecurityGroup) => pulumi.all([g.id, g.name, g.ingress, g.egress]).apply(([id, groupName, ingress, egress]) => ({ id, name: groupName, ingress, egress }));
        this.firewalls = pulumi.all([region, groupScope(securityGroups.cluster), groupScope(securityGroups.nodes)])
            .apply(([r, ...groups]): PlatformFirewalls => ({ cloud: "aws", region: r, groups }));
        this.region = region;
        this.nodeVersion = cluster.version;
        this.nodeReleaseVersion = nodeReleaseVersion;
        this.systemNodeGroup = systemNodes;
        this.nodeAddons = [...earlyAddons, podIdentityAgent];
        this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId.apply((id) => id ?? "");

        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            vpcId: this.vpcId,
            oidcProviderArn: this.oidcProviderArn,
            kmsKeyArn: this.kmsKeyArn,
        });
    }

    /**
     * The AMI release node groups of an AMI type pin: the cluster's pinned release, or AWS's
     * recommended one for that architecture (an Arm pool reads the arm64 parameter).
     */
    public releaseVersionFor(amiType: AmiType): pulumi.Output<string> {
        let release = this.releases.get(amiType);
        if (!release) {
            release = nodeReleaseVersion(this.kubernetesVersion, amiType, this.pinnedRelease, { parent: this });
            this.releases.set(amiType, release);
        }
        return release;
    }

    /** A role one add-on's ServiceAccount assumes through EKS Pod Identity, with one managed policy. */
    private podIdentityRole(name: string, policyArn: pulumi.Input<string>, tags: Record<string, string>): iam.Role {
        const role = new iam.Role(name, { assumeRolePolicy: POD_IDENTITY_TRUST, tags }, { parent: this });
        new iam.RolePolicyAttachment(name, { role: role.name, policyArn }, { parent: this });
        return role;
    }
}
