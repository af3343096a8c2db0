import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../harness";

/*
 * A failed program's stack promise rejects again after evaluateProgram has returned (the Stack
 * resource's data and outputs). Those late rejections are the same failure: they must not crash the
 * process nor fail the next program. Under mocha a late rejection cannot kill the process, so this
 * runs a failing then a good program in a child process, as `paved plan` does.
 */
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

const SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const { evaluateProgram } = require(${JSON.stringify(path.join(REPO_ROOT, "automation/offline/evaluate.ts"))});
(async () => {
    try {
        await evaluateProgram({ project: "p", stack: "bad" }, async () => { await Promise.resolve(); throw new pulumi.RunError("bad config"); });
    } catch (e) { console.log("bad: " + e.message); }
    const good = await evaluateProgram({ project: "p", stack: "good" }, () => { new pulumi.ComponentResource("test:index:Thing", "thing"); return { n: 1 }; });
    console.log("good: " + good.resources.map((r) => r.type).join(",") + " " + JSON.stringify(good.outputs));
    await new Promise((resolve) => setTimeout(resolve, 100));
    console.log("still alive");
})();
`;

describe("evaluateProgram after a failed program (child process)", () => {
    it("neither crashes on the failed program's late rejections nor lets them reach the next program", () => {
        const r = spawnSync(process.execPath, ["--import", "tsx", "-e", SCRIPT], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
        expect(r.stdout.trim().split("\n")).to.deep.equal(["bad: bad config", 'good: pulumi:pulumi:Stack,test:index:Thing {"n":1}', "still alive"]);
        expect(r.stderr).to.not.match(STACK_FRAME);
        expect(r.status).to.equal(0);
    });
});
