import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { expect } from "chai";
import { checkPolicies } from "../../../automation/offline/policy-check";
import { EksCluster, GkeCluster } from "../../../components/cluster";
import { noSshIntoNodes } from "../../../policy/policies";
import { StackEvaluation, inputsOf, ofType, one, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };

describe("the platform's EKS security groups", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await runProgram(() => {
            const provider = new AwsProvider("aws", { region: "eu-central-1" });
            new EksCluster("demo", { tags, kubernetesVersion: "1.33" }, { providers: [provider] });
        });
    });
    const group = (name: string) => one(run.resources, "aws:ec2/securityGroup:SecurityGroup", name);

    it("creates a cluster and a node security group in the cluster's VPC, with every rule inline (no separate rule resources)", () => {
        const vpc = one(run.resources, "aws:ec2/vpc:Vpc");
        expect(ofType(run.resources, "aws:ec2/securityGroup:SecurityGroup").map((g) => g.name)).to.deep.equal(["demo-cluster-sg", "demo-nodes-sg"]);
        for (const g of [group("demo-cluster-sg"), group("demo-nodes-sg")]) {
            expect(g.dependencies).to.include(vpc.urn);
            expect(inputsOf(g).ingress).to.not.be.empty;
            expect(inputsOf(g).egress).to.not.be.empty;
        }
        expect(ofType(run.resources, "aws:ec2/securityGroupRule:SecurityGroupRule")).to.deep.equal([]);
        expect(ofType(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).to.deep.equal([]);
    });

    it("lets the control plane reach nodes on 443 and 1025-65535 only through the cluster group, nodes reach each other without SSH", () => {
        type Rule = { protocol: string; fromPort: number; toPort: number; self?: boolean; cidrBlocks?: string[]; securityGroups?: string[] };
        const ingress = inputsOf(group("demo-nodes-sg")).ingress as Rule[];
        const rule = (r: Rule) => `${r.protocol} ${r.fromPort}-${r.toPort} ${r.self ? "self" : JSON.stringify(r.cidrBlocks ?? r.securityGroups)}`;
        // The cluster group's id as the mock cloud answered it; the node group names it, and waits for it.
        const clusterGroupId = ingress[0].securityGroups![0];
        expect(group("demo-nodes-sg").dependencies).to.include(group("demo-cluster-sg").urn);
        expect(ingress.map(rule)).to.deep.equal([
            `tcp 443-443 ${JSON.stringify([clusterGroupId])}`,
            `tcp 1025-65535 ${JSON.stringify([clusterGroupId])}`,
            "tcp 0-21 self",
            "tcp 23-65535 self",
            "udp 0-65535 self",
            "icmp -1--1 self",
            'tcp 30000-32767 ["10.0.0.0/16"]',
        ]);
        expect(inputsOf(group("demo-cluster-sg")).ingress).to.deep.equal([
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"], description: "nodes and pods to the API server" },
        ]);
    });

    it("passes the platform's no-SSH policy (no rule, not even an all-protocol one, reaches port 22)", async () => {
        const groups = ofType(run.resources, "aws:ec2/securityGroup:SecurityGroup");
        expect(groups).to.have.length(2);
        expect(await checkPolicies(groups, [noSshIntoNodes], { production: true })).to.deep.equal([]);
    });

    it("attaches the cluster group to the control plane and the node group to the system node group's launch template", () => {
        const cluster = inputsOf(one(run.resources, "aws:eks/cluster:Cluster"));
        const clusterSg = one(run.resources, "aws:ec2/securityGroup:SecurityGroup", "demo-cluster-sg");
        const nodesSg = one(run.resources, "aws:ec2/securityGroup:SecurityGroup", "demo-nodes-sg");
        expect(cluster.vpcConfig.securityGroupIds).to.have.length(1);
        expect(one(run.resources, "aws:eks/cluster:Cluster").dependencies).to.include(clusterSg.urn);
        const template = one(run.resources, "aws:ec2/launchTemplate:LaunchTemplate", "demo-system");
        expect(inputsOf(template).vpcSecurityGroupIds).to.have.length(1);
        expect(template.dependencies).to.include(nodesSg.urn);
    });
});

describe("the platform's GKE firewall", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await runProgram(() => {
            new GkeCluster("demo", { tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33" });
        });
    });

    it("declares each rule with its priority on the cluster's network: SSH denied first, the allows, a deny-all baseline last", () => {
        const network = one(run.resources, "gcp:compute/network:Network");
        // Registration order is not creation order; GCE evaluates by priority, so compare in that order.
        const firewalls = ofType(run.resources, "gcp:compute/firewall:Firewall")
            .sort((x, y) => inputsOf(x).priority - inputsOf(y).priority || String(inputsOf(y).name).localeCompare(inputsOf(x).name));
        expect(firewalls.map((f) => [inputsOf(f).name, inputsOf(f).priority, inputsOf(f).direction])).to.deep.equal([
            ["demo-deny-ssh", 100, "INGRESS"],
            ["demo-allow-internal", 1000, "INGRESS"],
            ["demo-allow-control-plane", 1000, "INGRESS"],
            ["demo-deny-all-ingress", 65534, "INGRESS"],
        ]);
        for (const f of firewalls) expect(f.dependencies).to.include(network.urn);
        const baseline = inputsOf(firewalls[3]);
        expect(baseline).to.deep.include({ sourceRanges: ["0.0.0.0/0"], denies: [{ protocol: "all" }] });
        expect(inputsOf(firewalls[0]).denies).to.deep.equal([{ protocol: "tcp", ports: ["22"] }]);
        // GKE's defaults (gke-args.ts): nodes 10.10.0.0/20, pods 10.16.0.0/14, control plane 172.16.0.0/28.
        expect(inputsOf(firewalls[1]).sourceRanges).to.deep.equal(["10.10.0.0/20", "10.16.0.0/14"]);
        expect(inputsOf(firewalls[2])).to.deep.include({ sourceRanges: ["172.16.0.0/28"], allows: [{ protocol: "tcp", ports: ["443", "1025-65535"] }] });
    });

    it("passes the platform's no-SSH policy", async () => {
        const firewalls = ofType(run.resources, "gcp:compute/firewall:Firewall");
        expect(firewalls).to.have.length(4);
        expect(await checkPolicies(firewalls, [noSshIntoNodes], { production: true })).to.deep.equal([]);
    });
});
