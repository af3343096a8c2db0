// The team's own unit test: its stack runs offline under paved-road/testing, and the platform's
// policies judge it both ways paved-road/policy offers (in-process, and the shipped pack as Pulumi runs it).
import * as assert from "assert/strict";
import { checkPolicies, evaluateProgram, reveal, StackEvaluation } from "paved-road/testing";
import { PLATFORM_POLICIES, POLICY_PACK_DIR } from "paved-road/policy";
import { teamStack } from "../team";
import { PolicyServer } from "./policy-server";

const BAD = "debug-ssh";

describe("team-a's stack on the paved road", () => {
    let run: StackEvaluation;
    const names = (type: string) => run.resources.filter((r) => r.type === type).map((r) => r.name).sort();

    before(async () => {
        run = await evaluateProgram({ project: "team-a-platform", stack: "dev" }, () => teamStack());
    });

    it("registers the platform's components", () => {
        assert.deepEqual(names("paved:cluster:EksCluster"), ["team-a"]);
        assert.deepEqual(names("paved:nodepools:EksSpotNodePool"), ["apps"]);
        assert.deepEqual(names("paved:vault:VaultSecrets"), ["vault"]);
        assert.deepEqual(names("paved:observability:ObservabilityStack"), ["observability"]);
    });

    it("registers the cloud resources they stand for", () => {
        assert.deepEqual(names("aws:eks/cluster:Cluster"), ["team-a-eks"]);
        assert.deepEqual(names("aws:eks/nodeGroup:NodeGroup"), ["apps-spot", "team-a-system"]);
        assert.deepEqual(names("aws:s3/bucket:Bucket"), ["observability-storage-access-logs", "observability-storage-loki", "observability-storage-tempo"]);
        assert.deepEqual(names("aws:ec2/securityGroup:SecurityGroup"), [BAD, "team-a-cluster-sg", "team-a-nodes-sg"]);
    });

    it("runs the Graviton pool on ARM64 nodes", () => {
        const pool = run.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.name === "apps-spot")!;
        assert.equal(reveal(pool.inputs.amiType), "AL2023_ARM_64_STANDARD");
        assert.deepEqual(reveal(pool.inputs.instanceTypes), ["m7g.large", "m6g.large", "m8g.large"]);
    });

    it("syncs Grafana's admin login from Vault into the Secret ObservabilityStack reads", () => {
        const synced = run.resources.filter((r) => r.type === "kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret").map((r) => reveal(r.inputs) as any);
        assert.deepEqual(synced.map((s) => `${s.metadata.namespace}/${s.spec.destination.name} <- ${s.spec.path}`).sort(), ["monitoring/grafana-admin <- dev/grafana/admin"]);
        // The team's own app reads its secret through the injector: a Vault policy of its own, no synced Secret.
        assert.ok(names("vault:index/policy:Policy").some((n) => n.includes("orders")), names("vault:index/policy:Policy").join(", "));
    });

    it("is judged by the platform's policies in-process: the SSH group is flagged, nothing the components made", async () => {
        const violations = await checkPolicies(run.resources, PLATFORM_POLICIES, { production: false });
        assert.deepEqual(violations.map((v) => `${v.policy} ${v.urn.split("::").pop()}`), [`no-ssh-into-nodes ${BAD}`]);
    });

    it("is judged by the shipped policy pack, run as Pulumi runs it: the SSH group is flagged, nothing the components made", async () => {
        const server = await PolicyServer.start(POLICY_PACK_DIR);
        try {
            const info = await server.info();
            assert.equal(info.name, "paved-platform");
            assert.deepEqual(info.policies, PLATFORM_POLICIES.map((p) => p.name));
            const custom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
            assert.ok(custom.length > 50, `${custom.length} custom resources`);
            const flagged: string[] = [];
            for (const r of custom) for (const d of await server.analyze(r)) flagged.push(`${d.policy} ${d.level} ${r.name}`);
            assert.deepEqual(flagged, [`no-ssh-into-nodes mandatory ${BAD}`]);
        } finally {
            server.stop();
        }
    });
});
