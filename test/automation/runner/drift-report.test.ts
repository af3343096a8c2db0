import { expect } from "chai";
import { DriftFinding } from "../../../automation/driver/port";
import { CONTROLLER_OWNED, SLEEP_OWNED, changedLeaves, classifyDrift, describeValue, formatDrift } from "../../../automation/runner/drift";

/**
 * What the drift report says, word for word: who owns a field that moved, how a firewall rule reads,
 * and the summary line. Expected lines are written out by hand from the rule shapes of the AWS
 * provider (`ingress` of aws:ec2/securityGroup: protocol "-1" is every protocol, fromPort -1 every
 * ICMP type) and of GCE firewalls (`allows: [{ protocol, ports }]`).
 */
const finding = (type: string, property: string, deployed: unknown, live: unknown, kind?: "changed" | "deleted"): DriftFinding => ({
    urn: `urn:pulumi:dev::paved::paved:x:Parent$${type}::res-${property}`,
    type,
    property,
    deployed,
    live,
    ...(kind ? { kind } : {}),
});

describe("drift report: controller-owned fields", () => {
    const owned: [string, string, string][] = [
        ["aws:eks/nodeGroup:NodeGroup", "scalingConfig.desiredSize", "cluster-autoscaler and the night schedule"],
        ["gcp:container/nodePool:NodePool", "initialNodeCount", "the GKE autoscaler"],
        ["gcp:container/nodePool:NodePool", "nodeCount", "the GKE autoscaler"],
        ["gcp:container/cluster:Cluster", "initialNodeCount", "GKE (the default pool is removed)"],
        ["kubernetes:apps/v1:Deployment", "spec.replicas", "HPA/KEDA"],
        ["kubernetes:apps/v1:StatefulSet", "spec.replicas", "HPA/KEDA"],
        ["kubernetes:argoproj.io/v1alpha1:Rollout", "spec.replicas", "HPA/KEDA"],
    ];

    it("lists exactly the fields autoscalers and HPA/KEDA own", () => {
        expect(CONTROLLER_OWNED.map((f) => [f.type, f.path, f.owner])).to.deep.equal(owned);
    });

    for (const [type, field, owner] of owned) {
        it(`${type} ${field} moved: allowed, owned by ${owner}; the same field of another type is drift`, () => {
            const drift = classifyDrift("dev", [finding(type, field, 2, 5)]);
            expect(drift.resources).to.have.length(1);
            expect(drift.resources[0].properties).to.deep.equal([{ path: field, deployed: 2, live: 5, ownedBy: owner }]);
            expect(drift.unexpected).to.deep.equal([]);
            const elsewhere = classifyDrift("dev", [finding("aws:ec2/vpc:Vpc", field, 2, 5)]);
            expect(elsewhere.unexpected.map((r) => r.properties)).to.deep.equal([[{ path: field, deployed: 2, live: 5 }]]);
        });
    }

    it("an owned path covers what is beneath it, not a sibling sharing its prefix", () => {
        const allow = [{ type: "kubernetes:core/v1:Service", path: "metadata.annotations", owner: "the cloud controller" }];
        const drift = classifyDrift(
            "dev",
            [
                finding("kubernetes:core/v1:Service", "metadata.annotations", { a: "1" }, { a: "2" }),
                finding("kubernetes:core/v1:Service", "metadata.annotationsExtra", 1, 2),
                finding("kubernetes:core/v1:Service", "spec.metadata.annotations", 1, 2),
            ],
            allow,
        );
        expect(drift.resources.map((r) => r.properties)).to.deep.equal([
            [{ path: "metadata.annotations.a", deployed: "1", live: "2", ownedBy: "the cloud controller" }],
            [{ path: "metadata.annotationsExtra", deployed: 1, live: 2 }],
            [{ path: "spec.metadata.annotations", deployed: 1, live: 2 }],
        ]);
        expect(drift.unexpected.map((r) => r.name)).to.deep.equal(["res-metadata.annotationsExtra", "res-spec.metadata.annotations"]);
    });
});

describe("drift report: resources", () => {
    it("names a resource by the last part of its URN, marks a deletion, and leaves a change unmarked", () => {
        const drift = classifyDrift("dev", [
            finding("aws:s3/bucketV2:BucketV2", "id", "paved-dev-logs", undefined, "deleted"),
            finding("aws:ec2/vpc:Vpc", "tags", { owner: "a" }, { owner: "b" }, "changed"),
        ]);
        expect(drift.resources).to.deep.equal([
            { urn: "urn:pulumi:dev::paved::paved:x:Parent$aws:s3/bucketV2:BucketV2::res-id", type: "aws:s3/bucketV2:BucketV2", name: "res-id", deleted: true, properties: [{ path: "id", deployed: "paved-dev-logs", live: undefined }] },
            { urn: "urn:pulumi:dev::paved::paved:x:Parent$aws:ec2/vpc:Vpc::res-tags", type: "aws:ec2/vpc:Vpc", name: "res-tags", properties: [{ path: "tags.owner", deployed: "a", live: "b" }] },
        ]);
    });

    it("a finding whose values are equal leaves no resource behind", () => {
        expect(classifyDrift("dev", [finding("aws:ec2/vpc:Vpc", "tags", { owner: "a" }, { owner: "a" })])).to.deep.equal({ stack: "dev", resources: [], unexpected: [] });
    });

    it("compares arrays and null as values, not as objects to walk", () => {
        expect(changedLeaves([1, 2], [1, 3], "ports")).to.deep.equal([{ path: "ports", deployed: [1, 2], live: [1, 3] }]);
        expect(changedLeaves(null, { a: 1 }, "x")).to.deep.equal([{ path: "x", deployed: null, live: { a: 1 } }]);
        expect(changedLeaves({ a: 1 }, null, "x")).to.deep.equal([{ path: "x", deployed: { a: 1 }, live: null }]);
        expect(changedLeaves({ b: 1, a: 2 }, { a: 3, b: 4 }, "x").map((l) => l.path)).to.deep.equal(["x.a", "x.b"]);
    });
});

describe("drift report: a firewall rule as a reader says it", () => {
    const sg = (rule: Record<string, unknown>) => describeValue({ protocol: "tcp", fromPort: 22, toPort: 22, ...rule });

    it("security group rules (aws:ec2/securityGroup ingress)", () => {
        expect(sg({ cidrBlocks: ["0.0.0.0/0"] })).to.equal("tcp 22 from 0.0.0.0/0");
        expect(sg({ fromPort: 1024, toPort: 65535, cidrBlocks: ["10.0.0.0/16", "10.1.0.0/16"] })).to.equal("tcp 1024-65535 from 10.0.0.0/16, 10.1.0.0/16");
        expect(sg({ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] })).to.equal("all traffic from ::/0");
        expect(sg({ protocol: "all", fromPort: 0, toPort: 0, self: true })).to.equal("all traffic from itself");
        expect(sg({ protocol: "icmp", fromPort: -1, toPort: -1, securityGroups: ["sg-0abc"] })).to.equal("icmp all from sg-0abc");
        expect(sg({ cidrBlocks: ["10.0.0.0/8"], ipv6CidrBlocks: ["fd00::/8"], securityGroups: ["sg-1"], self: true })).to.equal("tcp 22 from 10.0.0.0/8, fd00::/8, sg-1, itself");
        expect(sg({ self: false })).to.equal("tcp 22 from nowhere");
    });

    it("GCE allow/deny entries", () => {
        expect(describeValue({ protocol: "tcp", ports: ["0-21", "23-65535"] })).to.equal("tcp:0-21,23-65535");
        expect(describeValue({ protocol: "tcp", ports: ["22"] })).to.equal("tcp:22");
        expect(describeValue({ protocol: "tcp", ports: [] })).to.equal("tcp");
        expect(describeValue({ protocol: "icmp" })).to.equal("icmp");
        expect(describeValue({ protocol: "udp", ports: "53" })).to.equal("udp");
    });

    it("anything else as JSON, cut at 120 characters; absent as (absent)", () => {
        expect(describeValue(undefined)).to.equal("(absent)");
        expect(describeValue(null)).to.equal("null");
        expect(describeValue({ protocol: 6, fromPort: 22 })).to.equal('{"protocol":6,"fromPort":22}');
        expect(describeValue(["a", 1])).to.equal('["a",1]');
        expect(describeValue("x".repeat(200))).to.equal(`"${"x".repeat(119)}`);
    });
});

describe("drift report: the lines", () => {
    const nodeGroup = "aws:eks/nodeGroup:NodeGroup";

    it("no resource: the stack has no drift", () => {
        expect(formatDrift({ stack: "dev", resources: [], unexpected: [] })).to.deep.equal(["dev: no drift"]);
    });

    it("only controller-owned fields moved: no drift, saying how many resources moved and who owns the field", () => {
        expect(formatDrift(classifyDrift("staging", [finding(nodeGroup, "scalingConfig", { desiredSize: 1 }, { desiredSize: 3 })]))).to.deep.equal([
            "staging: no drift (1 resource(s) changed only in controller-owned fields)",
            `  ~ ${nodeGroup} res-scalingConfig`,
            "      scalingConfig.desiredSize: 1 → 3   (allowed: owned by cluster-autoscaler and the night schedule)",
        ]);
    });

    it("drift beside owned changes: both counts; drift alone: one count", () => {
        const rule = { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] };
        const mixed = classifyDrift("dev", [finding(nodeGroup, "scalingConfig", { desiredSize: 1 }, { desiredSize: 3 }), finding("aws:ec2/securityGroup:SecurityGroup", "ingress", { r: undefined }, { r: rule })]);
        expect(formatDrift(mixed)).to.deep.equal([
            "dev: 1 resource(s) changed outside Git; 1 resource(s) changed only in controller-owned fields",
            `  ~ ${nodeGroup} res-scalingConfig`,
            "      scalingConfig.desiredSize: 1 → 3   (allowed: owned by cluster-autoscaler and the night schedule)",
            "  ~ aws:ec2/securityGroup:SecurityGroup res-ingress",
            "      ingress.r: (absent) → tcp 22 from 0.0.0.0/0",
        ]);
        expect(formatDrift(classifyDrift("dev", [finding("aws:ec2/vpc:Vpc", "cidrBlock", "10.0.0.0/16", "10.9.0.0/16")]))).to.deep.equal([
            "dev: 1 resource(s) changed outside Git",
            "  ~ aws:ec2/vpc:Vpc res-cidrBlock",
            '      cidrBlock: "10.0.0.0/16" → "10.9.0.0/16"',
        ]);
    });
});

describe("drift report: what the night schedule changes on a sleeping stack", () => {
    const sleeping = [...CONTROLLER_OWNED, ...SLEEP_OWNED];
    const ownedBy = (allowList: readonly (typeof sleeping)[number][], type: string, property: string, deployed: unknown, live: unknown) =>
        classifyDrift("dev", [finding(type, property, deployed, live)], allowList).resources[0].properties.map((p) => [p.path, p.ownedBy ?? "nobody"]);

    it("the EKS groups' min and max sizes belong to the ASG scheduled actions, the GKE system pools' autoscaling to Cloud Scheduler", () => {
        expect(ownedBy(sleeping, "aws:eks/nodeGroup:NodeGroup", "scalingConfig", { minSize: 1, maxSize: 3 }, { minSize: 0, maxSize: 0 })).to.deep.equal([
            ["scalingConfig.maxSize", "the night schedule (ASG scheduled actions) and paved wake"],
            ["scalingConfig.minSize", "the night schedule (ASG scheduled actions) and paved wake"],
        ]);
        expect(ownedBy(sleeping, "gcp:container/nodePool:NodePool", "autoscaling", { enabled: true }, { enabled: false })).to.deep.equal([["autoscaling.enabled", "the night schedule (Cloud Scheduler) and paved wake"]]);
    });

    it("on a stack that does not sleep, the same changes are drift", () => {
        expect(ownedBy(CONTROLLER_OWNED, "aws:eks/nodeGroup:NodeGroup", "scalingConfig", { minSize: 1 }, { minSize: 0 })).to.deep.equal([["scalingConfig.minSize", "nobody"]]);
        expect(ownedBy(CONTROLLER_OWNED, "gcp:container/nodePool:NodePool", "autoscaling", { enabled: true }, { enabled: false })).to.deep.equal([["autoscaling.enabled", "nobody"]]);
    });
});
