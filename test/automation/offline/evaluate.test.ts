import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../harness";
import { nodeFromSource } from "../../node-from-source";

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
        const r = nodeFromSource(SCRIPT);
        expect(r.stdout.trim().split("\n")).to.deep.equal(["bad: bad config", 'good: pulumi:pulumi:Stack,test:index:Thing {"n":1}', "still alive"]);
        expect(r.stderr).to.not.match(STACK_FRAME);
        expect(r.status).to.equal(0);
    });
});

/**
 * A program that leaves one of the SDK's promises pending and settles another, in a fresh process (the
 * SDK reads PULUMI_DEBUG_PROMISE_LEAKS when it loads): it prints the stack captured for the settled one.
 */
const LEAKING_PROGRAM = `
    const { evaluateProgram } = require("./automation/offline/evaluate.ts");
    const settled = Promise.resolve(1);
    evaluateProgram({ project: "p", stack: "s" }, async function madeHere() {
        const sdk = require("@pulumi/pulumi/runtime/debuggable");
        sdk.debuggablePromise(new Promise(() => {}), "never settles");
        await sdk.debuggablePromise(settled, "settled");
    }).then(() => console.log(JSON.stringify(settled._debugStackTrace)));`;

/** The environment with PULUMI_DEBUG_PROMISE_LEAKS as given (unset when undefined), whatever the caller's is. */
function withLeakDebugging(value: string | undefined): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.PULUMI_DEBUG_PROMISE_LEAKS;
    return value === undefined ? env : { ...env, PULUMI_DEBUG_PROMISE_LEAKS: value };
}

describe("evaluateProgram and the stacks the SDK captures for its promises (child processes)", () => {
    it("without PULUMI_DEBUG_PROMISE_LEAKS its promises carry no stack (nothing reads it), and a pending one still fails the exit", () => {
        const r = nodeFromSource(LEAKING_PROGRAM, { env: withLeakDebugging(undefined) });
        expect(JSON.parse(r.stdout)).to.equal("Error");
        expect(r.stderr).to.include("The Pulumi runtime detected that 1 promise was still active");
        expect(r.stderr).to.not.match(STACK_FRAME);
        expect(r.status).to.equal(1);
    });

    it("with PULUMI_DEBUG_PROMISE_LEAKS=1 the pending promise is reported with the stack that made it", () => {
        const r = nodeFromSource(LEAKING_PROGRAM, { env: withLeakDebugging("1") });
        expect(JSON.parse(r.stdout)).to.match(/^Error\n {4}at /);
        expect(r.stderr).to.match(/Promise leak detected:\nCONTEXT\(\d+\): never settles\nSTACK_TRACE:\nError\n {4}at .*\n {4}at madeHere /);
        expect(r.status).to.equal(1);
    });
});
