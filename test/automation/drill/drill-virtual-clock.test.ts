import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { DrillContext, resumeDrill, runDrill } from "../../../automation/drill/drill";
import { Journal } from "../../../automation/drill/journal";
import { DrillLockedError, LOCK_FILE } from "../../../automation/drill/lock";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { SETTINGS, TARGETS, World, virtualClock, world } from "./virtual-world";

// The world and its script: ./virtual-world.ts.

describe("the drill on a virtual clock", () => {
    let dir: string;
    let w: World;
    const log: string[] = [];
    const ctx = (extra: Partial<DrillContext> = {}): DrillContext => ({ driver: w.driver, clock: virtualClock(), log: (l) => log.push(l), drillsDir: path.join(dir, "drills"), projectDir: dir, rehearsal: false, env: { GITHUB_ACTOR: "ops" }, ...extra });

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-virtual-"));
        w = await world();
        log.length = 0;
    });
    afterEach(async () => {
        await w.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("passes with RTO 4 s and fail-back 1 s, 20 % of probes failed, every pre-flight check stated, the job finished", async () => {
        const result = await runDrill(TARGETS, SETTINGS, ctx());
        expect([result.outcome, result.rtoSeconds, result.failbackSeconds, result.failedProbeShare]).to.deep.equal(["pass", 4, 1, 0.2]);
        const mark = (name: string) => result.marks.find((m) => m.name === name)!.t;
        expect(result.preflight).to.deep.equal([
            { check: "stacks exist", ok: true, detail: "all three in the backend" },
            { check: "no unfinished drill", ok: true, detail: "no open journal" },
            { check: "knob off as deployed", ok: true, detail: "output drill: false" },
            { check: "standby warm as deployed", ok: true, detail: "output failoverPromoted: false" },
            { check: "no drift on prod-us-east-1", ok: true, detail: "none" },
            { check: "no drift on prod-us-west-2", ok: true, detail: "none" },
            { check: "no drift on prod-global", ok: true, detail: "none" },
            { check: "standby healthy", ok: true, detail: "3 healthy answers in a row" },
            { check: "traffic on the primary", ok: true, detail: "3 answers in a row from us-east-1" },
            { check: "not cancelled", ok: true, detail: "running" },
        ]);
        expect(result.regions).to.deep.equal({ primary: "us-east-1", standby: "us-west-2" });
        expect(result.failoverBoundSeconds).to.equal(2);
        // Every sample, also those taken in the background during the promotion, names a region without its line end.
        expect(result.samples.filter((s) => s.t < mark("injected")).map((s) => s.region)).to.include.members(["us-east-1"]).and.not.include(undefined);
        expect([...new Set(result.samples.map((s) => s.region ?? s.error))].sort()).to.deep.equal(["HTTP 503", "us-east-1", "us-west-2"]);
        expect(result.updates.map((u) => [u.step, u.stack, u.config])).to.deep.equal([
            ["promote", "prod-us-west-2", { "paved:failover.promoted": "true" }],
            ["inject", "prod-global", { "paved:global.drill": "true" }],
            ["failback", "prod-global", undefined],
            ["warm", "prod-us-west-2", undefined],
        ]);
        // The in-memory updates take no drill time: the clock moves only between probes. (Not the promotion's:
        // the probes sampled in the background while it runs move the clock by as many seconds as they get in.)
        expect(result.updates.slice(1).map((u) => u.seconds)).to.deep.equal([0, 0, 0]);
        expect(result.marks.map((m) => m.name)).to.deep.equal(["promote", "injected", "failed over", "failback", "restored", "warm"]);
        expect([mark("failed over") - mark("injected"), mark("restored") - mark("failback")]).to.deep.equal([4, 1]);
        expect(result.live).to.deep.equal({ servedBy: "the primary prod-us-east-1 (us-east-1)", knob: "off", standby: "warm" });
        expect(result).to.not.have.property("finish");
        expect(result).to.not.have.property("reason");
        expect(result.journal).to.match(/^drills\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\/journal\.jsonl$/);
        expect(result.provenance.operator).to.equal(`ops@${os.hostname()}`);
        expect(fs.existsSync(path.join(dir, "drills", LOCK_FILE))).to.equal(false);
        expect(log).to.include.members([
            "promote: prod-us-west-2 to primary capacity",
            "inject: paved:global.drill=true on prod-global, for this update only",
            "measured: RTO 4.0 s (objective 4 s), 20.0 % of probes failed",
            "failback: paved:global.drill back to Git's state (off) on prod-global",
            "warm: prod-us-west-2 back to warm capacity",
            "released the drill lock drills/drill.lock",
        ]);
    });

    it("an RTO a tenth over the objective, a fail-back over its own, or a replication lag over the RPO: objective missed", async () => {
        expect((await runDrill(TARGETS, { ...SETTINGS, objectiveSeconds: 3.9 }, ctx())).outcome).to.equal("objective missed");
        await w.close();
        w = await world();
        const slowBack = await runDrill(TARGETS, { ...SETTINGS, failbackObjectiveSeconds: 0.9 }, ctx());
        expect([slowBack.outcome, slowBack.failbackSeconds, slowBack.rtoSeconds]).to.deep.equal(["objective missed", 1, 4]);
        await w.close();
        w = await world();
        const lagUrl = () => (w.driver.stackOutputs.get(TARGETS.global)!.globalEndpoint as string).replace("/global", "/lag");
        const atRpo = await runDrill(TARGETS, { ...SETTINGS, rpo: { probeUrl: lagUrl(), objectiveSeconds: 4 } }, ctx());
        expect([atRpo.outcome, atRpo.replicationLagSeconds]).to.deep.equal(["pass", 4]);
        await w.close();
        w = await world();
        w.lag = "4.5";
        const overRpo = await runDrill(TARGETS, { ...SETTINGS, rpo: { probeUrl: lagUrl(), objectiveSeconds: 4 } }, ctx());
        expect([overRpo.outcome, overRpo.replicationLagSeconds]).to.deep.equal(["objective missed", 4.5]);
    });

    it("pre-flight refusals change nothing and say why", async () => {
        const refused = async (extra: Partial<DrillContext> = {}) => {
            const r = await runDrill(TARGETS, SETTINGS, ctx(extra));
            expect(r.outcome).to.equal("aborted at pre-flight");
            expect(r.updates).to.deep.equal([]);
            expect(r.journal).to.equal("none (nothing was changed)");
            return [r.reason, r.preflight.at(-1)?.check];
        };
        const global = w.driver.stackOutputs.get(TARGETS.global)!;
        const endpoint = global.globalEndpoint as string;
        w.driver.stackOutputs.set(TARGETS.global, { ...global, standby: { stack: TARGETS.standby, region: "us-west-2", healthEndpoint: endpoint.replace("/global", "/down") } });
        const unhealthy = await runDrill(TARGETS, SETTINGS, ctx());
        // Pre-flight waits five times a healthy streak, plus a request: (3 × 1 s × 5 + 20 s) × 50 ms.
        expect([unhealthy.reason, unhealthy.regions]).to.deep.equal(["standby prod-us-west-2 is not healthy: not 3 healthy answers in a row within 1750 ms; last: HTTP 503", { primary: "us-east-1", standby: "us-west-2" }]);
        w.driver.stackOutputs.set(TARGETS.global, { ...global, primary: { stack: TARGETS.primary, region: "us-east-2", healthEndpoint: "" } });
        expect(await refused()).to.deep.equal([`the global endpoint ${endpoint} is not served by the primary (us-east-2) now`, "traffic on the primary"]);
        w.driver.stackOutputs.set(TARGETS.global, global);
        w.driver.stackOutputs.set(TARGETS.standby, {});
        expect((await runDrill(TARGETS, SETTINGS, ctx())).preflight[3]).to.deep.equal({ check: "standby warm as deployed", ok: true, detail: "output failoverPromoted: null" });
        w.driver.stackOutputs.set(TARGETS.standby, { failoverPromoted: true });
        expect(await refused()).to.deep.equal(["prod-us-west-2 is already promoted (output failoverPromoted: true): a drill or a real failover is under way", "standby warm as deployed"]);
        w.driver.stackOutputs.set(TARGETS.global, { ...w.driver.stackOutputs.get(TARGETS.global), drill: true });
        expect(await refused()).to.deep.equal([
            "prod-global has the drill knob applied (output drill: true): a drill is running or was left half-done; run paved drill --resume, or paved up --stack prod-global",
            "knob off as deployed",
        ]);
        const missing = new MemoryDriver(new Set([TARGETS.global]));
        const r = await runDrill(TARGETS, SETTINGS, ctx({ driver: missing }));
        expect([r.reason, r.regions]).to.deep.equal(["stack prod-us-east-1, prod-us-west-2 does not exist in the backend", { primary: "unknown", standby: "unknown" }]);
        const journal = Journal.start(path.join(dir, "drills"), {});
        expect(await refused()).to.deep.equal([`an unfinished drill (started ${journal.started.at}) is in ${journal.file}: run paved drill --resume to restore it first`, "no unfinished drill"]);
    });

    it("refuses a global stack that routes other stacks, or exports no endpoint", async () => {
        const global = w.driver.stackOutputs.get(TARGETS.global)!;
        const refusal = async () => runDrill(TARGETS, SETTINGS, ctx()).then(() => "ran", (e: Error) => `${e.constructor.name}: ${e.message}`);
        w.driver.stackOutputs.set(TARGETS.global, { ...global, standby: { stack: "prod-eu-west-1", region: "eu-west-1" } });
        expect(await refusal()).to.equal('RunnerUsageError: global stack prod-global routes its standby to "prod-eu-west-1", not prod-us-west-2: name the stacks its records point at, e.g. --standby prod-eu-west-1');
        w.driver.stackOutputs.set(TARGETS.global, { ...global, primary: undefined });
        expect(await refusal()).to.equal("RunnerUsageError: global stack prod-global routes its primary to null, not prod-us-east-1: name the stacks its records point at, e.g. --primary prod-us-east-1");
        w.driver.stackOutputs.set(TARGETS.global, { ...global, globalEndpoint: undefined });
        expect(await refusal()).to.equal("RunnerUsageError: global stack prod-global exports no globalEndpoint: is it a global-role stack that has been deployed?");
    });

    it("the lock: a live holder means a drill is running; a dead one with an open journal must be resumed; a dead one without is taken over", async () => {
        const drills = path.join(dir, "drills");
        fs.mkdirSync(drills);
        const live = { owner: "dev", host: os.hostname(), pid: process.pid, startedAt: "t0" };
        fs.writeFileSync(path.join(drills, LOCK_FILE), JSON.stringify(live));
        let caught: unknown;
        await runDrill(TARGETS, SETTINGS, ctx()).catch((e: unknown) => (caught = e));
        expect(caught).to.be.instanceOf(DrillLockedError);
        expect((caught as Error).message).to.equal(`a drill is running: dev@${os.hostname()}:${process.pid} since t0; wait for it to finish`);
        const dead = { ...live, pid: 2 ** 22 + 1 };
        fs.writeFileSync(path.join(drills, LOCK_FILE), JSON.stringify(dead));
        Journal.start(drills, {});
        caught = undefined;
        await runDrill(TARGETS, SETTINGS, ctx()).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal(`the drill of dev@${os.hostname()}:${2 ** 22 + 1} since t0 ended without finishing (its process is gone): run paved drill --resume to restore it first`);
        fs.rmSync(Journal.pathIn(drills));
        expect((await runDrill(TARGETS, SETTINGS, ctx())).outcome).to.equal("pass");
    });

    it("a drills folder that cannot be made: the file-system error itself, not a lock refusal", async () => {
        fs.writeFileSync(path.join(dir, "drills"), "not a folder");
        let caught: unknown;
        await runDrill(TARGETS, SETTINGS, ctx()).catch((e: unknown) => (caught = e));
        expect((caught as NodeJS.ErrnoException).code).to.equal("EEXIST");
    });

    it("--resume with nothing to resume: a usage error naming the journal's path", async () => {
        let caught: unknown;
        await resumeDrill(ctx()).catch((e: unknown) => (caught = e));
        expect(`${(caught as Error).constructor.name}: ${(caught as Error).message}`).to.equal(`RunnerUsageError: no unfinished drill to resume: ${path.join(dir, "drills", "journal.jsonl")} does not exist or is closed`);
        expect(fs.existsSync(path.join(dir, "drills", LOCK_FILE))).to.equal(false);
    });
});
