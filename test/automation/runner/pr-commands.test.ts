import { expect } from "chai";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { callsOf, paved as run, projectWith, repoStacks } from "./paved";

const NOW = new Date("2026-11-25T12:00:00Z");
/** PR stacks paved's (Pulumi.pr.yaml says paved), whatever the shipped template says; the operator's case is the last test. */
const PAVED_ONLY = projectWith([]);
const paved = (args: string[], driver: MemoryDriver, now = NOW) => run(args, { driver, projectDir: PAVED_ONLY, now: () => now, retry: { retries: 0, backoffMs: 1 } });
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

/** A backend holding the repository's stacks plus PR stacks of the given ages (hours; undefined: untagged). */
async function backendWith(prs: Record<string, number | undefined>): Promise<MemoryDriver> {
    const driver = new MemoryDriver(new Set([...repoStacks(), ...Object.keys(prs)]), new Map(), 1);
    for (const [stack, age] of Object.entries(prs)) if (age !== undefined) await driver.setTags(stack, { "paved:created-at": hoursAgo(age) });
    return driver;
}

describe("paved pr (in-memory driver)", () => {
    it("pr up creates pr-<n> from the pr template, tags it with its PR and creation time, and prints its URL", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        driver.stackOutputs.set("pr-123", { url: "https://pr-123.dev.paved.example.com" });
        const { code, out } = await paved(["pr", "up", "123"], driver);
        expect(code).to.equal(0);
        expect(driver.createdFrom.get("pr-123")).to.equal("pr");
        expect(await driver.getTags("pr-123")).to.deep.equal({ "paved:pr": "123", "paved:created-at": "2026-11-25T12:00:00.000Z" });
        expect(callsOf(driver)).to.deep.equal([["pr-123", "createStack"], ["pr-123", "up"]]);
        expect(out.at(-1)).to.equal("pr-123: up succeeded (same 1) → https://pr-123.dev.paved.example.com");
    });

    it("a later pr up keeps the first creation time, so the TTL counts from the first push", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        await paved(["pr", "up", "7"], driver);
        await paved(["pr", "up", "7"], driver, new Date("2026-11-27T09:00:00Z"));
        expect((await driver.getTags("pr-7"))["paved:created-at"]).to.equal("2026-11-25T12:00:00.000Z");
    });

    it("refuses a PR number that is not a positive whole number, touching nothing", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        for (const bad of ["0", "12a", "-3"]) {
            const { code, err } = await paved(["pr", bad.startsWith("-") ? "destroy" : "up", "--", bad], driver);
            expect(code, bad).to.equal(2);
            expect(err, bad).to.deep.equal([`paved: got PR number "${bad}": a positive whole number, e.g. paved pr up 123`]);
        }
        expect(driver.calls).to.be.empty;
    });

    it("pr destroy destroys and removes the stack; an unknown one is exit 2 with no call", async () => {
        const driver = await backendWith({ "pr-5": 2 });
        const missing = await paved(["pr", "destroy", "6"], driver);
        expect(missing.code).to.equal(2);
        expect(missing.err).to.deep.equal(["paved: no stack pr-6; PR stacks now: pr-5"]);
        expect(driver.calls).to.be.empty;
        expect((await paved(["pr", "destroy", "5"], driver)).code).to.equal(0);
        expect(callsOf(driver)).to.deep.equal([["pr-5", "destroy"], ["pr-5", "removeStack"]]);
        expect(await driver.listStacks()).to.not.include("pr-5");
    });

    it("sweep removes only expired or closed pr-<n> stacks, never the template, prod or an untagged open PR", async () => {
        const driver = await backendWith({ "pr-1": 120, "pr-2": 4, "pr-3": 4, "pr-4": undefined, "pr-9": undefined });
        const { code, out } = await paved(["pr", "sweep", "--ttl", "72h", "--open", "1,2,4"], driver);
        expect(code).to.equal(0);
        expect(out).to.include("sweep: 3 of 5 PR stack(s) to remove: pr-1, pr-3, pr-9");
        expect(out).to.include("pr-4: no paved:created-at tag, age unknown: kept");
        const touched = [...new Set(driver.calls.map((c) => c.stack))].sort();
        expect(touched).to.deep.equal(["pr-1", "pr-3", "pr-9"]);
        for (const s of touched) expect(callsOf(driver).filter(([stack]) => stack === s).map(([, op]) => op)).to.deep.equal(["destroy", "removeStack"]);
        expect(await driver.listStacks()).to.include.members(["pr", "prod-us-east-1", "pr-2", "pr-4"]);
    });

    it("sweep --dry-run lists what would go and touches nothing", async () => {
        const driver = await backendWith({ "pr-1": 120, "pr-2": 4 });
        const { code, out } = await paved(["pr", "sweep", "--ttl", "3d", "--dry-run"], driver);
        expect(code).to.equal(0);
        expect(out).to.deep.equal(["sweep: 1 of 2 PR stack(s) to remove: pr-1 (dry run: nothing removed)"]);
        expect(driver.calls).to.be.empty;
    });

    it("sweep refuses a TTL that is not a duration, or a bad open list, with exit 2 and no call", async () => {
        const driver = await backendWith({ "pr-1": 120 });
        const ttl = await paved(["pr", "sweep", "--ttl", "three days"], driver);
        expect([ttl.code, ttl.err]).to.deep.equal([2, ['paved: got TTL "three days": a duration, e.g. 72h or 3d']]);
        const open = await paved(["pr", "sweep", "--ttl", "72h", "--open", "12,x"], driver);
        expect([open.code, open.err]).to.deep.equal([2, ['paved: got PR number "x": a positive whole number, e.g. paved pr up 123']]);
        const none = await paved(["pr", "sweep"], driver);
        expect([none.code, none.err]).to.deep.equal([2, ["error: required option '--ttl <duration>' not specified"]]);
        expect(driver.calls).to.be.empty;
    });

    it("sweep reports a stack it failed to destroy, keeps it, and exits 1", async () => {
        const driver = await backendWith({ "pr-1": 120, "pr-2": 100 });
        const failing = new MemoryDriver(new Set(await driver.listStacks()), new Map([["pr-1", [{ kind: "fail" as const, message: "DependencyViolation" }]]]), 1);
        for (const s of ["pr-1", "pr-2"]) await failing.setTags(s, await driver.getTags(s));
        const { code, out } = await paved(["pr", "sweep", "--ttl", "72h", "--json"], failing);
        expect(code).to.equal(1);
        expect(JSON.parse(out[0])).to.deep.equal({ selected: ["pr-1", "pr-2"], removed: ["pr-2"], failed: [{ stack: "pr-1", error: "pr-1: destroy failed: DependencyViolation" }] });
        expect(await failing.listStacks()).to.include("pr-1");
    });

    it("refuses pr up, destroy and sweep when Pulumi.pr.yaml hands PR stacks to the operator (Argo CD creates and removes them): exit 2, nothing touched; a dry-run sweep still lists", async () => {
        const projectDir = projectWith(["pr"]);
        const driver = await backendWith({ "pr-7": 100 });
        for (const args of [["pr", "up", "7"], ["pr", "destroy", "7"], ["pr", "sweep", "--ttl", "72h"]]) {
            const { code, err } = await run(args, { driver, projectDir, now: () => NOW });
            expect(code, args.join(" ")).to.equal(2);
            expect(err).to.deep.equal([`paved: refusing paved pr ${args[1]}: PR stacks are the Pulumi Kubernetes Operator's (Pulumi.pr.yaml says paved:reconciler: operator): Argo CD creates pr-<n> when its PR opens and removes it when it closes; to drive PR stacks with paved instead, set paved:reconciler: paved in Pulumi.pr.yaml`]);
        }
        expect(driver.calls).to.deep.equal([]);
        const dry = await run(["pr", "sweep", "--ttl", "72h", "--dry-run"], { driver, projectDir, now: () => NOW });
        expect(dry.code).to.equal(0);
        expect(dry.out).to.include("sweep: 1 of 1 PR stack(s) to remove: pr-7 (dry run: nothing removed)");
    });
});
