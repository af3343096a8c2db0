/**
 * The cloud-rules port: reads and removes firewall rules directly through the clouds' APIs, for
 * what a refresh cannot see — a rule or firewall that exists next to the platform's but is in no
 * stack's state. Separate from the stack driver (which only drives Pulumi). Shapes are the APIs'
 * own, so recorded responses can be replayed as they are:
 * - EC2 DescribeSecurityGroupRules (EC2 API Reference, "DescribeSecurityGroupRules" and
 *   "SecurityGroupRule"), as the AWS SDKs return it: PascalCase members, one rule per source.
 * - Compute Engine firewalls.list (REST v1, `GET /compute/v1/projects/{project}/global/firewalls`,
 *   response "FirewallList" of "Firewall" resources): `allowed[].IPProtocol`, `ports`, ...
 */

/** EC2 `SecurityGroupRule`: one rule, one source (CIDR, prefix list or referenced group). */
export interface Ec2SecurityGroupRule {
    readonly SecurityGroupRuleId: string;
    readonly GroupId: string;
    readonly GroupOwnerId?: string;
    readonly IsEgress: boolean;
    /** `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for all. */
    readonly IpProtocol: string;
    /** -1 for all protocols or all ICMP types. */
    readonly FromPort?: number;
    readonly ToPort?: number;
    readonly CidrIpv4?: string;
    readonly CidrIpv6?: string;
    readonly PrefixListId?: string;
    readonly ReferencedGroupInfo?: { readonly GroupId?: string; readonly UserId?: string };
    readonly Description?: string;
    readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
    readonly SecurityGroupRuleArn?: string;
}

/** EC2 `DescribeSecurityGroupRules` response: one page. */
export interface DescribeSecurityGroupRulesPage {
    readonly SecurityGroupRules: readonly Ec2SecurityGroupRule[];
    readonly NextToken?: string;
}

/** Compute Engine `Firewall.allowed[]` / `denied[]`. */
export interface GceFirewallPorts {
    readonly IPProtocol: string;
    readonly ports?: readonly string[];
}

/** Compute Engine `Firewall` (v1). */
export interface GceFirewall {
    readonly kind: "compute#firewall";
    readonly id: string;
    readonly creationTimestamp?: string;
    readonly name: string;
    readonly description?: string;
    /** URL of the network, e.g. `https://www.googleapis.com/compute/v1/projects/p/global/networks/n`. */
    readonly network: string;
    readonly priority: number;
    readonly direction: "INGRESS" | "EGRESS";
    readonly sourceRanges?: readonly string[];
    readonly destinationRanges?: readonly string[];
    readonly sourceTags?: readonly string[];
    readonly targetTags?: readonly string[];
    readonly allowed?: readonly GceFirewallPorts[];
    readonly denied?: readonly GceFirewallPorts[];
    readonly logConfig?: { readonly enable: boolean; readonly metadata?: string };
    readonly disabled?: boolean;
    readonly selfLink?: string;
}

/** Compute Engine `FirewallList`: one page of firewalls.list. */
export interface GceFirewallListPage {
    readonly kind: "compute#firewallList";
    readonly id?: string;
    readonly items?: readonly GceFirewall[];
    readonly nextPageToken?: string;
    readonly selfLink?: string;
}

export interface CloudRules {
    /** Every rule of these groups: DescribeSecurityGroupRules filtered by `group-id`, all pages. */
    listSecurityGroupRules(region: string, groupIds: readonly string[]): Promise<Ec2SecurityGroupRule[]>;
    /** RevokeSecurityGroupIngress (or Egress, by `IsEgress`) with the rule's `SecurityGroupRuleIds`. */
    revokeSecurityGroupRule(region: string, rule: Ec2SecurityGroupRule): Promise<void>;
    /** Every firewall of the project on this network (by name): firewalls.list, all pages. */
    listFirewalls(project: string, network: string): Promise<GceFirewall[]>;
    /** firewalls.delete. */
    deleteFirewall(project: string, name: string): Promise<void>;
}

/** The last path segment of a GCE resource URL (a network's name from its URL). */
export const lastSegment = (url: string): string => url.split("/").pop() ?? url;
