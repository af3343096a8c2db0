import { EC2Client, EC2ClientConfig, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand, paginateDescribeSecurityGroupRules } from "@aws-sdk/client-ec2";
import { GoogleAuth } from "google-auth-library";
import { CloudRules, Ec2SecurityGroupRule, GceFirewall, GceFirewallListPage } from "./cloud-rules";

const COMPUTE = "https://compute.googleapis.com/compute/v1";

/**
 * The real cloud-rules adapter: the AWS SDK's EC2 client and Compute Engine's REST API through
 * google-auth-library. Deliberately thin — no logic of its own beyond paging and waiting — because
 * it cannot be exercised on these build machines (no cloud, no credentials): everything that decides
 * (what is unmanaged, what may be removed) lives in runner/unmanaged-rules.ts and is tested against
 * recorded API responses through the in-memory adapter. Credentials are the ambient ones: the AWS
 * SDK's default chain (OIDC web identity in CI), Google's application default credentials
 * (workload identity federation in CI). Both clients retry throttling and transient errors themselves.
 */
export class SdkCloudRules implements CloudRules {
    private readonly ec2 = new Map<string, EC2Client>();
    private google?: GoogleAuth;

    /** @param ec2Config extra EC2 client settings (tests hand in a request handler that replays recorded responses) */
    constructor(private readonly ec2Config: Partial<EC2ClientConfig> = {}) {}

    private client(region: string): EC2Client {
        let c = this.ec2.get(region);
        if (!c) this.ec2.set(region, (c = new EC2Client({ region, maxAttempts: 5, ...this.ec2Config })));
        return c;
    }

    async listSecurityGroupRules(region: string, groupIds: readonly string[]): Promise<Ec2SecurityGroupRule[]> {
        const rules: Ec2SecurityGroupRule[] = [];
        const pages = paginateDescribeSecurityGroupRules({ client: this.client(region) }, { Filters: [{ Name: "group-id", Values: [...groupIds] }] });
        for await (const page of pages) {
            for (const r of page.SecurityGroupRules ?? []) {
                if (r.SecurityGroupRuleId && r.GroupId && r.IpProtocol) rules.push({ ...r, SecurityGroupRuleId: r.SecurityGroupRuleId, GroupId: r.GroupId, IpProtocol: r.IpProtocol, IsEgress: r.IsEgress ?? false, Tags: r.Tags?.map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" })) });
            }
        }
        return rules;
    }

    async revokeSecurityGroupRule(region: string, rule: Ec2SecurityGroupRule): Promise<void> {
        const input = { GroupId: rule.GroupId, SecurityGroupRuleIds: [rule.SecurityGroupRuleId] };
        if (rule.IsEgress) await this.client(region).send(new RevokeSecurityGroupEgressCommand(input));
        else await this.client(region).send(new RevokeSecurityGroupIngressCommand(input));
    }

    private async request<T>(url: string, method: "GET" | "DELETE" | "POST" = "GET"): Promise<T> {
        this.google ??= new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/compute"] });
        const client = await this.google.getClient();
        return (await client.request<T>({ url, method, retry: true })).data;
    }

    async listFirewalls(project: string, network: string): Promise<GceFirewall[]> {
        const firewalls: GceFirewall[] = [];
        const filter = encodeURIComponent(`network="${COMPUTE.replace("compute.googleapis.com", "www.googleapis.com")}/projects/${project}/global/networks/${network}"`);
        let token: string | undefined;
        do {
            const page: GceFirewallListPage = await this.request(`${COMPUTE}/projects/${project}/global/firewalls?filter=${filter}${token ? `&pageToken=${token}` : ""}`);
            firewalls.push(...(page.items ?? []));
            token = page.nextPageToken;
        } while (token);
        return firewalls;
    }

    async deleteFirewall(project: string, name: string): Promise<void> {
        const operation = await this.request<{ name: string }>(`${COMPUTE}/projects/${project}/global/firewalls/${name}`, "DELETE");
        // firewalls.delete returns a global Operation; wait for it so the check that follows sees the result.
        await this.request(`${COMPUTE}/projects/${project}/global/operations/${operation.name}/wait`, "POST");
    }
}
