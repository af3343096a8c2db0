import { expect } from "chai";
import { listStacks } from "../../automation/offline/stack-file";
import { REPO_ROOT, StackEvaluation, inputsOf, isSecret, ofType, one, providerUrn, runStack } from "../harness";

/** Whole shipped stacks, evaluated through the real program with their `Pulumi.<stack>.yaml`. */
describe("shipped stacks", () => {
    const runs: Record<string, StackEvaluation> = {};
    before(async () => {
        for (const stack of listStacks(REPO_ROOT)) runs[stack] = await runStack(stack);
    });

    it("ships an AWS and a GCP regional stack", () => {
        expect(Object.keys(runs)).to.include.members(["dev", "dev-gcp", "prod-us-east-1"]);
    });

    it("dev (AWS): one EKS cluster in the configured region, sized from the stack file", () => {
        const dev = runs.dev;
        const provider = one(dev.resources, "pulumi:providers:aws");
        expect(inputsOf(provider).region).to.equal("eu-central-1");
        const cluster = one(dev.resources, "paved:cluster:EksCluster", "paved-dev");
        const eks = one(dev.resources, "aws:eks/cluster:Cluster");
        expect(eks.parent).to.equal(cluster.urn);
        expect(providerUrn(eks)).to.equal(provider.urn);
        expect(inputsOf(eks).name).to.equal("paved-dev");
        expect(inputsOf(one(dev.resources, "aws:eks/nodeGroup:NodeGroup")).scalingConfig).to.include({ minSize: 1, maxSize: 2 });
        expect(inputsOf(eks).tags).to.include({ environment: "dev", "cost-center": "cc-1001", "team-channel": "#platform" });
        expect(ofType(dev.resources, "aws:ec2/natGateway:NatGateway")).to.have.length(1);
    });

    it("prod-us-east-1: production defaults — a NAT gateway per zone, deletion protection, an admin access entry", () => {
        const prod = runs["prod-us-east-1"];
        expect(ofType(prod.resources, "aws:ec2/natGateway:NatGateway")).to.have.length(3);
        expect(inputsOf(one(prod.resources, "aws:eks/cluster:Cluster")).deletionProtection).to.equal(true);
        expect(inputsOf(one(prod.resources, "aws:eks/accessEntry:AccessEntry")).principalArn).to.match(/:role\/platform-admin$/);
        expect(inputsOf(one(prod.resources, "aws:ec2/vpc:Vpc")).cidrBlock).to.equal("10.1.0.0/16");
    });

    it("dev-gcp: one GKE cluster in the configured project and region", () => {
        const gcp = runs["dev-gcp"];
        expect(inputsOf(one(gcp.resources, "pulumi:providers:gcp"))).to.include({ project: "acme-platform-dev", region: "europe-west1" });
        const cluster = inputsOf(one(gcp.resources, "gcp:container/cluster:Cluster"));
        expect(cluster).to.include({ location: "europe-west1", project: "acme-platform-dev" });
        expect(ofType(gcp.resources, "aws:eks/cluster:Cluster")).to.be.empty;
    });

    it("exports the cluster's name, endpoint and a secret kubeconfig from every stack", () => {
        for (const [stack, run] of Object.entries(runs)) {
            expect(run.outputs, stack).to.include.keys("cloud", "region", "clusterName", "endpoint", "kubeconfig");
            expect(isSecret(run.outputs.kubeconfig), `${stack} kubeconfig`).to.be.true;
            expect(String(run.outputs.endpoint)).to.match(/^https:\/\//);
        }
    });

    it("parents every resource under the stack, through its component", () => {
        for (const [stack, run] of Object.entries(runs)) {
            const urns = new Set(run.resources.map((r) => r.urn));
            const orphans = run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && (!r.parent || !urns.has(r.parent)));
            expect(orphans.map((r) => r.urn), stack).to.be.empty;
        }
    });
});
