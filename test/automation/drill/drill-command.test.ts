import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MemoryDriver, ScriptedOutcome } from "../../../automation/driver/memory-driver";
import { scaledClock } from "../../../automation/drill/clock";
import { startRehearsal } from "../../../automation/drill/rehearsal";
import { renderSvg } from "../../render-svg";
import { RING, paved, projectWith, repoStacks } from "../runner/paved";
import { pavedArgs } from "../../paved-binary";

describe("paved drill (command)", function () {
    this.timeout(60_000);
    let out: string;
    beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-cli-"))));
    afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

    it("--simulate rehearses the shipped stacks on loopback and leaves a report whose SVG timeline renders to a 960x290 PNG", async () => {
        const run = await paved(["drill", "--simulate", "--time-scale", "100", "--out", out, "--json"], {});
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

    const cli = (args: string[]) => spawn(process.execPath, pavedArgs(args), { stdio: ["ignore", "pipe", "pipe"] });
    const exited = (child: ReturnType<typeof cli>) => {
        const out: string[] = [];
        child.stdout.on("data", (d: Buffer) => out.push(...d.toString().split("\n").filter(Boolean)));
        child.stderr.on("data", (d: Buffer) => out.push(...d.toString().split("\n").filter(Boolean)));
        return new Promise<{ code: number | null; out: string[]; pid: number }>((r) => child.once("exit", (code) => r({ code, out, pid: child.pid! })));
    };
    const until = async (what: () => boolean) => {
        const deadline = Date.now() + 30_000;
        while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(what(), "waited 30 s").to.equal(true);
    };
    const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;

    it("a rehearsal killed with SIGKILL mid-update leaves its persisted world, the operator paused; --simulate --resume clears the stale lock, restores that world and resumes the operator", async () => {
        // The production stacks are the Pulumi Kubernetes Operator's, as the shipped files hand them to it.
        const project = projectWith([...RING, "prod-global"]);
        const child = cli(["--project", project, "drill", "--simulate", "--time-scale", "20", "--out", out]);
        const journal = path.join(out, "journal.jsonl");
        const world = path.join(out, "rehearsal-world.json");
        // Killed while the injection's update runs: the standby is promoted, the global stack's update lock is held.
        await until(() => fs.existsSync(world) && (readJson(world).locked as string[]).includes("prod-global"));
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
        expect(readJson(world)).to.deep.include({ promoted: true, locked: ["prod-global"], paused: ["prod-global", "prod-us-west-2"] });
        expect(fs.existsSync(path.join(out, "drill.lock")), "the dead drill's lock").to.equal(true);

        const resumed = await paved(["--project", project, "drill", "--simulate", "--time-scale", "50", "--resume", "--out", out], {});
        expect(resumed.code, resumed.err.join("\n")).to.equal(1);
        expect(resumed.out.at(-1)).to.equal("live now: traffic on the primary prod-us-east-1 (us-east-1); drill knob on prod-global: off; standby prod-us-west-2: warm; the Pulumi Kubernetes Operator: prod-global reconciled again, prod-us-west-2 reconciled again");
        expect(resumed.out.at(-2)).to.match(/^drill rolled back \(resumed: the drill's process ended after step "inject"\): RTO not measured; report: /);
        expect(readJson(world)).to.deep.equal({ knob: false, promoted: false, locked: [] });
        expect(fs.existsSync(journal)).to.equal(false);
        expect(fs.existsSync(path.join(out, "drill.lock"))).to.equal(false);
        const [folder] = fs.readdirSync(out).filter((f) => fs.statSync(path.join(out, f)).isDirectory());
        const kept = fs.readFileSync(path.join(out, folder, "journal.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: string }).step);
        expect(kept).to.deep.equal(["started", "pause", "pause", "promote", "inject", "restore", "resume", "resume", "closed"]);
        expect(fs.readdirSync(path.join(out, folder)).sort()).to.deep.equal(["journal.jsonl", "report.json", "report.md", "timeline.svg"]);
    });

    it("two drills started at once: one runs (objective missed: exit 3), the other refuses naming it (exit 1)", async () => {
        // Every stack paved's: this is about the lock (the operator's pause is tested above and in drill.test.ts).
        const args = ["--project", projectWith([]), "drill", "--simulate", "--time-scale", "100", "--objective", "1s", "--out", out];
        const [a, b] = [exited(cli(args)), exited(cli(args))];
        await until(() => fs.existsSync(path.join(out, "drill.lock")));
        await until(() => fs.readFileSync(path.join(out, "drill.lock"), "utf8").endsWith("\n"));
        const holder = readJson(path.join(out, "drill.lock")) as { owner: string; host: string; pid: number };
        const runs = await Promise.all([a, b]);
        const winner = runs.find((r) => r.pid === holder.pid)!;
        const loser = runs.find((r) => r.pid !== holder.pid)!;
        expect(winner.code, winner.out.join("\n")).to.equal(3);
        expect(winner.out.find((l) => l.startsWith("drill objective missed: RTO "))).to.match(/against 1 s; report: /);
        expect(loser.code, loser.out.join("\n")).to.equal(1);
        expect(loser.out.at(-1)).to.match(new RegExp(`^drill refused, nothing changed: a drill is running: ${holder.owner}@${holder.host}:${holder.pid} since `));
        // One drill's journal, closed; the lock free; the world as Git has it.
        const folders = fs.readdirSync(out).filter((f) => fs.statSync(path.join(out, f)).isDirectory());
        expect(folders).to.have.length(1);
        const steps = fs.readFileSync(path.join(out, folders[0], "journal.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: string }).step);
        expect(steps).to.deep.equal(["started", "promote", "inject", "failback", "warm", "closed"]);
        expect(fs.existsSync(path.join(out, "drill.lock"))).to.equal(false);
        expect(readJson(path.join(out, "rehearsal-world.json"))).to.deep.equal({ knob: false, promoted: false, locked: [] });
    });

    it("--resume refuses while the lock's holder is alive (exit 1, naming it), nothing restored underneath it", async () => {
        // A live process holds the lock, as a running drill does; its journal says the knob is on.
        const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
        try {
            const holder = { owner: "ops", host: os.hostname(), pid: sleeper.pid!, startedAt: "2026-12-01T09:00:00.000Z" };
            fs.writeFileSync(path.join(out, "drill.lock"), `${JSON.stringify(holder)}\n`);
            const journal = `${JSON.stringify({ step: "started", at: holder.startedAt, detail: { startedAt: holder.startedAt } })}\n${JSON.stringify({ step: "inject", at: holder.startedAt })}\n`;
            fs.writeFileSync(path.join(out, "journal.jsonl"), journal);
            const child = await exited(cli(["drill", "--resume", "--out", out]));
            expect(child.code, child.out.join("\n")).to.equal(1);
            expect(child.out.at(-1)).to.equal(`drill refused, nothing changed: the drill of ops@${os.hostname()}:${sleeper.pid} since 2026-12-01T09:00:00.000Z is still running: --resume restores only a drill whose process is gone. If it is stuck, stop it, or run paved drill --resume --force-resume ops@${os.hostname()}:${sleeper.pid}`);
            expect(fs.readFileSync(path.join(out, "journal.jsonl"), "utf8")).to.equal(journal);
            expect(readJson(path.join(out, "drill.lock"))).to.deep.equal(holder);
        } finally {
            sleeper.kill();
        }
    });

    it("a pre-flight abort (drift) changes nothing but still writes the report and tags the global stack: exit 1", async () => {
        const world = await startRehearsal({ primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" }, { primary: "us-east-1", standby: "us-west-2" }, { intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30 }, scaledClock(1));
        try {
            (world.driver as unknown as { script: Map<string, ScriptedOutcome[]> }).script.set("prod-global", [{ kind: "drift", findings: [{ urn: "urn:pulumi:prod-global::paved-road::aws:route53/record:Record::failover-primary", type: "aws:route53/record:Record", property: "ttl", deployed: 30, live: 300 }] }]);
            const run = await paved(["drill", "--out", out], { driver: world.driver, projectDir: projectWith([]) });
            expect(run.code, run.err.join("\n")).to.equal(1);
            expect(run.out).to.include("drill aborted at pre-flight, nothing changed: prod-global has drifted from Git (failover-primary): run paved drift --stack prod-global first");
            expect(world.driver.calls.filter((c) => c.operation === "up")).to.deep.equal([]);
            const tags = await world.driver.getTags("prod-global");
            expect(tags["paved:last-drill-result"]).to.equal("aborted at pre-flight");
            const [folder] = fs.readdirSync(out).filter((f) => fs.statSync(path.join(out, f)).isDirectory());
            expect(fs.readdirSync(path.join(out, folder)).sort()).to.deep.equal(["report.json", "report.md", "timeline.svg"]);
            expect(fs.readFileSync(path.join(out, folder, "report.md"), "utf8")).to.include("| no drift on prod-global | **failed** |");
            expect(fs.existsSync(path.join(out, "journal.jsonl"))).to.equal(false);
            expect(fs.existsSync(path.join(out, "drill.lock"))).to.equal(false);
        } finally {
            await world.close();
        }
    });

    it("bad drill input through the real binary: exit 2, one line naming flag, value and an example, no stack trace", async () => {
        const child = await exited(cli(["drill", "--simulate", "--up-latency", "lognormal:0:1", "--out", out]));
        expect(child.code).to.equal(2);
        expect(child.out).to.deep.equal(['paved: got --up-latency "lognormal:0:1": lognormal takes a median above 0 and a σ, e.g. --up-latency 2, uniform:1:5 or lognormal:2:0.5 (seconds; median and σ)']);
        expect(child.out.filter((l) => /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/.test(l))).to.deep.equal([]);
        expect(fs.readdirSync(out)).to.deep.equal([]);
    });

    const refusals: [string, string[], RegExp][] = [
        ["a standby equal to the primary", ["--primary", "prod-us-east-1", "--standby", "prod-us-east-1"], /^paved: got --standby prod-us-east-1, the same as --primary/],
        ["a standby on another cloud", ["--standby", "dev-gcp"], /^paved: got --primary prod-us-east-1 on aws and --standby dev-gcp on gcp: failover between clouds is not supported$/],
        ["a global stack whose records point elsewhere", ["--primary", "prod-us-west-2", "--standby", "prod-us-east-1"], /^paved: global stack prod-global routes prod-us-east-1 → prod-us-west-2, not prod-us-west-2 → prod-us-east-1/],
        ["an objective that is not a duration", ["--objective", "2 minutes"], /^paved: got --objective "2 minutes": a duration, e.g. --objective 120s$/],
        ["an unknown stack", ["--global", "prod-globl"], /^paved: unknown stack "prod-globl"/],
        ["--resume with no journal", ["--resume"], /^paved: no unfinished drill to resume: .*journal.jsonl does not exist or is closed$/],
        ["a stop threshold that is not a share below 1", ["--stop-failed-share", "1.5"], /^paved: got --stop-failed-share "1\.5": a share of probes below 1, e\.g\. --stop-failed-share 0\.5$/],
        ["a stop window that is not a duration", ["--stop-window", "half a minute"], /^paved: got --stop-window "half a minute": a duration, e\.g\. --stop-window 30s$/],
        ["an update latency without --simulate", ["--up-latency", "2"], /^paved: got --up-latency "2" without --simulate: only a rehearsal's updates can be given a latency/],
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
