import { CloudRules, DescribeSecurityGroupRulesPage, Ec2SecurityGroupRule, GceFirewall, GceFirewallListPage, lastSegment } from "./cloud-rules";

/**
 * An in-memory cloud for tests and rehearsals — clearly not AWS or GCP. It is loaded from
 * responses recorded in the APIs' own shapes (DescribeSecurityGroupRules pages, firewalls.list
 * pages), answers with the APIs' filter semantics (`group-id`, the firewall's `network`), and
 * records every revoke and delete so tests can prove what was never touched.
 */
export class MemoryCloudRules implements CloudRules {
    rules: Ec2SecurityGroupRule[];
    firewalls: GceFirewall[];
    readonly revoked: string[] = [];
    readonly deleted: string[] = [];

    constructor(recorded: { securityGroupRules?: readonly DescribeSecurityGroupRulesPage[]; firewalls?: readonly GceFirewallListPage[] } = {}) {
        this.rules = (recorded.securityGroupRules ?? []).flatMap((page) => [...page.SecurityGroupRules]);
        this.firewalls = (recorded.firewalls ?? []).flatMap((page) => [...(page.items ?? [])]);
    }

    listSecurityGroupRules(_region: string, groupIds: readonly string[]): Promise<Ec2SecurityGroupRule[]> {
        return Promise.resolve(this.rules.filter((r) => groupIds.includes(r.GroupId)));
    }

    revokeSecurityGroupRule(_region: string, rule: Ec2SecurityGroupRule): Promise<void> {
        const before = this.rules.length;
        this.rules = this.rules.filter((r) => r.SecurityGroupRuleId !== rule.SecurityGroupRuleId);
        // The API answers InvalidSecurityGroupRuleId.NotFound for a rule that is not there.
        if (this.rules.length === before) return Promise.reject(new Error(`InvalidSecurityGroupRuleId.NotFound: ${rule.SecurityGroupRuleId}`));
        this.revoked.push(rule.SecurityGroupRuleId);
        return Promise.resolve();
    }

    listFirewalls(project: string, network: string): Promise<GceFirewall[]> {
        return Promise.resolve(this.firewalls.filter((f) => f.network.includes(`/projects/${project}/`) && lastSegment(f.network) === network));
    }

    deleteFirewall(_project: string, name: string): Promise<void> {
        const before = this.firewalls.length;
        this.firewalls = this.firewalls.filter((f) => f.name !== name);
        if (this.firewalls.length === before) return Promise.reject(new Error(`404 notFound: firewall ${name}`));
        this.deleted.push(name);
        return Promise.resolve();
    }
}
