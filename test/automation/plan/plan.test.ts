import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { main } from "../../../automation/cli";
import { criticalPath } from "../../../automation/plan/critical-path";
import { diffStacks } from "../../../automation/plan/diff";
import { REPO_ROOT, runProgram } from "../../harness";

class Thing extends pulumi.CustomResource {
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Thing", name, {}, opts);
    }
}

/** Runs the CLI in-process and captures what it prints. */
async function paved(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log;
    const error = console.error;
    const saved = { ...process.env };
    Object.assign(process.env, env);
    console.log = (...a: unknown[]) => out.push(a.join(" "));
    console.error = (...a: unknown[]) => err.push(a.join(" "));
    try {
        const code = await main(args);
        return { code, out: out.join("\n"), err: err.join("\n") };
    } finally {
        console.log = log;
        console.error = error;
        process.env = saved;
    }
}

describe("paved plan", () => {
    it("finds the longest creation chain through dependencies, providers and components", async () => {
        const run = await runProgram(() => {
            const a = new Thing("a");
            const b = new Thing("b", { dependsOn: [a] });
            const box = new pulumi.ComponentResource("test:index:Box", "box", {}, {});
            new Thing("inner-1", { parent: box, dependsOn: [b] });
            const inner2 = new Thing("inner-2", { parent: box });
            new Thing("after-box", { dependsOn: [box] });
            new Thing("side", { dependsOn: [inner2] });
        });
        expect(criticalPath(run.resources).map((r) => r.name)).to.deep.equal(["a", "b", "inner-1", "after-box"]);
    });

    it("prints every shipped stack with zero mandatory violations, its cost and its critical path", async () => {
        const { code, out } = await paved(["plan", "--workers", "1"]);
        expect(code).to.equal(0);
        expect(out).to.include("Credential-free evaluation").and.include("not a cloud preview");
        for (const stack of ["dev", "dev-gcp", "prod-us-east-1", "prod-us-west-2"]) expect(out).to.include(`${stack} (`);
        expect(out).to.include("policy: 0 mandatory, 0 advisory violation(s)");
        expect(out).to.include("savings ratio").and.include("critical path (");
    });

    it("prints shipped stacks byte for byte the same in 2 worker threads as one after another in this process", async function () {
        this.timeout(120_000);
        // One stack of each role, to keep the test cheap (npm run bench compares all of them, text and
        // JSON). dev-gcp is a worker's first stack, cold, and its resources register in another order.
        const stacks = ["dev-gcp", "local", "pr", "prod-global"];
        const parallel = await paved(["plan", ...stacks, "--workers", "2"]);
        const inProcess = await paved(["plan", ...stacks, "--workers", "1"]);
        expect(inProcess.out).to.include("dev-gcp (").and.include("prod-global (");
        expect(parallel).to.deep.equal(inProcess);
    });

    it("gives machines JSON", async () => {
        const { code, out } = await paved(["plan", "dev", "--json"]);
        expect(code).to.equal(0);
        const plan = JSON.parse(out) as { stacks: { stack: string; resources: number; violations: unknown[]; criticalPath: unknown[]; outputs: Record<string, string> }[] };
        expect(plan.stacks.map((s) => s.stack)).to.deep.equal(["dev"]);
        expect(plan.stacks[0].resources).to.be.greaterThan(100);
        expect(plan.stacks[0].outputs.kubeconfig).to.equal("[secret]");
    });

    it("diffs primary and standby down to the intended differences: region, address ranges and the warm spot pool", async () => {
        const { code, out } = await paved(["plan", "--diff", "prod-us-east-1", "prod-us-west-2", "--json"]);
        expect(code).to.equal(0);
        const { diffs } = JSON.parse(out) as { diffs: { key: string; change: string; inputs: { path: string; a: unknown; b: unknown }[] }[] };
        expect(diffs.filter((d) => d.change !== "changed")).to.deep.equal([]);
        // Every difference is the region (and what is named after it) or the VPC's address range;
        // secrets cannot be compared by value and are shown as such.
        const asStandby = (v: unknown) => JSON.stringify(v).replace(/us-east-1/g, "us-west-2").replace(/\b10\.1\./g, "10.2.");
        const warm = diffs.filter((d) => d.key.endsWith("NodeGroup::apps-spot")).flatMap((d) => d.inputs.filter((i) => i.path.startsWith("scalingConfig.")));
        expect(warm).to.deep.equal([{ path: "scalingConfig.desiredSize", a: 2, b: 1 }, { path: "scalingConfig.minSize", a: 2, b: 1 }]);
        const compared = diffs.flatMap((d) => d.inputs).filter((c) => c.a !== "[secret]" && !warm.includes(c));
        expect(compared.map((c) => c.path)).to.include("region");
        for (const change of compared) {
            expect(asStandby(change.a), change.path).to.equal(JSON.stringify(change.b));
        }
    });

    it("matches the same resource across stacks and reports added ones", async () => {
        const a = await runProgram(() => {
            new Thing("kept");
        });
        const b = await runProgram(() => {
            new Thing("kept");
            new Thing("new");
        });
        expect(diffStacks(a, b).map((d) => [d.key, d.change])).to.deep.equal([["pulumi:pulumi:Stack$test:index:Thing::new", "only-in-b"]]);
    });

    it("refuses an unknown stack or a half-given diff with one line and exit 2", async () => {
        const unknown = await paved(["plan", "staging-eu"]);
        expect(unknown.code).to.equal(2);
        expect(unknown.err).to.equal('paved: unknown stack "staging-eu": there is no Pulumi.staging-eu.yaml; stacks here: dev, dev-gcp, local, pr, prod-global, prod-us-east-1, prod-us-west-2, staging');
        const diff = await paved(["plan", "--diff", "dev"]);
        expect(diff.code).to.equal(2);
        expect(diff.err).to.include("--diff takes two stacks");
    });

    it("reports a malformed stack file and bad config as one clear line each, exit 2, no stack trace", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-plan-"));
        fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  paved:cloud: [aws\n");
        fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  paved:cloud: azure\n");
        const { code, err } = await paved(["plan"], { PAVED_PROJECT_DIR: dir });
        expect(code).to.equal(2);
        expect(err).to.include("broken: Pulumi.broken.yaml is not valid YAML");
        expect(err).to.include("bad: Pulumi.bad.yaml:").and.include("paved:cloud: got \"azure\"");
        expect(err).to.not.match(/\n\s+at /);
    });
});
