import { expect } from "chai";
import { runTool, toolPath } from "./tools";

describe("OS tools for tests (test helper)", () => {
    it("finds Debian's promtool and prometheus, which answer with their versions", () => {
        expect(runTool("promtool", ["--version"]).output).to.match(/^promtool, version \d+\.\d+/);
        expect(runTool("prometheus", ["--version"]).output).to.match(/^prometheus, version \d+\.\d+/);
    });

    it("fails with one line naming `npm run setup` when a tool is not on PATH", () => {
        expect(() => toolPath("promtool", "/nonexistent")).to.throw(/^promtool is not installed \(not on PATH\): run `npm run setup` \(it installs the prometheus package\)$/);
    });
});
