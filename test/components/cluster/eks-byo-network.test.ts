import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { EksCluster, EksClusterArgs, eksClusterProblems, resolveEksClusterArgs } from "../../../components/cluster";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };
const network = {
    vpcId: "vpc-0a1b2c3d4e5f67890",
    privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"],
    publicSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
};
const byo: EksClusterArgs = { tags, kubernetesVersion: "1.33", network };

async function build(args: EksClusterArgs): Promise<{ run: StackEvaluation; outputs: Record<string, unknown> }> {
    let outputs: Record<string, unknown> = {};
    const run = await runProgram(() => {
        const provider = new AwsProvider("aws", { region: "eu-central-1" });
        const cluster = new EksCluster("demo", args, { providers: [provider] });
        outputs = { vpcId: cluster.vpcId, privateSubnetIds: cluster.privateSubnetIds, publicSubnetIds: cluster.publicSubnetIds };
        return outputs;
    });
    return { run, outputs: run.outputs };
}

describe("EksCluster in an existing VPC (bring your own network)", () => {
    let run: StackEvaluation;
    let outputs: Record<string, unknown>;
    before(async () => {
        ({ run, outputs } = await build(byo));
    });

    it("creates no VPC, subnet, gateway, route table or NAT", () => {
        expect(run.resources.length).to.be.greaterThan(10);
        for (const type of [
            "aws:ec2/vpc:Vpc",
            "aws:ec2/subnet:Subnet",
            "aws:ec2/internetGateway:InternetGateway",
            "aws:ec2/natGateway:NatGateway",
            "aws:ec2/eip:Eip",
            "aws:ec2/routeTable:RouteTable",
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
        ]) {
            expect(ofType(run.resources, type), type).to.deep.equal([]);
        }
    });

    it("puts the control plane and the system nodes in the given private subnets", () => {
        const cluster = inputsOf(one(run.resources, "aws:eks/cluster:Cluster"));
        expect(cluster.vpcConfig.subnetIds).to.deep.equal(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]);
        const system = inputsOf(one(run.resources, "aws:eks/nodeGroup:NodeGroup", "demo-system"));
        expect(system.subnetIds).to.deep.equal(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]);
    });

    it("creates its security groups in the given VPC, admitting the VPC's own range read from EC2", () => {
        const groups = ofType(run.resources, "aws:ec2/securityGroup:SecurityGroup").map(inputsOf);
        expect(groups.map((g) => g.vpcId)).to.deep.equal(["vpc-0a1b2c3d4e5f67890", "vpc-0a1b2c3d4e5f67890"]);
        const [cluster, nodes] = groups;
        // The offline DescribeVpcs answer for this ID (automation/offline/cloud-answers.ts): 10.21.0.0/16, not a new VPC's 10.0.0.0/16.
        expect(cluster.ingress).to.deep.equal([{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.21.0.0/16"], description: "nodes and pods to the API server" }]);
        expect(cluster.egress).to.deep.equal([{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.21.0.0/16"], description: "control plane to nodes and pods" }]);
        const nodePorts = nodes.ingress.find((r: { fromPort: number }) => r.fromPort === 30000);
        expect(nodePorts.cidrBlocks).to.deep.equal(["10.21.0.0/16"]);
    });

    it("hands the given IDs to what consumes the network", () => {
        expect(outputs).to.deep.equal({
            vpcId: "vpc-0a1b2c3d4e5f67890",
            privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"],
            publicSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
        });
    });

    describe("validation", () => {
        const problems = (args: Partial<EksClusterArgs>) => eksClusterProblems(resolveEksClusterArgs("demo", { ...byo, ...args })).list;

        it("accepts the existing network", () => expect(problems({})).to.deep.equal([]));

        it("names the key, the value, the reason and an example for a malformed VPC ID", () => {
            expect(problems({ network: { ...network, vpcId: "vpc-123" } })).to.deep.equal([{
                propertyPath: "network.vpcId",
                reason: 'got "vpc-123": a VPC ID is "vpc-" and 8 or 17 lowercase hex digits, e.g. "vpc-0a1b2c3d4e5f67890"',
            }]);
        });

        it("names each malformed subnet ID by its index", () => {
            expect(problems({ network: { ...network, privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-XYZ"] } })).to.deep.equal([{
                propertyPath: "network.privateSubnetIds[1]",
                reason: 'got "subnet-XYZ": a subnet ID is "subnet-" and 8 or 17 lowercase hex digits, e.g. "subnet-0a1b2c3d4e5f67890"',
            }]);
        });

        it("refuses a single private subnet: EKS needs two Availability Zones", () => {
            expect(problems({ network: { ...network, privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1"] } })).to.deep.equal([{
                propertyPath: "network.privateSubnetIds",
                reason: 'got ["subnet-0aaaaaaaaaaaaaaa1"]: EKS needs private subnets in at least two Availability Zones, so list two or more, e.g. ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"]',
            }]);
        });

        it("refuses a subnet listed twice, or as both private and public", () => {
            expect(problems({ network: { ...network, privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa1"] } }).map((p) => p.propertyPath)).to.deep.equal(["network.privateSubnetIds"]);
            expect(problems({ network: { ...network, publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa2"] } })).to.deep.equal([{
                propertyPath: "network.publicSubnetIds",
                reason: 'got ["subnet-0aaaaaaaaaaaaaaa2"] in both privateSubnetIds and publicSubnetIds: nodes belong in private subnets and internet-facing load balancers in public ones; list each subnet once, e.g. publicSubnetIds: ["subnet-0f1e2d3c4b5a69788"]',
            }]);
        });

        it("says that vpcCidr, availabilityZoneCount and natGateways cannot go with an existing network", () => {
            const found = problems({ vpcCidr: "10.0.0.0/16", availabilityZoneCount: 3, natGateways: "single" });
            expect(found.map((p) => p.propertyPath)).to.deep.equal(["vpcCidr", "availabilityZoneCount", "natGateways"]);
            expect(found[0].reason).to.equal(
                'got "10.0.0.0/16" together with network: vpcCidr shapes a VPC the cluster creates, and with an existing VPC none is created; remove it, or remove network to get a new VPC, e.g. network: { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"] }',
            );
        });

        it("leaves IDs known only at deployment (Outputs) to the cloud", () => {
            expect(problems({ network: { ...network, vpcId: pulumi.output("vpc-from-another-stack") } })).to.deep.equal([]);
        });

        it("throws one InputPropertiesError from the component and creates nothing of it", async () => {
            const failure = await runFailing(() => {
                new EksCluster("bad", { ...byo, network: { vpcId: "vpc-123", privateSubnetIds: ["subnet-XYZ"] } });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            const error = failure.cause as pulumi.InputPropertiesError;
            expect(error.errors.map((e) => e.propertyPath)).to.deep.equal(["network.vpcId", "network.privateSubnetIds[0]", "network.privateSubnetIds"]);
            expect(failure.resources.filter((r) => r.type !== "paved:cluster:EksCluster" && r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });
    });
});
