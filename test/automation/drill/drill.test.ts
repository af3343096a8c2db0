import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { ScriptedOutcome } from "../../../automation/driver/memory-driver";
import { Clock, scaledClock } from "../../../automation/drill/clock";
import { DEFAULT_DRILL_SETTINGS, DRILL_KNOB, DrillPreflightError, DrillResult, DrillSettings, PROMOTED, resumeDrill, runDrill } from "../../../automation/drill/drill";
import { Journal } from "../../../automation/drill/journal";
import { Rehearsal, startRehearsal } from "../../../automation/drill/rehearsal";
import { writeDrillReport } from "../../../automation/drill/report";
import { probeOnce } from "../../../automation/health/probe";
import { recordOnGlobalStack } from "../../../automation/runner/drill-command";

/**
 * The drill in rehearsal: its own code, the in-memory driver for the stacks, loopback services and
 * a failover router like Route 53 (10 s checks, 3 failures, 30 s TTL), 50× faster than real time.
 * Every test ends by asserting the state a drill must always leave behind.
 */
const TARGETS = { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" };
const REGIONS = { primary: "us-east-1", standby: "us-west-2" };
const ROUTER = { intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30 };
const SETTINGS: DrillSettings = { ...DEFAULT_DRILL_SETTINGS, stepTimeout: 150 };

describe("paved drill (rehearsal on loopback)", function () {
    this.timeout(60_000);
    let world: Rehearsal;
    let clock: Clock;
    let dir: string;
    let lines: string[];

    beforeEach(async () => {
        clock = scaledClock(50);
        world = await startRehearsal(TARGETS, REGIONS, ROUTER, clock);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-"));
        lines = [];
    });
    afterEach(async () => {
        await world.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const context = (signal?: AbortSignal) => ({ driver: world.driver, clock, log: (l: string) => lines.push(l), drillsDir: dir, rehearsal: true, signal });
    const drill = (signal?: AbortSignal) => runDrill(TARGETS, SETTINGS, context(signal));
    /** Adds a reaction to `up` on one stack, after the rehearsal's own. */
    const afterUp = (stack: string, react: (config: Readonly<Record<string, string>>) => void) => {
        const own = world.driver.onUp!;
        world.driver.onUp = (s, config) => {
            own(s, config);
            if (s === stack) react(config);
        };
    };

    /** What every drill must leave: traffic on the healthy primary, knob reverted, standby warm, journal closed. */
    async function expectRestored(result: DrillResult): Promise<void> {
        expect(await world.driver.getConfig(TARGETS.global, DRILL_KNOB)).to.equal("false");
        expect(world.router.invert).to.equal(false);
        expect(await world.driver.getConfig(TARGETS.standby, PROMOTED)).to.equal("false");
        expect(world.standby.capacity).to.equal("warm");
        expect(Journal.unfinished(dir)).to.equal(undefined);
        const journal = fs.readFileSync(result.journal, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { step: string });
        expect(journal.at(-1)!.step).to.equal("closed");
        expect((await probeOnce(world.router.globalEndpoint, 1000)).body).to.equal(REGIONS.primary);
    }

    it("a clean drill passes; its RTO is within one probe interval after the router's detection + TTL", async () => {
        const result = await drill();
        expect(result.outcome).to.equal("pass");
        const injected = result.marks.find((m) => m.name === "injected")!.t;
        const theoretical = world.router.standbyReachableAfter(injected)! - injected;
        expect(result.rtoSeconds! - theoretical).to.be.within(-0.1, SETTINGS.probeInterval);
        // Never beyond the bound (the third failed check at most 3 intervals after injection, then a
        // TTL), give or take a probe interval and the timers' jitter.
        expect(result.rtoSeconds!).to.be.at.most(ROUTER.intervalSeconds * ROUTER.failureThreshold + ROUTER.ttlSeconds + 2 * SETTINGS.probeInterval);
        expect(result.failedProbeShare).to.equal(0);
        expect(result.marks.map((m) => m.name)).to.deep.equal(["injected", "failed over", "failback", "restored"]);
        expect(result).to.include({ rehearsal: true, timeScale: 50, failoverBoundSeconds: 60 });
        await recordOnGlobalStack(world.driver, result);
        expect(await world.driver.getTags(TARGETS.global)).to.deep.equal({ "paved:last-drill": result.startedAt, "paved:last-drill-rto": `${result.rtoSeconds!.toFixed(1)}s`, "paved:last-drill-result": "pass" });
        const steps = fs.readFileSync(result.journal, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: string }).step);
        expect(steps).to.deep.equal(["started", "promote", "inject", "failback", "warm", "closed"]);
        await expectRestored(result);
    });

    it("aborts at pre-flight when the standby is unhealthy, having changed nothing", async () => {
        world.standby.healthy = false;
        try {
            await drill();
            expect.fail("the drill must not start");
        } catch (e) {
            expect(e).to.be.instanceOf(DrillPreflightError);
            expect((e as Error).message).to.match(/^standby prod-us-west-2 is not healthy: not 3 healthy answers in a row/);
        }
        expect(world.driver.calls.map((c) => c.operation)).to.deep.equal(["previewRefresh", "previewRefresh", "previewRefresh"]);
        expect(fs.existsSync(Journal.pathIn(dir))).to.equal(false);
        expect(await world.driver.getConfig(TARGETS.global, DRILL_KNOB)).to.equal("false");
        expect(world.standby.capacity).to.equal("warm");
        expect((await probeOnce(world.router.globalEndpoint, 1000)).body).to.equal(REGIONS.primary);
    });

    it("reverts on its own when the standby never takes over after injection", async () => {
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] === "true") world.standby.healthy = false;
        });
        const result = await drill();
        expect(result.outcome).to.equal("rolled back");
        // The failover may take the step timeout or twice the objective, whichever is longer.
        const timeout = Math.max(SETTINGS.stepTimeout, SETTINGS.objectiveSeconds * 2);
        expect(result.reason).to.equal(`the standby did not take over within ${timeout} s`);
        const injected = result.marks.find((m) => m.name === "injected")!.t;
        expect(result.marks.find((m) => m.name === "rolled back")!.t - injected).to.be.within(timeout, timeout + SETTINGS.stepTimeout);
        await expectRestored(result);
    });

    it("restores when the driver fails mid-failover", async () => {
        const script: ScriptedOutcome[] = [{ kind: "ok" }, { kind: "fail", message: "Throttling: rate exceeded" }];
        (world.driver as unknown as { script: Map<string, ScriptedOutcome[]> }).script.set(TARGETS.global, script);
        const result = await drill();
        expect(result.outcome).to.equal("rolled back");
        expect(result.reason).to.equal("prod-global: up failed: Throttling: rate exceeded");
        await expectRestored(result);
    });

    it("restores on SIGINT mid-drill", async () => {
        const controller = new AbortController();
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] === "true") setTimeout(() => controller.abort(), clock.ms(5));
        });
        const result = await drill(controller.signal);
        expect(result.outcome).to.equal("rolled back");
        expect(result.reason).to.equal("cancelled (SIGINT/SIGTERM)");
        await expectRestored(result);
    });

    it("finishes a drill whose process died with --resume: restores from the journal and reports", async () => {
        // The failback's update never returns: to the world, the drill's process is gone.
        (world.driver as unknown as { script: Map<string, ScriptedOutcome[]> }).script.set(TARGETS.global, [{ kind: "ok" }, { kind: "ok" }, { kind: "hang" }]);
        void drill();
        const deadline = Date.now() + 20_000;
        while (!Journal.unfinished(dir)?.has("failback") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, clock.ms(5)));
        expect(world.router.invert, "the dead drill left the knob on").to.equal(true);
        const result = await resumeDrill(context());
        expect(result.outcome).to.equal("rolled back");
        expect(result.reason).to.equal('resumed: the drill\'s process ended after step "failback"');
        expect(result.targets).to.deep.equal(TARGETS);
        await expectRestored(result);
        const report = writeDrillReport(result, path.dirname(result.journal));
        expect(fs.readFileSync(report.markdown, "utf8")).to.include('| outcome | **rolled back** — resumed: the drill\'s process ended after step "failback" |');
        expect(fs.readdirSync(path.dirname(result.journal)).sort()).to.deep.equal(["journal.jsonl", "report.json", "report.md", "timeline.svg"]);
    });

    it("does not call a flapping primary restored during failback", async () => {
        let flapEnds = Infinity;
        afterUp(TARGETS.global, (config) => {
            if (config[DRILL_KNOB] !== "false" || flapEnds !== Infinity) return;
            world.primary.flapping = true;
            flapEnds = clock.now() + 40;
            setTimeout(() => (world.primary.flapping = false), clock.ms(40));
        });
        const result = await drill();
        expect(result.outcome).to.equal("pass");
        const restored = result.marks.find((m) => m.name === "restored")!.t;
        expect(restored).to.be.at.least(flapEnds);
        await expectRestored(result);
    });
});
