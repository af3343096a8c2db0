import { expect } from "chai";
import { readStackConfig } from "../../automation/offline/stack-file";
import { program } from "../../stacks/program";
import { REPO_ROOT, StackEvaluation, inputsOf, ofType, one, runProgram } from "../harness";

/*
 * A stack file can bring its own network: the shipped dev stacks with `paved:cluster.network` set
 * (and the new-network keys removed), run through the real stack program under the offline mocks.
 */

function shippedWith(stack: string, cluster: Record<string, unknown>): Promise<StackEvaluation> {
    const file = readStackConfig(REPO_ROOT, stack);
    return runProgram(program, { project: file.project, stack, config: { ...file.config, "paved:cluster": JSON.stringify(cluster) }, secretKeys: file.secretKeys, projectDir: REPO_ROOT });
}

describe("a stack file that brings its own network", function () {
    this.timeout(60_000);

    it("AWS: the regional stack creates no VPC and runs the cluster and every pool in the given subnets", async () => {
        const run = await shippedWith("dev", {
            kubernetesVersion: "1.33",
            network: { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"] },
        });
        expect(run.resources.length).to.be.greaterThan(50);
        expect(ofType(run.resources, "aws:ec2/vpc:Vpc")).to.deep.equal([]);
        expect(ofType(run.resources, "aws:ec2/natGateway:NatGateway")).to.deep.equal([]);
        expect(inputsOf(one(run.resources, "aws:eks/cluster:Cluster")).vpcConfig.subnetIds).to.deep.equal(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]);
        const groups = ofType(run.resources, "aws:eks/nodeGroup:NodeGroup");
        expect(groups.length).to.be.greaterThan(1);
        for (const g of groups) expect(inputsOf(g).subnetIds, g.name).to.deep.equal(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]);
    });

    it("GCP: the regional stack creates no network and puts the cluster in the given subnetwork's named ranges", async () => {
        const run = await shippedWith("dev-gcp", {
            kubernetesVersion: "1.33",
            releaseChannel: "REGULAR",
            network: { network: "shared-vpc", subnetwork: "gke-dev", podsRangeName: "gke-dev-pods", servicesRangeName: "gke-dev-services" },
        });
        expect(run.resources.length).to.be.greaterThan(30);
        expect(ofType(run.resources, "gcp:compute/network:Network")).to.deep.equal([]);
        expect(ofType(run.resources, "gcp:compute/routerNat:RouterNat")).to.deep.equal([]);
        const cluster = inputsOf(one(run.resources, "gcp:container/cluster:Cluster"));
        expect({ network: cluster.network, subnetwork: cluster.subnetwork, ranges: cluster.ipAllocationPolicy }).to.deep.equal({
            network: "shared-vpc",
            subnetwork: "gke-dev",
            ranges: { clusterSecondaryRangeName: "gke-dev-pods", servicesSecondaryRangeName: "gke-dev-services" },
        });
    });
});
