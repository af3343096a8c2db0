import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { ScriptedOutcome } from "../../../automation/driver/memory-driver";
import { Clock, scaledClock } from "../../../automation/drill/clock";
import { DEFAULT_DRILL_SETTINGS, DRILL_KNOB, DrillContext, DrillResult, DrillSettings, KNOB_OUTPUT, PROMOTED_OUTPUT, resumeDrill, runDrill } from "../../../automation/drill/drill";
import { Journal } from "../../../automation/drill/journal";
import { LOCK_FILE, holderId, thisProcess } from "../../../automation/drill/lock";
import { HARDER_WORLD, Rehearsal, RehearsalWorld, startRehearsal } from "../../../automation/drill/rehearsal";
import { writeDrillReport } from "../../../automation/drill/report";
import { probeOnce } from "../../../automation/health/probe";
import { recordOnGlobalStack } from "../../../automation/runner/drill-command";
import { instantValue } from "../../../automation/health/prometheus-query";
import { Loopback, freePort, requestCounterExporter, startPrometheus } from "../../loopback";

/**
 * The drill in rehearsal: its own code, the in-memory driver for the stacks, loopback services and
 * a failover router like Route 53 (5 s checks, 2 failures, 10 s TTL), 50× faster than real time.
 * Every test ends by asserting the state of the world: who serves, the applied knob, the standby's
 * capacity, the lock and the journal.
 */
const TARGETS = { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" };
const REGIONS = { primary: "us-east-1", standby: "us-west-2" };
const ROUTER = { intervalSeconds: 5, failureThreshold: 2, ttlSeconds: 10 };
const SETTINGS: DrillSettings = { ...DEFAULT_DRILL_SETTINGS, objectiveSeconds: 30, failbackObjectiveSeconds: 60, stepTimeout: 60, restoreRetry: { attempts: 3, firstBackoff: 2 } };

describe("paved drill (rehearsal on loopback)", function () {
    this.timeout(60_000);
    let world: Rehearsal;
    let clock: Clock;
    let dir: string;
    let lines: string[];

    const start = async (rehearsal?: RehearsalWorld) => {
        clock = scaledClock(50);
        world = await startRehearsal(TARGETS, REGIONS, ROUTER, clock, rehearsal);
    };
    beforeEach(async () => {
        await start();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-"));
        lines = [];
    });
    afterEach(async () => {
        await world.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const context = (signal?: AbortSignal): DrillContext => ({ driver: world.driver, clock, log: (l: string) => lines.push(l), drillsDir: dir, projectDir: dir, rehearsal: true, signal });
    const drill = (signal?: AbortSignal, settings = SETTINGS) => runDrill(TARGETS, settings, context(signal));
    const script = (stack: string, outcomes: ScriptedOutcome[]) => (world.driver as unknown as { script: Map<string, ScriptedOutcome[]> }).script.set(stack, outcomes);
    /** Adds a reaction to `up` on one stack, after the rehearsal's own. */
    const afterUp = (stack: string, react: (config: Readonly<Record<string, string>>) => void) => {
        const own = world.driver.onUp!;
        world.driver.onUp = (s, config) => {
            own(s, config);
            if (s === stack) react(config);
        };
    };
    const servedBy = async () => (await probeOnce(world.router.globalEndpoint, 1000)).body;
    const applied = async () => ({ knob: (await world.driver.outputs(TARGETS.global))[KNOB_OUTPUT], promoted: (await world.driver.outputs(TARGETS.standby))[PROMOTED_OUTPUT] });
    const journalSteps = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: string }).step);

    /** What a finished drill must leave: traffic on the healthy primary, knob off as applied, standby warm, lock free, journal closed. */
    async function expectRestored(result: DrillResult): Promise<void> {
        expect(await applied()).to.deep.equal({ knob: false, promoted: false });
        expect(world.router.invert).to.equal(false);
        expect(world.standby.capacity).to.equal("warm");
        expect(fs.existsSync(path.join(dir, LOCK_FILE)), "lock released").to.equal(false);
        expect(Journal.unfinished(dir)).to.equal(undefined);
        expect(journalSteps(path.join(dir, result.journal)).at(-1)).to.equal("closed");
        expect(await servedBy()).to.equal(REGIONS.primary);
        expect(result.live).to.deep.include({ servedBy: "the primary prod-us-east-1 (us-east-1)", knob: "off", standby: "warm" });
        expect(result.finish).to.equal(undefined);
        // The drill never wrote the stacks' config (Git's state): it updated with temporary config only.
        expect(world.driver.calls.filter((c) => c.operation === "setConfig")).to.deep.equal([]);
    }

    it("a clean drill passes; its RTO ends at its first probe after the router's detection + TTL", async () => {
        const result = await drill();
        expect(result.outcome).to.equal("pass");
        const injected = result.marks.find((m) => m.name === "injected")!.t;
        const reachable = world.router.standbyReachableAfter(injected)!;
        // Judged against the probes as they actually ran, not the nominal 1 s schedule, which a busy
        // machine stretches: the RTO ends at a probe the standby answered, the probe before it was
        // sent before the router could answer the standby, and a probe's request lasts at most its
        // timeout (one resolver honouring the TTL: the first request after `reachable` gets the standby).
        const samples = [...result.samples].sort((a, b) => a.t - b.t);
        const end = samples.findIndex((s) => Math.abs(s.t - (injected + result.rtoSeconds!)) < 1e-9);
        expect(end, "the RTO ends at a probe").to.be.greaterThan(0);
        expect(samples[end].region).to.equal(REGIONS.standby);
        expect(samples[end - 1].region).to.not.equal(REGIONS.standby);
        expect(samples[end - 1].t).to.be.below(reachable);
        expect(samples[end].t).to.be.at.least(reachable - SETTINGS.requestTimeout);
        expect(result.rtoSeconds!).to.be.at.most(ROUTER.intervalSeconds * ROUTER.failureThreshold + ROUTER.ttlSeconds + 2 * SETTINGS.probeInterval);
        expect(result.failedProbeShare).to.equal(0);
        expect(result.failbackSeconds).to.be.greaterThan(0);
        expect(result.marks.map((m) => m.name)).to.deep.equal(["promote", "injected", "failed over", "failback", "restored", "warm"]);
        for (const m of result.marks) expect(m.at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(result.updates.map((u) => [u.step, u.stack, u.config])).to.deep.equal([
            ["promote", "prod-us-west-2", { "paved:failover.promoted": "true" }],
            ["inject", "prod-global", { "paved:global.drill": "true" }],
            ["failback", "prod-global", undefined],
            ["warm", "prod-us-west-2", undefined],
        ]);
        expect(result.preflight.map((c) => c.check)).to.include.members(["knob off as deployed", "standby healthy", "traffic on the primary"]);
        expect(result.preflight.every((c) => c.ok)).to.equal(true);
        expect(result.provenance.gitSha).to.match(/^unknown|^[0-9a-f]{40}$/);
        expect(result).to.include({ rehearsal: true, timeScale: 50, failoverBoundSeconds: 20 });
        expect(path.isAbsolute(result.journal)).to.equal(false);
        await recordOnGlobalStack(world.driver, result);
        expect(await world.driver.getTags(TARGETS.global)).to.deep.equal({ "paved:last-drill": result.startedAt, "paved:last-drill-rto": `${result.rtoSeconds!.toFixed(1)}s`, "paved:last-drill-result": "pass" });
        expect(journalSteps(path.join(dir, result.journal))).to.deep.equal(["started", "promote", "inject", "failback", "warm", "closed"]);
        await expectRestored(result);
    });

    it("aborts at pre-flight when the standby is unhealthy, having changed nothing, and says which check failed", async () => {
        world.standby.healthy = false;
        const result = await drill();
        expect(result.outcome).to.equal("aborted at pre-flight");
        expect(result.reason).to.match(/^standby prod-us-west-2 is not healthy: not 3 healthy answers in a row/);
        expect(result.preflight.at(-1)).to.deep.include({ check: "standby healthy", ok: false });
        expect(world.driver.calls.map((c) => c.operation)).to.deep.equal(["previewRefresh", "previewRefresh", "previewRefresh"]);
        expect(fs.existsSync(Journal.pathIn(dir))).to.equal(false);
        expect(fs.existsSync(path.join(dir, LOCK_FILE))).to.equal(false);
        expect(await applied()).to.deep.equal({ knob: false, promoted: false });
        expect(await servedBy()).to.equal(REGIONS.primary);
    });

    it("aborts at pre-flight when a stack drifted from Git, naming the stack and resource, and updates nothing", async () => {
        script(TARGETS.standby, [{ kind: "drift", findings: [{ urn: "urn:pulumi:prod-us-west-2::paved-road::aws:eks/nodeGroup:NodeGroup::apps", type: "aws:eks/nodeGroup:NodeGroup", property: "scalingConfig", deployed: { minSize: 1 }, live: { minSize: 0 } }] }]);
        const result = await drill();
        expect(result.outcome).to.equal("aborted at pre-flight");
        expect(result.reason).to.equal("prod-us-west-2 has drifted from Git (apps): run paved drift --stack prod-us-west-2 first");
        expect(world.driver.calls.filter((c) => c.operation === "up")).to.deep.equal([]);
        expect(fs.existsSync(Journal.pathIn(dir))).to.equal(false);
        expect(await applied()).to.deep.equal({ knob: false, promoted: false });
        const report = writeDrillReport(result, path.join(dir, "report"));
        expect(fs.readFileSync(report.markdown, "utf8")).to.include("| no drift on prod-us-west-2 | **failed** | prod-us-west-2 has drifted from Git (apps)");
    });

    it("refuses at pre-flight a knob left applied on the deployed stack, whatever the stack file says", async () => {
        world.driver.onUp!(TARGETS.global, { [DRILL_KNOB]: "true" });
        const result = await drill();
        expect(result.outcome).to.equal("aborted at pre-flight");
        expect(result.reason).to.match(/^prod-global has the drill knob applied \(output drill: true\)/);
        expect(await world.driver.getConfig(TARGETS.global, DRILL_KNOB)).to.equal("false");
    });

    it("reverts on its own when the standby never takes over after injection", async () => {
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] === "true") world.standby.healthy = false;
        });
        const result = await drill();
        expect(result.outcome).to.equal("rolled back");
        const timeout = Math.max(SETTINGS.stepTimeout, SETTINGS.objectiveSeconds * 2);
        expect(result.reason).to.equal(`the standby did not take over within ${timeout} s`);
        await expectRestored(result);
    });

    it("a restore update that fails once is retried and the drill restores", async () => {
        // pre-flight's refresh preview and the injection ok, failback fails, the restore's first try fails, its second succeeds.
        script(TARGETS.global, [{ kind: "ok" }, { kind: "ok" }, { kind: "fail", message: "Throttling: rate exceeded" }, { kind: "fail", message: "Throttling: rate exceeded" }]);
        const result = await drill();
        expect(result.outcome).to.equal("rolled back");
        expect(result.reason).to.equal("prod-global: up failed: Throttling: rate exceeded");
        expect(lines).to.include("restore: knob off: attempt 1 of 3 failed (prod-global: up failed: Throttling: rate exceeded); retrying in 2 s");
        await expectRestored(result);
        const report = writeDrillReport(result, path.join(dir, "report"));
        expect(fs.existsSync(report.json)).to.equal(true);
    });

    it("a restore update that fails every time: knob still on, the standby kept promoted, the journal open, and the last words say so", async () => {
        script(TARGETS.global, [{ kind: "ok" }, { kind: "ok" }, ...Array.from({ length: 4 }, (): ScriptedOutcome => ({ kind: "fail", message: "AccessDenied" }))]);
        const result = await drill();
        expect(result.outcome).to.equal("restore failed");
        expect(result.reason).to.match(/the knob could not be reverted: prod-global: up failed: AccessDenied/);
        expect(await applied()).to.deep.equal({ knob: true, promoted: true });
        expect(world.standby.capacity).to.equal("primary");
        expect(result.live).to.deep.equal({ servedBy: "the standby prod-us-west-2 (us-west-2)", knob: "on (the primary's health check inverted)", standby: "promoted (primary capacity)" });
        expect(result.finish).to.equal("paved drill --resume --simulate --out .");
        expect(Journal.unfinished(dir)!.steps.at(-1)!.step).to.equal("kept");
        expect(fs.existsSync(path.join(dir, LOCK_FILE)), "lock released").to.equal(false);
        // --resume finishes the job once the stack accepts updates again.
        const resumed = await resumeDrill(context());
        expect(resumed.outcome).to.equal("rolled back");
        await expectRestored(resumed);
    });

    it("a primary that does not serve after fail-back: the standby stays promoted and carries the traffic", async () => {
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] !== "true") world.primary.healthy = false;
        });
        const result = await drill();
        expect(result.outcome).to.equal("primary did not recover");
        expect(result.rtoSeconds).to.be.greaterThan(0);
        expect(await applied()).to.deep.equal({ knob: false, promoted: true });
        expect(world.standby.capacity).to.equal("primary");
        expect(await servedBy()).to.equal(REGIONS.standby);
        expect(result.live).to.deep.equal({ servedBy: "the standby prod-us-west-2 (us-west-2)", knob: "off", standby: "promoted (primary capacity)" });
        expect(result.finish).to.equal("paved drill --resume --simulate --out .");
        expect(Journal.unfinished(dir)!.has("warm")).to.equal(false);
        expect(fs.existsSync(path.join(dir, LOCK_FILE))).to.equal(false);
    });

    it("a real primary outage while the knob is on fires the stop condition: knob reverted at once, traffic on the standby", async () => {
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] === "true") world.primary.healthy = false;
        });
        const settings = { ...SETTINGS, stop: { ...SETTINGS.stop, windowSeconds: 20 } };
        const result = await drill(undefined, settings);
        expect(result.outcome).to.equal("stopped by condition");
        expect(result.reason).to.match(/^stopped by condition: 100\.0 % of probes failed over the last 20 s \(stop threshold 50\.0 %\)/);
        const injected = result.marks.find((m) => m.name === "injected")!.t;
        expect(result.marks.find((m) => m.name === "stopped")!.t - injected).to.be.within(20, 20 + 3 * SETTINGS.probeInterval);
        expect(await applied()).to.deep.equal({ knob: false, promoted: true });
        expect(await servedBy()).to.equal(REGIONS.standby);
        expect(world.standby.capacity).to.equal("primary");
    });

    it("--step-timeout bounds a slow update: the promotion is cancelled and the drill restores", async () => {
        await world.close();
        let first = true;
        await start({ up: (stack) => (stack === TARGETS.standby && first ? ((first = false), 15) : 0.5) });
        const result = await drill(undefined, { ...SETTINGS, stepTimeout: 6 });
        expect(result.outcome).to.equal("rolled back");
        expect(result.reason).to.equal("promote: the update of prod-us-west-2 took longer than the step timeout (6 s) and was cancelled");
        // The slow update was cancelled at the step timeout, not awaited for its 15 s.
        const [slow] = world.driver.calls.filter((c) => c.stack === TARGETS.standby && c.operation === "up");
        expect(slow.endedAt - slow.startedAt).to.be.within(clock.ms(6) - 5, clock.ms(10));
        expect(result.updates.map((u) => u.step)).to.deep.equal(["restore: standby warm"]);
        await expectRestored(result);
    });

    /** A signal that fires (as Ctrl-C would) 5 drill seconds after the injection applied. */
    const ctrlCAfterInjection = (): AbortSignal => {
        const controller = new AbortController();
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] === "true") setTimeout(() => controller.abort(), clock.ms(5));
        });
        return controller.signal;
    };

    it("restores on SIGINT mid-drill", async () => {
        const result = await drill(ctrlCAfterInjection());
        expect(result.outcome).to.equal("rolled back");
        expect(result.reason).to.equal("cancelled (SIGINT/SIGTERM)");
        await expectRestored(result);
    });

    /** A drill whose failback update never returns: to the world, its process is gone, its lock still on the stack. */
    async function deadDrill(run = () => drill()): Promise<void> {
        script(TARGETS.global, [{ kind: "ok" }, { kind: "ok" }, { kind: "hang" }]);
        void run();
        const deadline = Date.now() + 20_000;
        while (!Journal.unfinished(dir)?.has("failback") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, clock.ms(5)));
        expect(world.router.invert, "the dead drill left the knob on").to.equal(true);
    }

    it("--resume refuses while the drill's owner is alive, and restores when forced by naming it (stale lock cleared first)", async () => {
        await deadDrill();
        const holder = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")) as ReturnType<typeof thisProcess>;
        try {
            await resumeDrill(context());
            expect.fail("--resume must refuse a live drill");
        } catch (e) {
            expect((e as Error).message).to.equal(`the drill of ${holderId(holder)} since ${holder.startedAt} is still running: --resume restores only a drill whose process is gone. If it is stuck, stop it, or run paved drill --resume --force-resume ${holderId(holder)}`);
        }
        expect(world.router.invert, "nothing restored underneath it").to.equal(true);
        const result = await resumeDrill(context(), holderId(holder));
        expect(result.outcome).to.equal("rolled back");
        expect(result.reason).to.equal('resumed: the drill\'s process ended after step "failback"');
        expect(world.driver.calls.filter((c) => c.operation === "cancelStaleUpdate").map((c) => c.stack)).to.deep.equal(["prod-global", "prod-us-west-2"]);
        await expectRestored(result);
    });

    it("--resume ignores a torn last journal line with a warning naming the file, and restores", async () => {
        await deadDrill();
        fs.appendFileSync(Journal.pathIn(dir), '{"step":"warm","at":"2026-12-0');
        const result = await resumeDrill(context(), holderId(thisProcess(process.env, "")));
        expect(lines).to.include(`${Journal.pathIn(dir)}: ignored its torn last line "{\\"step\\":\\"warm\\",\\"at\\":\\"2026-12-0" (a crash mid-write); that step never acted`);
        expect(result.outcome).to.equal("rolled back");
        await expectRestored(result);
    });

    it("a journal that becomes unwritable mid-drill does not stop the restore", async () => {
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] !== "true") return;
            fs.rmSync(Journal.pathIn(dir));
            fs.mkdirSync(Journal.pathIn(dir)); // every append now fails with EISDIR
        });
        const result = await drill();
        expect(result.outcome).to.equal("rolled back");
        expect(result.reason).to.match(/^EISDIR/);
        expect(lines.some((l) => l.startsWith(`journal ${Journal.pathIn(dir)} could not be written (EISDIR`))).to.equal(true);
        expect(await applied()).to.deep.equal({ knob: false, promoted: false });
        expect(world.standby.capacity).to.equal("warm");
        expect(await servedBy()).to.equal(REGIONS.primary);
        expect(fs.existsSync(path.join(dir, LOCK_FILE))).to.equal(false);
        const report = writeDrillReport(result, path.join(dir, "report"));
        expect(fs.readFileSync(report.markdown, "utf8")).to.include("**rolled back** — EISDIR");
    });

    it("unreachable optional probes are 'not measured', naming probe and URL; the RTO stands and the drill passes", async () => {
        const [promPort, rpoPort] = [await freePort(), await freePort()];
        const settings: DrillSettings = { ...SETTINGS, prometheus: { url: `http://127.0.0.1:${promPort}`, errorRatioQuery: "up" }, rpo: { probeUrl: `http://127.0.0.1:${rpoPort}/lag`, objectiveSeconds: 300 } };
        const result = await drill(undefined, settings);
        expect(result.outcome).to.equal("pass");
        expect(result.rtoSeconds).to.be.greaterThan(0);
        expect(result.notMeasured).to.deep.equal([
            `not measured: replication lag (RPO): the probe http://127.0.0.1:${rpoPort}/lag did not answer (ECONNREFUSED)`,
            `not measured: the standby's error ratio: Prometheus at http://127.0.0.1:${promPort} did not answer: ECONNREFUSED`,
        ]);
        await expectRestored(result);
    });

    it("does not call a flapping primary restored during failback", async () => {
        let flapEnds = Infinity;
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] === "true" || flapEnds !== Infinity) return;
            world.primary.flapping = true;
            flapEnds = clock.now() + 20;
            setTimeout(() => (world.primary.flapping = false), clock.ms(20));
        });
        const result = await drill();
        expect(result.outcome).to.equal("pass");
        expect(result.marks.find((m) => m.name === "restored")!.t).to.be.at.least(flapEnds);
        await expectRestored(result);
    });

    describe("with the stacks the Pulumi Kubernetes Operator owns: its reconciliation paused for the drill, resumed on every path", () => {
        const OWNED = [TARGETS.global, TARGETS.standby, TARGETS.primary];
        beforeEach(async () => {
            await world.close();
            await start({ operatorOwned: OWNED });
        });
        const ownedContext = (signal?: AbortSignal): DrillContext => ({ ...context(signal), operator: () => world.operator, operatorOwned: OWNED });
        const ownedDrill = (signal?: AbortSignal, settings = SETTINGS) => runDrill(TARGETS, settings, ownedContext(signal));
        const pausedNow = () => OWNED.filter((s) => world.operator.isPaused(s));
        /** Each update of the drill, with the stacks the operator was kept off at the moment it applied. */
        const watchUpdates = () => {
            const seen: string[] = [];
            for (const stack of [TARGETS.global, TARGETS.standby]) afterUp(stack, (config) => seen.push(`${stack} ${JSON.stringify(config)} paused: ${pausedNow().join(" ")}`));
            return seen;
        };
        const pausesAndResumes = () => world.operator.calls.filter((c) => c.call !== "stackStatus").map((c) => `${c.call} ${c.stack}`);
        /** The operator reconciles both drill stacks again, and the drill's last words say so. */
        function expectOperatorBack(result: DrillResult): void {
            expect(pausedNow()).to.deep.equal([]);
            expect(result.live!.operator).to.equal("prod-global reconciled again, prod-us-west-2 reconciled again");
            expect(pausesAndResumes()).to.deep.equal(["pause prod-global", "pause prod-us-west-2", "resume prod-global", "resume prod-us-west-2"]);
        }

        it("success: paused before the promotion and the injection, the global stack resumed once its knob is Git's again, the standby once warm", async () => {
            const updates = watchUpdates();
            const result = await ownedDrill();
            expect(result.outcome).to.equal("pass");
            expect(updates).to.deep.equal([
                'prod-us-west-2 {"paved:failover.promoted":"true"} paused: prod-global prod-us-west-2',
                'prod-global {"paved:global.drill":"true"} paused: prod-global prod-us-west-2',
                'prod-global {"paved:global.drill":"false"} paused: prod-global prod-us-west-2',
                'prod-us-west-2 {"paved:failover.promoted":"false"} paused: prod-us-west-2',
            ]);
            expect(journalSteps(path.join(dir, result.journal))).to.deep.equal(["started", "pause", "pause", "promote", "inject", "failback", "resume", "warm", "resume", "closed"]);
            expectOperatorBack(result);
            await expectRestored(result);
        });

        it("failure, objective missed: resumed, and the last words say the operator reconciles again", async () => {
            const result = await ownedDrill(undefined, { ...SETTINGS, objectiveSeconds: 1 });
            expect(result.outcome).to.equal("objective missed");
            expectOperatorBack(result);
            await expectRestored(result);
        });

        it("failure, the injection fails: the drill restores and resumes the operator", async () => {
            script(TARGETS.global, [{ kind: "ok" }, { kind: "fail", message: "AccessDenied" }]);
            const result = await ownedDrill();
            expect(result.outcome).to.equal("rolled back");
            expect(result.reason).to.equal("prod-global: up failed: AccessDenied");
            expectOperatorBack(result);
            await expectRestored(result);
        });

        it("failure, the restore fails: the operator stays paused on both (neither stack is Git's), the last words say so; --resume resumes it", async () => {
            script(TARGETS.global, [{ kind: "ok" }, { kind: "ok" }, ...Array.from({ length: 4 }, (): ScriptedOutcome => ({ kind: "fail", message: "AccessDenied" }))]);
            const result = await ownedDrill();
            expect(result.outcome).to.equal("restore failed");
            expect(pausedNow()).to.deep.equal([TARGETS.global, TARGETS.standby]);
            expect(result.live!.operator).to.equal("prod-global PAUSED (paved drill started " + result.startedAt + "; paved drill --resume resumes it), prod-us-west-2 PAUSED (paved drill started " + result.startedAt + "; paved drill --resume resumes it)");
            expect(result.finish).to.equal("paved drill --resume --simulate --out .");
            const resumed = await resumeDrill(ownedContext());
            expect(resumed.outcome).to.equal("rolled back");
            expectOperatorBack(resumed);
            await expectRestored(resumed);
        });

        it("failure, the operator cannot be resumed: the drill restores the stacks, keeps its journal open and says what finishes the job", async () => {
            world.operator.failures.set("resume:prod-global", "the API server answered 503");
            const result = await ownedDrill(undefined, { ...SETTINGS, restoreRetry: { attempts: 1, firstBackoff: 1 } });
            expect(result.outcome).to.equal("pass");
            expect(result.reason).to.equal("the operator's reconciliation of prod-global could not be resumed: the API server answered 503");
            expect(result.live).to.deep.include({ knob: "off", standby: "warm" });
            expect(result.live!.operator).to.match(/^prod-global PAUSED \(paved drill started .*; paved drill --resume resumes it\), prod-us-west-2 reconciled again$/);
            expect(result.finish).to.equal("paved drill --resume --simulate --out .");
            const resumed = await resumeDrill(ownedContext());
            expect(pausedNow()).to.deep.equal([]);
            expect(resumed.live!.operator).to.equal("prod-global reconciled again, prod-us-west-2 reconciled again");
        });

        it("Ctrl-C mid-drill: restored, and the operator resumed", async () => {
            const result = await ownedDrill(ctrlCAfterInjection());
            expect(result.outcome).to.equal("rolled back");
            expect(result.reason).to.equal("cancelled (SIGINT/SIGTERM)");
            expectOperatorBack(result);
            await expectRestored(result);
        });

        it("--resume after the drill's process died: the journal's pauses are resumed", async () => {
            await deadDrill(() => ownedDrill());
            expect(pausedNow(), "the dead drill left the operator paused").to.deep.equal([TARGETS.global, TARGETS.standby]);
            const result = await resumeDrill(ownedContext(), holderId(thisProcess(process.env, "")));
            expect(result.outcome).to.equal("rolled back");
            expectOperatorBack(result);
            await expectRestored(result);
        });

        it("pre-flight refuses when someone else paused the operator on a drill stack, changing nothing", async () => {
            await world.operator.pauseReconciliation(TARGETS.global, "paved up --override-operator");
            const result = await ownedDrill();
            expect(result.outcome).to.equal("aborted at pre-flight");
            expect(result.reason).to.match(/^the operator's reconciliation of prod-global is already paused \(paved up --override-operator, since .*\): another writer is at work$/);
            expect(world.driver.calls.filter((c) => c.operation === "up")).to.deep.equal([]);
            expect(pausesAndResumes()).to.deep.equal(["pause prod-global"]);
            expect(world.operator.isPaused(TARGETS.global)).to.equal(true);
        });
    });
});

describe("the harder rehearsal world", function () {
    this.timeout(20_000);
    it("a warm standby answers only 3 in 10 client requests until promoted, then all", async () => {
        const clock = scaledClock(50);
        const world = await startRehearsal(TARGETS, REGIONS, { intervalSeconds: 5, failureThreshold: 1, ttlSeconds: 2 }, clock, HARDER_WORLD);
        try {
            world.primary.healthy = false;
            // The router's checks see the primary fail, then its resolvers' answers run out (2 × TTL at most).
            await new Promise((r) => setTimeout(r, clock.ms(20)));
            const answers = async () => Promise.all(Array.from({ length: 10 }, () => probeOnce(world.router.globalEndpoint, 1000).then((a) => a.body)));
            const warm = await answers();
            expect(warm.filter((b) => b === REGIONS.standby)).to.have.length(3);
            expect(warm.filter((b) => b === "over capacity (warm)")).to.have.length(7);
            world.driver.onUp!(TARGETS.standby, { "paved:failover.promoted": "true" });
            expect(await answers()).to.deep.equal(Array.from({ length: 10 }, () => REGIONS.standby));
        } finally {
            await world.close();
        }
    });
});

describe("paved drill stop condition with Prometheus (Debian's prometheus on loopback)", function () {
    this.timeout(60_000);
    const query = 'sum(rate(http_requests_total{service="standby",code=~"5.."}[1m])) / sum(rate(http_requests_total{service="standby"}[1m]))';
    let exporter: Loopback;
    let prometheus: Loopback;
    before(async () => {
        exporter = await requestCounterExporter({ standby: 0.2 });
        prometheus = await startPrometheus([exporter.url], async (url) => (await instantValue(url, query, 1000)) !== undefined);
    });
    after(async () => {
        await prometheus?.close();
        await exporter?.close();
    });

    it("the standby's error ratio above 5 % for the window reverts the knob at once, before the failover completes", async () => {
        const clock = scaledClock(50);
        // Route 53's defaults: the failover itself cannot complete within 20 s of injection.
        const world = await startRehearsal(TARGETS, REGIONS, { intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30 }, clock);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-"));
        try {
            const settings: DrillSettings = { ...SETTINGS, prometheus: { url: prometheus.url, errorRatioQuery: query }, stop: { failedProbeShare: 0.5, standbyErrorRatio: 0.05, windowSeconds: 6 } };
            const result = await runDrill(TARGETS, settings, { driver: world.driver, clock, log: () => undefined, drillsDir: dir, projectDir: dir, rehearsal: true });
            expect(result.outcome).to.equal("stopped by condition");
            expect(result.reason).to.match(/^stopped by condition: the standby's error ratio stayed above 5\.0 % for 6 s \(now 20\.0 %\)/);
            expect(result.marks.map((m) => m.name)).to.not.include("failed over");
            expect(result.rtoSeconds).to.equal(undefined);
            expect({ knob: (await world.driver.outputs(TARGETS.global)).drill, promoted: (await world.driver.outputs(TARGETS.standby)).failoverPromoted }).to.deep.equal({ knob: false, promoted: false });
            expect((await probeOnce(world.router.globalEndpoint, 1000)).body).to.equal(REGIONS.primary);
            expect(Journal.unfinished(dir)).to.equal(undefined);
        } finally {
            await world.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the drill journal", () => {
    it("never truncates a journal that is there: starting one over it throws EEXIST and leaves it whole", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-journal-"));
        try {
            fs.writeFileSync(Journal.pathIn(dir), '{"step":"started","at":"2026-12-01T09:00:00.000Z"}\n');
            expect(() => Journal.start(dir, {})).to.throw(/EEXIST/);
            expect(fs.readFileSync(Journal.pathIn(dir), "utf8")).to.equal('{"step":"started","at":"2026-12-01T09:00:00.000Z"}\n');
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
