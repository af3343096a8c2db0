/**
 * The platform's rules as CrossGuard policies. They are plain objects, importable without the
 * policy pack (constructing a PolicyPack starts its gRPC server), so tests and the offline plan run
 * them directly. Each message says how to fix what it found.
 */
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { TAGGABLE_TYPES } from "./taggable-types";

type Props = Record<string, any>;

/** Per-stack policy configuration: production makes every policy mandatory and relaxes none. */
export interface PavedPolicyConfig {
    readonly production?: boolean;
}

/** What each policy accepts from the pack config: the engine rejects properties a policy does not declare. */
const PAVED_CONFIG_SCHEMA = { properties: { production: { type: "boolean" as const } } };

function policy(
    name: string,
    description: string,
    check: (type: string, props: Props, report: ReportViolation, args: ResourceValidationArgs) => void,
): ResourceValidationPolicy {
    return {
        name,
        description,
        // The default; the runner's pack config makes every policy advisory outside production (automation/driver/policy-config.ts).
        enforcementLevel: "mandatory",
        configSchema: PAVED_CONFIG_SCHEMA,
        validateResource: (args, report) => check(args.type, args.props as Props, report, args),
    };
}

/** All protocols: AWS and GCE then ignore any port range, so 22 is open whatever the ports say. */
const ALL_PROTOCOLS = new Set(["-1", "all"]);
const TCP = new Set(["tcp", "6"]);

const portRangeHas22 = (from: unknown, to: unknown, protocol: unknown) =>
    ALL_PROTOCOLS.has(String(protocol).toLowerCase()) || (TCP.has(String(protocol).toLowerCase()) && Number(from ?? 0) <= 22 && Number(to ?? 65535) >= 22);

/** A GCE firewall `allow` that opens 22: all protocols, TCP without ports (every port), or a port or range that includes it. */
const gceAllowHas22 = (allow: Props) => {
    const protocol = String(allow.protocol).toLowerCase();
    if (ALL_PROTOCOLS.has(protocol)) return true;
    if (!TCP.has(protocol)) return false;
    const ports = (allow.ports ?? []) as string[];
    return ports.length === 0 || ports.some((r) => { const [a, b = a] = String(r).split("-").map(Number); return a <= 22 && b >= 22; });
};

/** Resources that launch EC2 instances and can carry a key pair (`keyName`). */
const KEY_PAIR_TYPES = new Set([
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ec2/instance:Instance",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    "aws:ec2/launchConfiguration:LaunchConfiguration",
]);

const GCE_SSH_BLOCKED = (metadata: Props | undefined) => metadata?.["enable-oslogin"] === "true" && metadata?.["block-project-ssh-keys"] === "true";

export const noSshIntoNodes = policy(
    "no-ssh-into-nodes",
    "Nodes have no SSH path: no port 22 ingress, no key pairs, no node-group remote access, OS Login with project SSH keys blocked on GCE.",
    (type, p, report) => {
        const fix = "remove it; debug nodes with `kubectl debug node/...` instead";
        if (KEY_PAIR_TYPES.has(type) && p.keyName) report(`${type.split(":").pop()} sets keyName "${p.keyName}": ${fix}`);
        switch (type) {
            case "aws:ec2/securityGroup:SecurityGroup":
                for (const rule of (p.ingress ?? []) as Props[]) {
                    if (portRangeHas22(rule.fromPort, rule.toPort, rule.protocol)) report(`security group ingress allows port 22 (${rule.protocol} ${rule.fromPort}-${rule.toPort}): ${fix}`);
                }
                break;
            case "aws:ec2/securityGroupRule:SecurityGroupRule":
                if (p.type === "ingress" && portRangeHas22(p.fromPort, p.toPort, p.protocol)) report(`security group rule allows port 22: ${fix}`);
                break;
            case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
                if (portRangeHas22(p.fromPort, p.toPort, p.ipProtocol)) report(`security group ingress rule allows port 22: ${fix}`);
                break;
            case "aws:ec2/keyPair:KeyPair":
                report(`an EC2 key pair opens SSH into nodes: ${fix}`);
                break;
            case "aws:eks/nodeGroup:NodeGroup":
                if (p.remoteAccess) report(`node group remoteAccess enables SSH: ${fix}`);
                break;
            case "gcp:compute/firewall:Firewall":
                // Egress rules do not reach the nodes; ingress is the default direction.
                if (String(p.direction ?? "INGRESS").toUpperCase() !== "INGRESS") break;
                for (const allow of (p.allows ?? []) as Props[]) {
                    if (gceAllowHas22(allow)) report(`firewall allows port 22 (${allow.protocol}${allow.ports ? ` ${(allow.ports as string[]).join(",")}` : ", every port"}): ${fix}`);
                }
                break;
            case "gcp:container/nodePool:NodePool":
                if (!GCE_SSH_BLOCKED(p.nodeConfig?.metadata)) report('node pool nodes must set metadata "enable-oslogin": "true" and "block-project-ssh-keys": "true"');
                break;
            case "gcp:compute/instance:Instance":
                if (!GCE_SSH_BLOCKED(p.metadata)) report('instance must set metadata "enable-oslogin": "true" and "block-project-ssh-keys": "true"');
                break;
        }
    },
);

export const noPublicClusterEndpoint = policy(
    "no-public-cluster-endpoint",
    "A cluster's API endpoint is private, or public only for an explicit allow-list that is not the whole internet.",
    (type, p, report) => {
        if (type === "aws:eks/cluster:Cluster" && p.vpcConfig?.endpointPublicAccess) {
            const cidrs = (p.vpcConfig.publicAccessCidrs ?? []) as string[];
            if (cidrs.length === 0 || cidrs.includes("0.0.0.0/0")) {
                report("public EKS endpoint without an allow-list: set publicAccessCidrs to your office/VPN networks (never 0.0.0.0/0), or endpointPublicAccess: false");
            }
        }
        if (type === "gcp:container/cluster:Cluster") {
            const privateEndpoint = p.privateClusterConfig?.enablePrivateEndpoint === true;
            const cidrs = ((p.masterAuthorizedNetworksConfig?.cidrBlocks ?? []) as Props[]).map((c) => c.cidrBlock as string);
            if (cidrs.includes("0.0.0.0/0") || (!privateEndpoint && cidrs.length === 0)) {
                report("public GKE control plane without an allow-list: list authorized networks (never 0.0.0.0/0) or set enablePrivateEndpoint: true");
            }
        }
    },
);

export const encryptionAtRest = policy(
    "encryption-at-rest",
    "Kubernetes Secrets, node volumes and disks are encrypted at rest with a key the platform controls or the cloud's default.",
    (type, p, report) => {
        if (type === "aws:eks/cluster:Cluster" && !((p.encryptionConfig?.resources ?? []) as string[]).includes("secrets")) {
            report('EKS Secrets are not envelope-encrypted: set encryptionConfig { provider: { keyArn }, resources: ["secrets"] }');
        }
        if (type === "aws:ec2/launchTemplate:LaunchTemplate") {
            for (const m of (p.blockDeviceMappings ?? []) as Props[]) {
                if (m.ebs && String(m.ebs.encrypted) !== "true") report(`volume ${m.deviceName ?? ""} is not encrypted: set ebs.encrypted: "true"`);
            }
        }
        if (type === "aws:ebs/volume:Volume" && p.encrypted !== true) report("EBS volume is not encrypted: set encrypted: true");
        if (type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration") {
            const algorithm = (p.rules as Props[] | undefined)?.[0]?.applyServerSideEncryptionByDefault?.sseAlgorithm;
            if (!algorithm) report("bucket encryption rule has no algorithm: set sseAlgorithm: aws:kms");
        }
        if (type === "gcp:container/cluster:Cluster" && p.databaseEncryption?.state !== "ENCRYPTED") {
            report('GKE Secrets are not encrypted with Cloud KMS: set databaseEncryption { state: "ENCRYPTED", keyName }');
        }
    },
);

const AWS_COST_TAGS = ["environment", "owner", "cost-center"];

export const requiredCostTags = policy(
    "required-cost-tags",
    "Every tagged cloud resource carries environment, owner and cost-center tags (labels on GCP).",
    (type, p, report) => {
        const tags: Props | undefined = type.startsWith("aws:") ? p.tags : type.startsWith("gcp:") ? (p.labels ?? p.resourceLabels) : undefined;
        if (tags === undefined) {
            // No tags at all on a type that takes them (per the provider SDK's declarations) is the worst case, not a pass.
            const arg = TAGGABLE_TYPES[type];
            if (arg) report(`no ${arg} at all: pass CostTags to the component so ${arg} carries ${AWS_COST_TAGS.join(", ")}`);
            return;
        }
        const missing = AWS_COST_TAGS.filter((t) => !tags?.[t]);
        if (missing.length > 0) report(`missing cost tags ${missing.join(", ")}: pass CostTags to the component (paved:environment, paved:owner, paved:costCenter)`);
    },
);

export const imdsv2Required = policy(
    "imdsv2-required",
    "EC2 instances and launch templates require IMDSv2 (session tokens), which blocks SSRF credential theft.",
    (type, p, report) => {
        if ((type === "aws:ec2/launchTemplate:LaunchTemplate" || type === "aws:ec2/instance:Instance") && p.metadataOptions?.httpTokens !== "required") {
            report('IMDSv1 is allowed: set metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 }');
        }
    },
);

const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet", "ReplicationController", "Rollout"];
const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential)/i;

/** The containers of a Kubernetes workload (or Argo Rollout), wherever its kind keeps them. */
function containersOf(type: string, p: Props): Props[] {
    const kind = type.split(":").pop() ?? "";
    if (!WORKLOAD_KINDS.includes(kind)) return [];
    const pod: Props | undefined = kind === "Pod" ? p.spec : kind === "CronJob" ? p.spec?.jobTemplate?.spec?.template?.spec : p.spec?.template?.spec;
    return [...((pod?.containers ?? []) as Props[]), ...((pod?.initContainers ?? []) as Props[])];
}

export const noPlaintextSecrets = policy(
    "no-plaintext-secrets-in-workloads",
    "No secret-like value is written into a workload's env or a ConfigMap: reference a Secret (synced from Vault) instead.",
    (type, p, report) => {
        for (const c of containersOf(type, p)) {
            for (const env of (c.env ?? []) as Props[]) {
                if (SECRET_NAME.test(env.name ?? "") && typeof env.value === "string" && env.value !== "") {
                    report(`container "${c.name}" sets ${env.name} in plaintext: use valueFrom.secretKeyRef to a Secret synced from Vault`);
                }
            }
        }
        if (type === "kubernetes:core/v1:ConfigMap") {
            for (const key of Object.keys(p.data ?? {})) {
                if (SECRET_NAME.test(key)) report(`ConfigMap key "${key}" looks like a secret: put it in Vault and sync it as a Secret`);
            }
        }
    },
);

export const noLatestImages = policy(
    "no-latest-images",
    "Container images carry an explicit tag or digest, never `latest` or none, so what runs is what was reviewed.",
    (type, p, report) => {
        for (const c of containersOf(type, p)) {
            const image = String(c.image ?? "");
            const lastSegment = image.split("/").pop() ?? "";
            if (!image.includes("@sha256:") && (!lastSegment.includes(":") || lastSegment.endsWith(":latest"))) {
                report(`container "${c.name}" uses image "${image}" without a pinned tag: use an explicit version or digest, e.g. "${image.replace(/:latest$/, "")}:1.4.2"`);
            }
        }
    },
);

export const spotForNonProdPools = policy(
    "spot-for-non-prod-pools",
    "Outside production, application node pools run on spot capacity; on-demand is for the system pool and spot fallbacks.",
    (type, p, report, args) => {
        if (args.getConfig<PavedPolicyConfig>().production) return;
        const fix = "use EksSpotNodePool / GkeSpotNodePool (paved:nodePools), or label the pool as the system pool";
        if (type === "aws:eks/nodeGroup:NodeGroup" && (p.capacityType ?? "ON_DEMAND") === "ON_DEMAND") {
            const role = p.labels?.["paved.io/pool"] === "system" || p.labels?.["paved.io/capacity"] === "on-demand";
            if (!role) report(`on-demand node group outside production: ${fix}`);
        }
        if (type === "gcp:container/nodePool:NodePool" && p.nodeConfig?.spot !== true) {
            const role = p.nodeConfig?.labels?.["paved.io/pool"] === "system" || p.nodeConfig?.labels?.["paved.io/capacity"] === "on-demand";
            if (!role) report(`on-demand node pool outside production: ${fix}`);
        }
    },
);

/** SSM resources that patch running instances in place (AWS-RunPatchBaseline and its baselines and groups). */
const PATCH_TYPES = new Set(["aws:ssm/patchBaseline:PatchBaseline", "aws:ssm/patchGroup:PatchGroup"]);
const RUNS_PATCH_BASELINE = (p: Props) => /AWS-RunPatchBaseline/i.test(`${p.name ?? ""} ${p.taskArn ?? ""}`);

export const nodesReplacedNotPatched = policy(
    "nodes-replaced-not-patched",
    "We don't patch servers; we replace them: no SSM patching, and in production every EKS node group pins its AMI release, so a new one rolls the nodes.",
    (type, p, report, args) => {
        const replace = "nodes get fixes by replacement: pin a newer releaseVersion (or follow AWS's recommended one) and let the node group roll";
        if (PATCH_TYPES.has(type)) report(`${type.split(":").pop()} patches instances in place: remove it; ${replace}`);
        if ((type === "aws:ssm/association:Association" || type === "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask") && RUNS_PATCH_BASELINE(p)) {
            report(`${type.split(":").pop()} runs AWS-RunPatchBaseline on instances: remove it; ${replace}`);
        }
        if (type === "aws:eks/nodeGroup:NodeGroup" && args.getConfig<PavedPolicyConfig>().production && !p.releaseVersion) {
            report(
                "node group without a pinned releaseVersion in production: its nodes keep the AMI they were born with and never get security fixes; " +
                    "set version to the cluster's and releaseVersion to an EKS AMI release, e.g. releaseVersion: \"1.33.0-20250704\" " +
                    "(EksCluster and EksSpotNodePool pin AWS's recommended one; paved:cluster.releaseVersion holds it back)",
            );
        }
    },
);

/** Every platform policy, as CrossGuard resource policies; each `name` is what the pack reports and its config names. */
export const PLATFORM_POLICIES: readonly ResourceValidationPolicy[] = [
    noSshIntoNodes,
    noPublicClusterEndpoint,
    encryptionAtRest,
    requiredCostTags,
    imdsv2Required,
    noPlaintextSecrets,
    noLatestImages,
    spotForNonProdPools,
    nodesReplacedNotPatched,
];
