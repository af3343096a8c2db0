import { InlineRule, PlatformFirewalls } from "../../components/cluster/security-groups";
import { Ec2SecurityGroupRule, GceFirewall, GceFirewallPorts } from "./cloud-rules";
import { MemoryCloudRules } from "./cloud-rules-memory";
import { DriftFinding } from "./port";

/*
 * An in-memory world for the drift protocol — clearly not a cloud. It keeps, per stack, the
 * firewalls as last deployed (the state) and, in a MemoryCloudRules, what the cloud has now. A
 * "console" changes the cloud; `findings` is what a refresh preview would report, in the shape the
 * real driver maps from the engine's resOutputsEvent (automation/driver/engine-drift.ts): per changed
 * element `ingress[<i>]` / `allows[<i>]` with the deployed and live element, and for a resource gone
 * from the cloud property `id`, kind `deleted`. `apply` is what an `up` does to the cloud: inline
 * security group rules are authoritative (the group ends with exactly the declared rules), declared
 * firewalls are created or put back; firewalls no stack declares are left alone (a refresh never sees
 * them: that is the unmanaged check's job).
 */

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const FIREWALL = "gcp:compute/firewall:Firewall";

/** A stack's firewalls as deployed: its `firewalls` output, with each resource's URN. */
export interface DeployedFirewalls {
    readonly scope: PlatformFirewalls;
    /** URN per security group id (AWS) or firewall name (GCP). */
    readonly urns: Readonly<Record<string, string>>;
    /** GCP: each declared firewall as deployed (the API's shape). */
    readonly firewalls?: readonly GceFirewall[];
}

export interface WorldData {
    readonly deployed: Record<string, DeployedFirewalls>;
    readonly securityGroupRules: Ec2SecurityGroupRule[];
    readonly gceFirewalls: GceFirewall[];
    readonly nextId: number;
}

const withoutDescription = ({ description: _, ...rule }: InlineRule) => rule;
const key = (rule: InlineRule) => JSON.stringify(withoutDescription(rule));

/** One inline rule per source, as EC2 stores rules (and as the provider reads them back one by one). */
export function perSource(groupId: string, rule: InlineRule): InlineRule[] {
    const base = { protocol: rule.protocol, fromPort: rule.protocol === "-1" ? 0 : rule.fromPort, toPort: rule.protocol === "-1" ? 0 : rule.toPort, description: rule.description };
    return [
        ...(rule.cidrBlocks ?? []).map((c) => ({ ...base, cidrBlocks: [c] })),
        ...(rule.securityGroups ?? []).map((g) => (g === groupId ? { ...base, self: true } : { ...base, securityGroups: [g] })),
        ...(rule.self ? [{ ...base, self: true }] : []),
    ];
}

/** The provider's inline view of one EC2 rule. */
function inlineOf(rule: Ec2SecurityGroupRule): InlineRule {
    const all = rule.IpProtocol === "-1";
    const base = { protocol: rule.IpProtocol, fromPort: all ? 0 : rule.FromPort ?? 0, toPort: all ? 0 : rule.ToPort ?? 0, description: rule.Description || undefined };
    const ref = rule.ReferencedGroupInfo?.GroupId;
    if (ref === rule.GroupId) return { ...base, self: true };
    return ref ? { ...base, securityGroups: [ref] } : { ...base, cidrBlocks: [rule.CidrIpv4 ?? rule.CidrIpv6 ?? ""] };
}

const pulumiPorts = (p: GceFirewallPorts) => ({ protocol: p.IPProtocol, ...(p.ports ? { ports: [...p.ports] } : {}) });

/** A GCE firewall's properties as the provider reads them (`allows`, `denies`, ...). */
function firewallProps(f: GceFirewall): Record<string, unknown> {
    return {
        priority: f.priority,
        direction: f.direction,
        sourceRanges: f.sourceRanges ?? [],
        allows: (f.allowed ?? []).map(pulumiPorts),
        denies: (f.denied ?? []).map(pulumiPorts),
        disabled: f.disabled ?? false,
    };
}

/**
 * Element-wise differences of two lists, as a detailed diff names them: `<property>[<i>]`, each side
 * shown only where it is not somewhere in the other list (so a reordering is no drift).
 */
function listFindings(urn: string, type: string, property: string, deployed: readonly unknown[], live: readonly unknown[]): DriftFinding[] {
    const deployedKeys = deployed.map((d) => JSON.stringify(d));
    const liveKeys = live.map((l) => JSON.stringify(l));
    return Array.from({ length: Math.max(deployed.length, live.length) }, (_, i) => i).flatMap((i) => {
        const was = i < deployed.length && !liveKeys.includes(deployedKeys[i]) ? deployed[i] : undefined;
        const now = i < live.length && !deployedKeys.includes(liveKeys[i]) ? live[i] : undefined;
        return was === undefined && now === undefined ? [] : [{ urn, type, property: `${property}[${i}]`, deployed: was, live: now, kind: "changed" as const }];
    });
}

export class FirewallWorld {
    readonly cloud: MemoryCloudRules;
    private readonly deployed: Record<string, DeployedFirewalls>;
    private nextId: number;

    constructor(data: WorldData) {
        this.deployed = data.deployed;
        this.cloud = new MemoryCloudRules();
        this.cloud.rules = data.securityGroupRules;
        this.cloud.firewalls = data.gceFirewalls;
        this.nextId = data.nextId;
    }

    /** A world where the cloud has exactly what each stack deployed. */
    static deployedAs(deployed: Record<string, DeployedFirewalls>): FirewallWorld {
        const world = new FirewallWorld({ deployed, securityGroupRules: [], gceFirewalls: [], nextId: 1 });
        for (const stack of Object.keys(deployed)) world.apply(stack);
        return world;
    }

    toJSON(): WorldData {
        return { deployed: this.deployed, securityGroupRules: this.cloud.rules, gceFirewalls: this.cloud.firewalls, nextId: this.nextId };
    }

    /** The stack's outputs as its last update exported them (the firewall scope). */
    outputs(stack: string): Record<string, unknown> {
        const d = this.deployed[stack];
        return d ? { firewalls: d.scope } : {};
    }

    /** What a refresh preview of the stack reports. */
    findings(stack: string): DriftFinding[] {
        const d = this.deployed[stack];
        if (!d) return [];
        if (d.scope.cloud === "aws") {
            return d.scope.groups.flatMap((g) => {
                const urn = d.urns[g.id];
                const live = this.cloud.rules.filter((r) => r.GroupId === g.id);
                return (["ingress", "egress"] as const).flatMap((direction) => listFindings(
                    urn, SECURITY_GROUP, direction,
                    g[direction].flatMap((r) => perSource(g.id, r)).map(withoutDescription),
                    live.filter((r) => r.IsEgress === (direction === "egress")).map(inlineOf).map(withoutDescription),
                ));
            });
        }
        return (d.firewalls ?? []).flatMap((declared) => {
            const urn = d.urns[declared.name];
            const live = this.cloud.firewalls.find((f) => f.name === declared.name);
            if (!live) return [{ urn, type: FIREWALL, property: "id", deployed: `projects/${d.scope.cloud === "gcp" ? d.scope.project : ""}/global/firewalls/${declared.name}`, live: undefined, kind: "deleted" as const }];
            const [was, now] = [firewallProps(declared), firewallProps(live)];
            return Object.keys(was).flatMap((property) => {
                if (JSON.stringify(was[property]) === JSON.stringify(now[property])) return [];
                if (Array.isArray(was[property])) return listFindings(urn, FIREWALL, property, was[property] as unknown[], now[property] as unknown[]);
                return [{ urn, type: FIREWALL, property, deployed: was[property], live: now[property], kind: "changed" as const }];
            });
        });
    }

    /** What `pulumi up` does to the cloud: every declared rule and firewall exactly as in Git. */
    apply(stack: string): void {
        const d = this.deployed[stack];
        if (!d) return;
        if (d.scope.cloud === "aws") {
            for (const g of d.scope.groups) {
                for (const direction of ["ingress", "egress"] as const) {
                    const wanted = g[direction].flatMap((r) => perSource(g.id, r));
                    const wantedKeys = wanted.map(key);
                    const isThis = (r: Ec2SecurityGroupRule) => r.GroupId === g.id && r.IsEgress === (direction === "egress");
                    this.cloud.rules = this.cloud.rules.filter((r) => !isThis(r) || wantedKeys.includes(key(inlineOf(r))));
                    const have = this.cloud.rules.filter(isThis).map((r) => key(inlineOf(r)));
                    for (const rule of wanted.filter((w) => !have.includes(key(w)))) this.cloud.rules.push(this.ec2Rule(g.id, direction === "egress", rule));
                }
            }
            return;
        }
        for (const declared of d.firewalls ?? []) {
            const live = this.cloud.firewalls.find((f) => f.name === declared.name);
            if (live && JSON.stringify(firewallProps(live)) === JSON.stringify(firewallProps(declared))) continue;
            this.cloud.firewalls = [...this.cloud.firewalls.filter((f) => f.name !== declared.name), { ...declared, id: String(this.nextId++) }];
        }
    }

    /** An EC2 rule as AuthorizeSecurityGroupIngress would create it. */
    ec2Rule(groupId: string, egress: boolean, rule: InlineRule): Ec2SecurityGroupRule {
        const all = rule.protocol === "-1";
        return {
            SecurityGroupRuleId: `sgr-${String(this.nextId++).padStart(17, "0")}`,
            GroupId: groupId,
            GroupOwnerId: "123456789012",
            IsEgress: egress,
            IpProtocol: rule.protocol,
            FromPort: all ? -1 : rule.fromPort,
            ToPort: all ? -1 : rule.toPort,
            ...(rule.self ? { ReferencedGroupInfo: { GroupId: groupId } } : rule.securityGroups ? { ReferencedGroupInfo: { GroupId: rule.securityGroups[0] } } : { CidrIpv4: rule.cidrBlocks?.[0] }),
            Description: rule.description ?? "",
        };
    }
}

/** A recorded resource, as far as the world needs it (automation/offline/recorder.ts). */
interface Recorded {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

const apiPorts = (p: { protocol: string; ports?: string[] }): GceFirewallPorts => ({ IPProtocol: p.protocol, ...(p.ports ? { ports: p.ports } : {}) });

/**
 * A stack's deployed firewalls from its evaluation (offline, under mocks): the `firewalls` output
 * it exports, each group's or firewall's URN, and for GCP each firewall in the API's shape.
 */
export function deployedFirewalls(evaluation: { readonly resources: readonly Recorded[]; readonly outputs: Record<string, unknown> }): DeployedFirewalls {
    const scope = evaluation.outputs.firewalls as PlatformFirewalls;
    if (scope.cloud === "aws") {
        const groups = evaluation.resources.filter((r) => r.type === SECURITY_GROUP);
        // The physical name is the resource name plus a random suffix (auto-naming).
        const urns = Object.fromEntries(scope.groups.map((g) => [g.id, groups.find((r) => g.name.startsWith(r.name))!.urn]));
        return { scope, urns };
    }
    const declared = evaluation.resources.filter((r) => r.type === FIREWALL && scope.firewalls.includes(r.inputs.name as string));
    const firewalls = declared.map((r): GceFirewall => {
        const i = r.inputs as { name: string; description?: string; priority: number; direction: "INGRESS" | "EGRESS"; sourceRanges?: string[]; allows?: { protocol: string; ports?: string[] }[]; denies?: { protocol: string; ports?: string[] }[] };
        return {
            kind: "compute#firewall",
            id: "0",
            name: i.name,
            description: i.description,
            network: `https://www.googleapis.com/compute/v1/projects/${scope.project}/global/networks/${scope.network}`,
            priority: i.priority,
            direction: i.direction,
            sourceRanges: i.sourceRanges,
            ...(i.allows ? { allowed: i.allows.map(apiPorts) } : {}),
            ...(i.denies ? { denied: i.denies.map(apiPorts) } : {}),
            disabled: false,
        };
    });
    return { scope, urns: Object.fromEntries(declared.map((r) => [r.inputs.name as string, r.urn])), firewalls };
}
