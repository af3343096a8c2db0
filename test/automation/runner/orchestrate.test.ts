import { expect } from "chai";
import { MemoryDriver, ScriptedOutcome } from "../../../automation/driver/memory-driver";
import { OperationCancelledError, StackBusyError } from "../../../automation/driver/port";
import { StackLocks, orchestrate } from "../../../automation/runner/orchestrate";
import { RunnerUsageError, assertDestroyAllowed, prStackName, sweepSelection } from "../../../automation/runner/pr-stacks";

const stacks = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);

describe("runner orchestration (in-memory driver)", () => {
    it("never runs more stacks at once than the concurrency bound", async () => {
        const driver = new MemoryDriver(new Set(stacks(20)), new Map(), 15);
        const outcomes = await orchestrate(stacks(20), (s) => driver.run(s, "preview"), { concurrency: 4 });
        expect(outcomes.map((o) => o.ok)).to.deep.equal(Array<boolean>(20).fill(true));
        expect(driver.maxInFlight).to.equal(4);
    });

    it("runs one operation per stack at a time, even when asked twice at once", async () => {
        const driver = new MemoryDriver(new Set(["dev"]), new Map(), 20);
        const locks = new StackLocks();
        await Promise.all([
            orchestrate(["dev"], (s) => driver.run(s, "up"), { concurrency: 4 }, locks),
            orchestrate(["dev"], (s) => driver.run(s, "refresh"), { concurrency: 4 }, locks),
        ]);
        expect(driver.maxInFlightPerStack).to.equal(1);
        expect(driver.calls.map((c) => c.operation)).to.deep.equal(["up", "refresh"]);
    });

    it("retries a busy stack with backoff, then gives up with the typed error", async () => {
        const script = new Map<string, ScriptedOutcome[]>([
            ["a", [{ kind: "busy" }, { kind: "busy" }, { kind: "ok", changes: { update: 1 } }]],
            ["b", [{ kind: "busy" }, { kind: "busy" }, { kind: "busy" }]],
        ]);
        const driver = new MemoryDriver(new Set(["a", "b"]), script, 1);
        const [a, b] = await orchestrate(["a", "b"], (s) => driver.run(s, "up"), { concurrency: 2, retries: 2, backoffMs: 5 });
        expect(a.ok && a.value.changes).to.deep.equal({ update: 1 });
        expect(!b.ok && b.error).to.be.instanceOf(StackBusyError);
        expect(driver.calls.filter((c) => c.stack === "b")).to.have.length(3);
    });

    it("cancels cleanly: running work stops, work not started never starts", async () => {
        const driver = new MemoryDriver(new Set(stacks(6)), new Map(), 200);
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const outcomes = await orchestrate(stacks(6), (s, signal) => driver.run(s, "up", { signal }), { concurrency: 2, signal: controller.signal });
        expect(outcomes).to.have.length(6);
        expect(outcomes.filter((o) => !o.ok && o.error instanceof OperationCancelledError)).to.have.length(6);
        expect(driver.calls).to.have.length(2);
    });

    it("reports a failing stack without stopping the others", async () => {
        const driver = new MemoryDriver(new Set(["a", "b"]), new Map([["a", [{ kind: "fail", message: "quota exceeded" }]]]), 1);
        const outcomes = await orchestrate(["a", "b"], (s) => driver.run(s, "up"), { concurrency: 2 });
        expect(outcomes.map((o) => o.ok)).to.deep.equal([false, true]);
        expect(!outcomes[0].ok && outcomes[0].error.message).to.equal("a: up failed: quota exceeded");
    });
});

describe("PR stacks and destroy guards", () => {
    it("names PR stacks only from positive whole numbers", () => {
        expect(prStackName("123")).to.equal("pr-123");
        for (const bad of ["0", "-4", "12a", "1.5", ""]) expect(() => prStackName(bad), bad).to.throw(RunnerUsageError, `got PR number "${bad}"`);
    });

    it("destroys a PR stack freely and any other only with its own confirmation flag", () => {
        expect(() => assertDestroyAllowed("pr-12", [])).to.not.throw();
        expect(() => assertDestroyAllowed("prod-us-east-1", [])).to.throw(RunnerUsageError, "pass --yes-destroy-prod-us-east-1");
        expect(() => assertDestroyAllowed("prod-us-east-1", ["--yes-destroy-dev"])).to.throw(RunnerUsageError);
        expect(() => assertDestroyAllowed("prod-us-east-1", ["--yes-destroy-prod-us-east-1"])).to.not.throw();
    });

    it("sweeps only expired or closed pr-<n> stacks, never anything else", () => {
        const now = new Date("2026-11-25T12:00:00Z");
        const info = [
            { stack: "pr-1", createdAt: "2026-11-20T12:00:00Z" }, // 5 days old
            { stack: "pr-2", createdAt: "2026-11-25T08:00:00Z" }, // 4 hours old, still open
            { stack: "pr-3", createdAt: "2026-11-25T08:00:00Z" }, // 4 hours old, closed
            { stack: "prod-us-east-1", createdAt: "2020-01-01T00:00:00Z" },
            { stack: "pr-template", createdAt: "2020-01-01T00:00:00Z" },
        ];
        expect(sweepSelection(info, { ttl: "72h", now, open: [1, 2] })).to.deep.equal(["pr-1", "pr-3"]);
        expect(sweepSelection(info, { ttl: "72h", now })).to.deep.equal(["pr-1"]);
        expect(() => sweepSelection(info, { ttl: "three days", now })).to.throw(RunnerUsageError, 'got TTL "three days"');
    });
});
