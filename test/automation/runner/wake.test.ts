import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MemoryDriver, ScriptedOutcome } from "../../../automation/driver/memory-driver";
import { DriftFinding } from "../../../automation/driver/port";
import { readStackConfig } from "../../../automation/offline/stack-file";
import { sleepsAtNight } from "../../../automation/runner/wake";
import { withConfig } from "../../../automation/driver/stack-file-config";
import { REPO_ROOT, inputsOf, ofType, runStack } from "../../harness";
import { callsOf, paved as run, projectWith, repoStacks } from "./paved";

/** A driver whose `up` exports the wake it was given, as the stack program does (checked against the real program below). */
function driverFor(script: [string, ScriptedOutcome[]][] = [], exportsWake = true): MemoryDriver {
    const driver = new MemoryDriver(repoStacks(), new Map(script), 1);
    driver.onUp = (stack, config) => {
        if (exportsWake && config["paved:wake.until"]) driver.stackOutputs.set(stack, { wake: { from: config["paved:wake.from"], until: config["paved:wake.until"] } });
    };
    return driver;
}
const paved = (args: string[], driver: MemoryDriver, now: string) => run(["wake", ...args], { driver, now: () => new Date(now), retry: { retries: 1, backoffMs: 1 } });

// dev sleeps outside Mon–Fri 07:00–20:00 Europe/Berlin (UTC+1 in January).
describe("paved wake (in-memory driver)", () => {
    it("Saturday 09:00 Berlin, --until 14:00: refresh, then an up with the wake as one-run config; ends with its own sleep", async () => {
        const driver = driverFor();
        let applied: Record<string, string> = {};
        const onUp = driver.onUp!;
        driver.onUp = (stack, config) => {
            applied = { ...config };
            onUp(stack, config);
        };
        const { code, out } = await paved(["--stack", "dev", "--until", "14:00"], driver, "2026-01-10T08:00:30Z");
        expect(code).to.equal(0);
        expect(callsOf(driver)).to.deep.equal([["dev", "refresh"], ["dev", "up"]]);
        expect(applied).to.include({ "paved:wake.from": "2026-01-10T08:00:00Z", "paved:wake.until": "2026-01-10T13:00:00Z" });
        expect(out[out.length - 1]).to.equal("dev: awake now (the system pool first, then the app pools and the scheduled workloads) until Sat 14:00 Europe/Berlin, when a one-off sleep action puts it back to sleep");
    });

    it("Monday 06:00 Berlin without --until: until the scheduled sleep at 20:00", async () => {
        const driver = driverFor();
        const { code, out } = await paved(["--stack", "dev"], driver, "2026-01-12T05:00:00Z");
        expect(code).to.equal(0);
        expect(out[out.length - 1]).to.include("until Mon 20:00 Europe/Berlin, when the scheduled sleep puts it back to sleep");
    });

    it("in on-hours: already awake, touches nothing", async () => {
        const driver = driverFor();
        const { code, out } = await paved(["--stack", "dev"], driver, "2026-01-12T10:00:00Z");
        expect(code).to.equal(0);
        expect(out).to.deep.equal(["dev: in its on-hours until Mon 20:00 Europe/Berlin: already awake, nothing changed"]);
        expect(driver.calls).to.be.empty;
    });

    it("refuses with exit 2 and one line, touching nothing: past the scheduled sleep, no sleep within 24 h, too short, production, no stack, an operator-owned stack", async () => {
        const cases: [string[], string, string][] = [
            [["--stack", "dev", "--until", "22:00"], "2026-01-12T05:00:00Z", "paved: got --until 22:00: the scheduled sleep at Mon 20:00 Europe/Berlin comes first and still applies; wake until then at the latest, e.g. --until 20:00"],
            [["--stack", "dev"], "2026-01-10T08:00:00Z", "paved: no scheduled sleep in the next 24 hours (the next is Mon 20:00 Europe/Berlin): say when the wake ends, e.g. --until 18:00"],
            [["--stack", "dev", "--until", "09:10"], "2026-01-10T08:00:00Z", "paved: got --until 09:10: that is in less than 30 minutes; a wake lasts at least 30, e.g. --until 11:00"],
            [["--stack", "prod-us-east-1"], "2026-01-10T08:00:00Z", "paved: got --stack prod-us-east-1: production never sleeps, so there is nothing to wake; wake a non-production stack, e.g. --stack dev"],
            [["--stack", "prod-global"], "2026-01-10T08:00:00Z", "paved: got --stack prod-global: a global stack has no nodes of its own to wake; wake a regional stack, e.g. --stack dev"],
            [[], "2026-01-10T08:00:00Z", "paved: name the stack: paved wake --stack <name>, e.g. --stack dev"],
            [["--stack", "staging"], "2026-01-12T05:00:00Z", "paved: refusing to wake staging: the Pulumi Kubernetes Operator reconciles it from Git (paved:reconciler: operator in Pulumi.staging.yaml) and would undo the wake at its next resync; wake a stack paved applies, e.g. --stack dev"],
        ];
        expect(cases).to.not.be.empty;
        for (const [args, now, says] of cases) {
            const driver = driverFor();
            const { code, err } = await paved(args, driver, now);
            expect([code, err], args.join(" ")).to.deep.equal([2, [says]]);
            expect(driver.calls, args.join(" ")).to.be.empty;
        }
    });

    it("exits 1 saying what may be live and the command that finishes the job when the up fails", async () => {
        const driver = driverFor([["dev", [{ kind: "ok" }, { kind: "fail", message: "quota exceeded" }]]]);
        const { code, out } = await paved(["--stack", "dev", "--until", "14:00"], driver, "2026-01-10T08:00:00Z");
        expect(code).to.equal(1);
        expect(out[out.length - 1]).to.equal("dev: wake FAILED — dev: up failed: quota exceeded. Its pools may be partly awake; they sleep at the next scheduled sleep. Try again: paved wake --stack dev --until 14:00");
    });

    it("exits 1 when the applied state does not show the wake", async () => {
        const driver = driverFor([], false);
        const { code, out } = await paved(["--stack", "dev", "--until", "14:00"], driver, "2026-01-10T08:00:00Z");
        expect(code).to.equal(1);
        expect(out[out.length - 1]).to.match(/^dev: the up succeeded but its outputs show no wake until 2026-01-10T13:00:00Z/);
    });
});

describe("paved wake: what the stack program does with the one-run config", function () {
    this.timeout(60_000);
    let project: string;
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("dev woken on Saturday: exports the wake, a one-off sleep per group at its end, KEDA up on its dates — the tracked file unchanged", async () => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "paved-wake-"));
        const tracked = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
        fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
        // The very text the real driver writes to its scratch copy (automation/driver/stack-file-config.ts).
        fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), withConfig(tracked, { "paved:wake.from": "2026-01-10T08:00:00Z", "paved:wake.until": "2026-01-10T13:00:00Z" }));
        const woken = await runStack("dev", project);
        expect(woken.outputs.wake).to.deep.equal({ from: "2026-01-10T08:00:00Z", until: "2026-01-10T13:00:00Z" });
        const ends = ofType(woken.resources, "aws:autoscaling/schedule:Schedule").filter((a) => a.name.endsWith("-wake-end")).map(inputsOf);
        expect(ends.map((a) => [a.scheduledActionName, a.startTime])).to.deep.equal([
            ["paved-dev-system-wake-end", "2026-01-10T13:00:00Z"],
            ["apps-spot-wake-end", "2026-01-10T13:00:00Z"],
        ]);
        const triggers = inputsOf(ofType(woken.resources, "kubernetes:keda.sh/v1alpha1:ScaledObject")[0]).spec.triggers;
        expect(triggers.map((t: { metadata: { start: string; end: string } }) => [t.metadata.start, t.metadata.end])).to.deep.equal([
            ["0 7 * * 1-5", "0 20 * * 1-5"],
            ["0 9 10 1 *", "0 14 10 1 *"],
        ]);
        expect(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")).to.equal(tracked);
    });
});

describe("paved drift on a stack that sleeps (in-memory driver)", () => {
    const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
    /** What a refresh at 02:30 sees after the night's scheduled actions: min, max and desired at zero. */
    const asleep = (stack: string): DriftFinding => ({
        urn: `urn:pulumi:${stack}::paved::${NODE_GROUP}::paved-${stack}-system`,
        type: NODE_GROUP,
        property: "scalingConfig",
        deployed: { desiredSize: 1, maxSize: 2, minSize: 1 },
        live: { desiredSize: 0, maxSize: 0, minSize: 0 },
    });

    it("knows which shipped stacks sleep: the non-production regional ones", () => {
        const sleeping = [...repoStacks()].filter((s) => sleepsAtNight(readStackConfig(REPO_ROOT, s).config)).sort();
        expect(sleeping).to.deep.equal(["dev", "dev-gcp", "staging"]);
    });

    it("sets the night's zero sizes aside on dev, never on production, so --auto-fix does not wake dev at 02:30", async () => {
        const project = projectWith([]);
        const driver = new MemoryDriver(repoStacks(), new Map([["dev", [{ kind: "drift", findings: [asleep("dev")] }]], ["prod-us-east-1", [{ kind: "drift", findings: [asleep("prod-us-east-1")] }]]]), 1);
        const dev = await run(["drift", "--stack", "dev", "--auto-fix"], { driver, projectDir: project, retry: { retries: 0, backoffMs: 1 } });
        expect(dev.code).to.equal(0);
        expect(dev.out.join("\n")).to.include("(allowed: owned by the night schedule (ASG scheduled actions) and paved wake)");
        const prod = await run(["drift", "--stack", "prod-us-east-1"], { driver, projectDir: project, retry: { retries: 0, backoffMs: 1 } });
        expect(prod.code).to.equal(3);
        expect(callsOf(driver).filter(([, operation]) => operation === "up")).to.deep.equal([]);
    });
});
