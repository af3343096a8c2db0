import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { RING, paved, projectWith } from "../runner/paved";

/**
 * `paved drill` through main(), in this process: what the command itself does around the drill
 * (the rehearsal's world, --resume, the lock refusal, the summary and last words, --json, the default
 * folders). The child-process tests (drill-command.test.ts) prove the same paths through the real
 * binary; these run where a mutant is active and, but for one, wait on no probe.
 */
const DEAD_PID = 2 ** 22 + 1; // above Linux's largest pid: no process has it
const STARTED = "2026-12-01T09:00:00.000Z";
const TARGETS = { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" };
const REGIONS = { primary: "us-east-1", standby: "us-west-2" };

const line = (o: unknown) => `${JSON.stringify(o)}\n`;
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
const folders = (dir: string) => fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isDirectory());

/** What a rehearsal killed during its injection leaves in `out`: its lock, its open journal and its world. */
function killedRehearsal(out: string, holder: { owner: string; host: string; pid: number }): void {
    fs.writeFileSync(path.join(out, "drill.lock"), line({ ...holder, startedAt: STARTED }));
    const settings = { requestTimeout: 25, probeInterval: 1, consecutive: 3, stepTimeout: 600 };
    const journal = [
        { step: "started", at: STARTED, detail: { targets: TARGETS, regions: REGIONS, settings, rehearsal: true, startedAt: STARTED, holder: { ...holder, startedAt: STARTED } } },
        { step: "pause", at: STARTED, detail: { stack: "prod-global" } },
        { step: "pause", at: STARTED, detail: { stack: "prod-us-west-2" } },
        { step: "promote", at: STARTED },
        { step: "inject", at: STARTED },
    ];
    fs.writeFileSync(path.join(out, "journal.jsonl"), journal.map(line).join(""));
    fs.writeFileSync(path.join(out, "rehearsal-world.json"), line({ knob: true, promoted: true, locked: ["prod-global"], paused: ["prod-global", "prod-us-west-2"] }));
}

describe("paved drill (command, in process)", function () {
    this.timeout(60_000);
    let out: string;
    beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-cmd-"))));
    afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

    it("--simulate --resume restores the world a killed rehearsal left (stale lock cleared, knob off, standby warm, operator resumed) and says so in its last words", async () => {
        // The production stacks are the Pulumi Kubernetes Operator's, as the shipped files hand them to it.
        const project = projectWith([...RING, "prod-global"]);
        killedRehearsal(out, { owner: "ops", host: os.hostname(), pid: DEAD_PID });
        const listening = () => process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length;
        const before = listening();
        const run = await paved(["--project", project, "drill", "--simulate", "--time-scale", "50", "--resume", "--out", out], {});
        expect(run.code, run.err.join("\n")).to.equal(1);
        // The rehearsal's loopback servers are closed: a closed handle goes within a few turns of the event loop.
        for (let i = 0; i < 100 && listening() > before; i++) await new Promise((r) => setTimeout(r, 20));
        expect(listening(), "the rehearsal's servers closed").to.equal(before);
        expect(run.out[0]).to.equal("rehearsal: prod-us-east-1 (us-east-1) → prod-us-west-2 (us-west-2) on loopback, time ×50; no cloud is touched");
        const [folder] = folders(out);
        expect(folder).to.equal("2026-12-01T09-00-00-000Z");
        expect(run.out.slice(-2)).to.deep.equal([
            `drill rolled back (resumed: the drill's process ended after step "inject"): RTO not measured; report: ${path.relative(project, path.join(out, folder, "report.md"))}`,
            "live now: traffic on the primary prod-us-east-1 (us-east-1); drill knob on prod-global: off; standby prod-us-west-2: warm; the Pulumi Kubernetes Operator: prod-global reconciled again, prod-us-west-2 reconciled again",
        ]);
        expect(readJson(path.join(out, "rehearsal-world.json"))).to.deep.equal({ knob: false, promoted: false, locked: [] });
        expect(fs.existsSync(path.join(out, "drill.lock"))).to.equal(false);
        expect(fs.existsSync(path.join(out, "journal.jsonl"))).to.equal(false);
        const steps = fs.readFileSync(path.join(out, folder, "journal.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: string }).step);
        expect(steps).to.deep.equal(["started", "pause", "pause", "promote", "inject", "restore", "resume", "resume", "closed"]);
        // The result is tagged on the rehearsal's global stack, not a real one: nothing else to see here but the report.
        expect(readJson(path.join(out, folder, "report.json"))).to.deep.include({ outcome: "rolled back", rehearsal: true, timeScale: 50 });
    });

    it("--simulate --resume while the lock's holder is alive: refused in one line naming it, exit 1, the world and journal untouched", async () => {
        // This very process holds the lock, as a running drill would.
        const holder = { owner: "ops", host: os.hostname(), pid: process.pid };
        killedRehearsal(out, holder);
        const world = fs.readFileSync(path.join(out, "rehearsal-world.json"), "utf8");
        const journal = fs.readFileSync(path.join(out, "journal.jsonl"), "utf8");
        const run = await paved(["--project", projectWith([...RING, "prod-global"]), "drill", "--simulate", "--resume", "--out", out], {});
        expect(run.code, run.err.join("\n")).to.equal(1);
        expect(run.out.at(-1)).to.equal(`drill refused, nothing changed: the drill of ops@${os.hostname()}:${process.pid} since ${STARTED} is still running: --resume restores only a drill whose process is gone. If it is stuck, stop it, or run paved drill --resume --force-resume ops@${os.hostname()}:${process.pid}`);
        expect(fs.readFileSync(path.join(out, "rehearsal-world.json"), "utf8")).to.equal(world);
        expect(fs.readFileSync(path.join(out, "journal.jsonl"), "utf8")).to.equal(journal);
    });

    it("--simulate --json, aborted at pre-flight by an unfinished journal: one JSON document, the rehearsal's request timeout (half a wall second), reports under drills/rehearsals/", async () => {
        const project = projectWith([]);
        const rehearsals = path.join(project, "drills", "rehearsals");
        fs.mkdirSync(rehearsals, { recursive: true });
        fs.writeFileSync(path.join(rehearsals, "journal.jsonl"), line({ step: "started", at: STARTED, detail: { startedAt: STARTED } }));
        const run = await paved(["--project", project, "drill", "--simulate", "--time-scale", "100", "--json"], {});
        expect(run.code, run.err.join("\n")).to.equal(1);
        expect(run.out).to.have.length(1);
        const result = JSON.parse(run.out[0]) as { outcome: string; rehearsal: boolean; timeScale: number; samples: number; settings: { requestTimeout: number }; report: { markdown: string } };
        expect(result).to.deep.include({ outcome: "aborted at pre-flight", rehearsal: true, timeScale: 100, samples: 0 });
        // 100× time: half a wall second is 50 drill seconds, above the 5 s default.
        expect(result.settings.requestTimeout).to.equal(50);
        const [folder] = folders(rehearsals);
        expect(folder).to.match(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
        expect(result.report.markdown).to.equal(path.join(rehearsals, folder, "report.md"));
    });

    it("a real drill without --out keeps its report under drills/; tags that cannot be set are one line, not a failure of the command", async () => {
        const project = projectWith([]);
        // A backend with none of the three stacks: pre-flight aborts, and the global stack cannot be tagged.
        const driver = new MemoryDriver(new Set());
        const ready: string[][] = [];
        (driver as { assertReady(stacks: readonly string[]): void }).assertReady = (stacks) => void ready.push([...stacks]);
        const run = await paved(["--project", project, "drill"], { driver });
        expect(run.code, run.err.join("\n")).to.equal(1);
        // The driver is asked, before anything else, whether it can work on the three stacks.
        expect(ready).to.deep.equal([["prod-us-east-1", "prod-us-west-2", "prod-global"]]);
        const [folder] = folders(path.join(project, "drills"));
        expect(readJson(path.join(project, "drills", folder, "report.json"))).to.deep.include({ rehearsal: false, timeScale: 1 });
        expect(folder).to.match(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
        expect(run.out.slice(-2)).to.deep.equal([
            "the result tags could not be set on prod-global: stack prod-global does not exist",
            `drill aborted at pre-flight (stack prod-us-east-1, prod-us-west-2, prod-global does not exist in the backend): RTO not measured; report: drills/${folder}/report.md`,
        ]);
    });

    it("--simulate refuses a time scale that is not a positive number: exit 2, naming flag, value and an example", async () => {
        const run = await paved(["--project", projectWith([]), "drill", "--simulate", "--time-scale", "0", "--out", out], {});
        expect(run.code).to.equal(2);
        expect(run.err).to.deep.equal(['paved: got --time-scale "0": a positive number, e.g. --time-scale 20']);
        expect(fs.readdirSync(out)).to.deep.equal([]);
    });
});
