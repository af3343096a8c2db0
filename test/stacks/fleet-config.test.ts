import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { readStackConfig } from "../../automation/offline/stack-file";
import { StackConfigError, loadStackConfig } from "../../stacks/config";
import { hostedFleet } from "../../stacks/fleet";
import { REPO_ROOT } from "../harness";

const dev = readStackConfig(REPO_ROOT, "dev").config;
const fleet = { repoUrl: "https://github.com/acme/paved.git", backend: "s3://acme-pulumi-state" };

function problemsOf(config: Record<string, string>): { key: string; reason: string }[] {
    try {
        loadStackConfig(config, { stack: "dev" });
        return [];
    } catch (e) {
        if (!(e instanceof StackConfigError)) throw e;
        return e.problems.map((p) => ({ key: p.propertyPath, reason: p.reason }));
    }
}
const withFleet = (f: unknown, extra: Record<string, string> = {}) => ({ ...dev, "paved:fleet": JSON.stringify(f), ...extra });

describe("paved:fleet (the management cluster)", () => {
    it("reads the fleet settings with their defaults: branch main, a resync every 600 s, nothing preview-only", () => {
        expect(dev["paved:fleet"], "the shipped dev stack hosts the fleet").to.be.a("string");
        expect(loadStackConfig(withFleet(fleet), { stack: "dev" }).fleet).to.deep.equal({ ...fleet, branch: "main", repoDir: undefined, resyncSeconds: 600, previewOnly: [], github: undefined });
    });

    it("refuses a backend the operator's pods cannot use, naming the key, never showing credentials", () => {
        const cases: [string, RegExp][] = [
            ["file:///home/me/state", /operator's pods cannot read a folder.*e\.g\. "s3:\/\/acme-pulumi-state"/],
            ["ftp://state.example.com/x", /got a "ftp:" URL: Pulumi has no such backend/],
            ["s3://user:hunter2@bucket", /with credentials or a query \(not shown\)/],
            ["not a url", /is not a URL/],
        ];
        for (const [backend, reason] of cases) {
            const problems = problemsOf(withFleet({ ...fleet, backend }));
            expect(problems.map((p) => p.key), backend).to.deep.equal(["paved:fleet.backend"]);
            expect(problems[0].reason, backend).to.match(reason);
            expect(problems[0].reason).not.to.include("hunter2");
        }
    });

    it("refuses to host the fleet on a stack the operator owns, or without Argo CD and Vault", () => {
        const owned = problemsOf(withFleet(fleet, { "paved:reconciler": "operator" }));
        expect(owned.map((p) => p.key)).to.deep.equal(["paved:fleet"]);
        expect(owned[0].reason).to.include("could not repair a change that breaks it");
        const bare = Object.fromEntries(Object.entries(withFleet(fleet)).filter(([k]) => !["paved:vault", "paved:observability", "paved:gitops", "paved:delivery", "paved:prEnvironments"].includes(k)));
        const missing = problemsOf(bare);
        expect(missing.map((p) => p.key)).to.deep.equal(["paved:fleet"]);
        expect(missing[0].reason).to.match(/^needs paved:gitops and paved:vault/);
    });

    it("lists every bad fleet key at once, each with an example", () => {
        const problems = problemsOf(withFleet({ repoUrl: "ftp://x", backend: "s3://b", resyncSeconds: 5, previewOnly: ["Prod"], brnch: "main" }));
        expect(problems.map((p) => p.key)).to.have.members(["paved:fleet.brnch", "paved:fleet.repoUrl", "paved:fleet.resyncSeconds", "paved:fleet.previewOnly[0]"]);
        expect(problems.find((p) => p.key === "paved:fleet.brnch")?.reason).to.include("did you mean paved:fleet.branch?");
        for (const p of problems) expect(p.reason, p.key).to.match(/e\.g\.|did you mean/);
    });

    it("a fleet whose files cannot be read is one config error of the host's paved:fleet, not a stack trace", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-fleet-host-"));
        try {
            for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.staging.yaml", ".pulumi-version"]) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
            fs.writeFileSync(path.join(dir, "rings.yaml"), "rings:\n  default:\n    stacks: [staging, prod-us-eats-1]\n");
            const settings = loadStackConfig(dev, { stack: "dev" }).fleet!;
            let error: unknown;
            try {
                hostedFleet(dir, settings, "dev");
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(StackConfigError);
            const problems = (error as StackConfigError).problems;
            expect(problems.map((p) => p.propertyPath)).to.deep.equal(["paved:fleet"]);
            expect(problems[0].reason).to.include('unknown stack "prod-us-eats-1"');
            expect(String((error as Error).message)).to.match(/^Pulumi\.dev\.yaml: 1 invalid config value\(s\); nothing was created/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
