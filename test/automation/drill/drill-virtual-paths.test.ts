import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { Clock } from "../../../automation/drill/clock";
import { DrillContext, DrillResult, reportDirOf, resumeDrill, runDrill } from "../../../automation/drill/drill";
import { Journal } from "../../../automation/drill/journal";
import { MemoryOperator } from "../../../automation/driver/operator-memory";
import { ScriptedOutcome } from "../../../automation/driver/memory-driver";
import { SETTINGS, TARGETS, World, virtualClock, world } from "./virtual-world";

/**
 * The drill's other paths on the virtual clock (./virtual-world.ts): what each failure says, which
 * restore it runs, what the operator is left doing, and --resume from a journal written by hand.
 * Every expected figure follows from the world's script: probes one drill second apart, a 2 s
 * failover bound, a 60 s step timeout.
 */
const OWNED = [TARGETS.global, TARGETS.standby];

/** An operator whose resumes always fail, as an API server that keeps answering 503 would. */
class StuckOperator extends MemoryOperator {
    override resumeReconciliation(stack: string): Promise<void> {
        return Promise.reject(new Error(`the API server answered 503 for ${stack}`));
    }
}

describe("the drill on a virtual clock: failures, Ctrl-C and --resume", () => {
    let dir: string;
    let w: World;
    let clock: Clock;
    let operator: MemoryOperator;
    const log: string[] = [];
    const drills = () => path.join(dir, "drills");
    const ctx = (extra: Partial<DrillContext> = {}): DrillContext => ({ driver: w.driver, clock, log: (l) => log.push(l), drillsDir: drills(), projectDir: dir, rehearsal: false, env: { GITHUB_ACTOR: "ops" }, ...extra });
    const owned = (extra: Partial<DrillContext> = {}) => ctx({ operator: () => operator, operatorOwned: OWNED, ...extra });
    const script = (stack: string, outcomes: ScriptedOutcome[]) => (w.driver as unknown as { script: Map<string, ScriptedOutcome[]> }).script.set(stack, outcomes);
    const mark = (result: DrillResult, name: string) => result.marks.find((m) => m.name === name)!.t;
    const openJournal = () => Journal.unfinished(drills())!;
    /** Runs `react` after an update has turned `key` on, or back to Git's state (off: the key absent). */
    const afterUp = (key: "paved:global.drill" | "paved:failover.promoted", on: boolean, react: () => void) => {
        const own = w.driver.onUp!;
        const stack = key === "paved:global.drill" ? TARGETS.global : TARGETS.standby;
        w.driver.onUp = (s, config) => {
            own(s, config);
            if (s === stack && (config[key] === "true") === on) react();
        };
    };

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-paths-"));
        w = await world();
        clock = virtualClock();
        operator = new MemoryOperator(OWNED);
        log.length = 0;
    });
    afterEach(async () => {
        await w.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("a primary that never serves again after the failback: the standby stays promoted, the global stack's operator resumed, the standby's kept paused, the journal kept open", async () => {
        w.serves.knobOff = "us-west-2";
        const result = await runDrill(TARGETS, SETTINGS, owned());
        const reason = "the primary did not serve 3 answers in a row within 62 s of the failback; the standby stays promoted";
        expect([result.outcome, result.reason, result.rtoSeconds]).to.deep.equal(["primary did not recover", reason, 4]);
        expect(log).to.include(`drill: ${reason}`);
        // The failback's watch runs the step timeout plus the failover bound: 60 s + 2 s, probes 1 s apart.
        expect(result.samples.at(-1)!.t - mark(result, "failback")).to.equal(62);
        expect(operator.isPaused(TARGETS.global)).to.equal(false);
        expect(operator.isPaused(TARGETS.standby)).to.equal(true);
        expect(result.live!.operator).to.equal(`prod-global reconciled again, prod-us-west-2 PAUSED (paved drill started ${result.startedAt}; paved drill --resume resumes it)`);
        expect(result.finish).to.equal("paved drill --resume");
        const kept = openJournal().steps.at(-1)!;
        expect(kept.step).to.equal("kept");
        expect(kept.detail).to.deep.equal({ outcome: "primary did not recover", live: result.live });

        // The same with an operator that cannot resume the global stack: both said, in that order.
        fs.rmSync(drills(), { recursive: true });
        await w.close();
        w = await world();
        w.serves.knobOff = "us-west-2";
        operator = new StuckOperator(OWNED);
        const stuck = await runDrill(TARGETS, { ...SETTINGS, restoreRetry: { attempts: 1, firstBackoff: 1 } }, owned());
        expect(stuck.reason).to.equal(`${reason}; the operator's reconciliation of prod-global could not be resumed: the API server answered 503 for prod-global`);
    });

    it("the operator paused and resumed as the log and the journal say, a failed resume retried under its name, and a status it cannot give in the last words", async () => {
        operator.failures.set("resume:prod-global", "the API server answered 503");
        afterUp("paved:failover.promoted", false, () => operator.failures.set("stackStatus:prod-us-west-2", "the API server timed out"));
        const result = await runDrill(TARGETS, SETTINGS, owned());
        expect(result.outcome).to.equal("pass");
        const started = `paved drill started ${result.startedAt}`;
        expect(log.filter((l) => l.startsWith("operator: "))).to.deep.equal([
            `operator: pausing its reconciliation of prod-global (${started}), so it does not undo the drill`,
            `operator: pausing its reconciliation of prod-us-west-2 (${started}), so it does not undo the drill`,
            "operator: resume prod-global: attempt 1 of 5 failed (the API server answered 503); retrying in 5 s",
            "operator: reconciling prod-global again",
            "operator: reconciling prod-us-west-2 again",
        ]);
        const steps = JSON.parse(`[${fs.readFileSync(path.join(dir, result.journal), "utf8").trim().split("\n").join(",")}]`) as { step: string; detail?: unknown }[];
        expect(steps.filter((s) => s.step === "pause" || s.step === "resume").map((s) => [s.step, s.detail])).to.deep.equal([
            ["pause", { stack: "prod-global" }],
            ["pause", { stack: "prod-us-west-2" }],
            ["resume", { stack: "prod-global" }],
            ["resume", { stack: "prod-us-west-2" }],
        ]);
        expect(result.live!.operator).to.equal("prod-global reconciled again, prod-us-west-2 unknown (the API server timed out)");
    });

    it("Ctrl-C while waiting for the primary after the failback: restored (not left promoted), the reason says cancelled", async () => {
        const ctrlC = new AbortController();
        afterUp("paved:global.drill", false, () => ctrlC.abort());
        const result = await runDrill(TARGETS, SETTINGS, ctx({ signal: ctrlC.signal }));
        expect([result.outcome, result.reason]).to.deep.equal(["rolled back", "cancelled (SIGINT/SIGTERM)"]);
        expect(result.live).to.deep.equal({ servedBy: "the primary prod-us-east-1 (us-east-1)", knob: "off", standby: "warm" });
    });

    it("a standby that is not healthy after its promotion: the drill injects nothing and restores at once, without touching stale locks", async () => {
        afterUp("paved:failover.promoted", true, () => (w.standbyHealthy = false));
        // A 4 s step timeout: the health wait gives up after 4 drill seconds, 200 wall ms.
        const result = await runDrill(TARGETS, { ...SETTINGS, stepTimeout: 4 }, ctx());
        const reason = "standby not healthy after promotion: not 3 healthy answers in a row within 200 ms; last: HTTP 503";
        expect([result.outcome, result.reason]).to.deep.equal(["rolled back", reason]);
        expect(result.updates.map((u) => u.step)).to.deep.equal(["promote", "restore: standby warm"]);
        expect(log).to.include(`drill failed: ${reason}; restoring`);
        expect(w.driver.calls.filter((c) => c.operation === "cancelStaleUpdate")).to.deep.equal([]);
    });

    it("an update whose program does not export what it applied fails the step, and the drill restores", async () => {
        w.unexported.add("promoted");
        const promote = await runDrill(TARGETS, SETTINGS, ctx());
        expect([promote.outcome, promote.reason]).to.deep.equal(["rolled back", "promote: prod-us-west-2 was updated, but its output failoverPromoted is false, not true"]);
        await w.close();
        w = await world();
        w.unexported.add("knob");
        const inject = await runDrill(TARGETS, SETTINGS, ctx());
        expect(inject.reason).to.equal("inject: prod-global was updated, but its output drill is false, not true");
    });

    it("an update that leaves an output it should have turned back: the failback and the return to warm check theirs too", async () => {
        afterUp("paved:global.drill", false, () => w.driver.stackOutputs.set(TARGETS.global, { ...w.driver.stackOutputs.get(TARGETS.global), drill: true }));
        const failback = await runDrill(TARGETS, SETTINGS, ctx());
        expect(failback.reason).to.match(/^failback: prod-global was updated, but its output drill is true, not false; /);
        // That drill could not restore the knob either: its journal stays open. A fresh folder for the next one.
        fs.rmSync(drills(), { recursive: true });
        await w.close();
        w = await world();
        afterUp("paved:failover.promoted", false, () => w.driver.stackOutputs.set(TARGETS.standby, { failoverPromoted: true }));
        const warm = await runDrill(TARGETS, SETTINGS, ctx());
        expect(warm.reason).to.match(/^warm: prod-us-west-2 was updated, but its output failoverPromoted is true, not false; /);
    });

    it("a standby that never takes over is given twice the objective when that is longer than the step timeout", async () => {
        w.serves.knobOn = "us-east-1";
        const result = await runDrill(TARGETS, { ...SETTINGS, stepTimeout: 10, objectiveSeconds: 30 }, ctx());
        expect([result.outcome, result.reason]).to.deep.equal(["rolled back", "the standby did not take over within 60 s"]);
    });

    it("a standby that never takes over and a primary that does not serve after the restore either: the standby stays promoted, primary did not recover", async () => {
        w.serves.knobOn = "us-east-1";
        w.serves.knobOff = "us-west-2";
        const result = await runDrill(TARGETS, SETTINGS, ctx());
        expect([result.outcome, result.reason]).to.deep.equal(["primary did not recover", "the standby did not take over within 60 s; the primary did not serve 3 answers in a row within 62 s"]);
        expect(result.live).to.deep.include({ knob: "off", standby: "promoted (primary capacity)" });
        expect(result.finish).to.equal("paved drill --resume");
    });

    it("pre-flight: the operator's checks named per stack; one that cannot be asked aborts, naming it; the separator between drifted resources", async () => {
        const checked = await runDrill(TARGETS, SETTINGS, owned());
        expect(checked.outcome).to.equal("pass");
        expect(checked.preflight.slice(1, 3)).to.deep.equal([
            { check: "operator can be paused on prod-global", ok: true, detail: "reconciling it, not paused" },
            { check: "operator can be paused on prod-us-west-2", ok: true, detail: "reconciling it, not paused" },
        ]);
        expect(log).to.include("pre-flight: knob off and standby warm as deployed, no drift, standby healthy, traffic on the primary");

        operator.failures.set("stackStatus:prod-global", "the API server answered 503");
        const unasked = await runDrill(TARGETS, SETTINGS, owned());
        expect([unasked.outcome, unasked.reason]).to.deep.equal(["aborted at pre-flight", "the Pulumi Kubernetes Operator could not be asked about prod-global: the API server answered 503"]);

        const finding = (name: string) => ({ urn: `urn:pulumi:prod-global::paved-road::aws:route53/record:Record::${name}`, type: "aws:route53/record:Record", property: "ttl", deployed: 30, live: 300 });
        script(TARGETS.global, [{ kind: "drift", findings: [finding("failover-primary"), finding("failover-standby")] }]);
        const drifted = await runDrill(TARGETS, SETTINGS, ctx());
        expect(drifted.reason).to.equal("prod-global has drifted from Git (failover-primary, failover-standby): run paved drift --stack prod-global first");
    });

    it("pre-flight: a knob exported as a string is shown as it is; the wait for traffic on the primary lasts five streaks plus a request", async () => {
        w.driver.stackOutputs.set(TARGETS.global, { ...w.driver.stackOutputs.get(TARGETS.global), drill: "false" });
        const stringKnob = await runDrill(TARGETS, SETTINGS, ctx());
        expect(stringKnob.preflight.find((c) => c.check === "knob off as deployed")).to.deep.equal({ check: "knob off as deployed", ok: true, detail: 'output drill: "false"' });

        await w.close();
        w = await world();
        clock = virtualClock();
        const global = w.driver.stackOutputs.get(TARGETS.global)!;
        w.driver.stackOutputs.set(TARGETS.global, { ...global, primary: { stack: TARGETS.primary, region: "us-east-2", healthEndpoint: "" } });
        const refused = await runDrill(TARGETS, { ...SETTINGS, probeInterval: 2 }, ctx());
        expect(refused.reason).to.match(/is not served by the primary \(us-east-2\) now$/);
        // 3 answers × 2 s × 5 + 20 s = 50 s: probes at 0, 2, …, 50, the clock then at 52.
        expect(clock.now()).to.equal(52);
    });

    it("a failover bound that is not a number is not used", async () => {
        w.driver.stackOutputs.set(TARGETS.global, { ...w.driver.stackOutputs.get(TARGETS.global), failoverBoundSeconds: "2" });
        const result = await runDrill(TARGETS, SETTINGS, ctx());
        expect(result.outcome).to.equal("pass");
        expect(result).to.have.property("failoverBoundSeconds", undefined);
    });

    it("Ctrl-C during the pre-flight refresh cancels it: the drill rejects with the driver's cancellation, changing nothing", async () => {
        const ctrlC = new AbortController();
        ctrlC.abort();
        let caught: unknown;
        await runDrill(TARGETS, SETTINGS, ctx({ signal: ctrlC.signal })).catch((e: unknown) => (caught = e));
        expect(`${(caught as Error).name}: ${(caught as Error).message}`).to.equal("OperationCancelledError: prod-us-east-1: cancelled");
        expect(w.driver.calls.filter((c) => c.operation === "up")).to.deep.equal([]);
        expect(fs.existsSync(Journal.pathIn(drills()))).to.equal(false);
    });

    it("both resumes of the operator failing: each named, joined; the stacks restored, the journal open for --resume", async () => {
        operator = new StuckOperator(OWNED);
        const result = await runDrill(TARGETS, { ...SETTINGS, restoreRetry: { attempts: 1, firstBackoff: 1 } }, owned());
        expect(result.outcome).to.equal("pass");
        expect(result.reason).to.equal("the operator's reconciliation of prod-global could not be resumed: the API server answered 503 for prod-global; the operator's reconciliation of prod-us-west-2 could not be resumed: the API server answered 503 for prod-us-west-2");
        expect(result.finish).to.equal("paved drill --resume");
    });

    it("a journal that cannot be moved beside the report after a finished drill: said in one line, the drill itself restored", async () => {
        // The report's folder is taken by a file once the standby is warm again.
        afterUp("paved:failover.promoted", false, () => {
            const startedAt = (openJournal().started.detail as { startedAt: string }).startedAt;
            fs.writeFileSync(reportDirOf(drills(), startedAt), "in the way");
        });
        const result = await runDrill(TARGETS, SETTINGS, ctx());
        expect(result.outcome).to.equal("pass");
        expect(result.journal).to.equal("drills/journal.jsonl");
        expect(log.filter((l) => l.includes("could not be closed"))).to.deep.equal([`journal ${Journal.pathIn(drills())} could not be closed (EEXIST: file already exists, mkdir '${reportDirOf(drills(), result.startedAt)}'); the drill itself is restored`]);
    });

    describe("--resume from a journal written by hand", () => {
        const STARTED = "2026-12-01T09:00:00.000Z";
        const startedWith = (attempts: number) => ({ step: "started", at: STARTED, detail: { targets: TARGETS, regions: { primary: "us-east-1", standby: "us-west-2" }, settings: { ...SETTINGS, restoreRetry: { attempts, firstBackoff: 1 } }, rehearsal: false, startedAt: STARTED } });
        /** A journal of the given steps after `started`, whose restore tries each action once (or `attempts` times). */
        const journalWith = (attempts: number, ...steps: object[]) => {
            fs.mkdirSync(drills(), { recursive: true });
            fs.writeFileSync(Journal.pathIn(drills()), [startedWith(attempts), ...steps].map((s) => `${JSON.stringify({ at: STARTED, ...s })}\n`).join(""));
        };
        const journal = (...steps: object[]) => journalWith(1, ...steps);
        const force = `ops@${os.hostname()}:${process.pid}`;
        /** What the dead drill had applied: the standby promoted and the knob on, as the stacks' outputs then say. */
        const deadDrillApplied = () => {
            w.driver.onUp!(TARGETS.standby, { "paved:failover.promoted": "true" });
            w.driver.onUp!(TARGETS.global, { "paved:global.drill": "true" });
        };

        it("asks the driver for the journal's three stacks; with no endpoints it cannot watch the primary, so the standby stays promoted; no pre-flight", async () => {
            journal({ step: "promote" });
            const ready: string[][] = [];
            (w.driver as { assertReady(stacks: string[]): void }).assertReady = (stacks) => void ready.push(stacks);
            w.driver.stackOutputs.set(TARGETS.global, {});
            const result = await resumeDrill(ctx(), force);
            expect(ready).to.deep.equal([["prod-us-east-1", "prod-us-west-2", "prod-global"]]);
            expect(result.outcome).to.equal("primary did not recover");
            expect(result.preflight).to.deep.equal([]);
            expect(result).to.have.property("failoverBoundSeconds", undefined);
            expect(log).to.include(`resumed: the drill's process ended after step "promote"; restoring`);
        });

        it("a primary that does not serve: the knob reverted, the standby left promoted, as its log, journal and marks say", async () => {
            journal({ step: "promote" }, { step: "inject" });
            deadDrillApplied();
            // The global endpoint answers the standby's region whatever the knob says.
            const global = w.driver.stackOutputs.get(TARGETS.global)!;
            w.driver.stackOutputs.set(TARGETS.global, { ...global, globalEndpoint: (global.globalEndpoint as string).replace("/global", "/standby") });
            const result = await resumeDrill(ctx(), force);
            const reason = `resumed: the drill's process ended after step "inject"`;
            // The watch lasts the journal's step timeout plus the failover bound: 60 s + 2 s.
            expect([result.outcome, result.reason]).to.deep.equal(["primary did not recover", `${reason}; the primary did not serve 3 answers in a row within 62 s`]);
            expect(result.live).to.deep.include({ knob: "off", standby: "promoted (primary capacity)" });
            expect(result.finish).to.equal("paved drill --resume");
            expect(result.updates.map((u) => [u.step, u.stack])).to.deep.equal([["restore: knob off", "prod-global"]]);
            expect(result.marks.map((m) => m.name)).to.deep.equal(["rolled back"]);
            expect(log).to.include.members([
                "restore: paved:global.drill back to Git's state (off) on prod-global",
                "restore: prod-us-west-2 stays promoted: it carries the traffic while the primary does not serve",
            ]);
            expect(openJournal().steps.find((e) => e.step === "restore")!.detail).to.deep.equal({ reason });
        });

        it("the primary serving again: the standby back to warm, marked; stale locks that cannot be cleared and a standby that cannot go warm are each named", async () => {
            journal({ step: "promote" }, { step: "inject" });
            deadDrillApplied();
            const warmed = await resumeDrill(ctx(), force);
            expect(warmed.outcome).to.equal("rolled back");
            expect(warmed.updates.map((u) => u.step)).to.deep.equal(["restore: knob off", "restore: standby warm"]);
            expect(warmed.marks.map((m) => m.name)).to.deep.equal(["restored", "warm", "rolled back"]);
            expect(log).to.include("restore: prod-us-west-2 back to warm capacity");
            expect(w.driver.calls.filter((c) => c.operation === "cancelStaleUpdate").map((c) => c.stack)).to.deep.equal(["prod-global", "prod-us-west-2"]);

            log.length = 0;
            journalWith(2, { step: "promote" }, { step: "inject" });
            deadDrillApplied();
            w.driver.cancelStaleUpdate = (stack: string) => Promise.reject(new Error(`${stack} is not reachable`));
            script(TARGETS.standby, [{ kind: "fail", message: "AccessDenied" }, { kind: "fail", message: "AccessDenied" }]);
            const cold = await resumeDrill(ctx(), force);
            expect(cold.reason).to.equal(`resumed: the drill's process ended after step "inject"; clearing prod-global's lock failed: prod-global is not reachable; clearing prod-us-west-2's lock failed: prod-us-west-2 is not reachable; the standby could not return to warm: prod-us-west-2: up failed: AccessDenied`);
            expect(cold.marks.map((m) => m.name)).to.deep.equal(["restored", "rolled back"]);
            // Each action is retried under its own name (two tries here).
            expect(log).to.include("restore: clear a stale lock on prod-global: attempt 1 of 2 failed (prod-global is not reachable); retrying in 1 s");
            expect(log).to.include("restore: standby warm: attempt 1 of 2 failed (prod-us-west-2: up failed: AccessDenied); retrying in 1 s");
            expect(cold.live).to.deep.include({ knob: "off", standby: "promoted (primary capacity)" });
            expect(cold.finish).to.equal("paved drill --resume");
        });

        it("a knob that cannot be reverted: restore failed", async () => {
            journal({ step: "promote" }, { step: "inject" });
            script(TARGETS.global, [{ kind: "fail", message: "AccessDenied" }]);
            const result = await resumeDrill(ctx(), force);
            expect(result.outcome).to.equal("restore failed");
            expect(result.reason).to.equal(`resumed: the drill's process ended after step "inject"; the knob could not be reverted: prod-global: up failed: AccessDenied`);
        });

        it("an operator that cannot be resumed, the stacks restored: restore failed", async () => {
            journal({ step: "pause", detail: { stack: "prod-global" } }, { step: "promote" }, { step: "inject" });
            operator = new StuckOperator(OWNED);
            await operator.pauseReconciliation(TARGETS.global, "paved drill started " + STARTED);
            const result = await resumeDrill(owned(), force);
            expect(result.outcome).to.equal("restore failed");
            expect(result.live).to.deep.include({ knob: "off", standby: "warm" });
            expect(result.reason).to.equal(`resumed: the drill's process ended after step "inject"; the operator's reconciliation of prod-global could not be resumed: the API server answered 503 for prod-global`);
        });

        it("an operator that can resume neither stack: both named, in order; a standby that cannot be resumed alone fails the restore too", async () => {
            journal({ step: "pause", detail: { stack: "prod-global" } }, { step: "pause", detail: { stack: "prod-us-west-2" } }, { step: "promote" }, { step: "inject" });
            operator = new StuckOperator(OWNED);
            for (const stack of OWNED) await operator.pauseReconciliation(stack, "paved drill started " + STARTED);
            const both = await resumeDrill(owned(), force);
            expect([both.outcome, both.reason]).to.deep.equal([
                "restore failed",
                `resumed: the drill's process ended after step "inject"; the operator's reconciliation of prod-global could not be resumed: the API server answered 503 for prod-global; the operator's reconciliation of prod-us-west-2 could not be resumed: the API server answered 503 for prod-us-west-2`,
            ]);
        });

        it("a drill that died before changing anything: restored with nothing to undo, the standby not said to stay promoted", async () => {
            journal();
            const result = await resumeDrill(ctx(), force);
            expect(result.outcome).to.equal("rolled back");
            expect(result.updates).to.deep.equal([]);
            expect(log.filter((l) => l.includes("stays promoted"))).to.deep.equal([]);
        });
    });
});
