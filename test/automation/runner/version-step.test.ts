import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { REPO_ROOT } from "../../harness";
import { paved as run, projectWith, repoStacks, setReconciler } from "./paved";
import { pavedArgs } from "../../paved-binary";

/** Every stack paved's: the version step guards what paved applies, whoever owns the shipped files. */
const PAVED_ONLY = projectWith([]);
const paved = (args: string[], driver: MemoryDriver) => run(args, { driver, projectDir: PAVED_ONLY, retry: { retries: 0, backoffMs: 1 } });

/** prod-us-east-1 as its last `up` left it (the outputs stacks/regional.ts exports), with the version its file now asks for. */
function deployed(configured: Record<string, string>): MemoryDriver {
    const driver = new MemoryDriver(repoStacks(), new Map(), 1);
    driver.stackOutputs.set("prod-us-east-1", {
        kubernetesVersion: "1.33",
        nodeReleaseVersion: "1.33.0-20250704",
        nodeGroups: ["paved-prod-us-east-1-system", "apps-spot", "apps-ondemand"],
    });
    driver.config.set("prod-us-east-1", configured);
    return driver;
}

describe("paved up: one Kubernetes minor version at a time, against the last deployment", () => {
    /** `paved up` on the deployed prod-us-east-1 with `configured` as its version: the exit code, what it printed, and whether anything ran. */
    async function refused(configured: string, args: string[]) {
        const driver = deployed({ "paved:cluster.kubernetesVersion": configured });
        const { code, err } = await paved(["up", ...args], driver);
        return { code, err, calls: driver.calls };
    }

    it("refuses a two-minor-version jump with exit 2, naming the key and the deployed version, and runs nothing", async () => {
        expect(await refused("1.35", ["--stack", "prod-us-east-1"])).to.deep.equal({
            code: 2,
            err: [
                "paved: refusing to run up, nothing was touched:\n" +
                    'prod-us-east-1: paved:cluster.kubernetesVersion: got "1.35" but the cluster runs 1.33 (its last deployment): EKS and GKE upgrade a control plane one minor version at a time; set "1.34", run up, then go on to "1.35"',
            ],
            calls: [],
        });
    });

    it("refuses a downgrade with exit 2, naming the key and the deployed version, also among --all", async () => {
        expect(await refused("1.32", ["--all"])).to.deep.equal({
            code: 2,
            err: [
                "paved: refusing to run up, nothing was touched:\n" +
                    'prod-us-east-1: paved:cluster.kubernetesVersion: got "1.32" but the cluster runs 1.33 (its last deployment): EKS and GKE cannot downgrade a control plane; set "1.33" back',
            ],
            calls: [],
        });
    });

    it("runs a one-version upgrade, first saying which node groups it replaces", async () => {
        const driver = deployed({ "paved:cluster.kubernetesVersion": "1.34" });
        const { code, out } = await paved(["up", "--stack", "prod-us-east-1"], driver);
        expect(code).to.equal(0);
        expect(out).to.deep.equal([
            "prod-us-east-1: nodes replaced: paved-prod-us-east-1-system 1.33.0-20250704 → 1.34 (AWS's recommended release)",
            "prod-us-east-1: nodes replaced: apps-spot 1.33.0-20250704 → 1.34 (AWS's recommended release)",
            "prod-us-east-1: nodes replaced: apps-ondemand 1.33.0-20250704 → 1.34 (AWS's recommended release)",
            "prod-us-east-1: up started",
            "prod-us-east-1: up succeeded (same 1)",
        ]);
    });

    it("names a pinned release as the target, and says nothing is replaced when the pin is what runs", async () => {
        const pinned = await paved(["up", "--stack", "prod-us-east-1"], deployed({ "paved:cluster.kubernetesVersion": "1.33", "paved:cluster.releaseVersion": "1.33.5-20251120" }));
        expect(pinned.out.filter((l) => l.includes("nodes replaced"))).to.deep.equal([
            "prod-us-east-1: nodes replaced: paved-prod-us-east-1-system 1.33.0-20250704 → 1.33.5-20251120",
            "prod-us-east-1: nodes replaced: apps-spot 1.33.0-20250704 → 1.33.5-20251120",
            "prod-us-east-1: nodes replaced: apps-ondemand 1.33.0-20250704 → 1.33.5-20251120",
        ]);
        const same = await paved(["up", "--stack", "prod-us-east-1"], deployed({ "paved:cluster.kubernetesVersion": "1.33", "paved:cluster.releaseVersion": "1.33.0-20250704" }));
        expect(same.out).to.deep.equal(["prod-us-east-1: up started", "prod-us-east-1: up succeeded (same 1)"]);
    });

    it("on the same version without a pin, says the nodes follow AWS's recommended release", async () => {
        const { out } = await paved(["up", "--stack", "prod-us-east-1"], deployed({ "paved:cluster.kubernetesVersion": "1.33" }));
        expect(out[0]).to.equal(
            "prod-us-east-1: nodes: every node group follows AWS's recommended 1.33 release (deployed: 1.33.0-20250704); if AWS has published a newer one, every node group is replaced",
        );
    });

    it("checks nothing for a stack never deployed (no outputs), and preview is not checked", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        driver.config.set("dev", { "paved:cluster.kubernetesVersion": "1.35" });
        expect((await paved(["up", "--stack", "dev"], driver)).code).to.equal(0);
        const previewed = deployed({ "paved:cluster.kubernetesVersion": "1.35" });
        expect((await paved(["preview", "--stack", "prod-us-east-1"], previewed)).code).to.equal(0);
    });
});

describe("paved up (the real binary, a child process) refusing a version skip", () => {
    it("exits 2 naming paved:cluster.kubernetesVersion and the deployed version, with no stack trace and no up", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-version-step-"));
        try {
            for (const file of ["Pulumi.yaml", "Pulumi.prod-us-east-1.yaml"]) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
            setReconciler(path.join(dir, "Pulumi.prod-us-east-1.yaml"), "paved");
            const log = path.join(dir, "pulumi-calls.log");
            const env = {
                ...process.env,
                PATH: `${path.join(__dirname, "version-step-stub")}${path.delimiter}${process.env.PATH ?? ""}`,
                PAVED_PROJECT_DIR: dir,
                PULUMI_BACKEND_URL: `file://${dir}`,
                PULUMI_CONFIG_PASSPHRASE: "not-a-secret-test-passphrase",
                PULUMI_STUB_LOG: log,
                PULUMI_STUB_OUTPUTS: JSON.stringify({ kubernetesVersion: "1.33", nodeReleaseVersion: "1.33.0-20250704", nodeGroups: ["paved-prod-us-east-1-system"] }),
                PULUMI_STUB_CONFIG: JSON.stringify({ "paved:cluster.kubernetesVersion": "1.35" }),
            };
            const child = spawnSync(process.execPath, pavedArgs(["up", "--stack", "prod-us-east-1"]), { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
            expect({ status: child.status, stdout: child.stdout }).to.deep.equal({ status: 2, stdout: "" });
            expect(child.stderr).to.include('prod-us-east-1: paved:cluster.kubernetesVersion: got "1.35" but the cluster runs 1.33 (its last deployment)');
            expect(child.stderr.split("\n").filter((l) => /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/.test(l))).to.deep.equal([]);
            // The stub was asked for outputs and config, and never for an update.
            const calls = fs.readFileSync(log, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as string[]).slice(0, 2).join(" "));
            expect(calls).to.include.members(["stack output", "config get"]);
            expect(calls.filter((c) => c.startsWith("up"))).to.deep.equal([]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
