import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { pinnedPulumiCli } from "../../../automation/driver/pulumi-driver";
import { REPO_ROOT } from "../../harness";
import { finished, gitStatus, pavedProcess } from "./stub-cli";

const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "real-engine-project");
const cli = spawnSync("pulumi", ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
const hasPulumi = cli.status === 0;

/**
 * `paved` against the real Pulumi engine, no cloud: the project's objects live in a JSON file on
 * disk, managed by a dynamic provider that the nodejs language host runs (no plugin download).
 * Each test works on a fresh git copy of the fixture project with no `.pulumi/`, with the default
 * file backend, and ends with that copy as committed. Runs wherever `pulumi` is on PATH (CI:
 * .github/workflows/real-engine.yml, the pinned CLI); skips loudly elsewhere.
 */
describe("paved on the real Pulumi engine (dynamic provider, JSON-file cloud)", function () {
    this.timeout(600_000);
    let project: string;
    let cloud: string;

    before(function () {
        if (!hasPulumi) {
            console.log("      SKIPPED: no `pulumi` CLI on PATH (it cannot be installed on these build machines). This suite is the project's real-engine check: it runs in .github/workflows/real-engine.yml with the pinned CLI (.pulumi-version).");
            this.skip();
        }
        console.log(`      real engine: pulumi ${cli.stdout.trim()} (pinned ${pinnedPulumiCli(REPO_ROOT)})`);
    });

    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "paved-it-"));
        fs.cpSync(FIXTURE, project, { recursive: true });
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(project, "node_modules"));
        const git = (...args: string[]) => spawnSync("git", args, { cwd: project, encoding: "utf8" });
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=it", "-c", "user.email=it@example.test", "commit", "-q", "-m", "fixture");
        cloud = path.join(project, "..", `${path.basename(project)}.cloud.json`);
    });

    afterEach(() => {
        expect(gitStatus(project), "paved left the checkout dirty").to.equal("");
        fs.rmSync(project, { recursive: true, force: true });
        fs.rmSync(cloud, { force: true });
    });

    const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
        const e: NodeJS.ProcessEnv = { ...process.env, PAVED_PROJECT_DIR: project, PAVED_IT_CLOUD: cloud, PULUMI_CONFIG_PASSPHRASE: "integration-test", PULUMI_SKIP_UPDATE_CHECK: "true", ...extra };
        delete e.PULUMI_BACKEND_URL;
        delete e.PULUMI_ACCESS_TOKEN;
        return e;
    };
    const paved = async (args: string[], extra: Record<string, string> = {}) => finished(pavedProcess(args, env(extra)));
    const objects = () => JSON.parse(fs.readFileSync(cloud, "utf8")) as Record<string, { labels: Record<string, string>; tier: string }>;
    const editCloud = (edit: (o: ReturnType<typeof objects>) => void) => {
        const o = objects();
        edit(o);
        fs.writeFileSync(cloud, JSON.stringify(o, undefined, 2));
    };
    const locks = () => {
        const dir = path.join(project, ".pulumi", ".pulumi", "locks");
        return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, String(f))).isFile()) : [];
    };

    it("from a fresh copy with no .pulumi/: up creates the backend folder and the objects", async () => {
        expect(fs.existsSync(path.join(project, ".pulumi"))).to.equal(false);
        const up = await paved(["up", "--stack", "dev"]);
        expect(up.code, up.out + up.err).to.equal(0);
        expect(up.out).to.match(/dev: up succeeded \(create \d+/);
        expect(fs.existsSync(path.join(project, ".pulumi"))).to.equal(true);
        expect(Object.keys(objects()).sort()).to.deep.equal(["dev-cache", "dev-web"]);
    });

    it("drift: a hand edit is reported per property, --fix reverts it, and a deleted object is reported", async () => {
        expect((await paved(["up", "--stack", "dev"])).code).to.equal(0);
        const clean = await paved(["drift", "--stack", "dev"]);
        expect([clean.code, clean.out.trim()]).to.deep.equal([0, "dev: no drift"]);

        editCloud((o) => (o["dev-web"].labels.team = "data"));
        const drift = await paved(["drift", "--stack", "dev"]);
        expect(drift.code, drift.out + drift.err).to.equal(3);
        expect(drift.out).to.include('labels.team: "platform" → "data"');

        const fix = await paved(["drift", "--stack", "dev", "--fix"]);
        expect(fix.code, fix.out + fix.err).to.equal(0);
        expect(fix.out).to.include("dev: manual change reverted:");
        expect(objects()["dev-web"].labels.team).to.equal("platform");

        editCloud((o) => delete o["dev-cache"]);
        const deleted = await paved(["drift", "--stack", "dev"]);
        expect(deleted.code, deleted.out + deleted.err).to.equal(3);
        expect(deleted.out).to.match(/cache\n\s+id: "dev-cache" → \(absent\)/);
    });

    it("pr up, destroy and sweep work with stack tags on the file backend", async () => {
        const up = await paved(["pr", "up", "7", "--json"]);
        expect(up.code, up.out + up.err).to.equal(0);
        expect(JSON.parse(up.out.trim().split("\n").pop()!)).to.include({ stack: "pr-7", ok: true, url: "https://pr-7-web.example.test" });
        expect(Object.keys(objects()).sort()).to.deep.equal(["pr-7-cache", "pr-7-web"]);
        expect((await paved(["pr", "up", "8"])).code).to.equal(0);

        const dry = await paved(["pr", "sweep", "--ttl", "72h", "--open", "7", "--dry-run"]);
        expect(dry.code, dry.out + dry.err).to.equal(0);
        expect(dry.out).to.include("pr-8");
        expect(dry.out).to.not.include("pr-7:");
        const sweep = await paved(["pr", "sweep", "--ttl", "72h", "--open", "7"]);
        expect(sweep.code, sweep.out + sweep.err).to.equal(0);
        expect(Object.keys(objects()).sort()).to.deep.equal(["pr-7-cache", "pr-7-web"]);

        const destroy = await paved(["pr", "destroy", "7"]);
        expect(destroy.code, destroy.out + destroy.err).to.equal(0);
        expect(destroy.out).to.include("pr-7: destroyed and removed");
        expect(objects()).to.deep.equal({});
        for (const n of ["7", "8"]) fs.rmSync(path.join(project, `Pulumi.pr-${n}.yaml`), { force: true });
    });

    it("the policy is advisory on a dev stack and mandatory on a prod stack", async () => {
        const dev = await paved(["up", "--stack", "dev"]);
        expect(dev.code, dev.out + dev.err).to.equal(0);
        expect(Object.keys(objects())).to.include("dev-web");
        const prod = await paved(["up", "--stack", "prod"]);
        expect(prod.code, prod.out + prod.err).to.equal(1);
        expect(prod.out + prod.err).to.include("no-public-tier");
        expect(Object.keys(objects())).to.not.include("prod-web");
    });

    it("Ctrl-C during an up: the engine cancels gracefully, no lock is left, the next up succeeds", async () => {
        const child = pavedProcess(["up", "--stack", "dev"], env({ PAVED_IT_CREATE_DELAY_MS: "8000" }));
        const done = finished(child);
        const until = Date.now() + 300_000;
        while (locks().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
        expect(locks(), "the update never took its lock").to.not.be.empty;
        process.kill(-child.pid!, "SIGINT"); // the terminal's Ctrl-C: paved and pulumi, one SIGINT each
        const cancelled = await done;
        expect(cancelled.code, cancelled.out + cancelled.err).to.equal(1);
        expect(locks()).to.deep.equal([]);
        const again = await paved(["up", "--stack", "dev"]);
        expect(again.code, again.out + again.err).to.equal(0);
        expect(Object.keys(objects()).sort()).to.deep.equal(["dev-cache", "dev-web"]);
    });
});
