import { InlineRule, PlatformFirewalls } from "../../components/cluster/security-groups";
import { CloudRules, Ec2SecurityGroupRule, GceFirewall, GceFirewallPorts, lastSegment } from "../driver/cloud-rules";

/** A rule or firewall in the platform's scope that no stack's state declares. */
export type UnmanagedRule =
    | { readonly cloud: "aws"; readonly region: string; readonly rule: Ec2SecurityGroupRule; readonly text: string; readonly ownedBy?: undefined }
    | { readonly cloud: "gcp"; readonly project: string; readonly firewall: GceFirewall; readonly text: string; readonly ownedBy?: string };

/** EC2 answers protocol names or numbers; the provider keeps what was written. One spelling for both. */
const PROTOCOLS: Record<string, string> = { "-1": "-1", all: "-1", "6": "tcp", tcp: "tcp", "17": "udp", udp: "udp", "1": "icmp", icmp: "icmp", "58": "icmpv6", icmpv6: "icmpv6" };
const protocolOf = (p: string) => PROTOCOLS[p.toLowerCase()] ?? p.toLowerCase();

/** `tcp 22` / `tcp 0-21` / `all traffic` / `icmp all`: how a rule reads in a report. */
function portsText(protocol: string, from?: number, to?: number): string {
    const p = protocolOf(protocol);
    if (p === "-1") return "all traffic";
    if (from === undefined || from === -1) return `${p} all`;
    return from === to ? `${p} ${from}` : `${p} ${from}-${to}`;
}

/** A rule's identity, whichever side it comes from: direction, protocol, ports (not for all-traffic), one source. */
function fingerprint(egress: boolean, protocol: string, from: number | undefined, to: number | undefined, source: string): string {
    return `${egress ? "egress" : "ingress"} ${portsText(protocol, from, to)} ${source}`;
}

/** The EC2 rule's one source: a CIDR, a prefix list or a referenced group. */
const sourceOf = (r: Ec2SecurityGroupRule) => r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId ?? "?";

/** The declared inline rules of a group, one fingerprint per source, as EC2 stores them (one rule per source). */
export function declaredFingerprints(groupId: string, egress: boolean, rules: readonly InlineRule[]): Set<string> {
    return new Set(rules.flatMap((r) => {
        const sources = [
            ...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? []), ...(r.prefixListIds ?? []),
            // A group in another account is written `<account>/<group>`; EC2 reports the group alone.
            ...(r.securityGroups ?? []).map((g) => g.split("/").pop()!),
            ...(r.self ? [groupId] : []),
        ];
        return sources.map((s) => fingerprint(egress, r.protocol, r.fromPort, r.toPort, s));
    }));
}

const gcePorts = (p: GceFirewallPorts) => `${p.IPProtocol}${p.ports?.length ? `:${p.ports.join(",")}` : ""}`;

/** How a GCE firewall reads in a report. */
export function firewallText(f: GceFirewall): string {
    const action = f.allowed?.length ? `allow ${f.allowed.map(gcePorts).join(" ")}` : `deny ${(f.denied ?? []).map(gcePorts).join(" ")}`;
    const from = f.direction === "EGRESS" ? `to ${(f.destinationRanges ?? []).join(",")}` : `from ${(f.sourceRanges ?? f.sourceTags ?? []).join(",")}`;
    return `firewall ${f.name} on ${lastSegment(f.network)}: ${f.direction} ${action} ${from}, priority ${f.priority}`;
}

/**
 * Lists what is in the platform's firewall scope but in no stack's state: rules of the platform's
 * security groups that the deployed groups do not declare (DescribeSecurityGroupRules), firewalls
 * on the platform's network that no stack declares (firewalls.list). Rules of other groups are
 * never even looked at; GKE's own firewalls are listed as owned by GKE, never as drift.
 */
export async function findUnmanaged(scope: PlatformFirewalls, cloud: CloudRules): Promise<UnmanagedRule[]> {
    if (scope.cloud === "aws") {
        const groups = new Map(scope.groups.map((g) => [g.id, g]));
        const live = await cloud.listSecurityGroupRules(scope.region, [...groups.keys()]);
        return live.flatMap((rule): UnmanagedRule[] => {
            // The filter asks for these groups only; a rule of any other group is not the platform's to judge.
            const group = groups.get(rule.GroupId);
            if (!group) return [];
            const declared = declaredFingerprints(group.id, rule.IsEgress, rule.IsEgress ? group.egress : group.ingress);
            const print = fingerprint(rule.IsEgress, rule.IpProtocol, rule.FromPort, rule.ToPort, sourceOf(rule));
            if (declared.has(print)) return [];
            const text = `${rule.SecurityGroupRuleId} in ${group.name} (${group.id}): ${rule.IsEgress ? "egress" : "ingress"} ${portsText(rule.IpProtocol, rule.FromPort, rule.ToPort)} ${rule.IsEgress ? "to" : "from"} ${sourceOf(rule)}`;
            return [{ cloud: "aws", region: scope.region, rule, text }];
        });
    }
    const declared = new Set(scope.firewalls);
    const live = await cloud.listFirewalls(scope.project, scope.network);
    return live
        .filter((f) => lastSegment(f.network) === scope.network && !declared.has(f.name))
        .map((firewall) => ({
            cloud: "gcp" as const,
            project: scope.project,
            firewall,
            text: firewallText(firewall),
            ownedBy: scope.ownedBy.find((o) => firewall.name.startsWith(o.prefix))?.owner,
        }));
}

/** Removes one unmanaged rule: RevokeSecurityGroup{In,E}gress by rule id, or firewalls.delete. Never one GKE owns. */
export async function removeUnmanaged(rule: UnmanagedRule, cloud: CloudRules): Promise<void> {
    if (rule.ownedBy) throw new Error(`refusing to remove ${rule.text}: owned by ${rule.ownedBy}`);
    if (rule.cloud === "aws") await cloud.revokeSecurityGroupRule(rule.region, rule.rule);
    else await cloud.deleteFirewall(rule.project, rule.firewall.name);
}

/** The stack's firewall scope from its outputs, or undefined for a stack that owns none (global, preview). */
export function firewallScope(outputs: Record<string, unknown>): PlatformFirewalls | undefined {
    const f = outputs.firewalls as PlatformFirewalls | undefined;
    return f && (f.cloud === "aws" || f.cloud === "gcp") ? f : undefined;
}
