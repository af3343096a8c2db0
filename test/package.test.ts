import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { teamCluster } from "./fixtures/consumer";
import { REPO_ROOT, one, runProgram } from "./harness";

describe("the paved-road package", () => {
    it("resolves by name to the built entry and exports every component and the config loader", () => {
        const script = `
            const entry = require.resolve("paved-road");
            const lib = require("paved-road");
            console.log(JSON.stringify({ entry, exports: Object.keys(lib) }));`;
        const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8" }));
        expect(out.entry).to.equal(path.join(REPO_ROOT, "dist", "index.js"));
        expect(out.exports).to.include.members([
            "EksCluster", "GkeCluster", "EksSpotNodePool", "GkeSpotNodePool", "ClusterAutoscaler", "WorkloadSchedule", "costReport", "eksClusterProblems", "gkeClusterProblems", "awsTags", "gcpLabels", "loadStackConfig", "StackConfigError",
        ]);
    });

    it("runs a consumer's program built on the published entry", async () => {
        const run = await runProgram(() => {
            teamCluster();
        });
        expect(one(run.resources, "paved:cluster:EksCluster").name).to.equal("team");
        expect(one(run.resources, "aws:eks/cluster:Cluster").parent).to.match(/paved:cluster:EksCluster::team$/);
    });

    it("ships declarations next to the code, so a consumer type-checks against it", () => {
        expect(require.resolve(path.join(REPO_ROOT, "dist", "index.d.ts"))).to.be.a("string");
        expect(require.resolve(path.join(REPO_ROOT, "dist", "components", "cluster", "eks-cluster.d.ts"))).to.be.a("string");
    });
});
