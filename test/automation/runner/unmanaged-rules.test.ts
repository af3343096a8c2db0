import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { PlatformFirewalls } from "../../../components/cluster/security-groups";
import { DescribeSecurityGroupRulesPage, GceFirewallListPage } from "../../../automation/driver/cloud-rules";
import { MemoryCloudRules } from "../../../automation/driver/cloud-rules-memory";
import { declaredFingerprints, findUnmanaged, firewallScope, removeUnmanaged } from "../../../automation/runner/unmanaged-rules";
import { REPO_ROOT } from "../../harness";

const recorded = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "test/fixtures/cloud-rules", file), "utf8"));
export const recordedCloud = () => new MemoryCloudRules({
    securityGroupRules: [recorded("describe-security-group-rules.json") as DescribeSecurityGroupRulesPage],
    firewalls: [recorded("firewalls-list.json") as GceFirewallListPage],
});

/** The node group as the dev stack deployed it (a subset of its rules, in the provider's output shape). */
export const AWS_SCOPE: PlatformFirewalls = {
    cloud: "aws",
    region: "eu-central-1",
    groups: [{
        id: "sg-0a1b2c3d4e5f60001",
        name: "paved-dev-nodes-sg-4c1f2e",
        ingress: [
            { protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: ["sg-0a1b2c3d4e5f60000"], description: "control plane to webhooks" },
            { protocol: "tcp", fromPort: 23, toPort: 65535, self: true, description: "node to node, TCP above SSH" },
            { protocol: "icmp", fromPort: -1, toPort: -1, self: true, description: "node to node, ICMP (path MTU discovery)" },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "nodes to registries and AWS APIs" }],
    }],
};

export const GCP_SCOPE: PlatformFirewalls = {
    cloud: "gcp",
    project: "acme-platform-dev",
    network: "paved-dev-gcp",
    firewalls: ["paved-dev-gcp-deny-ssh", "paved-dev-gcp-allow-internal", "paved-dev-gcp-allow-control-plane", "paved-dev-gcp-deny-all-ingress"],
    ownedBy: [{ prefix: "gke-paved-dev-gcp-", owner: "GKE (cluster firewall rules)" }, { prefix: "k8s-", owner: "GKE's load balancer controller" }],
};

describe("unmanaged rules (recorded DescribeSecurityGroupRules and firewalls.list responses)", () => {
    it("finds the console-opened port 22 in the platform's node group, and nothing in a group the platform does not own", async () => {
        const cloud = recordedCloud();
        const found = await findUnmanaged(AWS_SCOPE, cloud);
        expect(found.map((u) => u.text)).to.deep.equal([
            "sgr-0d00000000000beef in paved-dev-nodes-sg-4c1f2e (sg-0a1b2c3d4e5f60001): ingress tcp 22 from 0.0.0.0/0",
        ]);
    });

    it("revokes exactly that rule by its id; the other team's rule (sg-0c0ffee0000000099) is never touched", async () => {
        const cloud = recordedCloud();
        const [rule] = await findUnmanaged(AWS_SCOPE, cloud);
        await removeUnmanaged(rule, cloud);
        expect(cloud.revoked).to.deep.equal(["sgr-0d00000000000beef"]);
        expect(cloud.rules.map((r) => r.SecurityGroupRuleId)).to.include("sgr-0c0ffee00000000aa");
        expect(await findUnmanaged(AWS_SCOPE, cloud)).to.deep.equal([]);
    });

    it("finds the console-added GCE firewall on the platform's network, lists GKE's own rule as GKE's, ignores other networks", async () => {
        const found = await findUnmanaged(GCP_SCOPE, recordedCloud());
        expect(found.map((u) => [u.text, u.ownedBy])).to.deep.equal([
            ["firewall gke-paved-dev-gcp-1f2e3d4c-master on paved-dev-gcp: INGRESS allow tcp:10250,443 from 172.16.0.0/28, priority 1000", "GKE (cluster firewall rules)"],
            ["firewall debug-allow-8080 on paved-dev-gcp: INGRESS allow tcp:8080 from 0.0.0.0/0, priority 900", undefined],
        ]);
    });

    it("deletes the console-added firewall, refuses to delete GKE's own, and leaves the default network alone", async () => {
        const cloud = recordedCloud();
        const [gke, debug] = await findUnmanaged(GCP_SCOPE, cloud);
        await removeUnmanaged(debug, cloud);
        let refused: Error | undefined;
        await removeUnmanaged(gke, cloud).catch((e: Error) => (refused = e));
        expect(refused?.message).to.equal("refusing to remove firewall gke-paved-dev-gcp-1f2e3d4c-master on paved-dev-gcp: INGRESS allow tcp:10250,443 from 172.16.0.0/28, priority 1000: owned by GKE (cluster firewall rules)");
        expect(cloud.deleted).to.deep.equal(["debug-allow-8080"]);
        expect(cloud.firewalls.map((f) => f.name)).to.include.members(["default-allow-ssh", "gke-paved-dev-gcp-1f2e3d4c-master"]);
    });

    it("matches declared rules to EC2's one-rule-per-source view: self is the group, all-traffic ignores ports, accounts are dropped from group ids", () => {
        expect([...declaredFingerprints("sg-1", false, [
            { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["10.0.0.0/8", "192.168.0.0/16"], securityGroups: ["123456789012/sg-2"], self: true },
            { protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "6", fromPort: 1, toPort: 21, cidrBlocks: ["10.0.0.0/8"] },
        ])]).to.deep.equal([
            "ingress tcp 80 10.0.0.0/8",
            "ingress tcp 80 192.168.0.0/16",
            "ingress tcp 80 sg-2",
            "ingress tcp 80 sg-1",
            "ingress all traffic 0.0.0.0/0",
            "ingress tcp 1-21 10.0.0.0/8",
        ]);
    });

    it("reads the firewall scope from a stack's outputs, and none from a stack without one", () => {
        expect(firewallScope({ firewalls: GCP_SCOPE, clusterName: "x" })).to.equal(GCP_SCOPE);
        expect(firewallScope({ clusterName: "x" })).to.equal(undefined);
    });
});
