import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { REPO_ROOT } from "./harness";

interface Step { uses?: string; with?: Record<string, unknown> }

describe("GitHub workflows", () => {
    it("install the one Pulumi CLI pinned in .pulumi-version, wherever they install it", () => {
        const dir = path.join(REPO_ROOT, ".github", "workflows");
        const installs = fs.readdirSync(dir).flatMap((file) => {
            const workflow = parse(fs.readFileSync(path.join(dir, file), "utf8")) as { jobs: Record<string, { steps?: Step[] }> };
            return Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@")).map((s) => ({ file, with: s.with })));
        });
        expect(installs.map((i) => i.file).sort()).to.deep.equal(["drift-nightly.yml", "real-engine.yml", "region-failover-drill.yml"]);
        for (const install of installs) expect(install.with?.["pulumi-version-file"], install.file).to.equal(".pulumi-version");
        expect(fs.readFileSync(path.join(REPO_ROOT, ".pulumi-version"), "utf8").trim()).to.match(/^\d+\.\d+\.\d+$/);
    });
});
