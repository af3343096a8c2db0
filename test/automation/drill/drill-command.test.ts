import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { REPO_ROOT } from "../../harness";
import { renderSvg } from "../../render-svg";
import { paved, repoStacks } from "../runner/paved";

describe("paved drill (command)", function () {
    this.timeout(60_000);
    let out: string;
    beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-cli-"))));
    afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

    it("--simulate rehearses the shipped stacks on loopback and leaves a report whose SVG timeline renders to a 960x290 PNG", async () => {
        const run = await paved(["drill", "--simulate", "--time-scale", "50", "--out", out, "--json"], {});
        expect(run.code, run.err.join("\n")).to.equal(0);
        const summary = JSON.parse(run.out[0]) as { outcome: string; rehearsal: boolean; rtoSeconds: number; report: { markdown: string; svg: string; json: string } };
        expect(summary).to.include({ outcome: "pass", rehearsal: true });
        expect(fs.readFileSync(summary.report.markdown, "utf8")).to.match(/^# Rehearsal: region-failover drill, prod-us-east-1 → prod-us-west-2/);
        const svg = fs.readFileSync(summary.report.svg, "utf8");
        expect(svg).to.include("Rehearsal — region-failover drill").and.include(`RTO ${summary.rtoSeconds.toFixed(1)} s (objective 120 s)`);

        // A real renderer parses and paints it: the PNG is the timeline's size and has more than a background.
        const png = renderSvg(svg);
        expect(png).to.include({ width: 960, height: 290 });
        expect(png.colours).to.be.greaterThan(3);
        expect(png.painted).to.be.greaterThan(960 * 290 * 0.01);
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
        expect(resumed.out.at(-1)).to.equal("live now: traffic on the primary prod-us-east-1 (us-east-1); drill knob on prod-global: off; standby prod-us-west-2: warm");
        expect(resumed.out.at(-2)).to.match(new RegExp(`^drill rolled back \\(resumed: the drill's process ended after step "${steps.at(-1)}"\\): RTO not measured; report: `));
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
