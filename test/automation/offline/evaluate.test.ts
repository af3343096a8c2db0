import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { evaluateProgram } from "../../../automation/offline/evaluate";
import { REPO_ROOT } from "../../harness";

/*
 * A failed program's stack promise rejects again after evaluateProgram has returned (the Stack
 * resource's data and outputs). Those late rejections are the same failure: they must not crash the
 * process nor fail the next program. Under mocha a late rejection cannot kill the process, so this
 * runs a failing then a good program in a child process, as `paved plan` does.
 */
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

/** Runs `script` in a fresh Node process that loads this repository's TypeScript as the tests do. */
function node(script: string, env: NodeJS.ProcessEnv = process.env) {
    return spawnSync(process.execPath, ["--require", "./automation/typescript-sources.cjs", "-e", script], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000, env });
}

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
        const r = node(SCRIPT);
        expect(r.stdout.trim().split("\n")).to.deep.equal(["bad: bad config", 'good: pulumi:pulumi:Stack,test:index:Thing {"n":1}', "still alive"]);
        expect(r.stderr).to.not.match(STACK_FRAME);
        expect(r.status).to.equal(0);
    });
});

/** The SDK's own promise wrapper, internal to it; `stackOf` reads the stack it captured for `promise`. */
const SDK_PROMISES = "@pulumi/pulumi/runtime/debuggable";
type DebuggablePromise = (promise: Promise<unknown>, context: string) => Promise<unknown>;
const stackOf = (promise: Promise<unknown>) => (promise as unknown as { _debugStackTrace: string })._debugStackTrace;

describe("evaluateProgram and the stacks the SDK captures for its promises", () => {
    it("the SDK's promises carry no stack when PULUMI_DEBUG_PROMISE_LEAKS is unset (nothing reads it)", async () => {
        expect(process.env.PULUMI_DEBUG_PROMISE_LEAKS).to.equal(undefined);
        const settled = Promise.resolve(1);
        await evaluateProgram({ project: "p", stack: "s" }, async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's internal module, read as it reads itself
            const sdk = require(SDK_PROMISES) as { debuggablePromise: DebuggablePromise };
            await sdk.debuggablePromise(settled, "settled");
        });
        expect(stackOf(settled)).to.equal("Error");
    });

    it("with PULUMI_DEBUG_PROMISE_LEAKS=1 a promise left pending is still reported at exit with the stack that made it (child process)", () => {
        const script = `
            const { evaluateProgram } = require("./automation/offline/evaluate.ts");
            evaluateProgram({ project: "p", stack: "s" }, function madeHere() {
                require(${JSON.stringify(SDK_PROMISES)}).debuggablePromise(new Promise(() => {}), "never settles");
            }).then(() => console.log("evaluated"));`;
        const r = node(script, { ...process.env, PULUMI_DEBUG_PROMISE_LEAKS: "1" });
        expect(r.stdout.trim()).to.equal("evaluated");
        expect(r.stderr).to.match(/Promise leak detected:\nCONTEXT\(\d+\): never settles\nSTACK_TRACE:\nError\n {4}at .*\n {4}at madeHere /);
        expect(r.status).to.equal(1);
    });
});
