import * as eks from "@pulumi/aws/eks";
import { expect } from "chai";
import { checkPolicies, policyArgs } from "../../automation/offline/policy-check";
import { PLATFORM_POLICIES, nodesReplacedNotPatched } from "../../policy/policies";
import { runProgram } from "../harness";

/** The messages the policy reports for one resource, handed over as the policy server would. */
async function reported(type: string, inputs: Record<string, unknown>, config: { production?: boolean } = {}): Promise<string[]> {
    const messages: string[] = [];
    const validate = nodesReplacedNotPatched.validateResource as (args: unknown, report: (m: string) => void) => Promise<void> | void;
    await validate(policyArgs({ type, name: "r", urn: `urn:pulumi:test::paved::${type}::r`, inputs }, config), (m) => messages.push(m));
    return messages;
}

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const UNPINNED =
    "node group without a pinned releaseVersion in production: its nodes keep the AMI they were born with and never get security fixes; " +
    'set version to the cluster\'s and releaseVersion to an EKS AMI release, e.g. releaseVersion: "1.33.0-20250704" ' +
    "(EksCluster and EksSpotNodePool pin AWS's recommended one; paved:cluster.releaseVersion holds it back)";

describe("policy nodes-replaced-not-patched", () => {
    it("passes a production node group that pins version and release", async () => {
        expect(await reported(NODE_GROUP, { version: "1.33", releaseVersion: "1.33.0-20250704" }, { production: true })).to.deep.equal([]);
    });

    it("reports a production node group without a pinned releaseVersion, with the fix", async () => {
        expect(await reported(NODE_GROUP, { version: "1.33" }, { production: true })).to.deep.equal([UNPINNED]);
        expect(await reported(NODE_GROUP, { version: "1.33", releaseVersion: "" }, { production: true })).to.deep.equal([UNPINNED]);
    });

    it("leaves an unpinned node group outside production alone (dev may follow the default AMI)", async () => {
        expect(await reported(NODE_GROUP, { version: "1.33" })).to.deep.equal([]);
    });

    it("reports every in-place patch path: patch baselines, patch groups, RunPatchBaseline associations and maintenance tasks", async () => {
        const fix = "nodes get fixes by replacement: pin a newer releaseVersion (or follow AWS's recommended one) and let the node group roll";
        expect(await reported("aws:ssm/patchBaseline:PatchBaseline", { operatingSystem: "AMAZON_LINUX_2023" })).to.deep.equal([`PatchBaseline patches instances in place: remove it; ${fix}`]);
        expect(await reported("aws:ssm/patchGroup:PatchGroup", { baselineId: "pb-1", patchGroup: "nodes" })).to.deep.equal([`PatchGroup patches instances in place: remove it; ${fix}`]);
        expect(await reported("aws:ssm/association:Association", { name: "AWS-RunPatchBaseline" })).to.deep.equal([`Association runs AWS-RunPatchBaseline on instances: remove it; ${fix}`]);
        expect(await reported("aws:ssm/maintenanceWindowTask:MaintenanceWindowTask", { taskArn: "AWS-RunPatchBaseline", taskType: "RUN_COMMAND" })).to.deep.equal([
            `MaintenanceWindowTask runs AWS-RunPatchBaseline on instances: remove it; ${fix}`,
        ]);
        expect(await reported("aws:ssm/association:Association", { name: "AmazonCloudWatch-ManageAgent" })).to.deep.equal([]);
    });

    it("is in the platform pack, and a production program with an unpinned node group gets a mandatory violation", async () => {
        expect(PLATFORM_POLICIES).to.include(nodesReplacedNotPatched);
        const run = await runProgram(() => {
            new eks.NodeGroup("unpinned", {
                clusterName: "paved-prod",
                nodeRoleArn: "arn:aws:iam::123456789012:role/node",
                subnetIds: ["subnet-1"],
                scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
                capacityType: "SPOT",
                tags: { environment: "prod", owner: "platform-team", "cost-center": "cc-1" },
            });
        });
        const found = await checkPolicies(run.resources, [nodesReplacedNotPatched], { production: true });
        expect(found.map((v) => [v.policy, v.level, v.message])).to.deep.equal([["nodes-replaced-not-patched", "mandatory", UNPINNED]]);
    });
});
