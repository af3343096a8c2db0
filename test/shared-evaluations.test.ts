import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type { StackEvaluation } from "../automation/offline/evaluate";
import { notPlainData, sharedEvaluation } from "./shared-evaluations";

describe("shipped stack evaluations shared between test workers", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-shared-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const evaluation = (outputs: Record<string, unknown> = {}): StackEvaluation => ({
        project: "paved",
        stack: "dev",
        resources: [{ urn: "urn:pulumi:dev::paved::aws:s3/bucket:Bucket::logs", type: "aws:s3/bucket:Bucket", name: "logs", custom: true, inputs: { tags: { team: "a" }, missing: undefined }, dependencies: [], protect: false, ignoreChanges: [] }],
        outputs,
    });
    /** An evaluation that takes `ms`, counting its runs. */
    const counted = (value: () => StackEvaluation, ms = 50) => {
        const runs = { count: 0 };
        const evaluate = async () => {
            runs.count++;
            await new Promise((resolve) => setTimeout(resolve, ms));
            return value();
        };
        return { runs, evaluate };
    };

    it("evaluates a stack once: a concurrent second asker waits and gets an equal copy", async () => {
        const { runs, evaluate } = counted(() => evaluation({ secret: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s" } }));
        const [first, second] = await Promise.all([sharedEvaluation(dir, "dev", evaluate), sharedEvaluation(dir, "dev", evaluate)]);
        expect(runs.count).to.equal(1);
        expect(second).to.not.equal(first);
        expect(second).to.deep.equal(first);
        expect(Object.keys(second.resources[0].inputs)).to.deep.equal(["tags", "missing"]);
        expect(await sharedEvaluation(dir, "dev", evaluate)).to.deep.equal(first);
        expect(runs.count).to.equal(1);
        expect(fs.readdirSync(dir).sort()).to.deep.equal(["dev.claim", "dev.v8"]);
    });

    it("a failed evaluation is not shared: each asker runs the program and sees its own error", async () => {
        let runs = 0;
        const failing = async (): Promise<StackEvaluation> => {
            runs++;
            await new Promise((resolve) => setTimeout(resolve, 50));
            throw new Error(`boom ${runs}`);
        };
        const results = await Promise.allSettled([sharedEvaluation(dir, "dev", failing), sharedEvaluation(dir, "dev", failing)]);
        expect(results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "fulfilled"))).to.deep.equal(["boom 1", "boom 2"]);
        expect(fs.existsSync(path.join(dir, "dev.v8"))).to.equal(false);
    });

    it("an evaluation holding more than plain data is not shared, so no asker gets a copy that lost its class", async () => {
        class Asset {
            constructor(readonly path: string) {}
        }
        const { runs, evaluate } = counted(() => evaluation({ code: new Asset("index.js") }));
        const [first, second] = await Promise.all([sharedEvaluation(dir, "dev", evaluate), sharedEvaluation(dir, "dev", evaluate)]);
        expect(runs.count).to.equal(2);
        expect(first.outputs.code).to.be.instanceOf(Asset);
        expect(second.outputs.code).to.be.instanceOf(Asset);
        expect(fs.readFileSync(path.join(dir, "dev.unshared"), "utf8")).to.equal("not plain data: evaluation.outputs.code");
    });

    it("plain data is primitives, plain objects and arrays; anything else is named by its path", () => {
        expect(notPlainData({ a: [1, "x", null, undefined, true, { b: Object.create(null) as object }] }, "v")).to.equal(undefined);
        expect(notPlainData({ a: [1, { b: new Map() }] }, "v")).to.equal("v.a.1.b");
        expect(notPlainData({ f: () => 1 }, "v")).to.equal("v.f");
        expect(notPlainData({ when: new Date(0) }, "v")).to.equal("v.when");
        expect(notPlainData(Symbol("s"), "v")).to.equal("v");
    });
});
