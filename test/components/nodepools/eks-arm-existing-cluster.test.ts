import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { EksCluster } from "../../../components/cluster";
import { EksSpotNodePool, EksSpotNodePoolArgs } from "../../../components/nodepools/eks-spot-node-pool";
import { ExistingEksCluster } from "../../../components/nodepools/existing-cluster";
import { withEksAmiReleases } from "../../../automation/offline/cloud-answers";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };
type PoolArgs = Omit<EksSpotNodePoolArgs, "cluster">;
const graviton: PoolArgs = { tags, instanceTypes: ["m7g.large", "m6g.large", "m8g.large"], maxSize: 4 };
const existing: ExistingEksCluster = {
    clusterName: "team-a-dev",
    kubernetesVersion: "1.33",
    nodeRoleArn: "arn:aws:iam::123456789012:role/team-a-nodes",
    subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
    securityGroupIds: ["sg-0ccccccccccccccc1"],
};

function onAws(body: (provider: pulumi.ProviderResource) => void): Promise<StackEvaluation> {
    return runProgram(() => body(new AwsProvider("aws", { region: "eu-central-1" })));
}

describe("EksSpotNodePool: architecture from the instance types", () => {
    let run: StackEvaluation;
    before(async () => {
        // AWS has published a newer arm64 image than the x86_64 one: each pool must follow its own.
        run = await withEksAmiReleases({ "1.33/arm64": "1.33.0-20250711" }, () => onAws((provider) => {
            const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33", systemPool: { instanceTypes: ["m7g.large", "m6g.large"] } }, { providers: [provider] });
            new EksSpotNodePool("arm", { ...graviton, cluster }, { providers: [provider] });
            new EksSpotNodePool("x86", { ...graviton, instanceTypes: ["m6i.large", "m6a.large", "m7i.large"], cluster }, { providers: [provider] });
        }));
    });

    it("gives a Graviton pool the ARM64 AMI type and an x86 pool the x86_64 one", () => {
        expect(inputsOf(one(run.resources, "aws:eks/nodeGroup:NodeGroup", "arm-spot")).amiType).to.equal("AL2023_ARM_64_STANDARD");
        expect(inputsOf(one(run.resources, "aws:eks/nodeGroup:NodeGroup", "x86-spot")).amiType).to.equal("AL2023_x86_64_STANDARD");
    });

    it("gives a Graviton system pool the ARM64 AMI type", () => {
        expect(inputsOf(one(run.resources, "aws:eks/nodeGroup:NodeGroup", "demo-system")).amiType).to.equal("AL2023_ARM_64_STANDARD");
    });

    it("pins each architecture's recommended AMI release, read from its own SSM parameter", () => {
        const release = (group: string) => inputsOf(one(run.resources, "aws:eks/nodeGroup:NodeGroup", group)).releaseVersion;
        expect(["demo-system", "arm-spot", "x86-spot"].map(release)).to.deep.equal(["1.33.0-20250711", "1.33.0-20250711", "1.33.0-20250704"]);
    });

    it("rejects a pool that mixes Arm and x86 types, naming each", async () => {
        const failure = await runFailing(() => {
            const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" });
            new EksSpotNodePool("mixed", { ...graviton, instanceTypes: ["m7g.large", "m6i.large", "m6g.large"], cluster });
        });
        expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
        expect((failure.cause as pulumi.InputPropertiesError).errors).to.deep.equal([{
            propertyPath: "instanceTypes",
            reason: 'got ["m7g.large","m6i.large","m6g.large"]: mixes Arm (m7g.large, m6g.large) and x86 (m6i.large) types; a pool\'s nodes run one image, so use one architecture per pool, e.g. ["m7g.large", "m6g.large", "m8g.large"] or ["m6i.large", "m6a.large", "m7i.large"]',
        }]);
        expect(ofType(failure.resources, "aws:eks/nodeGroup:NodeGroup").filter((g) => g.name.startsWith("mixed"))).to.deep.equal([]);
    });
});

describe("EksSpotNodePool on an existing cluster (by reference)", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await onAws((provider) => {
            new EksSpotNodePool("apps", { ...graviton, onDemandFallback: true, cluster: existing }, { providers: [provider] });
        });
    });

    it("creates only the pool: no cluster, VPC, role or add-on", () => {
        const types = new Set(run.resources.map((r) => r.type));
        expect(types.has("aws:eks/nodeGroup:NodeGroup")).to.be.true;
        for (const type of ["aws:eks/cluster:Cluster", "aws:ec2/vpc:Vpc", "aws:iam/role:Role", "aws:eks/addon:Addon", "aws:ec2/securityGroup:SecurityGroup"]) expect(types.has(type), type).to.be.false;
    });

    it("joins the named cluster with the given role, subnets and security group, at its version", () => {
        const groups = ofType(run.resources, "aws:eks/nodeGroup:NodeGroup");
        expect(groups.map((g) => g.name)).to.deep.equal(["apps-spot", "apps-ondemand"]);
        for (const g of groups) {
            expect(inputsOf(g)).to.deep.include({
                clusterName: "team-a-dev",
                version: "1.33",
                releaseVersion: "1.33.0-20250704",
                nodeRoleArn: "arn:aws:iam::123456789012:role/team-a-nodes",
                subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
                amiType: "AL2023_ARM_64_STANDARD",
            });
            // Nothing of a cluster component to wait for: only the pool's own launch template.
            expect(g.dependencies).to.deep.equal(["urn:pulumi:test::paved::paved:nodepools:EksSpotNodePool$aws:ec2/launchTemplate:LaunchTemplate::apps-nodes"]);
        }
        expect(inputsOf(one(run.resources, "aws:ec2/launchTemplate:LaunchTemplate", "apps-nodes")).vpcSecurityGroupIds).to.deep.equal(["sg-0ccccccccccccccc1"]);
        const owner = ofType(run.resources, "aws:autoscaling/tag:Tag").map(inputsOf).find((t) => t.tag.value === "owned");
        expect(owner!.tag.key).to.equal("k8s.io/cluster-autoscaler/team-a-dev");
    });

    it("leaves the security groups to EKS when none are given", async () => {
        const bare = await onAws((provider) => {
            new EksSpotNodePool("apps", { ...graviton, cluster: { ...existing, securityGroupIds: undefined } }, { providers: [provider] });
        });
        expect(inputsOf(one(bare.resources, "aws:ec2/launchTemplate:LaunchTemplate", "apps-nodes"))).to.not.have.property("vpcSecurityGroupIds");
    });

    it("refuses a malformed reference with one error naming every bad key", async () => {
        const failure = await runFailing(() => {
            new EksSpotNodePool("apps", {
                ...graviton,
                cluster: { clusterName: "team a", kubernetesVersion: "1.33", nodeRoleArn: "team-a-nodes", subnetIds: ["subnet-XYZ"], securityGroupIds: ["sg-1"] },
            });
        });
        expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
        expect((failure.cause as pulumi.InputPropertiesError).errors).to.deep.equal([
            { propertyPath: "cluster.clusterName", reason: 'got "team a": EKS names use letters, digits, "-" and "_" (at most 100), e.g. "team-a-dev"' },
            { propertyPath: "cluster.nodeRoleArn", reason: 'got "team-a-nodes": an IAM role ARN, e.g. "arn:aws:iam::123456789012:role/eks-nodes"' },
            { propertyPath: "cluster.subnetIds[0]", reason: 'got "subnet-XYZ": a subnet ID is "subnet-" and 8 or 17 lowercase hex digits, e.g. "subnet-0a1b2c3d4e5f67890"' },
            { propertyPath: "cluster.securityGroupIds[0]", reason: 'got "sg-1": a security group ID is "sg-" and 8 or 17 lowercase hex digits, e.g. "sg-0a1b2c3d4e5f67890"' },
        ]);
        expect(ofType(failure.resources, "aws:eks/nodeGroup:NodeGroup")).to.deep.equal([]);
    });
});
