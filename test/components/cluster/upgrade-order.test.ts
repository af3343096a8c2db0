import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { evaluateStack } from "../../../automation/offline/evaluate";
import { program } from "../../../stacks/program";
import { REPO_ROOT, RecordedResource, StackEvaluation, inputsOf, ofType, one, runStack } from "../../harness";

const ADDON = "aws:eks/addon:Addon";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/** Whether `later` waits for `earlier`, directly or through what it waits for (the engine orders updates so). */
function waitsFor(run: StackEvaluation, later: RecordedResource, earlier: RecordedResource, seen = new Set<string>()): boolean {
    for (const urn of later.dependencies) {
        if (urn === earlier.urn) return true;
        if (seen.has(urn)) continue;
        seen.add(urn);
        const next = run.resources.find((r) => r.urn === urn);
        if (next && waitsFor(run, next, earlier, seen)) return true;
    }
    return false;
}

/** The program of a shipped stack with its cluster config changed, as an edited Pulumi.<stack>.yaml would give it. */
function withCluster(change: Record<string, unknown>) {
    return () => {
        const config = pulumi.runtime.allConfig();
        pulumi.runtime.setConfig("paved:cluster", JSON.stringify({ ...JSON.parse(config["paved:cluster"]), ...change }));
        return program();
    };
}

describe("EKS upgrade order, as dependencies", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await runStack("prod-us-east-1");
    });
    const addon = (name: string) => one(run.resources, ADDON, `paved-prod-us-east-1-${name}`);
    const group = (name: string) => one(run.resources, NODE_GROUP, name);

    it("add-ons come after the control plane", () => {
        const controlPlane = one(run.resources, "aws:eks/cluster:Cluster");
        const addons = ofType(run.resources, ADDON);
        expect(addons.map((a) => inputsOf(a).addonName)).to.have.members(["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"]);
        expect(addons.filter((a) => a.dependencies.includes(controlPlane.urn)).map((a) => a.name)).to.have.length(5);
    });

    it("the system node group comes after the add-ons its nodes need to join and network", () => {
        const system = group("paved-prod-us-east-1-system");
        for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) expect(system.dependencies, name).to.include(addon(name).urn);
        // CoreDNS and the EBS CSI driver run on nodes: they come after the system group, not before.
        expect(addon("coredns").dependencies).to.include(system.urn);
        expect(addon("aws-ebs-csi-driver").dependencies).to.include(system.urn);
    });

    it("app pools (spot and on-demand fallback) come after the system group and the add-ons they need", () => {
        const system = group("paved-prod-us-east-1-system");
        const pools = ofType(run.resources, NODE_GROUP).filter((g) => g !== system);
        expect(pools.map((g) => g.name)).to.have.members(["apps-spot", "apps-ondemand"]);
        expect(pools.filter((g) => g.dependencies.includes(system.urn)).map((g) => g.name)).to.have.members(["apps-spot", "apps-ondemand"]);
        for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
            expect(pools.filter((g) => g.dependencies.includes(addon(name).urn)).map((g) => g.name), name).to.have.members(["apps-spot", "apps-ondemand"]);
        }
        expect(waitsFor(run, group("apps-spot"), one(run.resources, "aws:eks/cluster:Cluster"))).to.equal(true);
        // And never the other way round: nothing of the control plane waits for an app pool.
        expect(waitsFor(run, system, group("apps-spot"))).to.equal(false);
    });

    it("a one-version upgrade (1.33 → 1.34) moves the control plane, the add-ons, and every node group's version and release together", async () => {
        const next = await evaluateStack(REPO_ROOT, "prod-us-east-1", withCluster({ kubernetesVersion: "1.34" }));
        expect(inputsOf(one(next.resources, "aws:eks/cluster:Cluster")).version).to.equal("1.34");
        // The add-on builds EKS lists for 1.34 (cloud-answers.ts's describe-addon-versions shapes).
        expect(Object.fromEntries(ofType(next.resources, ADDON).map((a) => [inputsOf(a).addonName, inputsOf(a).addonVersion]))).to.deep.equal({
            "vpc-cni": "v1.20.4-eksbuild.2",
            "kube-proxy": "v1.34.1-eksbuild.1",
            "eks-pod-identity-agent": "v1.3.9-eksbuild.3",
            coredns: "v1.12.4-eksbuild.1",
            "aws-ebs-csi-driver": "v1.50.1-eksbuild.1",
        });
        const groups = ofType(next.resources, NODE_GROUP);
        expect(groups.map((g) => [g.name, inputsOf(g).version, inputsOf(g).releaseVersion])).to.have.deep.members([
            ["paved-prod-us-east-1-system", "1.34", "1.34.1-20251007"],
            ["apps-spot", "1.34", "1.34.1-20251007"],
            ["apps-ondemand", "1.34", "1.34.1-20251007"],
        ]);
    });
});
