import * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import * as kms from "@pulumi/gcp/kms";
import * as organizations from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels } from "../tags";
import { GkeClusterArgs, gkeClusterProblems, resolveGkeClusterArgs } from "./gke-args";
import { gkeMaintenancePolicy, gkeUpgradeSettings } from "./gke-maintenance";
import { secureNodeConfig } from "./gke-node-config";
import { serviceAccountId } from "./gke-names";
import { gkeKubeconfig } from "./kubeconfig";
import { KubernetesCluster, pemFromBase64 } from "./kubernetes-cluster";
import { systemPoolSchedule } from "./system-pool";
import { gkeScheduledScaling } from "../nodepools/gke-scheduled-scaling";
import { EXISTING_NETWORK_OWNER, PlatformFirewalls, gkeFirewallSpecs, gkeOwnedFirewallPrefixes } from "./security-groups";
import { existingGcpNetwork, newGcpNetwork } from "./gke-network";

export { serviceAccountId };

/** Roles of the node service account: Google's minimal node role, plus pulling images. */
export const GKE_NODE_ROLES = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"];
export const GKE_LOGGING_COMPONENTS = ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"];
export const GKE_MONITORING_COMPONENTS = [
    "SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "STORAGE", "POD", "DEPLOYMENT", "STATEFULSET", "DAEMONSET", "HPA",
];

/**
 * A private regional GKE cluster in its own VPC (or an existing one, `network`): private nodes behind Cloud NAT, no public control
 * plane unless allow-listed, Workload Identity, Dataplane V2, shielded nodes, Secrets encrypted with
 * Cloud KMS, a release channel, and a small on-demand system pool on a least-privilege service account.
 */
export class GkeCluster extends pulumi.ComponentResource implements KubernetesCluster {
    public readonly cloud = "gcp" as const;
    public readonly clusterName: pulumi.Output<string>;
    public readonly endpoint: pulumi.Output<string>;
    public readonly certificateAuthority: pulumi.Output<string>;
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    public readonly networkId: pulumi.Output<string>;
    /** The VPC network's name: the scope of `paved drift`'s check for firewall rules outside Git. */
    public readonly networkName: pulumi.Output<string>;
    /** The names of the firewall rules the platform declares on its network. */
    public readonly firewallNames: pulumi.Output<string>[];
    /** The network and its declared rules: what `paved drift` lists unmanaged firewalls against. */
    public readonly firewalls: pulumi.Output<PlatformFirewalls>;
    public readonly subnetworkId: pulumi.Output<string>;
    public readonly nodeServiceAccountEmail: pulumi.Output<string>;
    public readonly workloadPool: string;
    /** The cluster's full ID, which node pools attach to. */
    public readonly clusterId: pulumi.Output<string>;
    public readonly project: string;
    public readonly region: string;

    constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:cluster:GkeCluster", name, {}, opts);
        const a = resolveGkeClusterArgs(args);
        gkeClusterProblems(a).throwIfAny("GkeCluster");

        const labels = gcpLabels(a.tags);
        const child = { parent: this };
        const project = a.project;

        // --- Identity: a dedicated node service account instead of the broad Compute default.
        const nodeAccount = new serviceaccount.Account(`${name}-nodes`, {
            project,
            accountId: serviceAccountId(`${name}-nodes`),
            displayName: `GKE nodes of ${name} (least privilege)`,
        }, child);
        const nodeRoles = GKE_NODE_ROLES.map((role) => new projects.IAMMember(`${name}-nodes-${role.split("/")[1]}`, {
            project,
            role,
            member: pulumi.interpolate`serviceAccount:${nodeAccount.email}`,
        }, child));

        // --- Network: an existing one as given, or a new one with Cloud NAT (gke-network.ts).
        const network = a.network ? existingGcpNetwork(a.network) : newGcpNetwork(name, { project, region: a.region, nodeCidr: a.nodeCidr, podCidr: a.podCidr, serviceCidr: a.serviceCidr }, child);

        // --- The firewall, every rule declared with its priority, and a deny-all baseline (security-groups.ts).
        // On an existing network the rules apply to this cluster's nodes only (their service account), and
        // node-to-node traffic is left to the rules GKE creates for the cluster: the network is not ours.
        const specs = gkeFirewallSpecs(a).filter((spec) => !a.network || spec.suffix !== "allow-internal");
        const firewalls = specs.map((spec) => new compute.Firewall(`${name}-${spec.suffix}`, {
            // A rule lives in its network's project: a Shared VPC's host project, not the cluster's.
            project: network.project ?? project,
            name: `${name}-${spec.suffix}`,
            network: network.network,
            description: spec.description,
            priority: spec.priority,
            direction: spec.direction,
            sourceRanges: spec.sourceRanges,
            destinationRanges: spec.destinationRanges,
            targetServiceAccounts: a.network ? [nodeAccount.email] : undefined,
            allows: spec.allows,
            denies: spec.denies,
            logConfig: { metadata: "INCLUDE_ALL_METADATA" },
        }, child));

        // --- Application-layer Secrets encryption: GKE's service agent may use this key and no other.
        const keyRing = new kms.KeyRing(`${name}-keys`, { project, location: a.region }, child);
        const secretsKey = new kms.CryptoKey(`${name}-secrets`, {
            keyRing: keyRing.id,
            purpose: "ENCRYPT_DECRYPT",
            rotationPeriod: "7776000s",
            labels,
        }, { ...child, protect: a.production });
        const projectNumber = organizations.getProjectOutput({ projectId: project }, child).number;
        const keyGrant = new kms.CryptoKeyIAMMember(`${name}-secrets-gke`, {
            cryptoKeyId: secretsKey.id,
            role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            member: pulumi.interpolate`serviceAccount:service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
        }, child);

        const version = container.getEngineVersionsOutput({ project, location: a.region, versionPrefix: `${a.kubernetesVersion}.` }, child);
        this.workloadPool = `${project}.svc.id.goog`;
        const cluster = new container.Cluster(`${name}-gke`, {
            project,
            location: a.region,
            network: network.network,
            subnetwork: network.subnetwork,
            removeDefaultNodePool: true,
            initialNodeCount: 1,
            releaseChannel: { channel: a.releaseChannel },
            minMasterVersion: version.latestMasterVersion.apply((v) => {
                if (!v) {
                    throw new Error(`GkeCluster ${name}: GKE offers no Kubernetes ${a.kubernetesVersion} in ${a.region}; choose a version the ${a.releaseChannel} channel offers, e.g. "1.33"`);
                }
                return v;
            }),
            networkingMode: "VPC_NATIVE",
            datapathProvider: "ADVANCED_DATAPATH",
            ipAllocationPolicy: { clusterSecondaryRangeName: network.podsRangeName, servicesSecondaryRangeName: network.servicesRangeName },
            privateClusterConfig: {
                enablePrivateNodes: true,
                enablePrivateEndpoint: !a.publicEndpoint,
                masterIpv4CidrBlock: a.masterCidr,
                masterGlobalAccessConfig: { enabled: true },
            },
            masterAuthorizedNetworksConfig: {
                cidrBlocks: a.authorizedNetworks.map((n) => ({ cidrBlock: n.cidrBlock, displayName: n.displayName })),
                gcpPublicCidrsAccessEnabled: false,
            },
            masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
            workloadIdentityConfig: { workloadPool: this.workloadPool },
            enableShieldedNodes: true,
            databaseEncryption: { state: "ENCRYPTED", keyName: secretsKey.id },
            loggingConfig: { enableComponents: GKE_LOGGING_COMPONENTS },
            monitoringConfig: { enableComponents: GKE_MONITORING_COMPONENTS, managedPrometheus: { enabled: true } },
            // The release channel upgrades control plane and nodes; the window and exclusions say when.
            maintenancePolicy: gkeMaintenancePolicy(a.maintenance),
            deletionProtection: a.deletionProtection,
            resourceLabels: labels,
        }, { ...child, dependsOn: [keyGrant] });

        // One node pool per machine type (a GKE pool has one): on spot, the others autoscale from zero when the first is reclaimed.
        const systemPools = a.systemPool.instanceTypes.map((machineType, i) => new container.NodePool(i === 0 ? `${name}-system` : `${name}-system-${i}`, {
            project,
            cluster: cluster.id,
            location: a.region,
            initialNodeCount: i === 0 ? a.systemPool.minSize : 0,
            autoscaling: { minNodeCount: i === 0 ? a.systemPool.minSize : 0, maxNodeCount: a.systemPool.maxSize },
            management: { autoRepair: true, autoUpgrade: true },
            upgradeSettings: gkeUpgradeSettings(a.production),
            nodeConfig: secureNodeConfig({
                // Production's on-demand pool keeps the config it always had (no spot field).
                spot: a.systemPool.spot || undefined,
                machineType,
                diskSizeGiB: a.systemPool.diskSizeGiB,
                serviceAccount: nodeAccount.email,
                labels: { "paved.io/pool": "system" },
                resourceLabels: labels,
                taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
            }),
        }, {
            ...child,
            dependsOn: nodeRoles,
            // The autoscaler owns the node count after creation; never report it as drift.
            ignoreChanges: ["initialNodeCount"],
        }));
        const systemSchedule = systemPoolSchedule(a.systemPool, "gcp");
        if (systemSchedule) {
            gkeScheduledScaling(`${name}-system`, {
                project,
                region: a.region,
                schedule: systemSchedule,
                wake: a.systemPool.wake,
                pools: systemPools.map((pool, i) => ({
                    path: pulumi.interpolate`projects/${pool.project}/locations/${pool.location}/clusters/${cluster.name}/nodePools/${pool.name}`,
                    minNodeCount: i === 0 ? a.systemPool.minSize : 0,
                    maxNodeCount: a.systemPool.maxSize,
                })),
            }, child);
        }

        this.clusterName = cluster.name;
        this.endpoint = cluster.endpoint.apply((ip) => `https://${ip}`);
        this.kubeconfig = pulumi.secret(
            pulumi.all([cluster.name, this.endpoint, cluster.masterAuth.clusterCaCertificate]).apply(
                ([clusterName, endpoint, ca]) => gkeKubeconfig({ name: clusterName, endpoint, certificateAuthorityData: ca }),
            ),
        );
        this.certificateAuthority = cluster.masterAuth.clusterCaCertificate.apply(pemFromBase64);
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { ...child, dependsOn: systemPools });
        this.clusterId = cluster.id;
        this.project = project;
        this.region = a.region;
        this.networkId = network.network;
        this.networkName = network.networkName;
        this.firewallNames = firewalls.map((f) => f.name);
        this.firewalls = pulumi.all([network.networkName, cluster.name, ...this.firewallNames]).apply(([networkName, clusterName, ...names]): PlatformFirewalls => ({
            cloud: "gcp",
            project: network.project ?? project,
            network: networkName,
            firewalls: names,
            // An existing network's other rules are its owner's: listed by paved drift, never judged or removed.
            ownedBy: [...gkeOwnedFirewallPrefixes(clusterName), ...(a.network ? [EXISTING_NETWORK_OWNER] : [])],
        }));
        this.subnetworkId = network.subnetwork;
        this.nodeServiceAccountEmail = nodeAccount.email;

        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            networkId: this.networkId,
            nodeServiceAccountEmail: this.nodeServiceAccountEmail,
        });
    }
}
