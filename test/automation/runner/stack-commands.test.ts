import { expect } from "chai";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { FLEET, callsOf, paved as run, repoStacks } from "./paved";

const paved = (args: string[], driver: MemoryDriver, signal?: AbortSignal) => run(args, { driver, signal, retry: { retries: 2, backoffMs: 5 } });

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
