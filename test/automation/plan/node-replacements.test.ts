import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { deployedPins, nodeReplacements, upNodeChanges } from "../../../automation/plan/node-replacements";
import { REPO_ROOT } from "../../harness";
import { paved } from "../runner/paved";

const pin = (group: string, version: string, releaseVersion: string) => ({ group, version, releaseVersion });

describe("node replacements", () => {
    it("lists the groups in both whose version or release differ, not those created, deleted or unchanged", () => {
        const before = [pin("system", "1.33", "1.33.0-20250704"), pin("apps-spot", "1.33", "1.33.0-20250704"), pin("old", "1.33", "1.33.0-20250704"), pin("same", "1.33", "1.33.0-20250704")];
        const after = [pin("system", "1.34", "1.34.1-20251007"), pin("apps-spot", "1.33", "1.33.5-20251120"), pin("new", "1.33", "1.33.0-20250704"), pin("same", "1.33", "1.33.0-20250704")];
        expect(nodeReplacements(before, after)).to.deep.equal([
            { group: "system", from: "1.33.0-20250704", to: "1.34.1-20251007" },
            { group: "apps-spot", from: "1.33.0-20250704", to: "1.33.5-20251120" },
        ]);
    });

    it("reads a deployment's pins from its outputs, and none from a stack without them", () => {
        expect(deployedPins({ kubernetesVersion: "1.33", nodeReleaseVersion: "1.33.0-20250704", nodeGroups: ["a", "b"] })).to.deep.equal([
            pin("a", "1.33", "1.33.0-20250704"),
            pin("b", "1.33", "1.33.0-20250704"),
        ]);
        expect(deployedPins({ kubernetesVersion: "1.33" })).to.deep.equal([]);
        expect(upNodeChanges([], "1.34", undefined)).to.deep.equal([]);
    });

    describe("paved plan --diff between two stacks on different releases", () => {
        let dir: string;
        before(() => {
            // staging as shipped, and the same stack one Kubernetes version (and so one AMI release) ahead.
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-nodes-"));
            fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            const staging = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8");
            fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), staging);
            expect(staging).to.include('kubernetesVersion: "1.33"');
            fs.writeFileSync(path.join(dir, "Pulumi.next.yaml"), staging.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"'));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("prints one 'nodes replaced' line per node group, old release → new", async () => {
            const { code, out } = await paved(["plan", "--diff", "staging", "next"], { projectDir: dir, driver: new MemoryDriver(new Set()) });
            expect(code).to.equal(0);
            expect(out.join("\n").split("\n").filter((l) => l.startsWith("nodes replaced"))).to.deep.equal([
                "nodes replaced: paved-{stack}-system 1.33.0-20250704 → 1.34.1-20251007",
                "nodes replaced: apps-spot 1.33.0-20250704 → 1.34.1-20251007",
            ]);
        });

        it("lists them in --json too", async () => {
            const { code, out } = await paved(["plan", "--diff", "staging", "next", "--json"], { projectDir: dir, driver: new MemoryDriver(new Set()) });
            expect(code).to.equal(0);
            expect((JSON.parse(out.join("\n")) as { nodeReplacements: unknown }).nodeReplacements).to.deep.equal([
                { group: "paved-{stack}-system", from: "1.33.0-20250704", to: "1.34.1-20251007" },
                { group: "apps-spot", from: "1.33.0-20250704", to: "1.34.1-20251007" },
            ]);
        });
    });
});
