import { expect } from "chai";
import * as fs from "node:fs";
import { projectWith } from "./paved";

describe("scratch projects of the runner tests (test/automation/runner/paved.ts)", () => {
    it("add no exit listener per project: past Node's limit of 10 its warning lands in the stderr tests read", () => {
        const before = process.listenerCount("exit");
        const dirs = Array.from({ length: 12 }, () => projectWith(["prod-global"]));
        expect(process.listenerCount("exit")).to.equal(before);
        expect(new Set(dirs).size).to.equal(12);
        for (const dir of dirs) expect(fs.readdirSync(dir)).to.include("Pulumi.prod-global.yaml");
    });
});
