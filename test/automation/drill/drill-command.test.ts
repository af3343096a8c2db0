import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { REPO_ROOT } from "../../harness";
import { paved, repoStacks } from "../runner/paved";

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Debian's Chromium, headless, with a fresh profile; fails with the install hint when it is missing. */
function chromium(args: string[]): string {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "paved-chromium-"));
    try {
        const run = spawnSync("chromium", [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args], { encoding: "utf8", timeout: 60_000 });
        if (run.error) throw new Error(`chromium did not run (${run.error.message}): install Debian's chromium package (apt-get install -y chromium)`);
        return run.stdout;
    } finally {
        fs.rmSync(profile, { recursive: true, force: true });
    }
}

describe("paved drill (command)", function () {
    this.timeout(60_000);
    let out: string;
    beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-cli-"))));
    afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

    it("--simulate rehearses the shipped stacks on loopback and leaves a report whose SVG timeline renders in Chromium", async () => {
        const run = await paved(["drill", "--simulate", "--time-scale", "50", "--out", out, "--json"], {});
        expect(run.code, run.err.join("\n")).to.equal(0);
        const summary = JSON.parse(run.out[0]) as { outcome: string; rehearsal: boolean; rtoSeconds: number; report: { markdown: string; svg: string; json: string } };
        expect(summary).to.include({ outcome: "pass", rehearsal: true });
        expect(fs.readFileSync(summary.report.markdown, "utf8")).to.match(/^# Rehearsal: region-failover drill, prod-us-east-1 → prod-us-west-2/);
        const svg = fs.readFileSync(summary.report.svg, "utf8");
        expect(svg).to.include("Rehearsal — region-failover drill").and.include(`RTO ${summary.rtoSeconds.toFixed(1)} s (objective 120 s)`);

        // The browser parses the SVG (a broken image has no natural size) and paints it.
        const page = path.join(out, "page.html");
        fs.writeFileSync(page, `<img id="t" src="${path.basename(path.dirname(summary.report.svg))}/timeline.svg" onload="document.title='rendered '+this.naturalWidth+'x'+this.naturalHeight" onerror="document.title='broken'">`);
        expect(chromium(["--virtual-time-budget=5000", "--dump-dom", `file://${page}`])).to.include("<title>rendered 960x290</title>");
        const png = path.join(out, "timeline.png");
        chromium(["--window-size=960,290", `--screenshot=${png}`, `file://${summary.report.svg}`]);
        expect(fs.readFileSync(png).subarray(1, 4).toString()).to.equal("PNG");
    });

    it("a rehearsal killed with SIGKILL mid-drill leaves its journal; --resume restores, closes it and reports", async () => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "automation/cli.ts"), "drill", "--simulate", "--time-scale", "20", "--out", out], { stdio: "ignore" });
        const journal = path.join(out, "journal.jsonl");
        const deadline = Date.now() + 30_000;
        while (!(fs.existsSync(journal) && fs.readFileSync(journal, "utf8").includes('"step":"inject"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
        const steps = fs.readFileSync(journal, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: string }).step);
        expect(steps.slice(0, 3)).to.deep.equal(["started", "promote", "inject"]);
        expect(steps).to.not.include("closed");

        const resumed = await paved(["drill", "--simulate", "--time-scale", "50", "--resume", "--out", out], {});
        expect(resumed.code, resumed.err.join("\n")).to.equal(1);
        expect(resumed.out.at(-1)).to.match(new RegExp(`^drill rolled back \\(resumed: the drill's process ended after step "${steps.at(-1)}"\\): RTO not measured; report: `));
        expect(fs.existsSync(journal)).to.equal(false);
        const [folder] = fs.readdirSync(out).filter((f) => fs.statSync(path.join(out, f)).isDirectory());
        const kept = fs.readFileSync(path.join(out, folder, "journal.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: string }).step);
        expect(kept.slice(-2)).to.deep.equal(["restore", "closed"]);
        expect(fs.readdirSync(path.join(out, folder)).sort()).to.deep.equal(["journal.jsonl", "report.json", "report.md", "timeline.svg"]);
    });

    const refusals: [string, string[], RegExp][] = [
        ["a standby equal to the primary", ["--primary", "prod-us-east-1", "--standby", "prod-us-east-1"], /^paved: got --standby prod-us-east-1, the same as --primary/],
        ["a standby on another cloud", ["--standby", "dev-gcp"], /^paved: got --primary prod-us-east-1 on aws and --standby dev-gcp on gcp: failover between clouds is not supported$/],
        ["a global stack whose records point elsewhere", ["--primary", "prod-us-west-2", "--standby", "prod-us-east-1"], /^paved: global stack prod-global routes prod-us-east-1 → prod-us-west-2, not prod-us-west-2 → prod-us-east-1/],
        ["an objective that is not a duration", ["--objective", "2 minutes"], /^paved: got --objective "2 minutes": a duration, e.g. --objective 120s$/],
        ["an unknown stack", ["--global", "prod-globl"], /^paved: unknown stack "prod-globl"/],
        ["--resume with no journal", ["--resume"], /^paved: no unfinished drill to resume: .*journal.jsonl does not exist or is closed$/],
    ];
    for (const [what, args, message] of refusals) {
        it(`refuses ${what}: exit 2, nothing touched`, async () => {
            const driver = new MemoryDriver(repoStacks(), new Map(), 1);
            const run = await paved(["drill", ...args, "--out", out], { driver });
            expect(run.code).to.equal(2);
            expect(run.err).to.have.length(1);
            expect(run.err[0]).to.match(message);
            expect(driver.calls).to.be.empty;
        });
    }
});
