import type * as ec2 from "@pulumi/aws/ec2";
import type * as inputs from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../cloud-sdk";

/*
 * The platform's firewalls, owned authoritatively so that a console edit is drift.
 *
 * AWS: every rule is declared INLINE on aws.ec2.SecurityGroup (`ingress`/`egress`), never as
 * aws.ec2.SecurityGroupRule or aws.vpc.SecurityGroup{In,E}gressRule resources. Evidence:
 * - @pulumi/aws 7.48 ec2/securityGroup.d.ts: `ingress`/`egress` are "processed in
 *   attribute-as-blocks mode", and must not be mixed with the separate rule resources ("rule
 *   conflicts, perpetual differences, ... rules being overwritten").
 * - terraform-provider-aws internal/service/ec2/vpc_security_group.go: resourceSecurityGroupRead
 *   gathers ALL of the group's IpPermissions (securityGroupIPPermGather) and matchRules writes
 *   remote rules that match no local rule into state too ("If no match is found, we'll write the
 *   remote rule to state"); updateSecurityGroupRules revokes old-minus-new and authorizes
 *   new-minus-old. So a rule added, changed or removed in the console appears in a refresh's diff
 *   of `ingress`, and the next `up` revokes or restores it.
 * - A separate rule resource only reads its own rule back: a rule added beside it is in no state
 *   and invisible to refresh. That case (and rules in groups the platform owns but outside its
 *   declared set) is what `paved drift`'s unmanaged check lists through DescribeSecurityGroupRules.
 * The two groups reference each other in one direction only (nodes admit the cluster group; the
 * cluster group admits the VPC's range), because inline references both ways would be a cycle.
 * No rule opens port 22: node-to-node TCP is declared as 0-21 and 23-65535.
 *
 * GCP: GCE firewall rules are one resource each, so each is authoritative for itself (a change or
 * deletion is refresh drift); rules added beside them are listed by firewalls.list in the unmanaged
 * check. Priorities: a high-priority SSH deny, the allows, and a lowest-priority deny-all baseline.
 */

type Ingress = inputs.ec2.SecurityGroupIngress;
type Egress = inputs.ec2.SecurityGroupEgress;

/** Ports the control plane opens on nodes: 443 for webhooks, 1025-65535 for the kubelet (10250) and extension API servers (EKS security group requirements). */
export function nodeIngressRules(clusterSecurityGroupId: pulumi.Input<string>, vpcCidrs: pulumi.Input<string[]>): Ingress[] {
    const self = (protocol: string, fromPort: number, toPort: number, description: string): Ingress => ({ protocol, fromPort, toPort, self: true, description });
    return [
        { protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [clusterSecurityGroupId], description: "control plane to webhooks" },
        { protocol: "tcp", fromPort: 1025, toPort: 65535, securityGroups: [clusterSecurityGroupId], description: "control plane to kubelet and extension API servers" },
        self("tcp", 0, 21, "node to node, TCP below SSH"),
        self("tcp", 23, 65535, "node to node, TCP above SSH"),
        self("udp", 0, 65535, "node to node, UDP (DNS, overlay)"),
        self("icmp", -1, -1, "node to node, ICMP (path MTU discovery)"),
        { protocol: "tcp", fromPort: 30000, toPort: 32767, cidrBlocks: vpcCidrs, description: "load balancers in the VPC to NodePorts" },
    ];
}

/** Nodes reach image registries and AWS APIs through NAT. */
export const NODE_EGRESS: Egress[] = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "nodes to registries and AWS APIs" }];

export const clusterIngressRules = (vpcCidrs: pulumi.Input<string[]>): Ingress[] => [
    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: vpcCidrs, description: "nodes and pods to the API server" },
];
export const clusterEgressRules = (vpcCidrs: pulumi.Input<string[]>): Egress[] => [
    { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: vpcCidrs, description: "control plane to nodes and pods" },
];

export interface PlatformSecurityGroups {
    readonly cluster: ec2.SecurityGroup;
    readonly nodes: ec2.SecurityGroup;
}

/** The cluster and node security groups, every rule inline; `vpcCidrs`: every IPv4 range of the VPC. */
export function platformSecurityGroups(
    name: string,
    args: { readonly vpcId: pulumi.Input<string>; readonly vpcCidrs: pulumi.Input<string[]>; readonly tags: Record<string, string> },
    opts: pulumi.CustomResourceOptions,
): PlatformSecurityGroups {
    const aws = awsSdk(); // GkeCluster imports this module for its firewall specs: GCP-only teams have no @pulumi/aws
    const cluster = new aws.ec2.SecurityGroup(`${name}-cluster-sg`, {
        description: `EKS control plane of ${name}: every rule declared by paved-road`,
        vpcId: args.vpcId,
        ingress: clusterIngressRules(args.vpcCidrs),
        egress: clusterEgressRules(args.vpcCidrs),
        tags: { ...args.tags, Name: `${name}-cluster` },
    }, opts);
    const nodes = new aws.ec2.SecurityGroup(`${name}-nodes-sg`, {
        description: `EKS nodes of ${name}: every rule declared by paved-road, no SSH`,
        vpcId: args.vpcId,
        ingress: nodeIngressRules(cluster.id, args.vpcCidrs),
        egress: NODE_EGRESS,
        tags: { ...args.tags, Name: `${name}-nodes` },
    }, opts);
    return { cluster, nodes };
}

/** One GCE firewall rule as the platform declares it. */
export interface GceFirewallSpec {
    /** Suffix of the rule's name (`<network>-<suffix>`). */
    readonly suffix: string;
    readonly description: string;
    readonly priority: number;
    readonly direction: "INGRESS" | "EGRESS";
    readonly sourceRanges?: string[];
    readonly destinationRanges?: string[];
    readonly allows?: { protocol: string; ports?: string[] }[];
    readonly denies?: { protocol: string; ports?: string[] }[];
}

/** The lowest priority GCE accepts for a user rule is 65535 (the implied rules); the baseline sits just above them. */
export const GCE_BASELINE_PRIORITY = 65534;

/**
 * The platform network's firewall. GCE applies the lowest priority number first: SSH is denied at
 * 100, ahead of every allow (GKE's own rules sit at 1000 too); the cluster's ranges are allowed at
 * 1000 (node to node without SSH, the control plane to nodes); a deny-all ingress baseline at 65534
 * makes "allowed" exactly what is declared, visibly (the implied deny at 65535 cannot be audited
 * or drift-checked, a declared rule can).
 */
export function gkeFirewallSpecs(ranges: { readonly nodeCidr: string; readonly podCidr: string; readonly masterCidr: string }): GceFirewallSpec[] {
    const internal = [ranges.nodeCidr, ranges.podCidr];
    return [
        { suffix: "deny-ssh", description: "No SSH into nodes from anywhere", priority: 100, direction: "INGRESS", sourceRanges: ["0.0.0.0/0"], denies: [{ protocol: "tcp", ports: ["22"] }] },
        {
            suffix: "allow-internal",
            description: "Nodes and pods to nodes and pods, without SSH",
            priority: 1000,
            direction: "INGRESS",
            sourceRanges: internal,
            allows: [{ protocol: "tcp", ports: ["0-21", "23-65535"] }, { protocol: "udp" }, { protocol: "icmp" }],
        },
        {
            suffix: "allow-control-plane",
            description: "Control plane to kubelet, webhooks and extension API servers",
            priority: 1000,
            direction: "INGRESS",
            sourceRanges: [ranges.masterCidr],
            allows: [{ protocol: "tcp", ports: ["443", "1025-65535"] }],
        },
        { suffix: "deny-all-ingress", description: "Baseline: deny every ingress not allowed above", priority: GCE_BASELINE_PRIORITY, direction: "INGRESS", sourceRanges: ["0.0.0.0/0"], denies: [{ protocol: "all" }] },
    ];
}

/** An inline security group rule as the provider reads it back (the SecurityGroup's `ingress`/`egress` outputs). */
export interface InlineRule {
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly cidrBlocks?: readonly string[];
    readonly ipv6CidrBlocks?: readonly string[];
    readonly prefixListIds?: readonly string[];
    readonly securityGroups?: readonly string[];
    readonly self?: boolean;
    readonly description?: string;
}

/**
 * The firewalls a regional stack owns, exported as its `firewalls` output: the scope in which
 * `paved drift` lists rules that are in no stack's state. AWS: the platform's security groups
 * with their rules as last deployed. GCP: the network and the names of the declared rules, plus
 * the name prefixes of rules GKE itself keeps there (never drift, never removed).
 */
export type PlatformFirewalls =
    | {
        readonly cloud: "aws";
        readonly region: string;
        readonly groups: readonly { readonly id: string; readonly name: string; readonly ingress: readonly InlineRule[]; readonly egress: readonly InlineRule[] }[];
    }
    | {
        readonly cloud: "gcp";
        readonly project: string;
        readonly network: string;
        readonly firewalls: readonly string[];
        readonly ownedBy: readonly { readonly prefix: string; readonly owner: string }[];
    };

/** Rules GKE creates on the cluster's network (gke-<cluster>-<hash>-...) and those its load balancer controller adds (k8s-...). */
export const gkeOwnedFirewallPrefixes = (clusterName: string): { prefix: string; owner: string }[] => [
    { prefix: `gke-${clusterName}-`, owner: "GKE (cluster firewall rules)" },
    { prefix: "k8s-", owner: "GKE's load balancer controller" },
];

/** On an existing network every rule the platform does not declare belongs to the network's owner (the empty prefix matches all). */
export const EXISTING_NETWORK_OWNER = { prefix: "", owner: "the existing network's owner (paved-road judges only its own rules there)" } as const;
