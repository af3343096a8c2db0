import * as fs from "node:fs";
import * as path from "node:path";
import * as ec2 from "@pulumi/aws/ec2";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import { checkPolicies, policyArgs } from "../../automation/offline/policy-check";
import { PLATFORM_POLICIES, noSshIntoNodes, requiredCostTags } from "../../policy/policies";
import { taggableModule } from "../../policy/taggable-scan";
import { TAGGABLE_TYPES } from "../../policy/taggable-types";
import { REPO_ROOT, runProgram } from "../harness";

async function violations(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>): Promise<string[]> {
    const messages: string[] = [];
    const validate = policy.validateResource as (args: unknown, report: (m: string) => void) => Promise<void> | void;
    await validate(policyArgs({ type, name: "r", urn: `urn:pulumi:test::paved::${type}::r`, inputs: props }), (m) => messages.push(m));
    return messages;
}

const world = ["0.0.0.0/0"];
const tags = { environment: "dev", owner: "platform-team", "cost-center": "cc-1" };

describe("no-ssh-into-nodes: every rule shape that reaches port 22", () => {
    const sg = "aws:ec2/securityGroup:SecurityGroup";
    const rule = "aws:ec2/securityGroupRule:SecurityGroupRule";
    const ingressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    const firewall = "gcp:compute/firewall:Firewall";

    it("flags an all-protocols inline rule open to the world even though its ports say 0-0 (AWS ignores ports for -1)", async () => {
        expect(await violations(noSshIntoNodes, sg, { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: world }], tags })).to.deep.equal([
            "security group ingress allows port 22 (-1 0-0): remove it; debug nodes with `kubectl debug node/...` instead",
        ]);
        expect(await violations(noSshIntoNodes, sg, { ingress: [{ protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: world }] })).to.have.length(1);
        expect(await violations(noSshIntoNodes, sg, { ingress: [{ protocol: "udp", fromPort: 0, toPort: 65535, cidrBlocks: world }] })).to.deep.equal([]);
        // Egress does not reach the nodes.
        expect(await violations(noSshIntoNodes, sg, { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: world }] })).to.deep.equal([]);
    });

    it("flags all-protocol and 22-spanning SecurityGroupRule and SecurityGroupIngressRule resources, ingress only", async () => {
        expect(await violations(noSshIntoNodes, rule, { type: "ingress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: world })).to.have.length(1);
        expect(await violations(noSshIntoNodes, rule, { type: "ingress", protocol: "tcp", fromPort: 20, toPort: 30, cidrBlocks: world })).to.have.length(1);
        expect(await violations(noSshIntoNodes, rule, { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: world })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, ingressRule, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })).to.have.length(1);
        expect(await violations(noSshIntoNodes, ingressRule, { ipProtocol: "tcp", fromPort: 0, toPort: 1024, cidrIpv4: "10.0.0.0/8" })).to.have.length(1);
        expect(await violations(noSshIntoNodes, ingressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" })).to.deep.equal([]);
    });

    it("flags GCE ingress firewalls allowing all protocols, TCP on every port, or a range over 22 — not egress, not other protocols", async () => {
        expect(await violations(noSshIntoNodes, firewall, { network: "n", sourceRanges: world, allows: [{ protocol: "all" }] })).to.deep.equal([
            "firewall allows port 22 (all, every port): remove it; debug nodes with `kubectl debug node/...` instead",
        ]);
        expect(await violations(noSshIntoNodes, firewall, { network: "n", allows: [{ protocol: "tcp" }] })).to.have.length(1);
        expect(await violations(noSshIntoNodes, firewall, { network: "n", allows: [{ protocol: "6", ports: ["1-1024"] }] })).to.have.length(1);
        expect(await violations(noSshIntoNodes, firewall, { network: "n", allows: [{ protocol: "tcp", ports: ["443", "10250"] }] })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, firewall, { network: "n", allows: [{ protocol: "udp", ports: ["22"] }] })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, firewall, { network: "n", direction: "EGRESS", allows: [{ protocol: "all" }] })).to.deep.equal([]);
    });

    it("flags instances, spot requests and launch configurations with a key pair", async () => {
        const instance = { ami: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "required" }, tags };
        expect(await violations(noSshIntoNodes, "aws:ec2/instance:Instance", instance)).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, "aws:ec2/instance:Instance", { ...instance, keyName: "ops" })).to.deep.equal([
            'Instance sets keyName "ops": remove it; debug nodes with `kubectl debug node/...` instead',
        ]);
        expect(await violations(noSshIntoNodes, "aws:ec2/spotInstanceRequest:SpotInstanceRequest", { ...instance, keyName: "ops" })).to.have.length(1);
        expect(await violations(noSshIntoNodes, "aws:ec2/launchConfiguration:LaunchConfiguration", { imageId: "ami-1", instanceType: "t3.micro", keyName: "ops" })).to.have.length(1);
    });
});

describe("required-cost-tags: a taggable resource with no tags at all", () => {
    it("reports a VPC (AWS) and a bucket (GCP) with no tags or labels at all", async () => {
        expect(await violations(requiredCostTags, "aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" })).to.deep.equal([
            "no tags at all: pass CostTags to the component so tags carries environment, owner, cost-center",
        ]);
        expect(await violations(requiredCostTags, "gcp:storage/bucket:Bucket", { location: "EU" })).to.deep.equal([
            "no labels at all: pass CostTags to the component so labels carries environment, owner, cost-center",
        ]);
        expect(await violations(requiredCostTags, "gcp:container/cluster:Cluster", { location: "europe-west1" })).to.have.length(1);
    });

    it("leaves alone types that take no tags (an IAM policy attachment, a GCP service account)", async () => {
        expect(await violations(requiredCostTags, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/x" })).to.deep.equal([]);
        expect(await violations(requiredCostTags, "gcp:serviceaccount/account:Account", { accountId: "nodes" })).to.deep.equal([]);
    });
});

describe("TAGGABLE_TYPES, generated from the provider SDKs' declarations", () => {
    it("is exactly what the installed @pulumi/aws and @pulumi/gcp declare (regenerate with `npx tsx policy/generate-taggable-types.ts`)", () => {
        const committed = fs.readFileSync(path.join(REPO_ROOT, "policy", "taggable-types.ts"), "utf8");
        expect(committed === taggableModule(), "policy/taggable-types.ts is stale for the installed SDKs").to.be.true;
    });

    it("knows types from both clouds by their tag argument, and not list-typed labels", () => {
        expect(Object.keys(TAGGABLE_TYPES).filter((t) => t.startsWith("aws:")).length).to.be.greaterThan(500);
        expect(Object.keys(TAGGABLE_TYPES).filter((t) => t.startsWith("gcp:")).length).to.be.greaterThan(100);
        expect(TAGGABLE_TYPES["aws:ec2/vpc:Vpc"]).to.equal("tags");
        expect(TAGGABLE_TYPES["aws:ec2/instance:Instance"]).to.equal("tags");
        expect(TAGGABLE_TYPES["gcp:storage/bucket:Bucket"]).to.equal("labels");
        expect(TAGGABLE_TYPES["gcp:container/cluster:Cluster"]).to.equal("resourceLabels");
        // MetricDescriptor's `labels` is a list of label descriptors, not a tag map.
        expect(TAGGABLE_TYPES["gcp:monitoring/metricDescriptor:MetricDescriptor"]).to.equal(undefined);
        expect(TAGGABLE_TYPES["aws:iam/rolePolicyAttachment:RolePolicyAttachment"]).to.equal(undefined);
    });
});

describe("the held-out insecure cases the pack used to miss", () => {
    it("reports all three: an all-protocol world-open rule, an instance with a key pair, an untagged VPC", async () => {
        const run = await runProgram(() => {
            new ec2.SecurityGroup("all-open", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: world }], tags });
            new ec2.Instance("with-key", { ami: "ami-1", instanceType: "t3.micro", keyName: "ops", metadataOptions: { httpTokens: "required" }, tags });
            new ec2.Vpc("untagged", { cidrBlock: "10.0.0.0/16" });
        });
        const found = await checkPolicies(run.resources, PLATFORM_POLICIES, { production: true });
        expect(found.map((v) => `${v.policy} ${v.urn.split("::").pop()}`)).to.have.members([
            "no-ssh-into-nodes all-open",
            "no-ssh-into-nodes with-key",
            "required-cost-tags untagged",
        ]);
    });
});
