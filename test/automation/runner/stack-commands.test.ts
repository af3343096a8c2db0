import { expect } from "chai";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { MemoryOperator } from "../../../automation/driver/operator-memory";
import { FLEET, RING, callsOf, paved as run, projectWith, repoStacks } from "./paved";

/** Every stack applied by paved: what these tests test does not depend on the shipped files' reconcilers. */
const PAVED_ONLY = projectWith([]);
const paved = (args: string[], driver: MemoryDriver, signal?: AbortSignal) => run(args, { driver, signal, projectDir: PAVED_ONLY, retry: { retries: 2, backoffMs: 5 } });

describe("paved up / preview / refresh / destroy (in-memory driver)", () => {
    it("runs every environment stack with --all (not the PR template or local), within the concurrency bound, one summary line each", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 5);
        const { code, out } = await paved(["preview", "--all", "--concurrency", "3"], driver);
        expect(code).to.equal(0);
        expect(driver.calls.map((c) => c.stack).sort()).to.deep.equal(FLEET);
        expect(driver.maxInFlight).to.equal(3);
        expect(out.filter((l) => / preview succeeded /.test(l))).to.have.length(FLEET.length);
        expect(out).to.include("dev: preview started");
    });

    it("exits 1 with one line for the stack that failed, and still runs the others", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([["staging", [{ kind: "fail", message: "quota exceeded" }]]]), 1);
        const { code, out } = await paved(["up", "--all", "--json"], driver);
        expect(code).to.equal(1);
        const results = JSON.parse(out[0]) as { stack: string; ok: boolean; error?: string }[];
        expect(results.filter((r) => !r.ok)).to.deep.equal([{ stack: "staging", ok: false, error: "staging: up failed: quota exceeded" }]);
        expect(results.filter((r) => r.ok)).to.have.length(FLEET.length - 1);
    });

    it("refuses to destroy a non-PR stack without its confirmation flag, touching nothing", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        const refused = await paved(["destroy", "--stack", "prod-us-east-1"], driver);
        expect(refused.code).to.equal(2);
        expect(refused.err).to.deep.equal(["paved: refusing to destroy prod-us-east-1: it is not a PR stack; to destroy it anyway pass --yes-destroy-prod-us-east-1"]);
        expect(driver.calls).to.be.empty;
        const confirmed = await paved(["destroy", "--stack", "prod-us-east-1", "--yes-destroy-prod-us-east-1"], driver);
        expect(confirmed.code).to.equal(0);
        expect(callsOf(driver)).to.deep.equal([["prod-us-east-1", "destroy"]]);
    });

    it("refuses an unknown stack, or neither --stack nor --all, with exit 2 and no call", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        expect((await paved(["up", "--stack", "qa"], driver)).code).to.equal(2);
        expect((await paved(["refresh"], driver)).err).to.deep.equal(["paved: name the stack: --stack <name> (or --all)"]);
        expect(driver.calls).to.be.empty;
    });

    it("cancels on Ctrl-C: running operations stop, none start after, exit 1", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 300);
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const { code, out } = await paved(["up", "--all", "--concurrency", "2"], driver, controller.signal);
        expect(code).to.equal(1);
        expect(driver.calls).to.have.length(2);
        expect(out.filter((l) => l.endsWith("FAILED — " + l.split(":")[0] + ": cancelled"))).to.have.length(FLEET.length);
    });

    it("reports a stack still busy after its retries in one line, exit 1, and runs it no further", async () => {
        const busy = Array.from({ length: 3 }, () => ({ kind: "busy" as const }));
        const driver = new MemoryDriver(repoStacks(), new Map([["dev", busy]]), 1);
        const { code, out } = await paved(["up", "--stack", "dev"], driver);
        expect(code).to.equal(1);
        expect(out.at(-1)).to.equal("dev: up FAILED — stack dev is being updated by someone else (still busy after 3 attempts); try again when that update has finished");
        expect(callsOf(driver)).to.deep.equal([["dev", "up"], ["dev", "up"], ["dev", "up"]]);
    });

    it("rejects a bad --concurrency with exit 2 before any call", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        const { code, err } = await paved(["up", "--all", "--concurrency", "0"], driver);
        expect(code).to.equal(2);
        expect(err).to.deep.equal(['paved: got --concurrency "0": a positive whole number, e.g. --concurrency 4']);
        expect(driver.calls).to.be.empty;
    });
});

describe("paved up / refresh / destroy on stacks the Pulumi Kubernetes Operator owns (in-memory driver and operator)", () => {
    /** The ring's stacks say paved:reconciler: operator; dev and the others are paved's. */
    const RING_OWNED = projectWith(RING);
    const setup = (latencyMs = 5) => {
        const driver = new MemoryDriver(repoStacks(), new Map(), latencyMs);
        const operator = new MemoryOperator(RING);
        // Whether the operator was paused while each update ran: read at the moment the update applies.
        const pausedDuringUp: [string, boolean][] = [];
        driver.onUp = (stack) => pausedDuringUp.push([stack, operator.isPaused(stack)]);
        return { driver, operator, pausedDuringUp };
    };
    const owned = (args: string[], driver: MemoryDriver, operator: MemoryOperator, signal?: AbortSignal) => run(args, { driver, operator, signal, projectDir: RING_OWNED, retry: { retries: 0, backoffMs: 1 } });

    it("refuses up and refresh of an operator-owned stack without --override-operator: exit 2, one line naming the stack, the operator and the command with the flag; nothing touched", async () => {
        for (const operation of ["up", "refresh"]) {
            const { driver, operator } = setup();
            const { code, err, out } = await owned([operation, "--stack", "staging"], driver, operator);
            expect(code, operation).to.equal(2);
            expect(err).to.deep.equal([
                `paved: refusing to ${operation} staging: the Pulumi Kubernetes Operator reconciles it from Git (paved:reconciler: operator in Pulumi.staging.yaml), so two writers would fight; to apply from here anyway, with the operator paused meanwhile: paved ${operation} --stack staging --override-operator`,
            ]);
            expect(out).to.deep.equal([]);
            expect(driver.calls).to.deep.equal([]);
            expect(operator.calls).to.deep.equal([]);
        }
    });

    it("with --override-operator, pauses the operator's reconciliation of the stack for the update and resumes it after", async () => {
        const { driver, operator, pausedDuringUp } = setup();
        const { code, out } = await owned(["up", "--stack", "prod-us-east-1", "--override-operator"], driver, operator);
        expect(code).to.equal(0);
        expect(pausedDuringUp).to.deep.equal([["prod-us-east-1", true]]);
        expect(operator.calls).to.deep.equal([
            { stack: "prod-us-east-1", call: "pause", reason: "paved up --override-operator" },
            { stack: "prod-us-east-1", call: "resume" },
        ]);
        expect(operator.isPaused("prod-us-east-1")).to.equal(false);
        expect(operator.statuses.get("prod-us-east-1")!.previewOnly).to.equal(false);
        expect(out).to.include("operator: reconciling prod-us-east-1 again (it re-applies Git at its next resync)");
    });

    it("resumes the operator when the update fails, and when it is cancelled (Ctrl-C)", async () => {
        const failing = setup();
        const script = (failing.driver as unknown as { script: Map<string, unknown[]> }).script;
        script.set("staging", [{ kind: "fail", message: "quota exceeded" }]);
        expect((await owned(["up", "--stack", "staging", "--override-operator"], failing.driver, failing.operator)).code).to.equal(1);
        expect(failing.operator.calls.map((c) => c.call)).to.deep.equal(["pause", "resume"]);
        expect(failing.operator.isPaused("staging")).to.equal(false);

        const cancelled = setup(300);
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const run = await owned(["up", "--stack", "staging", "--override-operator"], cancelled.driver, cancelled.operator, controller.signal);
        expect(run.code).to.equal(1);
        expect(run.out).to.include("staging: up FAILED — staging: cancelled");
        expect(cancelled.operator.calls.map((c) => c.call)).to.deep.equal(["pause", "resume"]);
        expect(cancelled.operator.isPaused("staging")).to.equal(false);
    });

    it("says so, with the command that finishes the job, when the operator cannot be resumed", async () => {
        const { driver, operator } = setup();
        operator.failures.set("resume:staging", "the API server answered 503");
        const { code, out } = await owned(["up", "--stack", "staging", "--override-operator"], driver, operator);
        expect(code).to.equal(0);
        expect(operator.isPaused("staging")).to.equal(true);
        expect(out).to.include("operator: reconciliation of staging is STILL PAUSED (the API server answered 503); to resume it: paved operator resume --stack staging");
        expect((await owned(["operator", "resume", "--stack", "staging"], driver, operator)).code).to.equal(0);
        expect(operator.isPaused("staging")).to.equal(false);
    });

    it("--all applies paved's stacks and leaves the operator's alone, saying so; preview reads them all", async () => {
        const { driver, operator } = setup();
        const up = await owned(["up", "--all"], driver, operator);
        expect(up.code).to.equal(0);
        const paveds = FLEET.filter((s) => !RING.includes(s));
        expect(paveds).to.not.be.empty;
        expect(driver.calls.map((c) => c.stack).sort()).to.deep.equal(paveds);
        expect(up.out).to.include("not applied here: prod-us-east-1, prod-us-west-2, staging: the Pulumi Kubernetes Operator reconciles them from Git (to apply them from here anyway: paved up --all --override-operator)");
        expect(operator.calls).to.deep.equal([]);

        const previewed = setup();
        expect((await owned(["preview", "--all"], previewed.driver, previewed.operator)).code).to.equal(0);
        expect(previewed.driver.calls.map((c) => c.stack).sort()).to.deep.equal(FLEET);
        expect(previewed.operator.calls).to.deep.equal([]);
    });

    it("refuses to destroy an operator-owned stack even with both flags: the operator would build it again", async () => {
        const { driver, operator } = setup();
        const { code, err } = await owned(["destroy", "--stack", "staging", "--yes-destroy-staging", "--override-operator"], driver, operator);
        expect(code).to.equal(2);
        expect(err).to.deep.equal(["paved: refusing to destroy staging: the Pulumi Kubernetes Operator reconciles it from Git and would create it again; set paved:reconciler: paved in Pulumi.staging.yaml first (its Stack object goes, destroyOnFinalize is off), then paved destroy --stack staging --yes-destroy-staging"]);
        expect(driver.calls).to.deep.equal([]);
        expect(operator.calls).to.deep.equal([]);
    });
});
