import { expect } from "chai";
import { PlatformFirewalls } from "../../../components/cluster/security-groups";
import { GceFirewall } from "../../../automation/driver/cloud-rules";
import { FirewallWorld, deployedFirewalls } from "../../../automation/driver/firewall-world";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { runStack } from "../../harness";
import { callsOf, paved as run, repoStacks } from "./paved";

/*
 * The drift protocol, end to end on the in-memory driver and cloud: the shipped dev (EKS) and
 * dev-gcp (GKE) stacks' firewalls as deployed, a console change, `paved drift` (exit 3, naming the
 * rule), `paved drift --fix` ("Re-applying state from Git. Manual change reverted."), and the cloud
 * back to what Git says.
 */

const REVERTED = "Re-applying state from Git. Manual change reverted.";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const FW = "gcp:compute/firewall:Firewall";

async function shippedWorld(): Promise<{ world: FirewallWorld; driver: MemoryDriver }> {
    const world = FirewallWorld.deployedAs({ dev: deployedFirewalls(await runStack("dev")), "dev-gcp": deployedFirewalls(await runStack("dev-gcp")) });
    const driver = new MemoryDriver(repoStacks(), new Map(), 1);
    for (const stack of ["dev", "dev-gcp"]) driver.stackOutputs.set(stack, world.outputs(stack));
    driver.refreshFindings = (stack) => world.findings(stack);
    driver.onUp = (stack) => world.apply(stack);
    return { world, driver };
}

const paved = (args: string[], s: { world: FirewallWorld; driver: MemoryDriver }) => run(args, { driver: s.driver, cloudRules: s.world.cloud, retry: { retries: 0, backoffMs: 1 } });

/** The node security group of the dev stack, as deployed. */
function nodeGroup(world: FirewallWorld): { id: string; name: string } {
    const scope = world.outputs("dev").firewalls as PlatformFirewalls;
    if (scope.cloud !== "aws") throw new Error("dev is an AWS stack");
    return scope.groups.find((g) => g.name.startsWith("paved-dev-nodes-sg"))!;
}

/** The dev-gcp network as deployed (auto-named: `<cluster>-vpc-<suffix>`) and the prefix of GKE's own rules there. */
function gcpScope(world: FirewallWorld): { network: string; gkePrefix: string } {
    const scope = world.outputs("dev-gcp").firewalls as PlatformFirewalls;
    if (scope.cloud !== "gcp") throw new Error("dev-gcp is a GCP stack");
    expect(scope.network).to.match(/^paved-dev-gcp-vpc-/);
    return { network: scope.network, gkePrefix: scope.ownedBy[0].prefix };
}

/** A firewall added in the GCP console on the platform's network. */
const consoleFirewall = (network: string, name: string, port: string): GceFirewall => ({
    kind: "compute#firewall",
    id: "9100000000000000123",
    name,
    network: `https://www.googleapis.com/compute/v1/projects/acme-platform-dev/global/networks/${network}`,
    priority: 900,
    direction: "INGRESS",
    sourceRanges: ["0.0.0.0/0"],
    allowed: [{ IPProtocol: "tcp", ports: [port] }],
    disabled: false,
});

describe("the drift protocol: a console change to a firewall is detected and reverted", function () {
    // The first test evaluates the shipped dev and dev-gcp stacks (cached for the others).
    this.timeout(60_000);
    it("starts clean: the deployed firewalls of dev and dev-gcp show no drift (exit 0)", async () => {
        const s = await shippedWorld();
        const { code, out } = await paved(["drift", "--stack", "dev"], s);
        expect(code).to.equal(0);
        expect(out).to.include("dev: no drift");
        expect((await paved(["drift", "--stack", "dev-gcp"], s)).code).to.equal(0);
        expect(s.world.cloud.rules.length).to.equal(10); // 7 node ingress + 1 egress, 1 cluster ingress + 1 egress: one EC2 rule per source
    });

    it("EKS: someone opens port 22 on the node security group — drift exits 3 naming the rule; --fix reverts it", async () => {
        const s = await shippedWorld();
        const nodes = nodeGroup(s.world);
        const opened = s.world.ec2Rule(nodes.id, false, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] });
        s.world.cloud.rules.push(opened);

        const check = await paved(["drift", "--stack", "dev"], s);
        expect(check.code).to.equal(3);
        expect(check.out).to.include.members([
            "dev: 1 resource(s) changed outside Git; 1 rule(s) outside Git",
            `  ~ ${SG} paved-dev-nodes-sg`,
            "      ingress[7]: (absent) → tcp 22 from 0.0.0.0/0",
            `  unmanaged: ${opened.SecurityGroupRuleId} in ${nodes.name} (${nodes.id}): ingress tcp 22 from 0.0.0.0/0`,
        ]);

        const fix = await paved(["drift", "--stack", "dev", "--fix"], s);
        expect(fix.code).to.equal(0);
        expect(fix.out.filter((l) => l.includes(REVERTED))).to.deep.equal([
            `dev: ${SG} paved-dev-nodes-sg: ${REVERTED}`,
            `dev: unmanaged ${opened.SecurityGroupRuleId} in ${nodes.name} (${nodes.id}): ingress tcp 22 from 0.0.0.0/0: ${REVERTED}`,
        ]);
        expect(s.world.cloud.rules.filter((r) => r.FromPort === 22)).to.deep.equal([]);
        // The up took the inline rule away (authoritative group); nothing was left to revoke by hand.
        expect(s.world.cloud.revoked).to.deep.equal([]);
        expect((await paved(["drift", "--stack", "dev"], s)).code).to.equal(0);
    });

    it("EKS: someone adds an ingress rule — reported, --dry-run changes nothing, --fix removes it", async () => {
        const s = await shippedWorld();
        const nodes = nodeGroup(s.world);
        const added = s.world.ec2Rule(nodes.id, false, { protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["10.99.0.0/16"] });
        s.world.cloud.rules.push(added);

        const dry = await paved(["drift", "--stack", "dev", "--fix", "--dry-run"], s);
        expect(dry.code).to.equal(3);
        expect(dry.out).to.include.members([
            "      ingress[7]: (absent) → tcp 8443 from 10.99.0.0/16",
            `dev: would re-apply state from Git (refresh, then up): ${SG} paved-dev-nodes-sg`,
            `dev: would remove unmanaged: ${added.SecurityGroupRuleId} in ${nodes.name} (${nodes.id}): ingress tcp 8443 from 10.99.0.0/16`,
        ]);
        expect(s.world.cloud.rules).to.deep.include(added);
        expect(callsOf(s.driver).map(([, op]) => op)).to.deep.equal(["previewRefresh"]);

        const fix = await paved(["drift", "--stack", "dev", "--fix"], s);
        expect(fix.code).to.equal(0);
        expect(fix.out).to.include(`dev: ${SG} paved-dev-nodes-sg: ${REVERTED}`);
        expect(s.world.cloud.rules).to.not.deep.include(added);
    });

    it("GKE: someone adds a firewall on the platform network — only the cloud listing sees it; --fix deletes it, never GKE's own", async () => {
        const s = await shippedWorld();
        const { network, gkePrefix } = gcpScope(s.world);
        const gkeRule = `${gkePrefix}1f2e3d4c-master`;
        s.world.cloud.firewalls.push(consoleFirewall(network, "debug-allow-8080", "8080"), { ...consoleFirewall(network, gkeRule, "10250"), priority: 1000, sourceRanges: ["172.16.0.0/28"] });

        const check = await paved(["drift", "--stack", "dev-gcp"], s);
        expect(check.code).to.equal(3);
        expect(check.out).to.include.members([
            "dev-gcp: 1 rule(s) outside Git",
            `  unmanaged: firewall ${gkeRule} on ${network}: INGRESS allow tcp:10250 from 172.16.0.0/28, priority 1000   (allowed: owned by GKE (cluster firewall rules))`,
            `  unmanaged: firewall debug-allow-8080 on ${network}: INGRESS allow tcp:8080 from 0.0.0.0/0, priority 900`,
        ]);

        const fix = await paved(["drift", "--stack", "dev-gcp", "--fix"], s);
        expect(fix.code).to.equal(0);
        expect(fix.out.filter((l) => l.includes(REVERTED))).to.deep.equal([
            `dev-gcp: unmanaged firewall debug-allow-8080 on ${network}: INGRESS allow tcp:8080 from 0.0.0.0/0, priority 900: ${REVERTED}`,
        ]);
        expect(s.world.cloud.deleted).to.deep.equal(["debug-allow-8080"]);
        expect(s.world.cloud.firewalls.map((f) => f.name)).to.include(gkeRule);
        // A firewall is no resource of the stack: no refresh or up was needed for it.
        expect(callsOf(s.driver).map(([, op]) => op)).to.not.include("up");
    });

    it("GKE: someone opens port 22 in the platform's internal allow rule — refresh drift on that firewall; --fix puts Git's ports back", async () => {
        const s = await shippedWorld();
        const internal = s.world.cloud.firewalls.find((f) => f.name === "paved-dev-gcp-allow-internal")!;
        s.world.cloud.firewalls = s.world.cloud.firewalls.map((f) => (f === internal ? { ...f, allowed: [{ IPProtocol: "tcp", ports: ["0-65535"] }, ...internal.allowed!.slice(1)] } : f));

        const check = await paved(["drift", "--stack", "dev-gcp"], s);
        expect(check.code).to.equal(3);
        expect(check.out).to.include.members([
            "dev-gcp: 1 resource(s) changed outside Git",
            `  ~ ${FW} paved-dev-gcp-allow-internal`,
            '      allows[0].ports: ["0-21","23-65535"] → ["0-65535"]',
        ]);
        const fix = await paved(["drift", "--stack", "dev-gcp", "--fix"], s);
        expect(fix.code).to.equal(0);
        expect(fix.out).to.include(`dev-gcp: ${FW} paved-dev-gcp-allow-internal: ${REVERTED}`);
        expect(s.world.cloud.firewalls.find((f) => f.name === "paved-dev-gcp-allow-internal")!.allowed![0]).to.deep.equal({ IPProtocol: "tcp", ports: ["0-21", "23-65535"] });
    });

    it("GKE: someone deletes the deny baseline — drift exits 3 naming it; --fix creates it again", async () => {
        const s = await shippedWorld();
        s.world.cloud.firewalls = s.world.cloud.firewalls.filter((f) => f.name !== "paved-dev-gcp-deny-all-ingress");

        const check = await paved(["drift", "--stack", "dev-gcp"], s);
        expect(check.code).to.equal(3);
        expect(check.out).to.include.members([
            "dev-gcp: 1 resource(s) changed outside Git",
            `  ~ ${FW} paved-dev-gcp-deny-all-ingress`,
            '      id: "projects/acme-platform-dev/global/firewalls/paved-dev-gcp-deny-all-ingress" → (absent)',
        ]);
        const fix = await paved(["drift", "--stack", "dev-gcp", "--fix"], s);
        expect(fix.code).to.equal(0);
        expect(fix.out).to.include(`dev-gcp: ${FW} paved-dev-gcp-deny-all-ingress: ${REVERTED}`);
        const baseline = s.world.cloud.firewalls.find((f) => f.name === "paved-dev-gcp-deny-all-ingress");
        expect(baseline).to.deep.include({ priority: 65534, direction: "INGRESS", sourceRanges: ["0.0.0.0/0"], denied: [{ IPProtocol: "all" }] });
    });
});
