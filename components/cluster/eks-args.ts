import * as pulumi from "@pulumi/pulumi";
import { CostTags, validateCostTags } from "../tags";
import {
    Problems,
    checkCidr,
    checkKubernetesVersion,
    isIpv4Cidr,
    show,
} from "../validation";
import { checkAwsId, checkAwsIds } from "./network-ids";
import { checkReleaseVersion } from "./node-release";
import { MAX_ZONES } from "./subnets";
import { ResolvedSystemPool, SystemPoolArgs, definedOnly, systemPoolDefaults, validateSystemPool } from "./system-pool";

/** NAT gateways of a VPC the cluster creates: one per zone (production), or one shared. */
export type NatGatewayMode = "perZone" | "single";
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** A VPC the cluster joins instead of creating its own (bring your own network). */
export interface ExistingVpc {
    /** The VPC, e.g. "vpc-0a1b2c3d4e5f67890". Its CIDR ranges are read at deployment for the security group rules. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Private subnets for the control plane's network interfaces and the nodes: at least two, in two
     * or more Availability Zones (EKS refuses one zone). They need egress (NAT or VPC endpoints for
     * ECR, S3, EC2 and STS); tag them `kubernetes.io/role/internal-elb: "1"` for internal load balancers.
     */
    readonly privateSubnetIds: readonly pulumi.Input<string>[];
    /**
     * Public subnets for internet-facing load balancers (tag them `kubernetes.io/role/elb: "1"`).
     * @default none
     */
    readonly publicSubnetIds?: readonly pulumi.Input<string>[];
}

/** The keys that shape a VPC the cluster creates: meaningless with an existing one. */
export const MANAGED_VPC_KEYS = ["vpcCidr", "availabilityZoneCount", "natGateways"] as const;

/** Arguments of EksCluster: cost tags, the Kubernetes version, the network (its own VPC or an existing one), the endpoint's exposure and the system pool. */
export interface EksClusterArgs {
    /** Cost and ownership tags put on every taggable resource. */
    readonly tags: CostTags;
    /** Kubernetes minor version, e.g. "1.33". */
    readonly kubernetesVersion: string;
    /**
     * Production changes defaults: NAT gateway per zone, deletion protection, extended support,
     * a bigger system pool and longer log retention.
     * @default false
     */
    readonly production?: boolean;
    /**
     * The cluster's name in AWS (also names its log group, so it is fixed, not auto-named).
     * @default the component's name
     */
    readonly clusterName?: string;
    /**
     * An existing VPC and subnets to use: then no VPC, subnet, gateway or route is created, and
     * `vpcCidr`, `availabilityZoneCount` and `natGateways` must not be set.
     * @default none: the cluster gets its own VPC
     */
    readonly network?: ExistingVpc;
    /**
     * VPC address range; a /16 to /20.
     * @default "10.0.0.0/16"
     */
    readonly vpcCidr?: string;
    /**
     * How many availability zones to spread subnets and nodes over (the region's first N).
     * @default 3
     */
    readonly availabilityZoneCount?: number;
    /**
     * NAT gateways: one per zone (a zone outage keeps egress in the others) or one shared (cheaper).
     * @default "perZone" in production, "single" otherwise
     */
    readonly natGateways?: NatGatewayMode;
    /**
     * Open the API server's public endpoint. Needs `publicAccessCidrs`.
     * @default false: the API server is reachable only from inside the VPC
     */
    readonly publicEndpoint?: boolean;
    /**
     * Source networks allowed to reach the public endpoint; never 0.0.0.0/0.
     * @default none
     */
    readonly publicAccessCidrs?: readonly string[];
    /**
     * IAM role ARNs granted cluster-admin through EKS access entries.
     * @default none besides the identity that creates the cluster
     */
    readonly adminRoleArns?: readonly pulumi.Input<string>[];
    /**
     * Give the identity that runs Pulumi cluster-admin, so the same run can install add-ons.
     * Turn off once `adminRoleArns` covers the deployer.
     * @default true
     */
    readonly bootstrapCreatorAdmin?: boolean;
    /**
     * Days to keep control-plane logs.
     * @default 90 in production, 30 otherwise
     */
    readonly logRetentionDays?: number;
    /**
     * The system node group: on demand around the clock in production, on spot with the schedule elsewhere.
     * @default sized by `production`, see `SystemPoolArgs`
     */
    readonly systemPool?: SystemPoolArgs;
    /**
     * The EKS-optimized AL2023 AMI release every node group runs, e.g. "1.33.0-20250704": pins it for a
     * team that must hold back. A new release rolls every node group (replacement, never a patch).
     * @default AWS's recommended release for `kubernetesVersion`, read from its public SSM parameter at each deployment
     */
    readonly releaseVersion?: string;
}

/** Arguments with every default applied. */
export type ResolvedEksClusterArgs = Required<Omit<EksClusterArgs, "systemPool" | "releaseVersion" | "network">> & {
    readonly systemPool: ResolvedSystemPool;
    /** Absent: the cluster creates its VPC. `alsoSet`: the managed-VPC keys given beside it (each a problem). */
    readonly network?: ExistingVpc & { readonly alsoSet: readonly (typeof MANAGED_VPC_KEYS)[number][] };
    /** Absent: AWS's recommended release for the Kubernetes version. */
    readonly releaseVersion?: string;
};

export function resolveEksClusterArgs(name: string, args: EksClusterArgs): ResolvedEksClusterArgs {
    const production = args.production ?? false;
    return {
        tags: args.tags,
        kubernetesVersion: args.kubernetesVersion,
        production,
        clusterName: args.clusterName ?? name,
        vpcCidr: args.vpcCidr ?? "10.0.0.0/16",
        availabilityZoneCount: args.availabilityZoneCount ?? 3,
        natGateways: args.natGateways ?? (production ? "perZone" : "single"),
        publicEndpoint: args.publicEndpoint ?? false,
        publicAccessCidrs: args.publicAccessCidrs ?? [],
        adminRoleArns: args.adminRoleArns ?? [],
        bootstrapCreatorAdmin: args.bootstrapCreatorAdmin ?? true,
        logRetentionDays: args.logRetentionDays ?? (production ? 90 : 30),
        systemPool: {
            ...systemPoolDefaults(production, ["m6i.large", "m6a.large", "m7i.large"]),
            ...definedOnly(args.systemPool ?? {}),
        },
        releaseVersion: args.releaseVersion,
        network: args.network && { ...args.network, alsoSet: MANAGED_VPC_KEYS.filter((k) => args[k] !== undefined) },
    };
}

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Every problem with EKS cluster arguments; pure, so stack config can report them before any resource exists. */
export function eksClusterProblems(args: ResolvedEksClusterArgs): Problems {
    const problems = new Problems();
    problems.addAll("", validateCostTags(args.tags).list);
    checkKubernetesVersion(problems, "kubernetesVersion", args.kubernetesVersion);
    checkReleaseVersion(problems, "releaseVersion", args.releaseVersion, args.kubernetesVersion);
    problems.check(
        /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(args.clusterName),
        "clusterName",
        `got ${show(args.clusterName)}: EKS names use letters, digits, "-" and "_" (at most 100), e.g. "paved-dev"`,
    );
    if (args.network) existingVpcProblems(problems, "network", args);
    else managedVpcProblems(problems, args);
    if (args.publicEndpoint) {
        problems.check(
            args.publicAccessCidrs.length > 0,
            "publicAccessCidrs",
            `got ${show(args.publicAccessCidrs)}: a public endpoint needs an allow-list of source networks, e.g. ["203.0.113.0/24"], or set publicEndpoint: false`,
        );
    } else {
        problems.check(
            args.publicAccessCidrs.length === 0,
            "publicAccessCidrs",
            `got ${show(args.publicAccessCidrs)} with publicEndpoint false: the allow-list would do nothing; set publicEndpoint: true or remove it`,
        );
    }
    args.publicAccessCidrs.forEach((cidr, i) => {
        checkCidr(problems, `publicAccessCidrs[${i}]`, cidr, "203.0.113.0/24");
        problems.check(
            cidr !== "0.0.0.0/0",
            `publicAccessCidrs[${i}]`,
            `got "0.0.0.0/0": that opens the API server to the internet; list your office or VPN networks, e.g. "203.0.113.0/24"`,
        );
    });
    problems.check(
        LOG_RETENTION_DAYS.includes(args.logRetentionDays),
        "logRetentionDays",
        `got ${show(args.logRetentionDays)}: CloudWatch accepts only ${LOG_RETENTION_DAYS.join(", ")}; e.g. 90`,
    );
    validateSystemPool(problems, "systemPool", args.systemPool, "aws", args.production);
    return problems;
}

/** The VPC the cluster creates: its range and how it is cut into zones. */
function managedVpcProblems(problems: Problems, args: ResolvedEksClusterArgs): void {
    checkCidr(problems, "vpcCidr", args.vpcCidr, "10.0.0.0/16");
    if (isIpv4Cidr(args.vpcCidr)) {
        const prefix = Number(args.vpcCidr.split("/")[1]);
        problems.check(
            prefix >= 16 && prefix <= 20,
            "vpcCidr",
            `got ${show(args.vpcCidr)}: the VPC must be a /16 to /20 so every zone gets room for pods, e.g. "10.0.0.0/16"`,
        );
    }
    problems.check(
        Number.isInteger(args.availabilityZoneCount) && args.availabilityZoneCount >= 2 && args.availabilityZoneCount <= MAX_ZONES,
        "availabilityZoneCount",
        `got ${show(args.availabilityZoneCount)}: EKS needs subnets in at least 2 zones; use 2 to ${MAX_ZONES}, e.g. 3`,
    );
    problems.check(
        args.natGateways === "perZone" || args.natGateways === "single",
        "natGateways",
        `got ${show(args.natGateways)}: use "perZone" or "single", e.g. "single" outside production`,
    );
}

/** An existing VPC: well-formed IDs, two or more private subnets, none listed twice or as both kinds. */
function existingVpcProblems(problems: Problems, path: string, args: ResolvedEksClusterArgs): void {
    const network = args.network!;
    for (const key of network.alsoSet) {
        problems.add(key, `got ${show(args[key])} together with ${path}: ${key} shapes a VPC the cluster creates, and with an existing VPC none is created; remove it, or remove ${path} to get a new VPC, e.g. ${path}: { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"] }`);
    }
    checkAwsId(problems, `${path}.vpcId`, "vpc", network.vpcId);
    checkAwsIds(problems, `${path}.privateSubnetIds`, "subnet", network.privateSubnetIds, 2, "EKS needs private subnets in at least two Availability Zones, so list two or more");
    if (network.publicSubnetIds !== undefined) checkAwsIds(problems, `${path}.publicSubnetIds`, "subnet", network.publicSubnetIds, 0, "");
    const both = (network.publicSubnetIds ?? []).filter((id) => typeof id === "string" && network.privateSubnetIds.includes(id));
    problems.check(
        both.length === 0,
        `${path}.publicSubnetIds`,
        `got ${show(both)} in both privateSubnetIds and publicSubnetIds: nodes belong in private subnets and internet-facing load balancers in public ones; list each subnet once, e.g. publicSubnetIds: ["subnet-0f1e2d3c4b5a69788"]`,
    );
}
