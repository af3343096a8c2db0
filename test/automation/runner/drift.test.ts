import { expect } from "chai";
import { MemoryDriver, ScriptedOutcome } from "../../../automation/driver/memory-driver";
import { MemoryOperator, reconciledStatus } from "../../../automation/driver/operator-memory";
import { DriftFinding } from "../../../automation/driver/port";
import { CONTROLLER_OWNED, changedLeaves, classifyDrift } from "../../../automation/runner/drift";
import { runStack } from "../../harness";
import { FLEET, RING, callsOf, paved as run, projectWith, repoStacks } from "./paved";

/** Every stack paved's: the refresh-based check. The operator's stacks are judged from its status (below). */
const PAVED_ONLY = projectWith([]);
const paved = (args: string[], driver: MemoryDriver) => run(args, { driver, projectDir: PAVED_ONLY, retry: { retries: 0, backoffMs: 1 } });

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const urn = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::paved::${type}::${name}`;

/** Someone resized the spot pool (the autoscaler's business) and relabelled it by hand (nobody's). */
const nodeGroupDrift = (stack: string): DriftFinding => ({
    urn: urn(stack, NODE_GROUP, "apps-spot"),
    type: NODE_GROUP,
    property: "scalingConfig",
    deployed: { desiredSize: 1, maxSize: 6, minSize: 0 },
    live: { desiredSize: 4, maxSize: 6, minSize: 0 },
});
const labelDrift = (stack: string): DriftFinding => ({ ...nodeGroupDrift(stack), property: "labels", deployed: { team: "apps" }, live: { team: "apps", debug: "true" } });
const bucketDrift = (stack: string): DriftFinding => ({
    urn: urn(stack, "aws:s3/bucketV2:BucketV2", "loki-chunks"),
    type: "aws:s3/bucketV2:BucketV2",
    property: "tags",
    deployed: { owner: "platform-team" },
    live: {},
});

const drift = (findings: DriftFinding[]): ScriptedOutcome => ({ kind: "drift", findings });

describe("drift classification", () => {
    it("narrows a changed property to its changed leaves", () => {
        expect(changedLeaves({ a: 1, b: { c: 2, d: [1] } }, { a: 1, b: { c: 3, d: [1, 2] }, e: "x" }, "p")).to.deep.equal([
            { path: "p.b.c", deployed: 2, live: 3 },
            { path: "p.b.d", deployed: [1], live: [1, 2] },
            { path: "p.e", deployed: undefined, live: "x" },
        ]);
        expect(changedLeaves({ a: 1 }, { a: 1 }, "p")).to.deep.equal([]);
    });

    it("sets controller-owned fields aside and keeps everything else as unexpected drift", () => {
        const onlyOwned = classifyDrift("dev", [nodeGroupDrift("dev")]);
        expect(onlyOwned.resources[0].properties).to.deep.equal([{ path: "scalingConfig.desiredSize", deployed: 1, live: 4, ownedBy: "cluster-autoscaler and the night schedule" }]);
        expect(onlyOwned.unexpected).to.deep.equal([]);
        const mixed = classifyDrift("dev", [nodeGroupDrift("dev"), labelDrift("dev")]);
        expect(mixed.unexpected.map((r) => r.name)).to.deep.equal(["apps-spot"]);
        expect(mixed.resources[0].properties.map((p) => [p.path, p.ownedBy !== undefined])).to.deep.equal([["scalingConfig.desiredSize", true], ["labels.debug", false]]);
    });

    it("covers every field the shipped stacks tell Pulumi to ignore", async () => {
        const ignored = new Set<string>();
        for (const stack of ["dev", "prod-us-east-1", "dev-gcp"]) {
            for (const r of (await runStack(stack)).resources) for (const field of r.ignoreChanges) ignored.add(`${r.type} ${field}`);
        }
        expect(ignored.size).to.be.greaterThan(0);
        for (const entry of ignored) {
            const [type, field] = entry.split(" ");
            expect(CONTROLLER_OWNED.some((f) => f.type === type && (field === f.path || field.startsWith(`${f.path}.`))), entry).to.be.true;
        }
    });
});

describe("paved drift (in-memory driver)", () => {
    it("reports drift per resource and property, the allow-list honoured, and exits 3", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([
            ["dev", [drift([nodeGroupDrift("dev"), labelDrift("dev"), bucketDrift("dev")])]],
            ["staging", [drift([nodeGroupDrift("staging")])]],
        ]), 1);
        const { code, out } = await paved(["drift", "--all"], driver);
        expect(code).to.equal(3);
        expect(out).to.include.members([
            "dev: 2 resource(s) changed outside Git",
            `  ~ ${NODE_GROUP} apps-spot`,
            "      scalingConfig.desiredSize: 1 → 4   (allowed: owned by cluster-autoscaler and the night schedule)",
            '      labels.debug: (absent) → "true"',
            "  ~ aws:s3/bucketV2:BucketV2 loki-chunks",
            '      tags.owner: "platform-team" → (absent)',
            "staging: no drift (1 resource(s) changed only in controller-owned fields)",
            "prod-us-east-1: no drift",
        ]);
        expect(out[out.length - 1]).to.equal("changed outside Git and not reverted: dev; to re-apply Git's state: paved drift --stack dev --fix (add --dry-run to see what it would change)");
        expect(callsOf(driver).map(([, op]) => op)).to.deep.equal(FLEET.map(() => "previewRefresh"));
        expect(driver.calls.map((c) => c.stack).sort()).to.deep.equal(FLEET);
    });

    it("exits 0 when only controller-owned fields moved", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([["staging", [drift([nodeGroupDrift("staging")])]]]), 1);
        expect((await paved(["drift", "--stack", "staging"], driver)).code).to.equal(0);
    });

    it("--fix refreshes then updates each drifted stack, checks it again — nothing else — and reports each reverted change", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([
            ["dev", [drift([labelDrift("dev"), bucketDrift("dev")])]],
            ["staging", [drift([nodeGroupDrift("staging")])]],
        ]), 1);
        const { code, out } = await paved(["drift", "--all", "--fix"], driver);
        expect(code).to.equal(0);
        const after = (stack: string) => callsOf(driver).filter(([s]) => s === stack).map(([, op]) => op);
        // The last previewRefresh is the proof: the fix is reported only once the stack shows no drift.
        expect(after("dev")).to.deep.equal(["previewRefresh", "refresh", "up", "previewRefresh"]);
        expect(after("staging")).to.deep.equal(["previewRefresh"]);
        expect(after("prod-us-east-1")).to.deep.equal(["previewRefresh"]);
        expect(out.filter((l) => l.includes("Manual change reverted"))).to.deep.equal([
            `dev: ${NODE_GROUP} apps-spot: Re-applying state from Git. Manual change reverted.`,
            "dev: aws:s3/bucketV2:BucketV2 loki-chunks: Re-applying state from Git. Manual change reverted.",
        ]);
    });

    it("exits 1 when a fix fails, and says which stack", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map<string, ScriptedOutcome[]>([
            ["dev", [drift([labelDrift("dev")]), { kind: "ok" }, { kind: "fail", message: "AccessDenied" }]],
        ]), 1);
        const { code, out } = await paved(["drift", "--stack", "dev", "--fix", "--json"], driver);
        expect(code).to.equal(1);
        const [dev] = JSON.parse(out[0]) as { stack: string; error: string }[];
        expect(dev).to.include({ stack: "dev", error: "fix failed: dev: up failed: AccessDenied" });
    });

    it("exits 1, naming what is left, when a fix does not take (the cloud still differs after the up)", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([["dev", [drift([labelDrift("dev")]), { kind: "ok" as const }, { kind: "ok" as const }, drift([labelDrift("dev")])]]]), 1);
        const { code, out } = await paved(["drift", "--stack", "dev", "--fix"], driver);
        expect(code).to.equal(1);
        expect(out).to.include(`dev: fix FAILED — still changed outside Git after the fix: ${NODE_GROUP} apps-spot; what is live is unchanged or partly fixed: check it with paved drift --stack dev`);
        expect(out.filter((l) => l.includes("Manual change reverted"))).to.deep.equal([]);
    });

    it("--dry-run says what --fix would re-apply and changes nothing", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([["dev", [drift([labelDrift("dev")])]]]), 1);
        const { code, out } = await paved(["drift", "--stack", "dev", "--fix", "--dry-run"], driver);
        expect(code).to.equal(3);
        expect(out).to.include.members([`dev: would re-apply state from Git (refresh, then up): ${NODE_GROUP} apps-spot`, "dry run: nothing changed; to apply: paved drift --stack dev --fix"]);
        expect(callsOf(driver)).to.deep.equal([["dev", "previewRefresh"]]);
    });

    it("refuses --dry-run without --fix, and --fix with --auto-fix, with exit 2 and no call", async () => {
        for (const args of [["--dry-run"], ["--fix", "--auto-fix"]]) {
            const driver = new MemoryDriver(repoStacks(), new Map(), 1);
            const { code, err } = await paved(["drift", "--stack", "dev", ...args], driver);
            expect(code, args.join(" ")).to.equal(2);
            expect(err[0]).to.match(/^paved: (--dry-run goes with --fix or --auto-fix|give --fix \(every named stack\) or --auto-fix)/);
            expect(driver.calls).to.deep.equal([]);
        }
    });

    it("exits 1 when a stack cannot be checked, still checking the others", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([["dev", [{ kind: "fail" as const, message: "token expired" }]]]), 1);
        const { code, out } = await paved(["drift", "--all"], driver);
        expect(code).to.equal(1);
        expect(out).to.include("dev: drift check FAILED — dev: previewRefresh failed: token expired");
        expect(driver.calls).to.have.length(FLEET.length);
    });

    it("refuses an unknown stack with exit 2 and no call", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        const { code, err } = await paved(["drift", "--stack", "prod"], driver);
        expect(code).to.equal(2);
        expect(err[0]).to.match(/^paved: unknown stack "prod": there is no Pulumi.prod.yaml; stacks here: dev, /);
        expect(driver.calls).to.be.empty;
    });
});

describe("paved drift of the stacks the Pulumi Kubernetes Operator owns (in-memory driver and operator)", () => {
    const RING_OWNED = projectWith(RING);
    const NOW = new Date("2026-12-01T10:00:00Z");
    const drifting = (driver: MemoryDriver, operator: MemoryOperator, args: string[]) => run(["drift", ...args], { driver, operator, projectDir: RING_OWNED, now: () => NOW, retry: { retries: 0, backoffMs: 1 } });
    /** The operator's results as its controller writes them (stack_controller.go: markStackSucceeded, markStackFailed, markStackResult). */
    const operatorWith = () => {
        const operator = new MemoryOperator(RING);
        operator.statuses.set("staging", reconciledStatus("staging", "2026-12-01T09:58:00Z"));
        operator.statuses.set("prod-us-east-1", reconciledStatus("prod-us-east-1", "2026-12-01T07:30:00Z"));
        operator.statuses.set("prod-us-west-2", {
            ...reconciledStatus("prod-us-west-2", "2026-12-01T09:55:00Z"),
            lastUpdate: { type: "up", state: "failed", generation: 1, time: "2026-12-01T09:55:00Z", message: "error: 1 error occurred: creating EC2 Security Group Rule: InvalidPermission.Duplicate", failures: 3 },
            conditions: { Ready: { status: "False", reason: "NotReadyStalled" }, Stalled: { status: "True", reason: "UpdateFailed", message: "up failed 3 times; not retrying until the spec or source changes" } },
        });
        return operator;
    };

    it("reads the operator's last result for its stacks instead of refreshing them, and exits 3 when Git's state is not known to be applied", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([["dev", [drift([labelDrift("dev")])]]]), 1);
        const { code, out } = await drifting(driver, operatorWith(), ["--all"]);
        expect(code).to.equal(3);
        const refreshed = [...new Set(callsOf(driver).map(([s]) => s))].sort();
        expect(refreshed).to.deep.equal(FLEET.filter((s) => !RING.includes(s)));
        expect(out).to.include.members([
            "staging: reconciled by the Pulumi Kubernetes Operator: Git's state applied at 2026-12-01T09:58:00Z (refresh, then up of 0123456789ab); a change outside Git since then is reverted at the next resync (every 300 s)",
            "  last update: up succeeded at 2026-12-01T09:58:00Z, generation 1 of 1",
            "  Ready: True (ProcessingCompleted)",
            "  whether its refresh found changes: not in the operator's status (PKO v2.9.0 does not record it)",
            "prod-us-east-1: reconciled by the Pulumi Kubernetes Operator, and Git's state is not known to be applied: its last update is 150 min old, though it re-applies Git every 300 s: the operator is not reconciling it",
            "prod-us-west-2: reconciled by the Pulumi Kubernetes Operator, and Git's state is not known to be applied: stalled (UpdateFailed): up failed 3 times; not retrying until the spec or source changes",
            "  last update: up failed at 2026-12-01T09:55:00Z, generation 1 of 1",
            "  Ready: False (NotReadyStalled)",
            "dev: 1 resource(s) changed outside Git",
        ]);
        expect(out.slice(-2)).to.deep.equal([
            "not known to match Git, and the operator's to apply: prod-us-east-1, prod-us-west-2; once the cause above is fixed the operator re-applies Git, or from here: paved up --stack prod-us-east-1 --override-operator",
            "changed outside Git and not reverted: dev; to re-apply Git's state: paved drift --stack dev --fix (add --dry-run to see what it would change)",
        ]);
    });

    it("exits 0 when the operator applied Git recently; --fix never writes an operator-owned stack; a paused stack is drift", async () => {
        const operator = operatorWith();
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        expect((await drifting(driver, operator, ["--stack", "staging", "--fix"])).code).to.equal(0);
        expect(driver.calls).to.deep.equal([]);
        await operator.pauseReconciliation("staging", "paved drill");
        const paused = await drifting(driver, operator, ["--stack", "staging", "--fix", "--json"]);
        expect(paused.code).to.equal(3);
        const [staging] = JSON.parse(paused.out[0]) as { stack: string; operator: { applied: boolean; summary: string } }[];
        expect(staging.operator.applied).to.equal(false);
        expect(staging.operator.summary).to.match(/^staging: reconciled by the Pulumi Kubernetes Operator, and Git's state is not known to be applied: its reconciliation is paused \(paved drill, since /);
        expect(driver.calls).to.deep.equal([]);
    });

    it("exits 1 when the operator cannot be asked, still checking the others", async () => {
        const operator = operatorWith();
        operator.failures.set("stackStatus:staging", "kubectl get: Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout");
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        const { code, out } = await drifting(driver, operator, ["--all"]);
        expect(code).to.equal(1);
        expect(out).to.include("staging: drift check FAILED — kubectl get: Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout");
        expect(operator.calls.filter((c) => c.call === "stackStatus").map((c) => c.stack).sort()).to.deep.equal([...RING].sort());
    });
});
