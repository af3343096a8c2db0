import { expect } from "chai";
import { withEksAmiReleases } from "../../../automation/offline/cloud-answers";
import { evaluateStack } from "../../../automation/offline/evaluate";
import { diffStacks } from "../../../automation/plan/diff";
import { readStackConfig } from "../../../automation/offline/stack-file";
import { StackConfigError, loadStackConfig } from "../../../stacks/config";
import { program } from "../../../stacks/program";
import { REPO_ROOT, StackEvaluation, inputsOf, ofType, one, runStack } from "../../harness";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
/** What the offline SSM mock answers for /aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version. */
const MOCKED_RELEASE = "1.33.0-20250704";

/** Every managed node group each shipped EKS stack declares. */
const NODE_GROUPS: Record<string, string[]> = {
    dev: ["paved-dev-system", "apps-spot"],
    staging: ["paved-staging-system", "apps-spot"],
    "prod-us-east-1": ["paved-prod-us-east-1-system", "apps-spot", "apps-ondemand"],
    "prod-us-west-2": ["paved-prod-us-west-2-system", "apps-spot", "apps-ondemand"],
};

describe("immutable EKS nodes: version and AMI release pinned", () => {
    for (const [stack, names] of Object.entries(NODE_GROUPS)) {
        it(`${stack}: every node group pins the cluster's version and the mocked SSM release`, async () => {
            const run = await runStack(stack);
            expect(inputsOf(one(run.resources, "aws:eks/cluster:Cluster")).version).to.equal("1.33");
            const groups = ofType(run.resources, NODE_GROUP);
            expect(groups.map((g) => g.name)).to.have.members(names);
            expect(groups.map((g) => [g.name, inputsOf(g).version, inputsOf(g).releaseVersion, inputsOf(g).amiType])).to.have.deep.members(
                names.map((n) => [n, "1.33", MOCKED_RELEASE, "AL2023_x86_64_STANDARD"]),
            );
            expect(run.outputs).to.deep.include({ kubernetesVersion: "1.33", nodeReleaseVersion: MOCKED_RELEASE });
            // What `paved up` compares the next deployment with.
            expect(run.outputs.nodeGroups).to.have.members(names);
        });
    }

    it("sets updateConfig explicitly: one system node at a time, a third of an app pool, and never forces past a PodDisruptionBudget", async () => {
        const run = await runStack("prod-us-east-1");
        const groups = ofType(run.resources, NODE_GROUP);
        expect(groups).to.have.length(3);
        // forceUpdateVersion would evict pods whatever their budgets say; unset, EKS fails the update instead.
        expect(groups.map((g) => inputsOf(g).forceUpdateVersion)).to.deep.equal([undefined, undefined, undefined]);
        expect(inputsOf(one(run.resources, NODE_GROUP, "paved-prod-us-east-1-system")).updateConfig).to.deep.equal({ maxUnavailable: 1 });
        expect(inputsOf(one(run.resources, NODE_GROUP, "apps-spot")).updateConfig).to.deep.equal({ maxUnavailablePercentage: 33 });
        expect(inputsOf(one(run.resources, NODE_GROUP, "apps-ondemand")).updateConfig).to.deep.equal({ maxUnavailablePercentage: 33 });
    });

    describe("when AWS publishes a new AMI release", () => {
        let current: StackEvaluation;
        let newer: StackEvaluation;
        before(async () => {
            current = await runStack("prod-us-east-1");
            newer = await withEksAmiReleases({ "1.33": "1.33.5-20251120" }, () => evaluateStack(REPO_ROOT, "prod-us-east-1", program));
        });

        it("every node group's releaseVersion changes, and no other input of any resource", () => {
            const diffs = diffStacks(current, newer);
            expect(diffs).to.deep.equal([
                ["paved:cluster:EksCluster$aws:eks/nodeGroup:NodeGroup::paved-{stack}-system"],
                ["paved:nodepools:EksSpotNodePool$aws:eks/nodeGroup:NodeGroup::apps-ondemand"],
                ["paved:nodepools:EksSpotNodePool$aws:eks/nodeGroup:NodeGroup::apps-spot"],
            ].map(([key]) => ({ key, change: "changed", inputs: [{ path: "releaseVersion", a: MOCKED_RELEASE, b: "1.33.5-20251120" }] })));
        });

        it("the stack's outputs change only in the release they report", () => {
            expect(newer.outputs.nodeReleaseVersion).to.equal("1.33.5-20251120");
            expect({ ...newer.outputs, nodeReleaseVersion: MOCKED_RELEASE }).to.deep.equal(current.outputs);
        });
    });

    it("refuses a paved:cluster.releaseVersion of another Kubernetes version as a config error naming the key", () => {
        const config = readStackConfig(REPO_ROOT, "dev").config;
        const pinned = { ...config, "paved:cluster": JSON.stringify({ ...JSON.parse(config["paved:cluster"]), releaseVersion: "1.32.5-20250704" }) };
        expect(() => loadStackConfig(pinned, { stack: "dev" })).to.throw(
            StackConfigError,
            'paved:cluster.releaseVersion: got "1.32.5-20250704" but the cluster runs Kubernetes 1.33: nodes take a release of the cluster\'s version',
        );
    });

    it("an explicit paved:cluster.releaseVersion holds every node group back, and no SSM answer is used", async () => {
        const held = await withEksAmiReleases({ "1.33": "1.33.5-20251120" }, () => evaluateStack(REPO_ROOT, "dev", async () => {
            // The stack file's config, plus the team's pin (as `pulumi config set --path paved:cluster.releaseVersion` would add it).
            const pulumi = await import("@pulumi/pulumi");
            const config = pulumi.runtime.allConfig();
            const cluster = { ...JSON.parse(config["paved:cluster"]), releaseVersion: "1.33.0-20250704" };
            pulumi.runtime.setConfig("paved:cluster", JSON.stringify(cluster));
            return program();
        }));
        const groups = ofType(held.resources, NODE_GROUP);
        expect(groups.map((g) => g.name)).to.have.members(NODE_GROUPS.dev);
        expect(groups.map((g) => inputsOf(g).releaseVersion)).to.deep.equal(["1.33.0-20250704", "1.33.0-20250704"]);
    });
});
